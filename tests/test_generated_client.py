"""A partner's view of the API: a client generated from /api/schema/ by openapi-python-client,
used as generated, drives a live server through enroll, check-in and the staff's escalation.

The schema is dumped with `manage.py spectacular`, the client generated into a temporary
directory and imported from there; nothing of it is edited. The server is pytest-django's
live server on the test database.
"""

import importlib
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.processes import purge

pytestmark = pytest.mark.client

PACKAGE = "stride_client"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    work = tmp_path_factory.mktemp("client")
    schema = work / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--validate", "--file", str(schema))
    config = work / "config.yml"
    config.write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    generator = Path(sys.executable).parent / "openapi-python-client"
    result = subprocess.run(
        [
            str(generator),
            "generate",
            "--path",
            str(schema),
            "--config",
            str(config),
            "--meta",
            "none",
            "--output-path",
            str(work / PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # The generator reports schema constructs it could not turn into code; there must be none.
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(work))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(work))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def module(package: ModuleType, name: str) -> Any:
    return importlib.import_module(f"{package.__name__}.{name}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_generated_client_enrolls_checks_in_and_staff_see_the_escalation(
    generated, live_server, alice
):
    client_mod = module(generated, "client")
    models = module(generated, "models")
    login = module(generated, "api.auth.auth_login")
    patients_create = module(generated, "api.patients.patients_create")
    enrollment_code = module(generated, "api.patients.patients_enrollment_code")
    enroll = module(generated, "api.partner_app.app_enroll")
    me = module(generated, "api.partner_app.app_me_retrieve")
    check_ins_create = module(generated, "api.partner_app.app_check_ins_create")
    escalations_list = module(generated, "api.escalations.escalations_list")
    fhir_export = module(generated, "api.patients.patients_fhir_export")

    anonymous = client_mod.Client(base_url=live_server.url, raise_on_unexpected_status=True)

    # The therapist signs in and registers the patient.
    signed_in = login.sync(
        client=anonymous,
        body=models.LoginRequest(email=alice.email, password="correct-horse-battery"),
    )
    assert isinstance(signed_in, models.LoginResponse), signed_in
    staff = client_mod.AuthenticatedClient(
        base_url=live_server.url, token=signed_in.token, raise_on_unexpected_status=True
    )
    patient = patients_create.sync(
        client=staff,
        body=models.PatientWriteRequest(
            first_name="Alex",
            last_name="Runner",
            date_of_birth=datetime(1990, 4, 12).date(),
            timezone="Europe/Berlin",
        ),
    )
    assert isinstance(patient, models.Patient), patient
    code = enrollment_code.sync(id=patient.id, client=staff)
    assert isinstance(code, models.EnrollmentCode), code

    # The partner app redeems the code and checks in with a red flag.
    enrolled = enroll.sync(
        client=anonymous, body=models.EnrollRequest(code=code.code, device_name="Pixel 9")
    )
    assert isinstance(enrolled, models.EnrollResponse), enrolled
    app = client_mod.AuthenticatedClient(
        base_url=live_server.url, token=enrolled.token, raise_on_unexpected_status=True
    )
    profile = me.sync(client=app)
    assert profile.id == patient.id
    key = str(uuid.uuid4())
    body = models.CheckInInputRequest(
        recorded_at=datetime.now(UTC) - timedelta(minutes=2),
        pain_rest=4,
        symptoms=[models.SymptomsEnum.CALF_PAIN_SWELLING],
    )
    first = check_ins_create.sync_detailed(client=app, body=body, idempotency_key=key)
    assert first.status_code == 201, first.content
    stored = first.parsed
    assert isinstance(stored, models.CheckIn), stored
    assert stored.advice.level == models.AdviceLevelEnum.SEEK_URGENT_CARE
    replay = check_ins_create.sync_detailed(client=app, body=body, idempotency_key=key)
    assert replay.status_code == 201 and replay.parsed.id == stored.id
    assert replay.headers["Idempotent-Replayed"] == "true"

    # The therapist sees the escalation, with the check-in as its evidence.
    page = escalations_list.sync(client=staff, patient=patient.id)
    assert isinstance(page, models.PaginatedEscalationList), page
    (escalation,) = [e for e in page.results if e.code == "red_flag_emergency"]
    assert escalation.severity == models.SeverityEnum.CRITICAL
    assert escalation.evidence[0].check_in == stored.id

    # And can hand the record to the EHR.
    export = fhir_export.sync_detailed(id=patient.id, client=staff)
    assert export.status_code == 200
    assert export.headers["Content-Type"] == "application/fhir+json"
    purge(settings.CELERY_BROKER_URL)
