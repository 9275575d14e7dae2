"""Messages between a patient and their care team.

A patient's message is idempotent like a check-in (the same `Idempotency-Key` mechanism and
table) and counts up the patient's unread messages on the caseload summary in its own
transaction; marking read sets the count back to 0 in the same transaction as the messages.
A care team's message writes a `message.created` outbox row to the partner backend (ids only,
never the text) so the app can push a notification.
"""

from dataclasses import dataclass
from typing import TypedDict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from clinic.models import NotificationChannel, NotificationTarget, StaffUser
from clinic.notifications import notification_enqueue
from patients.models import (
    Message,
    MessageSender,
    Patient,
    PatientStatus,
    PatientSummary,
)
from patients.services.check_ins import (
    IdempotencyKeyInFlight,
    IdempotencyKeyReused,
    IdempotencyKeyTaken,
    idempotency_store,
    idempotency_stored,
    request_fingerprint,
)
from patients.services.summaries import summary_create

EVENT = "message.created"

__all__ = [
    "EVENT",
    "IdempotencyKeyInFlight",
    "IdempotencyKeyReused",
    "MessageRefused",
    "MessageResult",
    "message_fingerprint",
    "message_send_by_patient",
    "message_send_by_staff",
    "messages_mark_read",
]


class MessageRefused(Exception):
    """The patient's status does not take messages (409)."""


@dataclass(frozen=True)
class MessageResult:
    message: Message
    replayed: bool


def message_fingerprint(text: str) -> str:
    """The request's fingerprint, kept apart from a check-in's with the same key."""
    return request_fingerprint({"message": {"text": text}})


def message_send_by_patient(
    *, patient: Patient, text: str, idempotency_key: str, fingerprint: str
) -> MessageResult:
    """Store a patient's message once per idempotency key and count it unread.

    The key is stored in the message's own transaction, as a check-in's is: of two requests
    with one key the second finds the first's key once it has committed, rolls back and
    answers with the first's message (the same body) or IdempotencyKeyReused (another body, or
    a key that made a check-in)."""
    while True:
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    clinic_id=patient.clinic_id,
                    patient=patient,
                    sender=MessageSender.PATIENT,
                    text=text,
                )
                counted = PatientSummary.objects.filter(pk=patient.pk).update(
                    unread_messages=F("unread_messages") + 1
                )
                if not counted:  # a patient made before summaries: its row now
                    summary_create(patient=patient)
                    PatientSummary.objects.filter(pk=patient.pk).update(unread_messages=1)
                idempotency_store(
                    patient=patient, key=idempotency_key, fingerprint=fingerprint, message=message
                )
            return MessageResult(message=message, replayed=False)
        except IdempotencyKeyTaken:
            pass
        stored = idempotency_stored(patient=patient, key=idempotency_key, fingerprint=fingerprint)
        if stored is not None:
            if stored.message is None:  # the key made a check-in
                raise IdempotencyKeyReused()
            return MessageResult(message=stored.message, replayed=True)


class MessagePayload(TypedDict):
    """A `message.created` notification's payload, the webhook's `data` (docs/webhooks.md)."""

    event: str
    message_id: int
    patient_id: int
    clinic_id: int
    created_at: str


def message_payload(message: Message) -> MessagePayload:
    """What the partner backend is told: ids and the time, never the text."""
    return {
        "event": EVENT,
        "message_id": message.pk,
        "patient_id": message.patient_id,
        "clinic_id": message.clinic_id,
        "created_at": message.created_at.isoformat(),
    }


@transaction.atomic
def message_send_by_staff(*, patient: Patient, by: StaffUser, text: str) -> Message:
    """Store the care team's message and tell the partner backend (ids only) so the app can
    push a notification."""
    if patient.status == PatientStatus.DISCHARGED:
        raise MessageRefused("The patient is discharged; messages are closed.")
    message = Message.objects.create(
        clinic_id=patient.clinic_id,
        patient=patient,
        sender=MessageSender.STAFF,
        staff=by,
        text=text,
    )
    clinic = patient.clinic
    if clinic.partner_webhook_url:
        notification_enqueue(
            clinic=clinic,
            channel=NotificationChannel.WEBHOOK,
            target=NotificationTarget.PARTNER,
            event_type=EVENT,
            recipient=clinic.partner_webhook_url,
            payload=message_payload(message),
            dedupe_key=f"message:{message.pk}:webhook",
        )
    return message


@transaction.atomic
def messages_mark_read(*, patient: Patient) -> int:
    """Mark the patient's messages read by the care team; returns how many were unread."""
    # The summary row first (lock order: patient, escalation, summary), so a message arriving
    # meanwhile either is marked here or counts as unread after.
    PatientSummary.objects.select_for_update().filter(pk=patient.pk).first()
    marked = Message.objects.filter(
        patient=patient, sender=MessageSender.PATIENT, read_at__isnull=True
    ).update(read_at=timezone.now())
    PatientSummary.objects.filter(pk=patient.pk).update(unread_messages=0)
    return marked
