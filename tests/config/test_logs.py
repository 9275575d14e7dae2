"""Logs are JSON lines with a request id, and a whole day's flow leaves no PHI, token or secret
in them: sign-in, a new patient, enrollment, a red-flag check-in with a note, staff reading
it all (search, escalations, FHIR export), and the signed webhook delivered to the clinic."""

import io
import json
import logging
import os
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from clinic.models import Notification, NotificationChannel
from clinic.notifications import notification_deliver
from common.logging import JsonFormatter
from common.middleware import RequestIdFilter

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
PHI = {
    "first_name": "Zebediah",
    "last_name": "Quackenbush",
    "date_of_birth": "1977-03-21",
    "email": "zeb.quack@example.org",
    "phone": "+1 555 0142 77",
    "external_id": "MRN-88123",
}
NOTE = "Fell on the ice outside the bakery on Elm Street"


@pytest.fixture
def log_lines(settings, capfd):
    """Everything logged at DEBUG (as with STRIDE_LOG_LEVEL=DEBUG and DEBUG on), through the
    production formatter, plus anything written to stdout or stderr, from when it is set up:
    name it after the fixtures that build the test's data (factory-boy logs what it sets)."""
    settings.DEBUG = True
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.setLevel(logging.DEBUG)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    printed: list[str] = []

    def read() -> list[str]:
        out, err = capfd.readouterr()
        printed.extend(out.splitlines() + err.splitlines())
        return stream.getvalue().splitlines() + printed

    try:
        yield read
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_a_full_flow_logs_requests_as_json_without_phi_tokens_or_secrets(
    alice, clinic_a_webhook, receiver, log_lines
):
    secrets_seen: list[str] = [PASSWORD, NOTE, clinic_a_webhook.webhook_secret]
    staff = APIClient()
    login = staff.post("/api/v1/auth/login/", {"email": alice.email, "password": PASSWORD})
    assert login.status_code == 200, login.content
    staff_token = login.json()["token"]
    secrets_seen.append(staff_token)
    staff.credentials(HTTP_AUTHORIZATION=f"Bearer {staff_token}")
    APIClient().post("/api/v1/auth/login/", {"email": alice.email, "password": "wrong-" + PASSWORD})

    patient = staff.post("/api/v1/patients/", {**PHI, "timezone": "Europe/Berlin"}).json()
    code = staff.post(f"/api/v1/patients/{patient['id']}/enrollment-code/").json()["code"]
    secrets_seen.append(code)
    enrolled = APIClient().post("/api/v1/app/enroll/", {"code": code, "device_name": "Zeb's phone"})
    assert enrolled.status_code == 201, enrolled.content
    patient_token = enrolled.json()["token"]
    secrets_seen.append(patient_token)
    app = APIClient()
    app.credentials(HTTP_AUTHORIZATION=f"Bearer {patient_token}")
    recorded_at = (timezone.now() - timedelta(minutes=3)).isoformat()
    checked_in = app.post(
        "/api/v1/app/check-ins/",
        {
            "recorded_at": recorded_at,
            "pain_rest": 8,
            "symptoms": ["calf_pain_swelling"],
            "note": NOTE,
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert checked_in.status_code == 201, checked_in.content
    app.patch("/api/v1/app/me/", {"timezone": PHI["last_name"]})  # a 400 that echoes input

    assert staff.get(f"/api/v1/patients/?search={PHI['last_name']}").json()["results"]
    escalations = staff.get(f"/api/v1/escalations/?patient={patient['id']}").json()["results"]
    assert "red_flag_emergency" in {e["code"] for e in escalations}
    assert staff.get(f"/api/v1/patients/{patient['id']}/fhir/").status_code == 200
    staff.get(f"/api/v1/patients/{patient['id']}/check-ins/")

    webhooks = Notification.objects.filter(channel=NotificationChannel.WEBHOOK)
    assert webhooks.exists()
    for notification in Notification.objects.all():
        notification_deliver(notification_id=notification.pk)
    assert receiver.successes()
    staff.post("/api/v1/auth/logout/")

    lines = log_lines()
    text = "\n".join(lines)
    forbidden = [*PHI.values(), *secrets_seen, "Bearer ", "stp_"]
    leaked = [value for value in forbidden if value.lower() in text.lower()]
    assert not leaked, leaked

    entries = [json.loads(line) for line in lines if line.strip()]
    requests = [e for e in entries if e["logger"] == "stride.request"]
    assert len(requests) >= 12
    for entry in entries:
        assert {"time", "level", "logger", "message", "request_id"} <= set(entry)
    for entry in requests:
        assert {"method", "path", "route", "status", "duration_ms"} <= set(entry)
        assert entry["request_id"] != "-"
        assert "?" not in entry["path"] and "?" not in entry["message"]
    statuses = {(e["method"], e["route"], e["status"]) for e in requests}
    assert ("POST", "api/v1/app/check-ins/", 201) in statuses
    assert ("POST", "api/v1/auth/login/", 401) in statuses
    assert ("GET", "api/v1/patients/<int:pk>/fhir/", 200) in statuses


def test_the_request_id_of_a_response_is_the_one_in_its_log_line(alice_api, log_lines):
    response = alice_api.get("/api/v1/patients/", HTTP_X_REQUEST_ID="trace-1234-abcd")
    assert response["X-Request-ID"] == "trace-1234-abcd"
    entries = [json.loads(line) for line in log_lines()]
    (line,) = [e for e in entries if e["logger"] == "stride.request"]
    assert line["request_id"] == "trace-1234-abcd"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/api/v1/patients/", 200)


def test_an_exception_is_logged_as_its_type_and_stack_without_its_message():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "boom", None, None)
    message = "duplicate key (email)=(zeb.quack@example.org)"
    try:
        raise ValueError(message)
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["exception"]["type"] == "builtins.ValueError"
    assert "test_logs.py" in entry["exception"]["stack"]
    assert "zeb.quack" not in json.dumps(entry)


@pytest.mark.parametrize("log_format", ["plain", "json"])
def test_development_settings_never_print_an_exception_message(log_format):
    """DEBUG on, as `make run` starts it: Django's own logging defaults (a console handler on
    the `django` logger that prints tracebacks whole) must not survive the project's config.
    A fresh process, since logging is configured once per process."""
    import subprocess
    import sys

    from tests.processes import ROOT

    value = "zeb.quack@example.org"
    script = f"""
import logging
import os
import django
django.setup()
try:
    raise ValueError("duplicate key value (email)=({value})")
except ValueError:
    logging.getLogger("django.request").error("Internal Server Error: /api/v1/x/", exc_info=True)
    logging.getLogger("django.server").error("runserver line", exc_info=True)
    logging.getLogger("stride").exception("a service failed")
"""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "1",
        "STRIDE_LOG_FORMAT": log_format,
        "STRIDE_VAR_DIR": str(ROOT / "var"),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    printed = done.stdout + done.stderr
    assert "ValueError" in printed and "Internal Server Error" in printed
    assert "runserver line" in printed and "a service failed" in printed
    assert value not in printed, printed
