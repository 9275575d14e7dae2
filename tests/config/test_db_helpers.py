"""common.db: the INSERT that says what it inserted, and per-row UPDATEs in one statement."""

from datetime import UTC, date, datetime

import pytest

from common.db import insert_skipping_conflicts, update_rows_grouped, update_rows_unnest
from patients.models import Patient, Reminder

pytestmark = pytest.mark.django_db

AT = datetime(2026, 6, 2, 17, tzinfo=UTC)


def reminder(patient, day):
    return Reminder(
        clinic_id=patient.clinic_id,
        patient=patient,
        slot_on=day,
        slot_time="19:00",
        due_at=AT,
        outcome="sent",
    )


def test_insert_returns_only_the_rows_it_inserted(pat, quinn):
    first = insert_skipping_conflicts(
        Reminder, [reminder(pat, date(2026, 6, 2))], returning=["patient_id"]
    )
    again = insert_skipping_conflicts(
        Reminder,
        [reminder(pat, date(2026, 6, 2)), reminder(quinn, date(2026, 6, 2))],
        returning=["patient_id"],
    )
    single_conflict = insert_skipping_conflicts(
        Reminder, [reminder(quinn, date(2026, 6, 2))], returning=["patient_id"]
    )
    assert (first, again, single_conflict) == ([(pat.pk,)], [(quinn.pk,)], [])
    assert Reminder.objects.count() == 2


@pytest.mark.parametrize("update", [update_rows_unnest, update_rows_grouped])
def test_each_row_gets_its_own_values(pat, quinn, update):
    rows = {
        pat.pk: {"next_reminder_at": AT, "next_reminder_on": date(2026, 6, 2)},
        quinn.pk: {"next_reminder_at": None, "next_reminder_on": None},
    }
    assert update(Patient, rows, fields=["next_reminder_at", "next_reminder_on"]) == 2
    pat.refresh_from_db()
    quinn.refresh_from_db()
    assert (pat.next_reminder_at, pat.next_reminder_on) == (AT, date(2026, 6, 2))
    assert (quinn.next_reminder_at, quinn.next_reminder_on) == (None, None)
    assert pat.first_name == "Pat"  # nothing else touched


def test_insert_row_writes_one_row_and_a_duplicate_is_an_integrity_error(pat):
    from django.db import IntegrityError, transaction

    from common.db import insert_row
    from patients.models import IdempotencyKey

    row = {"patient_id": pat.pk, "key": "k1", "request_hash": "h", "status": "done"}
    insert_row(IdempotencyKey, {**row, "claimed_at": AT})
    stored = IdempotencyKey.objects.get()
    assert (stored.key, stored.status, stored.claimed_at, stored.check_in_id) == (
        "k1",
        "done",
        AT,
        None,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_row(IdempotencyKey, {**row, "claimed_at": AT})
    assert IdempotencyKey.objects.count() == 1


def test_insert_row_saves_through_the_orm_when_something_listens(pat):
    from django.db.models.signals import post_save

    from common.db import insert_row
    from patients.models import IdempotencyKey

    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.key, created))

    post_save.connect(receiver, sender=IdempotencyKey)
    try:
        row = {"patient_id": pat.pk, "key": "k2", "request_hash": "h", "status": "done"}
        insert_row(IdempotencyKey, {**row, "claimed_at": AT})
    finally:
        post_save.disconnect(receiver, sender=IdempotencyKey)
    assert heard == [("k2", True)]


def test_update_row_sets_plain_values_of_one_row(pat, quinn):
    from common.db import update_row
    from patients.models import PatientSummary
    from patients.services.summaries import summary_create

    summary_create(patient=pat)
    summary_create(patient=quinn)
    values = {"last_peak_pain": 7, "daily_peaks": {"2026-06-02": 7}, "last_check_in_at": AT}
    assert update_row(PatientSummary, pat.pk, values) == 1
    assert update_row(PatientSummary, 10**9, values) == 0
    mine, theirs = PatientSummary.objects.get(pk=pat.pk), PatientSummary.objects.get(pk=quinn.pk)
    assert (mine.last_peak_pain, mine.daily_peaks, mine.last_check_in_at) == (
        7,
        {"2026-06-02": 7},
        AT,
    )
    assert theirs.last_peak_pain is None
