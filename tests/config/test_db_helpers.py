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
