"""`make smoke`: start `make run`'s embedded default on a free port, walk it over HTTP, stop it.

Checks health, the demo login, the patient list, enrollment with the printed code,
GET /api/v1/app/me/, a red-flag check-in, and what the terminal shows: one line per service
once it is up, no banners or warnings (those go to var/log/), one line on Ctrl-C. Uses a
fresh var/ directory of its own so it never touches yours.
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(
    base: str,
    method: str,
    path: str,
    body: Any = None,
    token: str = "",
    headers: dict[str, str] | None = None,
) -> tuple[int, Any]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


COUNTS = {"passed": 0, "failed": 0}


def expect(label: str, ok: bool, detail: Any = "") -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {label}" + (f": {detail}" if not ok else ""))
    COUNTS["passed" if ok else "failed"] += 1
    if not ok:
        raise SystemExit(1)


# What `make run` may print besides its own lines: the services' banners and warnings belong
# in var/log/.
NOISE = ("celery@", "SecurityWarning", "No hostname", "Warm shutdown", "Django version", "[tasks]")


def main() -> int:
    port = free_port()
    var_dir = tempfile.mkdtemp(prefix="stride-smoke-")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({"PORT": str(port), "STRIDE_VAR_DIR": var_dir, "DJANGO_DEBUG": "1"})
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log_path = Path(var_dir) / "run.out"
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            ["bash", "scripts/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    print(f"smoke: make run's embedded default on port {port} (var: {var_dir})")
    try:
        deadline = time.monotonic() + 90
        health: Any = None
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                print(log_path.read_text())
                expect("service started", False, f"exited with {proc.returncode}")
            try:
                status, health = call(base, "GET", "/health/")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        expect(
            "health reports database, broker and notifications",
            health == {"status": "ok", "database": "ok", "broker": "ok", "notifications": "ok"},
            health,
        )
        output = log_path.read_text()
        match = re.search(r"Enrollment code: (\S+)", output)
        expect("seed_demo printed an enrollment code", match is not None, output[-2000:])
        assert match is not None
        status, body = call(
            base,
            "POST",
            "/api/v1/auth/login/",
            {"email": "therapist@demo.stride.test", "password": "stride-demo"},
        )
        expect("demo login", status == 200 and "token" in body, (status, body))
        staff_token = body["token"]
        status, body = call(base, "GET", "/api/v1/patients/", token=staff_token)
        expect("list patients", status == 200 and len(body["results"]) >= 3, (status, body))
        status, body = call(
            base, "POST", "/api/v1/app/enroll/", {"code": match.group(1), "device_name": "smoke"}
        )
        expect("enroll with the printed code", status == 201 and "token" in body, (status, body))
        patient_token, patient_id = body["token"], body["patient"]["id"]
        status, body = call(base, "GET", "/api/v1/app/me/", token=patient_token)
        expect("GET /api/v1/app/me/", status == 200 and body["id"] == patient_id, (status, body))
        status, body = call(base, "GET", "/api/v1/patients/", token=patient_token)
        expect("patient token refused on staff endpoints", status == 401, (status, body))
        status, body = call(base, "GET", "/api/v1/app/symptoms/", token=patient_token)
        expect("GET /api/v1/app/symptoms/", status == 200 and len(body["symptoms"]) == 11, body)
        cached_urgent = {a["level"]: a["message"] for a in body["advice"]}["seek_urgent_care"]
        check_in = {
            "recorded_at": datetime.now(UTC).isoformat(),
            "pain_rest": 3,
            "symptoms": ["calf_pain_swelling"],
        }
        status, body = call(
            base,
            "POST",
            "/api/v1/app/check-ins/",
            check_in,
            token=patient_token,
            headers={"Idempotency-Key": "smoke-1"},
        )
        expect(
            "red-flag check-in advises urgent care",
            status == 201 and body["advice"]["level"] == "seek_urgent_care",
            (status, body),
        )
        expect(
            "the check-in's advice is the text the app cached for offline use",
            body["advice"]["message"] == cached_urgent,
            (body["advice"], cached_urgent),
        )
        status, body = call(
            base, "GET", f"/api/v1/escalations/?patient={patient_id}", token=staff_token
        )
        codes = [e["code"] for e in body.get("results", [])]
        expect("staff see the critical escalation", "red_flag_emergency" in codes, (status, body))
        deadline = time.monotonic() + 60
        while "Ctrl-C stops everything" not in log_path.read_text():
            if time.monotonic() > deadline:
                break
            time.sleep(0.5)
        output = log_path.read_text()
        up = re.findall(r"^  (web|worker|beat) +up ", output, flags=re.MULTILINE)
        expect("one line per service when it is up", sorted(up) == ["beat", "web", "worker"], up)
        expect(
            "no service banners or warnings in the terminal",
            not [noise for noise in NOISE if noise in output],
            output,
        )
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=30)
        output = log_path.read_text()
        expect(
            "Ctrl-C prints one line",
            output.rstrip().endswith("Stopping Stride (web, worker, beat) ... stopped.")
            and not [noise for noise in NOISE if noise in output],
            output[-1500:],
        )
        print("smoke: passed")
        return 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(var_dir, ignore_errors=True)
        # The closing line CI reads.
        print(f"smoke: {COUNTS['passed']} passed, {COUNTS['failed']} failed")


if __name__ == "__main__":
    sys.exit(main())
