"""Benchmark: create and queue the reminders of 100,000 due patients (one figure of `make bench`).

Builds its own PostgreSQL database (`stride_bench`, dropped at the end) and its own Redis (a
redis-server on a free port), loads N patients whose reminder slot is due, starts a real Celery
worker on the `reminders` queue (prefork, one process per core), then times what the minute
beat sets off: the dispatch (lease the due patients in chunks, queue one task per chunk) and
the workers' sending (a Reminder row per patient, an outbox row per `reminder.due` webhook, the
next slot stored, and the delivery messages in Redis). The clock stops when every reminder is
committed and every outbox row is queued for delivery; nothing is delivered (no worker takes
the `notifications` queue), so the figure is Stride's work, not a receiver's.

Its last stdout line is the result as JSON (`seconds` and `count`, the convention of the
bench/run.py driver, plus the parts of the time and the CPU used). Run alone:
`python bench/reminders.py [--patients N]`. Its database is `stride_bench_reminders`
(`STRIDE_BENCH_REMINDERS_DATABASE`), never the driver's own bench database.
"""

import argparse
import base64
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import admin_connection, free_port

ZONES = [
    "America/Chicago",
    "Europe/Berlin",
    "America/New_York",
    "Europe/London",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Los_Angeles",
    "UTC",
]


def wait_until(predicate: Any, timeout: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


class Redis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


def start_worker(env: dict[str, str], concurrency: int) -> tuple[subprocess.Popen[bytes], Path]:
    log = Path(tempfile.mkstemp(prefix="stride-bench-worker-", suffix=".log")[1])
    command = [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", "reminders"]
    command += ["--concurrency", str(concurrency), "--without-gossip", "--without-mingle"]
    command += ["--without-heartbeat", "--loglevel", "INFO", "-n", f"bench-{free_port()}@%h"]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return proc, log


def stop_worker(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (Linux /proc), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def group_pids(pgid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if os.getpgid(int(entry.name)) == pgid:
                    pids.append(int(entry.name))
            except (ProcessLookupError, PermissionError):
                continue
    return pids


def backend_pids(db_name: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [db_name])
        return [row[0] for row in cursor.fetchall()]


def load_patients(count: int) -> None:
    """N active patients of one clinic, each with a slot due 30 s ago (no quiet hours)."""
    from datetime import time as clock
    from zoneinfo import ZoneInfo

    from django.db import connection
    from django.utils import timezone

    from clinic.models import Clinic, StaffUser
    from patients.models import Patient

    clinic = Clinic.objects.create(
        name="Bench clinic",
        contact_line="Questions? Call the clinic.",
        partner_webhook_url="https://partner.invalid/stride-hooks",
        partner_webhook_secret="whsec_" + base64.b64encode(b"b" * 32).decode(),
    )
    therapist = StaffUser.objects.create_user("bench@bench.invalid", None, clinic=clinic)
    due = timezone.now() - timedelta(seconds=30)
    far = due + timedelta(days=365)
    batch: list[Patient] = []
    for i in range(count):
        zone = ZONES[i % len(ZONES)]
        local = due.astimezone(ZoneInfo(zone))
        batch.append(
            Patient(
                clinic=clinic,
                therapist=therapist,
                first_name="Bench",
                last_name=f"Patient {i}",
                date_of_birth="1990-01-01",
                timezone=zone,
                check_in_time=clock(local.hour, local.minute),
                quiet_start=clock(0, 0),
                quiet_end=clock(0, 0),
                next_reminder_at=due,
                next_reminder_on=local.date(),
                engagement_due_at=far,
            )
        )
        if len(batch) == 5000:
            Patient.objects.bulk_create(batch)
            batch = []
    Patient.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def queued_delivery_ids(redis_url: str) -> int:
    import redis

    client = redis.Redis.from_url(redis_url)
    total = 0
    for raw in client.lrange("notifications", 0, -1):
        message = json.loads(raw)
        args = json.loads(base64.b64decode(message["body"]))[0]
        total += len(args[0]) if isinstance(args[0], list) else 1
    return total


def run(count: int, concurrency: int) -> dict[str, Any]:
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stride")
    db_name = os.environ.get("STRIDE_BENCH_REMINDERS_DATABASE", "stride_bench_reminders")
    parts = urlparse(base_url)
    bench_url = urlunparse(parts._replace(path=f"/{db_name}"))
    admin = admin_connection(base_url)
    admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{db_name}"')
    redis_server = Redis()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "0",  # DEBUG would keep every query in memory
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "x" * 40),
        "DATABASE_URL": bench_url,
        "REDIS_URL": redis_server.url,
        "STRIDE_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    worker = None
    log: Path | None = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from patients.models import Patient, Reminder
        from patients.services.reminders import reminders_dispatch_due

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        load_patients(count)
        setup_seconds = time.perf_counter() - started

        worker, log = start_worker(env, concurrency)
        if not wait_until(lambda: b"ready." in log.read_bytes(), timeout=60):
            raise RuntimeError("the worker did not start: " + log.read_text()[-2000:])
        connection.close()

        # CPU used by our processes (this one as the beat, the workers, their PostgreSQL
        # backends, Redis), to tell Stride's cost from what else the machine is running.
        before = {pid: cpu_seconds(pid) for pid in group_pids(worker.pid)}
        before |= {pid: cpu_seconds(pid) for pid in backend_pids(db_name)}
        before[os.getpid()] = cpu_seconds(os.getpid())
        before[redis_server.proc.pid] = cpu_seconds(redis_server.proc.pid)
        t0 = time.perf_counter()
        dispatch = reminders_dispatch_due()
        t_dispatch = time.perf_counter() - t0

        due_by = connection_now()

        def done() -> bool:
            # A patient's next slot moves in the transaction that writes its reminder: none
            # left due means every reminder is committed. An indexed probe, not a count.
            return not Patient.objects.filter(next_reminder_at__lte=due_by).exists()

        finished = wait_until(done, timeout=600, interval=0.1)
        t_reminders = time.perf_counter() - t0
        queued = 0
        if finished:
            wait_until(lambda: queued_delivery_ids(redis_server.url) >= count, timeout=60)
            queued = queued_delivery_ids(redis_server.url)
        t_total = time.perf_counter() - t0
        groups = {
            "workers": set(group_pids(worker.pid)),
            "postgres": set(backend_pids(db_name)),
            "beat": {os.getpid()},
            "redis": {redis_server.proc.pid},
        }
        cpu_by = {
            name: round(sum(cpu_seconds(pid) - before.get(pid, 0.0) for pid in pids), 1)
            for name, pids in groups.items()
        }
        cpu = sum(cpu_by.values())
        still_due = Patient.objects.filter(next_reminder_at__lte=due_by).count()
        return {
            "figure": "reminders",
            "seconds": round(t_total, 2),
            "count": min(Reminder.objects.count(), queued),
            "patients": count,
            "worker_processes": concurrency,
            "chunks": dispatch.chunks,
            "setup_seconds": round(setup_seconds, 1),
            "dispatch_seconds": round(t_dispatch, 2),
            "reminders_seconds": round(t_reminders, 2),
            "total_seconds": round(t_total, 2),
            "reminders": Reminder.objects.count(),
            "delivery_ids_queued": queued,
            "still_due": still_due,
            "per_second": round(count / t_total) if t_total else None,
            "cpu_seconds": round(cpu, 1),
            "cpu_seconds_by": cpu_by,
            "cores": os.cpu_count(),
            "load_average": round(os.getloadavg()[0], 1),
        }
    except BaseException:
        if log is not None:
            print(f"bench: worker log kept in {log}", file=sys.stderr)
            log = None
        raise
    finally:
        if worker is not None:
            stop_worker(worker)
        if log is not None:
            log.unlink(missing_ok=True)
        redis_server.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 - Django may not be set up yet
            pass
        admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')
        admin.close()


def connection_now() -> Any:
    from django.utils import timezone

    return timezone.now()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--patients", type=int, default=int(os.environ.get("STRIDE_BENCH_PATIENTS", 100_000))
    )
    parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    result = run(args.patients, args.concurrency)
    print(json.dumps(result), flush=True)
    ok = result["reminders"] == args.patients and result["delivery_ids_queued"] >= args.patients
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
