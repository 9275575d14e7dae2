"""Two beats at once, or the same chunk task twice at once: still one reminder per slot.

Real concurrency: threads with their own database connections on committed data.
"""

import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.db import connection

from clinic.models import Notification
from patients.models import Patient, Reminder
from patients.services.reminders import (
    patient_schedule_apply,
    reminders_run_due,
    reminders_send,
)
from tests.factories import PatientFactory
from tests.processes import purge

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SCHEDULED_AT = datetime(2026, 6, 2, 7, tzinfo=UTC)
DUE = datetime(2026, 6, 2, 17, 0, 30, tzinfo=UTC)  # 19:00:30 in Berlin


@pytest.fixture
def due_patients(alice):
    clinic = alice.clinic
    clinic.partner_webhook_url = "https://partner.example/hooks"
    clinic.partner_webhook_secret = "whsec_" + "A" * 44
    clinic.save(update_fields=["partner_webhook_url", "partner_webhook_secret"])
    patients = [PatientFactory(therapist=alice) for _ in range(120)]
    for patient in patients:
        patient_schedule_apply(patient, now=SCHEDULED_AT)
    Patient.objects.bulk_update(
        patients, ["next_reminder_at", "next_reminder_on", "engagement_due_at"]
    )
    purge(settings.CELERY_BROKER_URL)
    yield patients
    purge(settings.CELERY_BROKER_URL)


def run_together(target, times=2):
    barrier = threading.Barrier(times)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def assert_once_each(patients):
    per_patient = Counter(Reminder.objects.values_list("patient_id", flat=True))
    assert set(per_patient) == {p.pk for p in patients}
    assert set(per_patient.values()) == {1}
    keys = Counter(Notification.objects.values_list("payload__patient_id", flat=True))
    assert set(keys.values()) == {1} and len(keys) == len(patients)


def test_two_beats_at_once_send_each_slot_once(due_patients, settings):
    settings.STRIDE_REMINDER_CHUNK_SIZE = 10
    results = run_together(lambda: reminders_run_due(now=DUE))
    assert sum(r.sent for r in results) == len(due_patients)
    assert_once_each(due_patients)


def test_the_same_chunk_twice_at_once_sends_each_slot_once(due_patients):
    ids = [p.pk for p in due_patients]
    results = run_together(lambda: reminders_send(patient_ids=ids, now=DUE), times=3)
    assert sum(r.sent for r in results) == len(due_patients)
    assert_once_each(due_patients)
