"""`make bench`: build a database, start gunicorn and a Celery worker, measure, print a table.

Everything runs in one go on this machine: PostgreSQL (a database of its own, `stride_bench`
unless BENCH_DATABASE says otherwise, made, migrated, filled and dropped here), Redis
(REDIS_URL), gunicorn on a free local port (bench settings: the app plus the floor endpoint
and an X-Query-Count header) and a Celery worker; load comes from other processes (locust
headless, and plain HTTP clients). See README, "Performance".
"""

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

from bench import caseload, checkins
from bench.common import (
    BIN,
    ROOT,
    bench_database_url,
    child_env,
    django_setup,
    free_port,
    run_json,
    server_url,
    wait_for_port,
)

# gunicorn's own rule of thumb, 2 x cores + 1 sync workers.
GUNICORN_WORKERS = int(os.environ.get("BENCH_GUNICORN_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
REMINDERS_SCRIPT = ROOT / "bench" / "reminders.py"
MONITORING_SCRIPT = ROOT / "bench" / "monitoring.py"


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _admin_connection() -> Any:
    from urllib.parse import urlsplit

    import psycopg

    url = urlsplit(server_url())
    return psycopg.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname="postgres",
        autocommit=True,
    )


def database_name() -> str:
    return bench_database_url().rsplit("/", 1)[1]


def create_database() -> None:
    name = database_name()
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    with _admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database_name()}" WITH (FORCE)')


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
    """Issue 6's reminders benchmark, when it is in the tree: `python bench/reminders.py`,
    whose last stdout line is JSON with `seconds` (and `count`)."""
    if not REMINDERS_SCRIPT.exists():
        return None
    return run_json([str(REMINDERS_SCRIPT)], timeout=300)


def fmt(value: float | None, unit: str = "ms") -> str:
    if value is None:
        return "-"
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:.1f} {unit}"


def table(results: dict[str, Any], elapsed: float) -> str:
    ci, fl = results["checkins"]["checkin"], results["checkins"]["floor"]
    ratio = ci["rps"] / fl["rps"] if fl["rps"] else 0.0
    cl = results["caseload"]
    esc = results["escalation"]
    rem = results["reminders"]
    rows: list[tuple[str, str, str, str]] = [
        (
            "check-in POST, 32 clients: throughput",
            f"{ci['rps']:.0f} req/s ({ci['requests']} ok, {ci['failures']} failed)",
            "",
            "",
        ),
        (
            "check-in POST latency p50 / p95 / p99",
            f"{fmt(ci['p50'])} / {fmt(ci['p95'])} / {fmt(ci['p99'])}",
            "p99 < 100 ms",
            "met" if ci["p99"] < 100 and not ci["failures"] else "MISSED",
        ),
        (
            "floor POST (parse + INSERT), 32 clients",
            f"{fl['rps']:.0f} req/s; p50 / p95 / p99 "
            f"{fmt(fl['p50'])} / {fmt(fl['p95'])} / {fmt(fl['p99'])}",
            "",
            "",
        ),
        (
            "check-in / floor throughput ratio",
            f"{ratio:.2f}",
            ">= 0.5",
            "met" if ratio >= 0.5 else "MISSED",
        ),
        (
            "caseload p95 (2,000 patients, 1 year daily)",
            f"{fmt(cl['p95'])} (p50 {fmt(cl['p50'])}, {cl['rows']} rows/page)",
            "< 50 ms",
            "met" if cl["p95"] < 50 else "MISSED",
        ),
        (
            "caseload queries per request",
            f"{cl['queries']}",
            "<= 8",
            "met" if cl["queries"] <= 8 else "MISSED",
        ),
    ]
    if rem is None:
        rows.append(
            (
                "reminders for 100,000 due patients",
                "see issue 6 (reminders benchmark)",
                "< 30 s",
                "-",
            )
        )
    else:
        rows.append(
            (
                "reminders for 100,000 due patients",
                f"{rem['seconds']:.1f} s"
                + (f" ({rem['count']:,} queued)" if "count" in rem else ""),
                "< 30 s",
                "met" if rem["seconds"] < 30 else "MISSED",
            )
        )
    mon = results.get("monitoring")
    if mon is not None:
        rows.append(
            (
                "RTM month statement, 2,000 patients (CSV)",
                f"{fmt(mon['seconds'] * 1000)} median, {fmt(mon['max_seconds'] * 1000)} max "
                f"({mon['rows']:,} rows, {'/'.join(map(str, mon['queries']))} queries)",
                "< 2 s, fixed queries",
                "met" if mon["seconds"] < 2 and len(mon["queries"]) == 1 else "MISSED",
            )
        )
    rows.append(
        (
            "red flag -> signed webhook p95",
            f"{fmt(esc['p95'])} (p50 {fmt(esc['p50'])}, n={esc['n']}, lost {esc['missing']})",
            "< 1 s",
            "met"
            if esc["p95"] is not None and esc["p95"] < 1000 and not esc["missing"]
            else "MISSED",
        )
    )
    widths = [
        max(len(r[i]) for r in [("figure", "measured", "target", ""), *rows]) for i in range(4)
    ]
    lines = [
        f"| {'figure':<{widths[0]}} | {'measured':<{widths[1]}} | {'target':<{widths[2]}} | "
        f"{'':<{widths[3]}} |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += [
        f"| {a:<{widths[0]}} | {b:<{widths[1]}} | {c:<{widths[2]}} | {d:<{widths[3]}} |"
        for a, b, c, d in rows
    ]
    load = results.get("load_before", (0.0, 0.0, 0.0))
    lines.append(
        f"\nLoad average before the run {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
        "(1/5/15 min; anything above ~0.5 means other work shared these cores)."
    )
    lines.append(
        f"{os.cpu_count()} cores; gunicorn {GUNICORN_WORKERS} sync workers; Celery worker "
        f"concurrency 2; PostgreSQL and Redis local; {elapsed:.0f} s in all "
        f"(caseload data: COPY {results['caseload_build']['copy_seconds']:.0f} s, "
        f"summaries rebuilt in {results['caseload_build']['rebuild_seconds']:.0f} s)."
    )
    return "\n".join(lines)


def main() -> int:
    began = time.monotonic()
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="stride-bench-"))
    log(f"database {database_name()}; logs in {workdir}")
    create_database()
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    log("filling: 500 check-in patients, 2,000 caseload patients with a year of check-ins")
    tokens = checkins.prepare(workdir)
    build = caseload.prepare()
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
    web = start(
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
    results: dict[str, Any] = {"caseload_build": build, "load_before": load_before}
    try:
        wait_for_port(port)
        host = f"http://127.0.0.1:{port}"
        wait_healthy(host)
        log("check-ins and floor: locust, 32 users, 25 s each")
        results["checkins"] = checkins.measure(host, tokens, workdir)
        log("caseload: 200 requests")
        results["caseload"] = run_json(
            [str(ROOT / "bench" / "caseload.py"), str(port), build["token"]], timeout=300
        )
        log("reminders" if REMINDERS_SCRIPT.exists() else "reminders: bench/reminders.py absent")
        results["reminders"] = reminders()
        log("RTM month statement: 2,000 patients, a year of check-ins (its own database)")
        results["monitoring"] = run_json([str(MONITORING_SCRIPT)], timeout=900)
        log("escalation latency: 40 red flags")
        results["escalation"] = run_json(
            [str(ROOT / "bench" / "escalation_latency.py"), str(port)], timeout=300
        )
    finally:
        stop(web)
        stop(worker)
        if os.environ.get("BENCH_KEEP") != "1":
            drop_database()
    results["caseload_build"].pop("token", None)  # a credential, if only to a dropped database
    (workdir / "results.json").write_text(json.dumps(results, indent=2, default=str))
    print(table(results, time.monotonic() - began))
    return 0


if __name__ == "__main__":
    sys.exit(main())
