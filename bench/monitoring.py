"""Benchmark: a clinic's remote monitoring month for 2,000 patients (one figure of `make bench`).

Builds its own PostgreSQL database (`stride_bench_monitoring` on DATABASE_URL's server,
`STRIDE_BENCH_MONITORING_DATABASE` names another; dropped at the end unless BENCH_KEEP=1):
one clinic, 2,000 patients in three time zones, each in a monitoring episode that started a
year ago, a year of check-ins (one most days: 730,000 rows less the skipped days, COPYed), a
weekly outcome measure from the patient, and three to six management time entries each in the
month measured. Then it times the whole month statement as CSV
(`GET /api/v1/monitoring/statements/?month=...&format=csv`: every patient, one row per code)
through Django's full request handling in this process (middleware, auth, view, rendering; no
network), and reads the SQL statements it ran from `X-Query-Count`.

Its last stdout line is the result as JSON (`seconds`: the median of the timed requests, and
`count`: the patients), the convention of the bench/run.py driver. Run alone:
`python bench/monitoring.py [--patients N]`.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import admin_connection

ZONES = ["Europe/Berlin", "America/Chicago", "America/Los_Angeles"]
DAYS = 365
REQUESTS = 10


def log(message: str) -> None:
    print(f"[bench monitoring {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def build(count: int) -> tuple[str, date, float]:
    """Fill the database; returns a staff token, the month to measure and the COPY time."""
    from django.db import connection
    from django.utils import timezone
    from knox.models import AuthToken

    from clinic.services import clinic_create, staff_create
    from monitoring.models import MonitoringEpisode, TimeEntry
    from patients.models import Patient

    rng = random.Random(11)
    clinic, _ = clinic_create(
        name="Bench Monitoring",
        admin_email="admin@monitoring.bench",
        admin_password="bench-pass-1234",
        timezone="America/Chicago",
    )
    pt = staff_create(
        clinic=clinic, email="pt@monitoring.bench", password="bench-pass-1234", credential="PT"
    )
    pta = staff_create(
        clinic=clinic, email="pta@monitoring.bench", password="bench-pass-1234", credential="PTA"
    )
    now = timezone.now()
    today = now.date()
    month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)  # the last full month
    start = now - timedelta(days=DAYS)
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            therapist=pt,
            first_name=f"Runner{i}",
            last_name=f"Monitor{i:05d}",
            date_of_birth=date(1980, 1, 1) + timedelta(days=i),
            timezone=ZONES[i % len(ZONES)],
            created_at=start,
        )
        for i in range(count)
    )
    MonitoringEpisode.objects.bulk_create(
        MonitoringEpisode(
            clinic=clinic,
            patient=p,
            consent_at=start,
            consent_recorded_by=pt,
            setup_at=start,
            setup_by=pt,
            started_on=(start - timedelta(days=i % 30)).date(),
        )
        for i, p in enumerate(patients)
    )
    began = time.monotonic()
    columns = (
        "clinic_id, patient_id, recorded_at, received_at, pain_rest, peak_pain, ran, "
        "pain_worsened_during_run, symptoms, exercises_completed, note, advice_level, "
        "advice_rules, advice_message"
    )
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY patients_checkin ({columns}) FROM STDIN") as copy,
    ):
        for patient in patients:
            skip = rng.choice([0.0, 0.05, 0.2, 0.5, 0.7])  # some send little data
            for day in range(DAYS):
                if rng.random() < skip:
                    continue
                at = now - timedelta(days=day, hours=rng.randint(0, 23))
                copy.write_row(
                    (
                        clinic.pk,
                        patient.pk,
                        at,
                        at,
                        2,
                        2,
                        False,
                        False,
                        "[]",
                        "[]",
                        "",
                        "ok",
                        "[]",
                        "ok",
                    )
                )
    with (
        connection.cursor() as cursor,
        cursor.copy(
            "COPY assessments_questionnaireresponse (clinic_id, patient_id, instrument, answers, "
            "scores, recorded_at, source, created_at) FROM STDIN"
        ) as copy,
    ):
        for patient in patients:
            for week in range(DAYS // 7):
                at = now - timedelta(days=week * 7, hours=3)
                copy.write_row(
                    (clinic.pk, patient.pk, "nprs", '{"pain": 2}', '{"pain": 2}', at, "patient", at)
                )
    copied = time.monotonic() - began
    entries = []
    for patient in patients:
        for n in range(rng.randint(3, 6)):
            staff = pta if n == 2 else pt
            entries.append(
                TimeEntry(
                    clinic=clinic,
                    patient=patient,
                    staff=staff,
                    credential=staff.credential,
                    recorded_by=staff,
                    performed_on=month + timedelta(days=rng.randint(0, 27)),
                    minutes=rng.randint(3, 15),
                    activity="call" if n == 0 else "data_review",
                    interactive=n == 0,
                )
            )
    TimeEntry.objects.bulk_create(entries)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    _, token = AuthToken.objects.create(user=pt)
    return token, month, copied


def measure(token: str, month: date) -> dict[str, Any]:
    from django.db import connections
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    url = f"/api/v1/monitoring/statements/?month={month:%Y-%m}&format=csv"
    timings: list[float] = []
    queries: set[int] = set()
    rows = 0
    for i in range(REQUESTS + 1):
        began = time.perf_counter()
        response = client.get(url, secure=True)
        elapsed = time.perf_counter() - began
        if response.status_code != 200:
            raise RuntimeError(f"{response.status_code}: {response.content[:300]!r}")
        rows = response.content.count(b"\n") - 1
        queries.add(int(response["X-Query-Count"]))
        if i:  # the first request warms the caches and the connection
            timings.append(elapsed)
    connections.close_all()
    return {
        "seconds": statistics.median(timings),
        "max_seconds": max(timings),
        "queries": sorted(queries),
        "rows": rows,
        "requests": REQUESTS,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=2000)
    args = parser.parse_args()
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/stride")
    name = os.environ.get("STRIDE_BENCH_MONITORING_DATABASE", "stride_bench_monitoring")
    url = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    with admin_connection(server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.bench_settings",
            "DATABASE_CONN_MAX_AGE": "600",
        }
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        log(f"filling {args.patients} patients with a year of check-ins")
        began = datetime.now(tz=UTC)
        token, month, copied = build(args.patients)
        log(f"filled in {(datetime.now(tz=UTC) - began).total_seconds():.0f} s; measuring")
        result = measure(token, month)
    finally:
        from django.db import connections

        connections.close_all()
        if os.environ.get("BENCH_KEEP") != "1":
            with admin_connection(server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    result.update(count=args.patients, month=f"{month:%Y-%m}", copy_seconds=copied)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
