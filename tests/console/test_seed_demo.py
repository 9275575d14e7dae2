"""`seed_demo` gives the console something to show: two patients with a week of check-ins,
one of them with an open red-flag escalation, first on the caseload."""

import io
import re

import pytest
from django.core.management import call_command

from patients.management.commands.seed_demo import DEMO_EMAIL
from patients.models import CheckIn, Escalation
from tests.console.conftest import session_client

pytestmark = pytest.mark.django_db


def test_the_demo_caseload_opens_on_its_red_flag(settings):
    settings.DEBUG = True
    settings.STRIDE_PUBLIC_URL = "http://127.0.0.1:9000"
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Console: http://127.0.0.1:9000/console/" in out.getvalue()
    from clinic.models import StaffUser

    (escalation,) = Escalation.objects.filter(status="open", severity="critical")
    assert escalation.code == "red_flag_emergency"
    weekly = [
        p
        for p in {c.patient_id for c in CheckIn.objects.all()}
        if CheckIn.objects.filter(patient_id=p).count() >= 6
    ]
    assert len(weekly) == 2 and escalation.patient_id in weekly
    client = session_client(StaffUser.objects.get(email=DEMO_EMAIL))
    html = client.get("/console/").content.decode()
    first = re.findall(r'<a class="name" href="/console/patients/\d+/">([^<]+)</a>', html)[0]
    assert first == f"{escalation.patient.first_name} {escalation.patient.last_name}"
    call_command("seed_demo", stdout=io.StringIO())  # again: nothing doubles
    assert Escalation.objects.filter(status="open", severity="critical").count() == 1
