"""Check-in reminders: due slots found in the database, sent once, skipped by the rules, DST."""

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import redis
from django.core import mail

from clinic.models import Notification
from clinic.notifications import notification_deliver, webhook_secret_generate
from patients.models import CheckIn, Patient, Reminder
from patients.services.reminders import (
    patient_schedule_apply,
    reminders_dispatch_due,
    reminders_run_due,
    reminders_send,
)
from tests.factories import PatientFactory
from tests.processes import PrivateRedis, broker, purge

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
PARTNER_URL = "https://partner.example/stride-hooks"


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def berlin(*args):
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


@pytest.fixture
def partner(clinic_a):
    clinic_a.partner_webhook_url = PARTNER_URL
    clinic_a.partner_webhook_secret = webhook_secret_generate()
    clinic_a.save(update_fields=["partner_webhook_url", "partner_webhook_secret"])
    return clinic_a


def schedule(patient, now, **fields):
    """Give the patient a schedule as the services would, as of `now`."""
    for name, value in fields.items():
        setattr(patient, name, value)
    patient.engagement_due_at = None
    patient.save(update_fields=[*fields, *patient_schedule_apply(patient, now=now)])
    return patient


def check_in(patient, at):
    return CheckIn.objects.create(
        clinic=patient.clinic,
        patient=patient,
        recorded_at=at,
        pain_rest=2,
        peak_pain=2,
        advice_level="continue",
        advice_message="Keep to the plan.",
    )


def test_a_due_slot_sends_one_reminder_as_a_partner_webhook_with_ids_only(pat, partner):
    schedule(pat, berlin(2026, 6, 2, 9))
    assert pat.next_reminder_at == berlin(2026, 6, 2, 19)

    assert reminders_run_due(now=berlin(2026, 6, 2, 18, 59)).sent == 0
    result = reminders_run_due(now=berlin(2026, 6, 2, 19, 0, 30))

    assert (result.sent, result.notifications) == (1, 1)
    reminder = Reminder.objects.get()
    assert (reminder.slot_on, reminder.outcome, reminder.due_at) == (
        date(2026, 6, 2),
        "sent",
        berlin(2026, 6, 2, 19),
    )
    webhook = Notification.objects.get()
    assert (webhook.channel, webhook.target, webhook.event_type, webhook.recipient) == (
        "webhook",
        "partner",
        "reminder.due",
        PARTNER_URL,
    )
    assert webhook.payload == {
        "event": "reminder.due",
        "reminder_id": reminder.pk,
        "patient_id": pat.pk,
        "clinic_id": partner.pk,
        "slot_on": "2026-06-02",
        "slot_time": "19:00",
        "timezone": "Europe/Berlin",
        "due_at": "2026-06-02T17:00:00+00:00",
    }
    assert "Pat" not in json.dumps(webhook.payload)
    pat.refresh_from_db()
    assert pat.next_reminder_at == berlin(2026, 6, 3, 19)
    assert pat.reminder_claimed_until is None
    # The next beat, and the one after, find nothing more to send for this slot.
    assert reminders_run_due(now=berlin(2026, 6, 2, 19, 1)).sent == 0
    assert Reminder.objects.count() == Notification.objects.count() == 1


def test_sending_the_same_chunk_twice_sends_once(pat, quinn, partner):
    now = berlin(2026, 6, 2, 19, 0, 30)
    for patient in (pat, quinn):
        schedule(patient, berlin(2026, 6, 2, 9))
    first = reminders_send(patient_ids=[pat.pk, quinn.pk], now=now)
    second = reminders_send(patient_ids=[pat.pk, quinn.pk], now=now)
    assert (first.sent, second.sent) == (2, 0)
    assert Reminder.objects.count() == Notification.objects.count() == 2


def test_a_slot_handled_before_is_never_sent_again_even_after_a_schedule_change(pat, partner):
    schedule(pat, berlin(2026, 6, 2, 9))
    reminders_run_due(now=berlin(2026, 6, 2, 19, 0, 30))
    # The patient moves today's time later, after today's reminder went out.
    schedule(pat, berlin(2026, 6, 2, 19, 30), check_in_time=time(20, 0))
    assert pat.next_reminder_on == date(2026, 6, 2)
    result = reminders_run_due(now=berlin(2026, 6, 2, 20, 0, 30))
    assert result.sent == 0 and dict(result.reasons) == {"duplicate": 1}
    assert Reminder.objects.count() == Notification.objects.count() == 1
    pat.refresh_from_db()
    assert pat.next_reminder_at == berlin(2026, 6, 3, 20)


@pytest.mark.parametrize(
    ("checked_in_at", "outcome"),
    [
        (berlin(2026, 6, 2, 0, 0), "skipped"),  # the first instant of the local day
        (berlin(2026, 6, 2, 18, 45), "skipped"),
        (berlin(2026, 6, 1, 23, 59, 59), "sent"),  # the evening before, local time
        (None, "sent"),
    ],
)
def test_no_reminder_after_a_check_in_that_local_day(pat, partner, checked_in_at, outcome):
    schedule(pat, berlin(2026, 6, 2, 1))
    if checked_in_at:
        check_in(pat, checked_in_at)
    reminders_run_due(now=berlin(2026, 6, 2, 19, 0, 30))
    reminder = Reminder.objects.get()
    assert reminder.outcome == outcome
    assert reminder.skip_reason == ("checked_in" if outcome == "skipped" else "")
    assert Notification.objects.count() == (1 if outcome == "sent" else 0)


def test_a_paused_patient_is_skipped_and_a_discharged_one_has_no_more_slots(
    pat, quinn, partner, alice_api
):
    for patient in (pat, quinn):
        schedule(patient, berlin(2026, 6, 2, 9))
    Patient.objects.filter(pk=pat.pk).update(status="paused")
    response = alice_api.post(f"/api/v1/patients/{quinn.pk}/discharge/")
    assert response.status_code == 200 and response.json()["next_reminder_at"] is None

    result = reminders_run_due(now=berlin(2026, 6, 2, 19, 0, 30))

    assert dict(result.reasons) == {"paused": 1}
    assert Reminder.objects.get().patient == pat
    assert not Notification.objects.exists()
    pat.refresh_from_db()
    assert pat.next_reminder_at == berlin(2026, 6, 3, 19)  # resumes when the pause ends


def test_a_morning_time_inside_quiet_hours_is_sent_when_they_end(pat, partner):
    schedule(pat, berlin(2026, 6, 1, 12), check_in_time=time(7, 30))
    assert pat.next_reminder_at == berlin(2026, 6, 2, 8, 0)
    assert reminders_run_due(now=berlin(2026, 6, 2, 7, 31)).sent == 0
    assert reminders_run_due(now=berlin(2026, 6, 2, 8, 0, 30)).sent == 1
    assert Reminder.objects.get().slot_on == date(2026, 6, 2)


def test_a_beat_that_runs_late_into_quiet_hours_postpones_the_slot_to_their_end(pat, partner):
    schedule(pat, berlin(2026, 6, 2, 9), check_in_time=time(20, 50))
    result = reminders_run_due(now=berlin(2026, 6, 2, 21, 5))
    assert (result.sent, result.postponed) == (0, 1)
    pat.refresh_from_db()
    assert (pat.next_reminder_at, pat.next_reminder_on) == (
        berlin(2026, 6, 3, 8, 0),
        date(2026, 6, 2),
    )
    assert reminders_run_due(now=berlin(2026, 6, 3, 8, 0, 30)).sent == 1
    assert Reminder.objects.get().slot_on == date(2026, 6, 2)
    pat.refresh_from_db()
    assert pat.next_reminder_at == berlin(2026, 6, 3, 20, 50)


def test_a_reminder_hours_late_is_dropped_not_sent(pat, partner, settings):
    settings.STRIDE_REMINDER_MAX_DELAY_MINUTES = 60
    schedule(pat, berlin(2026, 6, 2, 9), check_in_time=time(12, 0))
    result = reminders_run_due(now=berlin(2026, 6, 2, 13, 1))
    assert dict(result.reasons) == {"late": 1}
    assert not Notification.objects.exists()
    assert reminders_run_due(now=berlin(2026, 6, 3, 12, 0, 30)).sent == 1


def test_email_goes_too_where_the_clinic_enables_it_without_clinical_details(pat, partner):
    partner.reminder_email_enabled = True
    partner.save(update_fields=["reminder_email_enabled"])
    pat.email = "pat@example.com"
    pat.save(update_fields=["email"])
    schedule(pat, berlin(2026, 6, 2, 9))
    assert reminders_run_due(now=berlin(2026, 6, 2, 19, 0, 30)).notifications == 2
    email = Notification.objects.get(channel="email")
    assert (email.recipient, email.target) == ("pat@example.com", "person")
    assert notification_deliver(notification_id=email.pk) == "success"
    (message,) = mail.outbox
    assert message.to == ["pat@example.com"]
    assert message.subject == "Time for your check-in"
    assert partner.contact_line in message.body
    assert "Pat" not in message.body and "pain" not in message.body.lower()


def test_without_a_partner_webhook_or_email_the_slot_is_recorded_as_unsendable(pat):
    schedule(pat, berlin(2026, 6, 2, 9))
    result = reminders_run_due(now=berlin(2026, 6, 2, 19, 0, 30))
    assert dict(result.reasons) == {"no_channel": 1}
    assert Reminder.objects.get().skip_reason == "no_channel"


def test_staff_and_patient_schedule_changes_move_the_next_reminder(pat, pat_api, alice_api):
    response = pat_api.patch(
        "/api/v1/app/me/",
        {"check_in_days": ["sat"], "check_in_time": "18:00", "timezone": "America/Chicago"},
    )
    assert response.status_code == 200, response.content
    due = datetime.fromisoformat(response.json()["next_reminder_at"])
    local = due.astimezone(ZoneInfo("America/Chicago"))
    assert (local.strftime("%a %H:%M"), due > datetime.now(UTC)) == ("Sat 18:00", True)

    response = alice_api.patch(f"/api/v1/patients/{pat.pk}/", {"check_in_days": ["sun"]})
    assert response.status_code == 200, response.content
    due = datetime.fromisoformat(response.json()["next_reminder_at"])
    assert due.astimezone(ZoneInfo("America/Chicago")).strftime("%a %H:%M") == "Sun 18:00"


def test_patients_made_outside_the_services_are_scheduled_by_the_beat(alice, partner):
    patients = [PatientFactory(therapist=alice) for _ in range(3)]
    assert all(p.next_reminder_at is None for p in patients)
    reminders_run_due(now=berlin(2026, 6, 2, 12))
    for patient in patients:
        patient.refresh_from_db()
        assert patient.next_reminder_at == berlin(2026, 6, 2, 19)
        assert patient.engagement_due_at == berlin(2026, 6, 3, 0)


@pytest.mark.parametrize("count", [2, 20])
def test_a_chunk_costs_the_same_queries_for_few_and_many_patients(
    alice, partner, count, django_assert_num_queries
):
    ids = [
        schedule(PatientFactory(therapist=alice), berlin(2026, 6, 2, 9)).pk for _ in range(count)
    ]
    check_in(Patient.objects.get(pk=ids[0]), berlin(2026, 6, 2, 8))
    # savepoint, lock+read, clinics, check-ins, reminders, outbox rows, next slots, release
    with django_assert_num_queries(8):
        result = reminders_send(patient_ids=ids, now=berlin(2026, 6, 2, 19, 0, 30))
    assert (result.sent, result.skipped) == (count - 1, 1)


def test_the_minute_beat_leases_due_patients_and_queues_them_in_chunks(alice, partner, settings):
    settings.STRIDE_REMINDER_CHUNK_SIZE = 2
    purge(settings.CELERY_BROKER_URL)
    for _ in range(5):
        schedule(PatientFactory(therapist=alice), berlin(2026, 6, 2, 9))
    now = berlin(2026, 6, 2, 19, 0, 30)
    result = reminders_dispatch_due(now=now)
    assert (result.chunks, result.patients) == (3, 5)
    queued = redis.Redis.from_url(settings.CELERY_BROKER_URL).lrange("reminders", 0, -1)
    tasks = [json.loads(m)["headers"]["task"] for m in queued]
    assert tasks == ["patients.tasks.reminders_send_chunk"] * 3
    # A second beat in the same minute finds them leased; after the lease it queues them again.
    assert reminders_dispatch_due(now=now).patients == 0
    later = now + timedelta(seconds=settings.STRIDE_REMINDER_LEASE_SECONDS + 1)
    assert reminders_dispatch_due(now=later).patients == 5
    purge(settings.CELERY_BROKER_URL)


def test_with_the_broker_down_the_beat_gives_the_lease_back_and_the_next_beat_queues(
    alice, partner
):
    patients = [schedule(PatientFactory(therapist=alice), berlin(2026, 6, 2, 9)) for _ in range(2)]
    now = berlin(2026, 6, 2, 19, 0, 30)
    down = PrivateRedis().start()
    try:
        with broker(down.url):
            down.stop()
            assert reminders_dispatch_due(now=now).patients == 0
            assert not Patient.objects.filter(reminder_claimed_until__isnull=False).exists()
            down.start()
            assert reminders_dispatch_due(now=now + timedelta(minutes=1)).patients == 2
    finally:
        down.stop()
    assert not Reminder.objects.exists()  # nothing was sent without a worker
    assert {p.pk for p in patients} == set(
        Patient.objects.filter(reminder_claimed_until__isnull=False).values_list("pk", flat=True)
    )


def test_pausing_through_the_api_skips_reminders_and_resuming_sends_them(pat, alice_api):
    schedule(pat, berlin(2026, 6, 2, 9))
    assert alice_api.post(f"/api/v1/patients/{pat.pk}/pause/").status_code == 200
    result = reminders_run_due(now=berlin(2026, 6, 2, 19, 0, 30))
    assert dict(result.reasons) == {"paused": 1}
    assert not Notification.objects.exists()

    assert alice_api.post(f"/api/v1/patients/{pat.pk}/resume/").status_code == 200
    pat.refresh_from_db()
    assert pat.status == "active" and pat.next_reminder_at is not None
