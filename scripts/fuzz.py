"""`make fuzz`: schemathesis over every operation of /api/schema/, against a live server.

The server is scripts/live_server.py's: gunicorn on production settings on a free port, on a
database of its own (`<DATABASE_URL's name>_fuzz`, made and dropped here), without Redis, so
nothing is left queued. A patient with an intake, an outcome measure, a program, a run ladder,
a partner-app token and a red-flag check-in is made through the API itself. Schemathesis then
runs every operation with its checks (all of them), positive and negative data, staff
operations with a staff token (fetched by signing in, again after a sign-out revoked it) and
partner-app operations with the patient token. Throttles are raised so the run explores the
API rather than its 429s (tests/ cover those). tests/fuzz/hooks.py mixes crafted cursors and
days at the ends of the calendar into the queries of the operations that take them. Exits with
schemathesis's status.

FUZZ_MAX_EXAMPLES (default 25) bounds the generated cases per operation and phase; FUZZ_SEED
(default 1, so CI runs are repeatable) picks the data, `FUZZ_SEED=random` a new draw each run.
Extra arguments go to `schemathesis run`.
"""

import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import BIN, ROOT, live_server

REPORT_DIR = ROOT / "var" / "fuzz"
ADMIN_EMAIL = "fuzz-admin@fuzz.stride.test"
MAX_EXAMPLES = os.environ.get("FUZZ_MAX_EXAMPLES", "25")
SEED = os.environ.get("FUZZ_SEED", "1")


def call(
    base: str, method: str, path: str, body: Any = None, token: str = "", **headers: str
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


def must(result: tuple[int, Any], status: int, what: str) -> Any:
    if result[0] != status:
        raise SystemExit(f"fuzz: seeding failed at {what}: {result}")
    return result[1]


def seed(base: str, password: str) -> dict[str, str]:
    """A patient with every kind of record, made through the API; returns the credentials."""
    staff = must(
        call(base, "POST", "/api/v1/auth/login/", {"email": ADMIN_EMAIL, "password": password}),
        200,
        "login",
    )["token"]
    patient = must(
        call(
            base,
            "POST",
            "/api/v1/patients/",
            {
                "first_name": "Fuzz",
                "last_name": "Runner",
                "date_of_birth": "1990-04-12",
                "timezone": "Europe/Berlin",
                "external_id": "FUZZ-1",
            },
            staff,
        ),
        201,
        "patient",
    )["id"]
    intake = {
        "patient": patient,
        "location": "anterior",
        "timing": "after_run_only",
        "aggravators": ["stairs"],
        "pain_rest": 1,
        "pain_worst_running": 5,
        "symptoms": [],
        "trauma_unable_to_bear_weight": False,
    }
    must(call(base, "POST", "/api/v1/assessments/", intake, staff), 201, "intake")
    must(
        call(
            base,
            "POST",
            f"/api/v1/patients/{patient}/questionnaires/",
            {"instrument": "nprs", "answers": {"pain": 4}},
            staff,
        ),
        201,
        "questionnaire",
    )
    exercises = must(call(base, "GET", "/api/v1/exercises/", token=staff), 200, "exercises")
    items = [{"exercise": row["id"]} for row in exercises["results"][:2]]
    must(
        call(base, "POST", "/api/v1/programs/", {"patient": patient, "exercises": items}, staff),
        201,
        "program",
    )
    must(call(base, "POST", f"/api/v1/patients/{patient}/ladder/", {}, staff), 201, "ladder")
    code = must(
        call(base, "POST", f"/api/v1/patients/{patient}/enrollment-code/", token=staff),
        201,
        "enrollment code",
    )["code"]
    app = must(
        call(base, "POST", "/api/v1/app/enroll/", {"code": code, "device_name": "fuzz"}),
        201,
        "enroll",
    )["token"]
    recorded_at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    must(
        call(
            base,
            "POST",
            "/api/v1/app/check-ins/",
            {"recorded_at": recorded_at, "pain_rest": 3, "symptoms": ["locking"]},
            app,
            Idempotency_Key=str(uuid.uuid4()),
        ),
        201,
        "check-in",
    )
    return {"STRIDE_FUZZ_PATIENT_TOKEN": app, "STRIDE_FUZZ_PATIENT_ID": str(patient)}


def junit_counts(report: Path) -> tuple[int, int]:
    """(operations passed, operations failed or in error) from schemathesis's JUnit report."""
    if not report.exists():
        return 0, 0
    suite = ElementTree.parse(report).getroot()  # noqa: S314 - the report this run wrote
    tests = int(suite.get("tests", 0))
    failed = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    return tests - failed - int(suite.get("skipped", 0)), failed


def main() -> int:
    print(f"fuzz: {MAX_EXAMPLES} examples per phase")
    unlimited = {
        "STRIDE_THROTTLE_LOGIN": "100000/min",
        "STRIDE_THROTTLE_ENROLL": "100000/min",
        "STRIDE_THROTTLE_ENROLLMENT_CODE": "100000/min",
        "STRIDE_THROTTLE_CHECK_IN": "100000/min",
        "STRIDE_THROTTLE_MESSAGE": "100000/min",
        "STRIDE_LOGIN_FAILURE_LIMIT": "100000",
    }
    # The fuzzer's query strings can pass gunicorn's 4 KiB request line, which gunicorn answers
    # with 414 before Stride sees the request: the limit is lifted here so every generated
    # request reaches the API under test.
    with live_server(
        "fuzz",
        clinic_name="Fuzz Clinic",
        admin_email=ADMIN_EMAIL,
        workers=2,
        extra_env=unlimited,
        limit_request_line=0,
    ) as server:
        base = server.base
        credentials = seed(base, server.admin_password)
        REPORT_DIR.mkdir(parents=True, exist_ok=True)
        report = REPORT_DIR / "junit.xml"
        report.unlink(missing_ok=True)
        fuzz_env = {
            **os.environ,
            **credentials,
            "STRIDE_FUZZ_STAFF_EMAIL": ADMIN_EMAIL,
            "STRIDE_FUZZ_STAFF_PASSWORD": server.admin_password,
            # Crafted cursors and end-of-calendar days mixed into the generated queries.
            "SCHEMATHESIS_HOOKS": str(ROOT / "tests" / "fuzz" / "hooks.py"),
        }
        command = [
            str(BIN / "schemathesis"),
            "--config-file",
            str(ROOT / "tests" / "fuzz" / "schemathesis.toml"),
            "run",
            f"{base}/api/schema/?format=json",
            "--url",
            base,
            "--max-examples",
            MAX_EXAMPLES,
            *(["--seed", SEED] if SEED != "random" else []),
            "--report",
            "junit",
            "--report-junit-path",
            str(report),
            *sys.argv[1:],
        ]
        result = subprocess.run(command, cwd=ROOT, env=fuzz_env, check=False)
        errors = [
            line
            for line in server.log.read_text(errors="replace").splitlines()
            if "Traceback" in line or '"level": "ERROR"' in line or "[ERROR]" in line
        ]
        if errors:
            print("fuzz: the server logged errors:\n" + "\n".join(errors[:20]))
        print(f"fuzz: schemathesis exited with {result.returncode}; report in {REPORT_DIR}")
        passed, failed = junit_counts(report)
        # The closing line CI reads: operations whose every generated case passed.
        print(f"fuzz: {passed} passed, {failed} failed")
        return result.returncode or (1 if errors or not passed else 0)


if __name__ == "__main__":
    sys.exit(main())
