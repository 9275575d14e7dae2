"""Caseload p95 and query count with 2,000 patients and a year of daily check-ins.

`prepare()` (in the driver) COPYs 730,000 check-ins, opens escalations and ladders for some
patients and builds every summary with the rebuild service; `python bench/caseload.py PORT
TOKEN` (its own process) times 200 requests of the first page and reads X-Query-Count.
"""

import http.client
import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile

PATIENTS = 2000
DAYS = 365
REQUESTS = 200
WARMUP = 10


def prepare(patients_count: int = PATIENTS, days: int = DAYS, name: str = "") -> dict[str, Any]:
    """One clinic of `patients_count` patients with `days` of daily check-ins. Returns the
    staff token to read its caseload with and how long the build took."""
    from django.db import connection
    from django.utils import timezone
    from knox.models import AuthToken

    from clinic.services import clinic_create, staff_create
    from clinical.severity import Severity
    from patients.models import Escalation, Patient
    from patients.services import summaries_rebuild
    from programs.models import PatientLadder, RunLadder

    rng = random.Random(7)
    clinic, _admin = clinic_create(
        name=f"Bench Caseload {name or patients_count}",
        admin_email=f"admin@caseload{patients_count}.bench",
        admin_password="bench-pass-1234",
    )
    therapists = [
        staff_create(
            clinic=clinic, email=f"pt{i}@caseload{patients_count}.bench", password="bench-pass-1234"
        )
        for i in range(4)
    ]
    now = timezone.now()
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            therapist=therapists[i % 4],
            first_name=f"Runner{i}",
            last_name="Caseload",
            date_of_birth=date(1980, 1, 1) + timedelta(days=i),
            timezone=rng.choice(["Europe/Berlin", "America/Chicago", "Europe/London"]),
            created_at=now - timedelta(days=days + 1),
        )
        for i in range(patients_count)
    )
    started = time.monotonic()
    columns = (
        "clinic_id, patient_id, recorded_at, received_at, pain_rest, pain_morning, ran, "
        "run_minutes, pain_during_run, pain_after_run, pain_worsened_during_run, symptoms, "
        "exercises_completed, note, peak_pain, advice_level, advice_rules, advice_message"
    )
    # Django's cursor hands `copy` to psycopg's (COPY ... FROM STDIN, row by row).
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY patients_checkin ({columns}) FROM STDIN") as copy,
    ):
        for patient in patients:
            # Most patients check in daily; some stopped a few days ago.
            gap = rng.choice([0, 0, 0, 0, 1, 2, 5, 9])
            level = rng.randint(1, 5)
            for day in range(gap, days):
                at = now - timedelta(days=day, hours=rng.randint(0, 6))
                rest = max(0, min(10, level + rng.randint(-1, 1)))
                ran = day % 3 == 0
                during = max(0, min(10, rest + rng.randint(0, 2))) if ran else None
                peak = max(rest, during or 0)
                copy.write_row(
                    (
                        clinic.pk,
                        patient.pk,
                        at,
                        at,
                        rest,
                        rest,
                        ran,
                        30 if ran else None,
                        during,
                        during,
                        False,
                        "[]",
                        "[]",
                        "",
                        peak,
                        "continue",
                        '["pain_rising"]' if day == gap and rng.random() < 0.1 else "[]",
                        "Keep to the plan.",
                    )
                )
    copied = time.monotonic() - started
    severities = list(Severity.values)
    escalations = []
    for patient in rng.sample(patients, patients_count // 10):
        severity = rng.choice(severities)
        opened = now - timedelta(hours=rng.randint(0, 96))
        escalations.append(
            Escalation(
                clinic=clinic,
                patient=patient,
                code="pain_rising",
                severity=severity,
                status=rng.choice(["open", "open", "acknowledged"]),
                opened_at=opened,
                acknowledge_by=opened + timedelta(hours=4),
            )
        )
    Escalation.objects.bulk_create(escalations)
    ladder = RunLadder.objects.get(clinic__isnull=True, code="default")
    PatientLadder.objects.bulk_create(
        PatientLadder(
            clinic=clinic,
            patient=patient,
            ladder=ladder,
            level=rng.randint(1, 8),
            paused=rng.random() < 0.1,
        )
        for patient in rng.sample(patients, patients_count // 5)
    )
    started = time.monotonic()
    summaries_rebuild(patient_ids=[p.pk for p in patients])
    rebuilt = time.monotonic() - started
    # Settle the tables after a bulk load, as autovacuum would a little later: the figures
    # are of the caseload, not of a vacuum running beside it.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    _, token = AuthToken.objects.create(user=therapists[0])
    return {
        "token": token,
        "patients": patients_count,
        "days": days,
        "copy_seconds": copied,
        "rebuild_seconds": rebuilt,
    }


def measure(port: int, token: str) -> dict[str, Any]:
    """200 sequential GETs of the first caseload page (50 patients) from one client."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Authorization": f"Bearer {token}", "Host": "127.0.0.1"}
    timings: list[float] = []
    queries: set[int] = set()
    rows = 0
    for i in range(WARMUP + REQUESTS):
        started = time.perf_counter()
        conn.request("GET", "/api/v1/caseload/", headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"caseload answered {response.status}: {body[:300]!r}")
        if i >= WARMUP:
            timings.append(elapsed)
            queries.add(int(response.getheader("X-Query-Count", "-1")))
            rows = len(json.loads(body)["results"])
    return {
        "p50": percentile(timings, 50),
        "p95": percentile(timings, 95),
        "queries": max(queries),
        "query_counts": sorted(queries),
        "rows": rows,
        "at": datetime.now(UTC).isoformat(),
    }


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]), sys.argv[2])))
