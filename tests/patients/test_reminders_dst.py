"""DST, end to end through the database: the minute beat runs over three days around each
transition (America/Chicago and Europe/Berlin, spring and autumn) and every slot is sent
exactly once, at the right local time, including one in the skipped or repeated hour."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinic.models import Notification
from patients.models import Reminder
from patients.services.reminders import patient_schedule_apply, reminders_run_due
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

STEP = timedelta(minutes=30)  # a beat every 30 minutes: every slot here is on the hour or half
NO_QUIET = {"quiet_start": time(0, 0), "quiet_end": time(0, 0)}

# (zone, transition date, the odd local time on that date, where it is sent: local wall clock
# and offset). Spring: the time does not exist and goes out an hour later on the clock (the
# instant it would have been). Autumn: the time happens twice and the first one is used.
TRANSITIONS = [
    ("America/Chicago", date(2026, 3, 8), time(2, 30), "03:30 -0500"),
    ("America/Chicago", date(2026, 11, 1), time(1, 30), "01:30 -0500"),
    ("Europe/Berlin", date(2026, 3, 29), time(2, 30), "03:30 +0200"),
    ("Europe/Berlin", date(2026, 10, 25), time(2, 30), "02:30 +0200"),
]


@pytest.fixture
def partner(clinic_a):
    clinic_a.partner_webhook_url = "https://partner.example/hooks"
    clinic_a.partner_webhook_secret = "whsec_" + "A" * 44
    clinic_a.save(update_fields=["partner_webhook_url", "partner_webhook_secret"])
    return clinic_a


@pytest.mark.parametrize(
    ("tz", "day", "odd_time", "odd_sent_at"), TRANSITIONS, ids=lambda v: str(v)
)
def test_every_slot_once_at_its_local_time_across_the_transition(
    alice, partner, tz, day, odd_time, odd_sent_at
):
    zone = ZoneInfo(tz)
    start = datetime.combine(day - timedelta(days=1), time(0, 5), tzinfo=zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=2), time(0, 5), tzinfo=zone).astimezone(UTC)
    evening = PatientFactory(therapist=alice, timezone=tz, check_in_time=time(19, 0))
    odd = PatientFactory(therapist=alice, timezone=tz, check_in_time=odd_time, **NO_QUIET)
    for patient in (evening, odd):
        patient.save(update_fields=patient_schedule_apply(patient, now=start))

    now = start
    while now <= end:
        reminders_run_due(now=now)
        now += STEP

    dates = [day - timedelta(days=1), day, day + timedelta(days=1)]
    for patient, at in ((evening, time(19, 0)), (odd, odd_time)):
        rows = list(Reminder.objects.filter(patient=patient).order_by("slot_on"))
        assert [r.slot_on for r in rows] == dates, (patient.check_in_time, rows)
        assert all(r.outcome == "sent" for r in rows)
        for row in rows:
            sent_local = row.created_at.astimezone(zone)
            # Each went out within one beat step of its due instant, on its own date.
            assert timedelta(0) <= row.created_at - row.due_at < STEP
            assert sent_local.date() == row.slot_on
            due_local = row.due_at.astimezone(zone)
            if patient is odd and row.slot_on == day:
                assert due_local.strftime("%H:%M %z") == odd_sent_at
            else:
                assert due_local.time() == at
    assert Notification.objects.filter(event_type="reminder.due").count() == 6
