"""Escalations: open one per (patient, code), add evidence, upgrade, notify; and overdue ones."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse
from django.utils import timezone

from clinic.models import Clinic, Notification, NotificationChannel, NotificationTarget, StaffUser
from clinic.notifications import notification_enqueue
from clinical.severity import Severity, severity_rank
from common.db import insert_skipping_conflicts
from patients.models import (
    LATE_ARRIVAL,
    Escalation,
    EscalationEvidence,
    EscalationStatus,
    Patient,
    UndeliverableNotification,
)
from patients.services.summaries import summary_refresh_escalations

logger = logging.getLogger(__name__)

# Why an escalation event reached no person (UndeliverableNotification.reason).
NO_RECIPIENT = "no_active_therapist_no_oncall"


class EscalationStateError(Exception):
    """The escalation's status does not allow this transition."""


RATIONALE_MAX = 300


@dataclass(frozen=True)
class EvidenceInput:
    """One piece of evidence. `recorded_at` is when the check-in was filled in and
    `received_at` when it reached the server; both default to the moment it is raised."""

    severity: str
    rationale: str
    values: dict[str, Any] = field(default_factory=dict)
    assessment_id: int | None = None
    check_in_id: int | None = None
    recorded_at: datetime | None = None
    received_at: datetime | None = None


def _delay_words(delay: timedelta) -> str:
    """A delay as a therapist reads it: "5 h", "1 h 30 min", "3 d 4 h" (whole minutes)."""
    days, minutes = divmod(int(delay.total_seconds()) // 60, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def evidence_rationale(*, rationale: str, recorded_at: datetime, received_at: datetime) -> str:
    """The rationale, saying so when the check-in arrived late (more than LATE_ARRIVAL after
    it was recorded): the patient may already have acted on the advice shown offline. The
    note is kept whole when a long rationale has to be cut to fit."""
    delay = received_at - recorded_at
    if delay <= LATE_ARRIVAL:
        return rationale[:RATIONALE_MAX]
    note = f" (recorded {_delay_words(delay)} before it arrived)"
    return rationale[: RATIONALE_MAX - len(note)] + note


@dataclass(frozen=True)
class EscalationChange:
    escalation: Escalation
    opened: bool
    upgraded: bool

    @property
    def notify(self) -> bool:
        """The therapist hears of an escalation when it opens and when its severity rises."""
        return self.opened or self.upgraded


def _acknowledge_by(clinic: Clinic, severity: str, start: datetime) -> datetime:
    thresholds = clinic.clinical_thresholds()
    minutes = {
        Severity.CRITICAL: thresholds.ack_critical_minutes,
        Severity.HIGH: thresholds.ack_high_minutes,
        Severity.MODERATE: thresholds.ack_moderate_minutes,
        Severity.LOW: thresholds.ack_low_minutes,
    }[Severity(severity)]
    return start + timedelta(minutes=minutes)


def _escalation_open(
    *, patient: Patient, code: str, evidence: EvidenceInput, now: datetime
) -> Escalation | None:
    """Open the escalation: one `INSERT ... ON CONFLICT DO NOTHING`, which does nothing (None)
    when (patient, code) has an unresolved one, committed or not yet (it waits for that
    transaction). Neither a lock read first nor a savepoint around it: the unique index
    decides. The change history gets its creation entry as from `save()` (post_save)."""
    clinic = patient.clinic
    escalation = Escalation(
        clinic=clinic,
        patient=patient,
        code=code,
        severity=evidence.severity,
        opened_at=now,
        acknowledge_by=_acknowledge_by(clinic, evidence.severity, now),
    )
    inserted = insert_skipping_conflicts(Escalation, [escalation], returning=["id"])
    if not inserted:
        return None
    using = Escalation.objects.db
    escalation.pk = inserted[0][0]
    escalation._state.adding = False
    escalation._state.db = using
    post_save.send(
        sender=Escalation,
        instance=escalation,
        created=True,
        update_fields=None,
        raw=False,
        using=using,
    )
    return escalation


def escalation_raise(
    *,
    patient: Patient,
    code: str,
    evidence: EvidenceInput,
    now: datetime | None = None,
    refresh_summary: bool = True,
) -> EscalationChange:
    """Open an escalation for (patient, code), or add to the unresolved one.

    "Unresolved" is open or acknowledged. A repeat adds its evidence and counts the
    occurrence; a higher severity upgrades it: back to `open` even if it was acknowledged,
    with a new acknowledgement deadline counted from `now` (`upgraded_at`), and the therapist
    is told again (`escalation.upgraded`). Deadlines always count from the server's clock when
    the escalation is opened or upgraded, never from the check-in's `recorded_at`. Must run
    inside the caller's transaction; the row lock serialises concurrent raises. The patient's
    caseload summary is recounted, unless the caller (the check-in flow) rebuilds it itself
    once at the end (`refresh_summary=False`), after every escalation lock it takes.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("escalation_raise must run inside a transaction")
    now = now or timezone.now()
    clinic = patient.clinic
    upgraded = False
    current: Escalation | None = None
    while current is None:
        current = _escalation_open(patient=patient, code=code, evidence=evidence, now=now)
        opened = current is not None
        if current is None:
            # There is an unresolved one (the INSERT did nothing): lock it and add to it. It
            # may have been resolved in between; then the INSERT is tried again.
            current = (
                Escalation.objects.select_for_update()
                .filter(patient=patient, code=code)
                .exclude(status=EscalationStatus.RESOLVED)
                .first()
            )
            if current is not None:
                current.patient, current.clinic = patient, clinic  # as read, not again
    if not opened:
        current.occurrences += 1
        fields = ["occurrences", "updated_at"]
        if severity_rank(evidence.severity) > severity_rank(current.severity):
            current.severity = evidence.severity
            current.status = EscalationStatus.OPEN
            current.upgraded_at = now
            current.acknowledge_by = _acknowledge_by(clinic, evidence.severity, now)
            current.overdue_notified_at = None
            current.acknowledged_at = None
            current.acknowledged_by = None
            fields += [
                "severity",
                "status",
                "upgraded_at",
                "acknowledge_by",
                "overdue_notified_at",
                "acknowledged_at",
                "acknowledged_by",
            ]
            upgraded = True
        current.save(update_fields=fields)
    recorded_at = evidence.recorded_at or now
    received_at = evidence.received_at or now
    EscalationEvidence.objects.create(
        escalation=current,
        severity=evidence.severity,
        values=evidence.values,
        rationale=evidence_rationale(
            rationale=evidence.rationale, recorded_at=recorded_at, received_at=received_at
        ),
        assessment_id=evidence.assessment_id,
        check_in_id=evidence.check_in_id,
        recorded_at=recorded_at,
        received_at=received_at,
    )
    change = EscalationChange(escalation=current, opened=opened, upgraded=upgraded)
    if refresh_summary:
        summary_refresh_escalations(patient=patient, now=now)
    if change.notify:
        event_type = "escalation.opened" if opened else "escalation.upgraded"
        escalation_notify(escalation=current, event_type=event_type)
    return change


def escalation_console_url(escalation_id: int) -> str:
    """The escalation's page in the therapist console, for people following a link."""
    path = reverse("console:escalation", args=[escalation_id])
    return f"{settings.STRIDE_PUBLIC_URL.rstrip('/')}{path}"


class EscalationPayload(TypedDict):
    """An escalation event's notification payload, the webhook's `data` (docs/webhooks.md)."""

    event: str
    escalation_id: int
    patient_id: int
    clinic_id: int
    code: str
    severity: str
    status: str
    opened_at: str
    acknowledge_by: str
    occurrences: int
    url: str


def escalation_payload(escalation: Escalation, event_type: str) -> EscalationPayload:
    """What a notification says of an escalation: ids, codes and times, no clinical notes,
    and the link to its console page."""
    return {
        "event": event_type,
        "escalation_id": escalation.pk,
        "patient_id": escalation.patient_id,
        "clinic_id": escalation.clinic_id,
        "code": escalation.code,
        "severity": escalation.severity,
        "status": escalation.status,
        "opened_at": escalation.opened_at.isoformat(),
        "acknowledge_by": escalation.acknowledge_by.isoformat(),
        "occurrences": escalation.occurrences,
        "url": escalation_console_url(escalation.pk),
    }


def escalation_recipients(*, escalation: Escalation, event_type: str) -> list[str]:
    """The people an escalation event is emailed to.

    Opened and upgraded: the patient's therapist when that account is active (and of the
    clinic), otherwise at once the clinic's on-call contacts. Overdue: the on-call contacts,
    otherwise the active therapist. Empty when there is nobody to tell.
    """
    clinic = escalation.clinic
    oncall = [email for email in (clinic.oncall_emails or []) if email]
    therapist = escalation.patient.therapist
    treating = [therapist.email] if therapist.is_active and therapist.clinic_id == clinic.pk else []
    if event_type == "escalation.overdue":
        return oncall or treating
    return treating or oncall


def escalation_notify(*, escalation: Escalation, event_type: str) -> list[Notification]:
    """Write the outbox rows for an escalation event, in the caller's transaction.

    Email to the people `escalation_recipients` names, and a signed webhook to the clinic's
    endpoint when it has one. Each row is written once per event (dedupe key). An event that
    finds no person to email is logged as an error (ids and codes only) and recorded as an
    `UndeliverableNotification`, which `/health/` reports; a webhook does not count as a
    person being told.
    """
    clinic = escalation.clinic
    payload = escalation_payload(escalation, event_type)
    key = f"esc:{escalation.pk}:{event_type}:{escalation.severity}:{escalation.acknowledge_by:%s}"
    emails = escalation_recipients(escalation=escalation, event_type=event_type)
    if not emails:
        _record_undeliverable(escalation=escalation, event_type=event_type)
    rows = [
        notification_enqueue(
            clinic=clinic,
            channel=NotificationChannel.EMAIL,
            target=NotificationTarget.PERSON,
            event_type=event_type,
            recipient=email,
            payload=payload,
            dedupe_key=f"{key}:email:{email}"[:120],
        )
        for email in emails
    ]
    if clinic.webhook_url:
        rows.append(
            notification_enqueue(
                clinic=clinic,
                channel=NotificationChannel.WEBHOOK,
                target=NotificationTarget.CLINIC,
                event_type=event_type,
                recipient=clinic.webhook_url,
                payload=payload,
                dedupe_key=f"{key}:webhook",
            )
        )
    return [row for row in rows if row is not None]


def _record_undeliverable(*, escalation: Escalation, event_type: str) -> None:
    UndeliverableNotification.objects.create(
        clinic_id=escalation.clinic_id,
        escalation=escalation,
        event_type=event_type,
        severity=escalation.severity,
        reason=NO_RECIPIENT,
    )
    logger.error(
        "escalation notification has no recipient: event=%s escalation=%s clinic=%s "
        "patient=%s therapist=%s code=%s severity=%s reason=%s",
        event_type,
        escalation.pk,
        escalation.clinic_id,
        escalation.patient_id,
        escalation.patient.therapist_id,
        escalation.code,
        escalation.severity,
        NO_RECIPIENT,
    )


def _transition(
    *, escalation: Escalation, allowed_from: set[str], to: str, fields: dict[str, Any]
) -> Escalation:
    locked = Escalation.objects.select_for_update().get(pk=escalation.pk)
    if locked.status not in allowed_from:
        raise EscalationStateError(f"An escalation that is {locked.status} cannot become {to}.")
    locked.status = to
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *fields, "updated_at"])
    summary_refresh_escalations(patient=locked.patient)
    return locked


@transaction.atomic
def escalation_acknowledge(*, escalation: Escalation, by: StaffUser) -> Escalation:
    """The therapist has seen it: the overdue clock stops."""
    return _transition(
        escalation=escalation,
        allowed_from={EscalationStatus.OPEN},
        to=EscalationStatus.ACKNOWLEDGED,
        fields={"acknowledged_at": timezone.now(), "acknowledged_by": by},
    )


@transaction.atomic
def escalation_resolve(*, escalation: Escalation, by: StaffUser, note: str) -> Escalation:
    """Close it with a note; an open one may be resolved directly (acknowledged on the way)."""
    if not note.strip():
        raise EscalationStateError("A resolution needs a note.")
    now = timezone.now()
    fields: dict[str, Any] = {
        "resolved_at": now,
        "resolved_by": by,
        "resolution_note": note.strip(),
    }
    if escalation.status == EscalationStatus.OPEN:
        fields |= {"acknowledged_at": now, "acknowledged_by": by}
    return _transition(
        escalation=escalation,
        allowed_from={EscalationStatus.OPEN, EscalationStatus.ACKNOWLEDGED},
        to=EscalationStatus.RESOLVED,
        fields=fields,
    )


def escalations_escalate_overdue(*, now: datetime | None = None, limit: int = 500) -> int:
    """Tell the on-call contacts of every open escalation past its deadline, once each.

    Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED and stamped in the same
    transaction as their outbox rows, so two beats or a retried task notify once.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Escalation.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("clinic", "patient__therapist")
            .filter(status=EscalationStatus.OPEN, overdue_notified_at=None, acknowledge_by__lt=now)
            .order_by("acknowledge_by")[:limit]
        )
        for escalation in due:
            escalation_notify(escalation=escalation, event_type="escalation.overdue")
        Escalation.objects.filter(pk__in=[e.pk for e in due]).update(overdue_notified_at=now)
    return len(due)
