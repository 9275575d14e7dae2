"""`make bench`: build a database, start gunicorn and a Celery worker, measure, print a table.

Everything runs in one go on this machine: PostgreSQL (a database of its own, `stride_bench`
unless BENCH_DATABASE says otherwise, made, migrated, filled and dropped here), Redis
(REDIS_URL), gunicorn on a free local port (bench settings: the app plus the floor endpoint
and an X-Query-Count header) and a Celery worker; load comes from other processes (locust
headless, and plain HTTP clients). See README, "Performance".
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import caseload, check_ins, cpu, report
from bench.common import (
    BIN,
    ROOT,
    admin_connection,
    child_env,
    create_database,
    database_name,
    django_setup,
    drop_database,
    free_port,
    run_json,
    wait_for_port,
)

# gunicorn's own rule of thumb, 2 x cores + 1 sync workers.
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
REMINDERS_SCRIPT = ROOT / "bench" / "reminders.py"
MONITORING_SCRIPT = ROOT / "bench" / "monitoring.py"
# The open-loop check-in load and the red-flag webhook measured during it.
OPEN_LOOP_RATE = float(os.environ.get("BENCH_OPEN_LOOP_RATE", "50"))
OPEN_LOOP_SECONDS = float(os.environ.get("BENCH_OPEN_LOOP_SECONDS", "30"))
# The larger caseload clinic (the 2,000-patient one keeps its year of daily check-ins).
CASELOAD_LARGE = int(os.environ.get("BENCH_CASELOAD_LARGE", "10000"))
CASELOAD_LARGE_DAYS = int(os.environ.get("BENCH_CASELOAD_LARGE_DAYS", "60"))


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def start(args: list[str], logfile: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=child_env(DATABASE_CONN_MAX_AGE="600"),
        stdout=logfile.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def wait_healthy(host: str, timeout: float = 60.0) -> None:
    """Until /health/ answers 200: the port is bound before the workers have loaded the app."""
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{host}/health/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not become healthy")


def reminders() -> dict[str, Any] | None:
    """The reminders benchmark, when it is in the tree: `python bench/reminders.py`,
    whose last stdout line is JSON with `seconds` (and `count`)."""
    if not REMINDERS_SCRIPT.exists():
        return None
    return run_json([str(REMINDERS_SCRIPT)], timeout=300)


def caseload_run(port: int, token: str, sampler: Any) -> dict[str, Any]:
    """`bench/caseload.py` against one clinic, with the load average and the server CPU."""
    load = os.getloadavg()[0]
    before = sampler()
    result = run_json([str(ROOT / "bench" / "caseload.py"), str(port), token], timeout=300)
    used = cpu.used(before, sampler())
    served = caseload.REQUESTS + caseload.WARMUP
    return result | {
        "load": load,
        "cpu_ms": (used["web"] + used["db"]) * 1000 / served,
        "cpu_web_ms": used["web"] * 1000 / served,
        "cpu_db_ms": used["db"] * 1000 / served,
    }


def parse_only(argv: list[str]) -> bool:
    """`--only check_ins,floor` (or `--only check_ins`): build the 500 check-in patients only and
    measure the check-in and the floor, nothing else; for working on the check-in path."""
    parser = argparse.ArgumentParser(description="make bench: the performance benchmark")
    parser.add_argument(
        "--only",
        default="",
        help="check_ins,floor: only the check-in POST and the floor (no caseload, reminders, "
        "RTM statement or open loop, no Celery worker)",
    )
    parts = {part.strip() for part in parser.parse_args(argv).only.split(",") if part.strip()}
    if parts - {"check_ins", "floor"}:
        parser.error("--only knows check_ins and floor (measured together)")
    return bool(parts)


def start_web(port: int, workdir: Path) -> subprocess.Popen[bytes]:
    return start(
        [
            str(BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--log-level",
            "warning",
        ],
        workdir / "gunicorn.log",
    )


def check_ins_only(workdir: Path, began: float, load_before: tuple[float, float, float]) -> int:
    """`--only check_ins,floor`: the 500 check-in patients, gunicorn, the two locust phases."""
    log("filling: 500 check-in patients")
    tokens = check_ins.prepare(workdir)
    from django.db import connections

    connections.close_all()
    port = free_port()
    web = start_web(port, workdir)
    results: dict[str, Any] = {"load_before": load_before}
    admin = admin_connection()
    try:
        wait_for_port(port)
        host = f"http://127.0.0.1:{port}"
        wait_healthy(host)

        def sampler() -> dict[str, Any]:
            return cpu.sample(web_pid=web.pid, conn=admin, database=database_name())

        log("check-ins and floor: locust, 32 users, 25 s each")
        results["check_ins"] = check_ins.measure(host, tokens, workdir, sampler=sampler)
    finally:
        admin.close()
        stop(web)
        if os.environ.get("BENCH_KEEP") != "1":
            drop_database()
    (workdir / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print(report.table(results, time.monotonic() - began, workers=GUNICORN_WORKERS))
    return 0


def main(argv: list[str] | None = None) -> int:
    only_check_ins = parse_only(sys.argv[1:] if argv is None else argv)
    began = time.monotonic()
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="stride-bench-"))
    log(f"database {database_name()}; logs in {workdir}")
    create_database()
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    log(f"load average at start {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f}")
    if only_check_ins:
        return check_ins_only(workdir, began, load_before)
    log("filling: 500 check-in patients, 2,000 caseload patients with a year of check-ins")
    tokens = check_ins.prepare(workdir)
    build = caseload.prepare()
    large = None
    if CASELOAD_LARGE:
        log(f"filling: {CASELOAD_LARGE:,} caseload patients with {CASELOAD_LARGE_DAYS} days each")
        large = caseload.prepare(patients_count=CASELOAD_LARGE, days=CASELOAD_LARGE_DAYS)
    from django.db import connections

    connections.close_all()
    port = free_port()
    worker = start(
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "-Q",
            "default,notifications,reminders",
            "--concurrency",
            "2",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "WARNING",
        ],
        workdir / "worker.log",
    )
    web = start_web(port, workdir)
    results: dict[str, Any] = {
        "caseload_build": build,
        "caseload_large_build": {k: v for k, v in (large or {}).items() if k != "token"} or None,
        "load_before": load_before,
    }
    admin = admin_connection()
    try:
        wait_for_port(port)
        host = f"http://127.0.0.1:{port}"
        wait_healthy(host)

        def sampler() -> dict[str, Any]:
            return cpu.sample(web_pid=web.pid, conn=admin, database=database_name())

        log("check-ins and floor: locust, 32 users, 25 s each")
        results["check_ins"] = check_ins.measure(host, tokens, workdir, sampler=sampler)
        log("caseload: 200 requests")
        results["caseload"] = caseload_run(port, build["token"], sampler)
        if large is not None:
            log(f"caseload of {CASELOAD_LARGE:,} patients: 200 requests")
            results["caseload_large"] = caseload_run(port, large["token"], sampler) | {
                "patients": CASELOAD_LARGE
            }
        log("reminders" if REMINDERS_SCRIPT.exists() else "reminders: bench/reminders.py absent")
        load = os.getloadavg()[0]
        results["reminders"] = reminders()
        if results["reminders"] is not None:
            results["reminders"]["load"] = load
        log("RTM month statement: 2,000 patients, a year of check-ins (its own database)")
        load = os.getloadavg()[0]
        results["monitoring"] = run_json([str(MONITORING_SCRIPT)], timeout=900) | {"load": load}
        log(
            f"open loop: {OPEN_LOOP_RATE:.0f} check-ins/s for {OPEN_LOOP_SECONDS:.0f} s, "
            "with 40 red flags -> webhook during it"
        )
        load = os.getloadavg()[0]
        results["escalation"] = run_json(
            [
                str(ROOT / "bench" / "escalation_latency.py"),
                str(port),
                str(tokens),
                str(OPEN_LOOP_RATE),
                str(OPEN_LOOP_SECONDS),
            ],
            timeout=300,
        ) | {"load": load}
    finally:
        admin.close()
        stop(web)
        stop(worker)
        if os.environ.get("BENCH_KEEP") != "1":
            drop_database()
    results["caseload_build"].pop("token", None)  # a credential, if only to a dropped database
    if large is not None:
        large.pop("token", None)
    (workdir / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print(report.table(results, time.monotonic() - began, workers=GUNICORN_WORKERS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
