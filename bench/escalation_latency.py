"""Time from a red-flag check-in to its signed webhook at a local receiver, p95, measured
while an open-loop check-in load runs (`bench/openloop.py`), and that load's latencies.

Its own process: `python bench/escalation_latency.py PORT [TOKENS RATE SECONDS]` (with the
check-in patients' tokens file: RATE check-ins a second for SECONDS, the red flags sent
from the second second on). It starts an HTTP receiver on a
free local port, points a clinic's webhook at it, makes 40 patients with tokens, then for
each POSTs a red-flag check-in to gunicorn and waits for the `escalation.opened` webhook that
the Celery worker delivers; latency = arrival (signature verified) - start of the POST.
"""

import http.client
import json
import sys
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import django_setup, percentile
from bench.openloop import OpenLoad

CHECK_INS = 40
TIMEOUT = 10.0


class Receiver:
    def __init__(self, secret: str) -> None:
        from standardwebhooks.webhooks import Webhook

        self.webhook = Webhook(secret)
        self.arrivals: dict[int, float] = {}
        self.bad_signatures = 0
        self.cond = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                arrived = time.perf_counter()
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    payload = receiver.webhook.verify(body, headers)
                except Exception:
                    receiver.bad_signatures += 1
                    payload = None
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()
                if payload and payload.get("type") == "escalation.opened":
                    with receiver.cond:
                        receiver.arrivals.setdefault(payload["data"]["patient_id"], arrived)
                        receiver.cond.notify_all()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks"

    def wait(self, patient_id: int, timeout: float) -> float | None:
        with self.cond:
            self.cond.wait_for(lambda: patient_id in self.arrivals, timeout=timeout)
            return self.arrivals.get(patient_id)


def prepare(webhook_url: str, secret: str) -> list[tuple[int, str]]:
    from django.utils import timezone

    from clinic.services import clinic_create, staff_create
    from patients.auth import token_digest, token_generate
    from patients.models import Patient, PatientToken
    from patients.services import patient_create

    clinic, _admin = clinic_create(
        name="Bench Escalations",
        admin_email=f"admin-{uuid.uuid4().hex[:8]}@escalations.bench",
        admin_password="bench-pass-1234",
    )
    clinic.webhook_url = webhook_url
    clinic.webhook_secret = secret
    clinic.save(update_fields=["webhook_url", "webhook_secret"])
    therapist = staff_create(
        clinic=clinic,
        email=f"pt-{uuid.uuid4().hex[:8]}@escalations.bench",
        password="bench-pass-1234",
    )
    out = []
    for i in range(CHECK_INS):
        patient: Patient = patient_create(
            clinic=clinic,
            created_by=therapist,
            data={
                "first_name": f"Runner{i}",
                "last_name": "Escalation",
                "date_of_birth": date(1990, 1, 1),
                "timezone": "Europe/Berlin",
            },
        )
        token = token_generate()
        PatientToken.objects.create(
            clinic=clinic,
            patient=patient,
            digest=token_digest(token),
            prefix=token[:8],
            expires_at=timezone.now() + timedelta(days=1),
        )
        out.append((patient.pk, token))
    return out


def measure(port: int, load: OpenLoad | None = None) -> dict[str, Any]:
    django_setup()
    from clinic.notifications import webhook_secret_generate

    secret = webhook_secret_generate()
    receiver = Receiver(secret)
    patients = prepare(receiver.url, secret)
    from django.db import connections

    connections.close_all()
    if load is not None:
        load.start()
        time.sleep(2)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    latencies: list[float] = []
    missing = 0
    for patient_id, token in patients:
        body = json.dumps(
            {
                "recorded_at": datetime.now(UTC).isoformat(),
                "pain_rest": 3,
                "symptoms": ["calf_pain_swelling"],
            }
        )
        started = time.perf_counter()
        conn.request(
            "POST",
            "/api/v1/app/check-ins/",
            body=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Idempotency-Key": str(uuid.uuid4()),
                "Content-Type": "application/json",
                "Host": "127.0.0.1",
            },
        )
        response = conn.getresponse()
        response.read()
        if response.status != 201:
            raise RuntimeError(f"check-in answered {response.status}")
        arrived = receiver.wait(patient_id, TIMEOUT)
        if arrived is None:
            missing += 1
            continue
        latencies.append((arrived - started) * 1000)
    red_flags_done = time.perf_counter()
    background = load.join() if load is not None else None
    receiver.server.shutdown()
    return {
        "under_load": background,
        "red_flags_within_load": bool(
            load is not None and red_flags_done - load.started_at <= load.seconds
        ),
        "n": len(latencies),
        "missing": missing,
        "bad_signatures": receiver.bad_signatures,
        "p50": percentile(latencies, 50) if latencies else None,
        "p95": percentile(latencies, 95) if latencies else None,
        "max": max(latencies) if latencies else None,
    }


if __name__ == "__main__":
    open_load = None
    if len(sys.argv) > 2:
        open_load = OpenLoad(
            port=int(sys.argv[1]),
            patients=Path(sys.argv[2]),
            rate=float(sys.argv[3]),
            seconds=float(sys.argv[4]),
        )
    print(json.dumps(measure(int(sys.argv[1]), open_load)))
