"""The patient page's panels (messages, the remote monitoring month) and the clinic's month:
tenancy, audit, writes through the services, query counts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.models import AuditEvent, Notification
from monitoring.models import MonitoringEpisode, MonthSignOff, TimeEntry
from monitoring.services import episode_start, time_entry_record
from patients.models import Message, Patient, PatientSummary
from patients.services.messages import message_send_by_patient
from tests.console.conftest import check_in

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def messages_url(patient) -> str:
    return f"/console/patients/{patient.pk}/messages/"


def monitoring_url(patient) -> str:
    return f"/console/patients/{patient.pk}/monitoring/"


def patient_says(patient, text, key="k"):
    return message_send_by_patient(
        patient=patient, text=text, idempotency_key=key, fingerprint=key
    ).message


def start_episode(patient, by, days_ago=3):
    at = timezone.now() - timedelta(days=days_ago)
    return episode_start(patient=patient, by=by, consent_at=at, setup_at=at)


# -- messages ---------------------------------------------------------------------------------


def test_thread_shows_newest_last_marks_read_and_audits(alice_console, alice, pat):
    first = patient_says(pat, "Knee sore after hills", key="1")
    second = patient_says(pat, "Better today", key="2")
    assert PatientSummary.objects.get(pk=pat.pk).unread_messages == 2
    response = alice_console.get(messages_url(pat), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the fragment
    assert html.index("Knee sore after hills") < html.index("Better today")
    assert "Not for emergencies." in html and "check-in" in html
    assert html.count('class="tag new"') == 2
    assert PatientSummary.objects.get(pk=pat.pk).unread_messages == 0
    assert not Message.objects.filter(read_at__isnull=True).exists()
    audited = AuditEvent.objects.filter(
        actor=alice, object_type="message", action="list", patient_id=pat.pk
    )
    assert {e.object_id for e in audited} == {str(first.pk), str(second.pk)}


def test_answer_is_stored_and_the_partner_told_ids_only(alice_console, alice, pat, clinic_a):
    clinic_a.partner_webhook_url = "https://partner.example/hooks"
    clinic_a.partner_webhook_secret = "whsec_dGVzdA=="
    clinic_a.save(update_fields=["partner_webhook_url", "partner_webhook_secret"])
    response = alice_console.post(messages_url(pat), {"text": "Ice it tonight."}, **HTMX)
    assert response.status_code == 200
    assert "Ice it tonight." in response.content.decode()
    message = Message.objects.get()
    assert message.sender == "staff" and message.staff_id == alice.pk
    row = Notification.objects.get(event_type="message.created")
    assert "Ice" not in str(row.payload)


def test_an_empty_or_too_long_answer_is_refused_next_to_the_field(alice_console, pat):
    response = alice_console.post(messages_url(pat), {"text": "x" * 2001}, **HTMX)
    assert response.status_code == 422
    assert "no more than 2000 characters" in response.content.decode()
    response = alice_console.post(messages_url(pat), {"text": "  "}, **HTMX)
    assert response.status_code == 422
    assert 'id="message-text-error"' in response.content.decode()
    assert not Message.objects.exists()


def test_without_htmx_the_panel_is_a_page_and_a_post_redirects(alice_console, pat):
    page = alice_console.get(messages_url(pat))
    assert page.status_code == 200 and "<html" in page.content.decode()
    posted = alice_console.post(messages_url(pat), {"text": "Hello"})
    assert posted.status_code == 302 and posted["Location"] == messages_url(pat)


@pytest.mark.parametrize("url", [messages_url, monitoring_url])
def test_panels_tenancy(url, carol_console, visitor, pat):
    assert carol_console.get(url(pat)).status_code == 404
    assert carol_console.post(messages_url(pat), {"text": "x"}).status_code == 404
    response = visitor.get(url(pat))
    assert response.status_code == 302 and response["Location"].startswith("/console/sign-in/")
    assert not Message.objects.exists()


def test_thread_query_count_does_not_grow(alice_console, alice, pat, django_assert_num_queries):
    def count(n: int) -> int:
        Message.objects.bulk_create(
            Message(clinic_id=pat.clinic_id, patient=pat, sender="staff", staff=alice, text="m")
            for _ in range(n)
        )
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert alice_console.get(messages_url(pat), **HTMX).status_code == 200
        return len(ctx.captured_queries)

    count(0)  # the session's first request loads what later ones find cached
    assert count(2) == count(40)


# -- the monitoring panel ---------------------------------------------------------------------


def test_no_episode_offers_consent_and_set_up(alice_console, alice, pat):
    html = alice_console.get(monitoring_url(pat), **HTMX).content.decode()
    assert "Record consent and set-up" in html
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = alice_console.post(
        f"{monitoring_url(pat)}episode/", {"consent_at": now, "setup_at": now}, **HTMX
    )
    assert response.status_code == 200, response.content
    assert MonitoringEpisode.objects.filter(patient=pat, setup_by=alice).exists()
    assert "Log a call or time" in response.content.decode()
    assert AuditEvent.objects.filter(
        object_type="monitoring_month", action="retrieve", patient_id=pat.pk
    ).exists()


def test_consent_after_set_up_is_refused_with_the_api_words(alice_console, pat):
    response = alice_console.post(
        f"{monitoring_url(pat)}episode/",
        {"consent_at": "2026-12-01T10:00", "setup_at": "2026-12-01T09:00"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "Consent must come before" in response.content.decode()
    assert not MonitoringEpisode.objects.exists()


def test_a_call_of_20_minutes_reaches_98980(alice_console, alice, pat):
    start_episode(pat, alice)
    today = timezone.localdate()
    response = alice_console.post(
        f"{monitoring_url(pat)}time/",
        {
            "date": today.isoformat(),
            "activity": "call",
            "minutes": "20",
            "interactive": "yes",
            "note": "",
        },
        **HTMX,
    )
    assert response.status_code == 200, response.content
    html = response.content.decode()
    assert '<span class="tag code">98980</span>' in html
    entry = TimeEntry.objects.get()
    assert entry.minutes == 20 and entry.interactive and entry.staff_id == alice.pk


def test_twelve_minutes_say_what_is_missing(alice_console, alice, pat):
    start_episode(pat, alice)
    time_entry_record(
        patient=pat,
        by=alice,
        performed_on=timezone.localdate(),
        minutes=12,
        activity="data_review",
        interactive=False,
    )
    html = alice_console.get(monitoring_url(pat), **HTMX).content.decode()
    assert "12 minutes" in html and "an interactive call still needed" in html


def test_a_message_entry_cannot_be_interactive(alice_console, alice, pat):
    start_episode(pat, alice)
    response = alice_console.post(
        f"{monitoring_url(pat)}time/",
        {
            "date": timezone.localdate().isoformat(),
            "activity": "message",
            "minutes": "5",
            "interactive": "yes",
        },
        **HTMX,
    )
    assert response.status_code == 422
    assert "Messages are never a real-time interactive communication." in (
        response.content.decode()
    )
    assert not TimeEntry.objects.exists()


def test_time_without_an_episode_is_409_and_nothing_saved(alice_console, pat):
    response = alice_console.post(
        f"{monitoring_url(pat)}time/",
        {"date": timezone.localdate().isoformat(), "activity": "call", "minutes": "5"},
        **HTMX,
    )
    assert response.status_code == 409
    assert "no monitoring episode" in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_sign_off_a_past_month(alice_console, alice, pat):
    start_episode(pat, alice, days_ago=40)
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    html = alice_console.get(
        f"{monitoring_url(pat)}?month={last_month:%Y-%m}", **HTMX
    ).content.decode()
    assert f"Sign off {last_month:%B %Y}" in html
    response = alice_console.post(
        f"{monitoring_url(pat)}sign-off/", {"month": f"{last_month:%Y-%m}"}, **HTMX
    )
    assert response.status_code == 200
    assert MonthSignOff.objects.filter(patient=pat, month=last_month).exists()
    assert "Signed off" in response.content.decode()


# -- the clinic's month -----------------------------------------------------------------------


def test_clinic_month_lists_patients_with_csv_and_is_audited(alice_console, alice, pat, quinn):
    start_episode(pat, alice)
    check_in(pat, timezone.now() - timedelta(hours=1))
    response = alice_console.get("/console/monitoring/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pending, Pat" in html or f"{pat.last_name}, {pat.first_name}" in html
    assert "Download CSV" in html and 'aria-current="page">Monitoring' in html
    assert AuditEvent.objects.filter(
        actor=alice, object_type="monitoring_statement", action="list", patient_id=pat.pk
    ).exists()
    csv = alice_console.get("/console/monitoring/month.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("month,") and any(str(pat.pk) in line for line in lines[1:])


def test_clinic_month_is_the_clinic_own(carol_console, visitor, alice, pat):
    start_episode(pat, alice)
    html = carol_console.get("/console/monitoring/").content.decode()
    assert pat.last_name not in html
    csv = carol_console.get("/console/monitoring/month.csv").content.decode()
    assert pat.last_name not in csv
    response = visitor.get("/console/monitoring/")
    assert response.status_code == 302 and response["Location"].startswith("/console/sign-in/")


def test_clinic_month_query_count_does_not_grow(alice_console, alice, pat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert alice_console.get("/console/monitoring/").status_code == 200
        return len(ctx.captured_queries)

    start_episode(pat, alice)
    count()  # the session's first request loads what later ones find cached
    one = count()
    for i in range(5):
        other = Patient.objects.create(
            clinic=alice.clinic,
            therapist=alice,
            first_name=f"P{i}",
            last_name="Many",
            date_of_birth=pat.date_of_birth,
            timezone=pat.timezone,
        )
        start_episode(other, alice)
    assert count() == one


# -- the caseload's marks ---------------------------------------------------------------------


def test_caseload_marks_unread_messages_and_a_patient_near_a_threshold(alice_console, alice, pat):
    patient_says(pat, "A question about my exercises")
    # 14 data days in the running period: 2 more reach 98977 (16) by the period's last day.
    episode = start_episode(pat, alice, days_ago=14)
    for back in range(14):
        check_in(pat, timezone.now() - timedelta(days=back, minutes=5))
    time_entry_record(
        patient=pat,
        by=alice,
        performed_on=timezone.localdate(),
        minutes=12,
        activity="data_review",
        interactive=False,
    )
    html = alice_console.get("/console/").content.decode()
    assert "1 unread message" in html
    last = episode.started_on + timedelta(days=29)
    assert f"needs 2 more data days by {last:%-d %b} (98977)" in html
    assert "12 of 20 minutes (98980)" in html


@pytest.mark.parametrize("rows", [3, 30])
def test_caseload_marks_cost_one_query_for_the_page(alice, rows, django_assert_num_queries):
    from tests.console.conftest import session_client
    from tests.console.test_caseload_page import CASELOAD_QUERIES

    assert CASELOAD_QUERIES == 6  # five without the marks

    for i in range(rows):
        patient = Patient.objects.create(
            clinic=alice.clinic,
            therapist=alice,
            first_name=f"P{i}",
            last_name="Near",
            date_of_birth=timezone.localdate() - timedelta(days=10000),
            timezone="Europe/Berlin",
        )
        PatientSummary.objects.create(patient=patient, clinic=alice.clinic, unread_messages=i)
        start_episode(patient, alice, days_ago=20)
        time_entry_record(
            patient=patient,
            by=alice,
            performed_on=timezone.localdate(),
            minutes=15,
            activity="data_review",
            interactive=False,
        )
    client = session_client(alice)
    client.get("/console/")
    # The caseload's own queries and one for the marks, whatever the number of patients.
    with django_assert_num_queries(CASELOAD_QUERIES):
        response = client.get("/console/")
    assert response.content.decode().count("15 of 20 minutes") == rows
