"""Migrating a database with escalations: evidence written before `received_at` existed takes
its check-in's arrival time, so old evidence is marked late only if its check-in really was."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("patients", "0005_undeliverable_notification")]
AFTER = [("patients", "0006_evidence_received_at_and_escalation_upgraded_at")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_evidence_gets_its_check_ins_arrival_time(back_to_latest, clinic_a, alice):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Patient = apps.get_model("patients", "Patient")
    CheckIn = apps.get_model("patients", "CheckIn")
    Escalation = apps.get_model("patients", "Escalation")
    Evidence = apps.get_model("patients", "EscalationEvidence")
    now = timezone.now()
    patient = Patient.objects.create(
        clinic_id=clinic_a.pk,
        therapist_id=alice.pk,
        first_name="Pat",
        last_name="Pending",
        date_of_birth="1990-01-01",
        timezone="Europe/Berlin",
    )

    def check_in(recorded_ago, received_ago):
        return CheckIn.objects.create(
            clinic_id=clinic_a.pk,
            patient=patient,
            recorded_at=now - recorded_ago,
            received_at=now - received_ago,
            pain_rest=8,
            peak_pain=8,
            advice_level="stop_and_contact",
            advice_message="x",
        )

    on_time = check_in(timedelta(hours=30), timedelta(hours=30))
    offline = check_in(timedelta(hours=10), timedelta(hours=4))
    escalation = Escalation.objects.create(
        clinic_id=clinic_a.pk,
        patient=patient,
        code="pain_severe",
        severity="high",
        acknowledge_by=now,
    )
    rows = {
        "on_time": Evidence.objects.create(
            escalation=escalation,
            severity="high",
            rationale="a",
            check_in=on_time,
            recorded_at=on_time.recorded_at,
        ),
        "offline": Evidence.objects.create(
            escalation=escalation,
            severity="high",
            rationale="b",
            check_in=offline,
            recorded_at=offline.recorded_at,
        ),
        "daily": Evidence.objects.create(
            escalation=escalation,
            severity="high",
            rationale="c",
            recorded_at=now - timedelta(days=3),
        ),
    }

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    Evidence = executor.loader.project_state(AFTER).apps.get_model("patients", "EscalationEvidence")
    from patients.models import LATE_ARRIVAL

    after = {name: Evidence.objects.get(pk=row.pk) for name, row in rows.items()}
    assert after["on_time"].received_at == on_time.received_at
    assert after["offline"].received_at == offline.received_at
    assert after["daily"].received_at == after["daily"].recorded_at
    late = [after[n].received_at - after[n].recorded_at > LATE_ARRIVAL for n in rows]
    assert late == [False, True, False]
