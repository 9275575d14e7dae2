"""Escalations raised by check-ins over time: an upgrade re-opens an acknowledged escalation
with a new deadline and tells the therapist again; deadlines count from the server's clock;
a check-in that arrives late says so in its evidence."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from clinic.models import Notification
from clinic.notifications import notification_deliver
from patients.models import Escalation, EscalationEvidence
from patients.services import escalations_escalate_overdue
from patients.services.escalations import evidence_rationale
from tests.assessments.conftest import make_intake

pytestmark = pytest.mark.django_db

ESCALATIONS = "/api/v1/escalations/"


def check_in(client, *, recorded_at=None, **data):
    recorded_at = recorded_at or timezone.now() - timedelta(minutes=1)
    body = {"recorded_at": recorded_at.isoformat(), **data}
    response = client.post(
        "/api/v1/app/check-ins/", body, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert response.status_code == 201, response.content
    return response.json()


def escalation(client, code):
    (row,) = [r for r in client.get(ESCALATIONS).json()["results"] if r["code"] == code]
    return row


def at(text):
    return datetime.fromisoformat(text)


def test_an_upgrade_reopens_an_acknowledged_escalation_with_a_new_deadline(
    pat, alice, pat_api, alice_api, clinic_a_webhook, receiver
):
    make_intake(pat, alice, pain_worst_running=4, assessed_at=timezone.now() - timedelta(days=1))
    check_in(pat_api, pain_rest=5)  # +1 at pain 5: moderate
    first = escalation(alice_api, "pain_rising")
    assert (first["severity"], first["status"], first["upgraded_at"]) == ("moderate", "open", None)
    assert at(first["acknowledge_by"]) - at(first["opened_at"]) == timedelta(hours=48)
    acked = alice_api.post(f"{ESCALATIONS}{first['id']}/acknowledge/").json()
    assert acked["status"] == "acknowledged"
    Notification.objects.all().delete()

    before = timezone.now()
    check_in(pat_api, pain_rest=6)  # +2, the MCID: high
    after = timezone.now()

    row = escalation(alice_api, "pain_rising")
    assert row["id"] == first["id"] and row["opened_at"] == first["opened_at"]
    assert (row["severity"], row["status"], row["occurrences"]) == ("high", "open", 2)
    assert row["acknowledged_at"] is None and row["acknowledged_by"] is None
    upgraded_at = at(row["upgraded_at"])
    assert before <= upgraded_at <= after
    assert at(row["acknowledge_by"]) == upgraded_at + timedelta(hours=4)
    assert [e["severity"] for e in row["evidence"]] == ["moderate", "high"]

    # The therapist is told again, by email and by the clinic's webhook.
    rows = Notification.objects.order_by("channel")
    assert [(n.channel, n.event_type, n.recipient) for n in rows] == [
        ("email", "escalation.upgraded", alice.email),
        ("webhook", "escalation.upgraded", clinic_a_webhook.webhook_url),
    ]
    assert notification_deliver(notification_id=rows[1].pk) == "success"
    (item,) = receiver.received
    data = receiver.verify(clinic_a_webhook.webhook_secret, item)["data"]
    assert (data["status"], data["severity"]) == ("open", "high")
    assert at(data["acknowledge_by"]) == upgraded_at + timedelta(hours=4)

    # Open again: it goes overdue at the new deadline, not before, and may be acknowledged.
    assert escalations_escalate_overdue(now=upgraded_at + timedelta(hours=3, minutes=59)) == 0
    assert escalations_escalate_overdue(now=upgraded_at + timedelta(hours=4, minutes=1)) == 1
    again = alice_api.post(f"{ESCALATIONS}{row['id']}/acknowledge/")
    assert again.status_code == 200 and again.json()["status"] == "acknowledged"


def test_a_repeat_at_the_same_severity_leaves_it_acknowledged_and_quiet(
    pat, alice, pat_api, alice_api
):
    make_intake(pat, alice, pain_worst_running=4, assessed_at=timezone.now() - timedelta(days=1))
    check_in(pat_api, pain_rest=5)
    first = escalation(alice_api, "pain_rising")
    alice_api.post(f"{ESCALATIONS}{first['id']}/acknowledge/")
    Notification.objects.all().delete()
    check_in(pat_api, pain_rest=5)
    row = escalation(alice_api, "pain_rising")
    assert (row["status"], row["occurrences"], row["upgraded_at"]) == ("acknowledged", 2, None)
    assert row["acknowledge_by"] == first["acknowledge_by"]
    assert not Notification.objects.exists()


def test_a_late_check_in_is_marked_late_and_its_deadline_counts_from_arrival(
    pat, pat_api, alice_api
):
    recorded = (timezone.now() - timedelta(hours=5)).replace(microsecond=0)
    before = timezone.now()
    check_in(pat_api, recorded_at=recorded, pain_rest=1, symptoms=["locking"])
    row = escalation(alice_api, "red_flag_mechanical")
    opened = at(row["opened_at"])
    assert opened >= before  # the server's clock, not the phone's
    assert at(row["acknowledge_by"]) == opened + timedelta(hours=4)
    (evidence,) = row["evidence"]
    assert at(evidence["recorded_at"]) == recorded
    assert at(evidence["received_at"]) >= before
    assert evidence["late"] is True
    assert evidence["rationale"] == (
        "mechanical symptom reported: locking (recorded 5 h before it arrived)"
    )


def test_a_check_in_sent_within_the_hour_is_not_late(pat, pat_api, alice_api):
    recorded = timezone.now() - timedelta(minutes=50)
    check_in(pat_api, recorded_at=recorded, pain_rest=1, symptoms=["locking"])
    (evidence,) = escalation(alice_api, "red_flag_mechanical")["evidence"]
    assert evidence["late"] is False
    assert evidence["rationale"] == "mechanical symptom reported: locking"
    assert at(evidence["received_at"]) - at(evidence["recorded_at"]) < timedelta(hours=1)


NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delay", "late", "note"),
    [
        (timedelta(hours=1), False, ""),  # "more than 1 hour": exactly one is on time
        (timedelta(hours=1, seconds=1), True, " (recorded 1 h before it arrived)"),
        (timedelta(hours=1, minutes=30), True, " (recorded 1 h 30 min before it arrived)"),
        (timedelta(hours=5, seconds=59), True, " (recorded 5 h before it arrived)"),
        (timedelta(days=3, hours=4, minutes=12), True, " (recorded 3 d 4 h before it arrived)"),
        (timedelta(days=2), True, " (recorded 2 d before it arrived)"),
    ],
)
def test_late_means_more_than_an_hour_and_the_rationale_says_by_how_much(delay, late, note):
    evidence = EscalationEvidence(recorded_at=NOON - delay, received_at=NOON)
    assert evidence.late is late
    text = evidence_rationale(rationale="pain 8", recorded_at=NOON - delay, received_at=NOON)
    assert text == "pain 8" + note


def test_a_long_rationale_keeps_the_late_note_whole():
    text = evidence_rationale(
        rationale="x" * 400, recorded_at=NOON - timedelta(hours=5), received_at=NOON
    )
    assert len(text) == 300
    assert text.endswith("x (recorded 5 h before it arrived)")


def test_daily_rules_and_intakes_are_never_late(pat, alice):
    make_intake(pat, alice, symptoms=["calf_pain_swelling"])
    (evidence,) = Escalation.objects.get(code="intake_urgent_referral").evidence.all()
    assert evidence.received_at == evidence.recorded_at
    assert evidence.late is False
