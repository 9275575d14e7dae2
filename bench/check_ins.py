"""Check-in POST throughput and latency at 32 concurrent clients, beside the floor endpoint.

`prepare()` (in the driver, Django set up) makes 500 patients with partner-app tokens;
`measure()` runs locust headless, a process of its own, once per target against gunicorn.
"""

import csv
import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import cpu
from bench.common import BIN, ROOT, child_env

USERS = 32
PATIENTS = 500
SECONDS = 25
WARMUP_SECONDS = 5


def prepare(workdir: Path) -> Path:
    """500 active patients of one clinic, each with a token; returns the tokens file."""
    from django.utils import timezone

    from clinic.services import clinic_create, staff_create
    from patients.auth import token_digest, token_generate
    from patients.models import Patient, PatientSummary, PatientToken

    clinic, _admin = clinic_create(
        name="Bench Check-ins", admin_email="admin@checkins.bench", admin_password="bench-pass-1234"
    )
    therapist = staff_create(clinic=clinic, email="pt@checkins.bench", password="bench-pass-1234")
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            therapist=therapist,
            first_name=f"Runner{i}",
            last_name="CheckIn",
            date_of_birth=date(1990, 1, 1) + timedelta(days=i),
            timezone="Europe/Berlin",
        )
        for i in range(PATIENTS)
    )
    PatientSummary.objects.bulk_create(PatientSummary(patient=p, clinic=clinic) for p in patients)
    expires = timezone.now() + timedelta(days=1)
    rows = []
    tokens = []
    for patient in patients:
        token = token_generate()
        tokens.append({"token": token, "clinic": clinic.pk, "patient": patient.pk})
        rows.append(
            PatientToken(
                clinic=clinic,
                patient=patient,
                digest=token_digest(token),
                prefix=token[:8],
                expires_at=expires,
            )
        )
    PatientToken.objects.bulk_create(rows)
    path = workdir / "check-in-patients.json"
    path.write_text(json.dumps(tokens))
    return path


def _locust(
    target: str,
    host: str,
    patients: Path,
    workdir: Path,
    seconds: int = SECONDS,
    tag: str = "",
    sampler: Callable[[], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    prefix = workdir / f"locust-{target}{tag}"
    load = os.getloadavg()[0]
    before = sampler() if sampler else None
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(USERS),
            "--run-time",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--reset-stats",
            "--loglevel",
            "ERROR",
            "--stop-timeout",
            "5",
        ],
        cwd=ROOT,
        env=child_env(BENCH_TARGET=target, BENCH_PATIENTS=str(patients)),
        capture_output=True,
        check=False,
        timeout=seconds + 60,
    )
    after = sampler() if sampler else None
    with open(f"{prefix}_stats.csv") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    result: dict[str, Any] = {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
        "load": load,
    }
    if before is not None and after is not None:
        # Per request, from the processes' own counters: what the request costs the server,
        # whatever else shares the cores. Locust's count covers the run time; the counters
        # also see the spawn and the stop, a second at most either way.
        seconds_used = cpu.used(before, after)
        served = max(1, result["requests"] + result["failures"])
        result["cpu_web_ms"] = seconds_used["web"] * 1000 / served
        result["cpu_db_ms"] = seconds_used["db"] * 1000 / served
        result["cpu_ms"] = result["cpu_web_ms"] + result["cpu_db_ms"]
    return result


def measure(
    host: str,
    patients: Path,
    workdir: Path,
    sampler: Callable[[], dict[str, Any]] | None = None,
) -> dict[str, dict[str, Any]]:
    """The check-in endpoint, then the floor, each for 25 s at 32 users, in this run, after
    5 s of check-ins that are not counted (every gunicorn worker's first requests). With
    `sampler`, the server CPU each spent per request."""
    _locust("check_in", host, patients, workdir, seconds=WARMUP_SECONDS, tag="-warmup")
    return {
        "check_in": _locust("check_in", host, patients, workdir, sampler=sampler),
        "floor": _locust("floor", host, patients, workdir, sampler=sampler),
    }
