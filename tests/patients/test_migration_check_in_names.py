"""Migrating to one spelling of check-in: a clinic's threshold overrides keep applying, the
patient's reminder schedule keeps its time and days, and old evidence reads like new evidence."""

from datetime import time

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("patients", "0008_clinical_vocabulary_choices"), ("clinic", "0004_staffuser_credential")]
AFTER = [("patients", "0009_check_in_names"), ("clinic", "0005_threshold_check_in_names")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_overrides_schedule_and_evidence_survive_the_new_names(back_to_latest, clinic_a, alice):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Clinic = apps.get_model("clinic", "Clinic")
    Patient = apps.get_model("patients", "Patient")
    Escalation = apps.get_model("patients", "Escalation")
    Evidence = apps.get_model("patients", "EscalationEvidence")
    Clinic.objects.filter(pk=clinic_a.pk).update(
        thresholds={"weekly_min_checkins": 5, "baseline_min_checkins": 4, "pain_severe": 8}
    )
    patient = Patient.objects.create(
        clinic_id=clinic_a.pk,
        therapist_id=alice.pk,
        first_name="Pat",
        last_name="Pending",
        date_of_birth="1990-01-01",
        timezone="Europe/Berlin",
        checkin_time=time(18, 30),
        checkin_weekdays=0b0010101,
    )
    now = timezone.now()
    escalation = Escalation.objects.create(
        clinic_id=clinic_a.pk,
        patient=patient,
        code="weekly_pain_increase",
        severity="moderate",
        acknowledge_by=now,
    )
    evidence = Evidence.objects.create(
        escalation=escalation,
        severity="moderate",
        rationale="weekly mean rose",
        values={
            "checkins_last_7_days": 4,
            "checkins_previous_7_days": 3,
            "weekly_min_checkins": 3,
            "baseline_source": "checkins",
            "peak_pain": 6,
        },
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    from clinic.models import Clinic as ClinicNow
    from patients.models import EscalationEvidence
    from patients.models import Patient as PatientNow

    thresholds = ClinicNow.objects.get(pk=clinic_a.pk).clinical_thresholds()
    assert (thresholds.weekly_min_check_ins, thresholds.baseline_min_check_ins) == (5, 4)
    assert thresholds.pain_severe == 8
    moved = PatientNow.objects.get(pk=patient.pk)
    assert (moved.check_in_time, moved.check_in_weekdays) == (time(18, 30), 0b0010101)
    assert EscalationEvidence.objects.get(pk=evidence.pk).values == {
        "check_ins_last_7_days": 4,
        "check_ins_previous_7_days": 3,
        "weekly_min_check_ins": 3,
        "baseline_source": "check_ins",
        "peak_pain": 6,
    }
