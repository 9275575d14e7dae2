"""Reminder chunks sent: a worker sends or skips every due slot of its chunk once (a unique
(patient, slot) row) and stores each patient's next slot.

The decision for each slot (send, skip and why, or postpone past quiet hours) is the pure
`patients.rules.reminder_decision`; this module reads its inputs and stores its outcome.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypedDict

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from clinic.models import Clinic, NotificationChannel, NotificationTarget
from clinic.notifications import NotificationDraft, notifications_enqueue_bulk
from common.db import insert_skipping_conflicts, update_rows
from patients.models import (
    CheckIn,
    Patient,
    PatientStatus,
    Reminder,
    ReminderOutcome,
    ReminderSkipReason,
)
from patients.rules.reminder_decision import Postpone, Skip, reminder_decision
from patients.rules.reminder_schedule import Schedule, local_day_start, next_slot
from patients.services.reminders.schedule import (
    reminders_claim_due,
    reminders_schedule_missing,
    schedule_of,
)

EVENT = "reminder.due"
# Columns a chunk reads; the row stays a dict (no model instances for 1,000 rows at a time).
_ROW_FIELDS = (
    "pk",
    "clinic_id",
    "status",
    "email",
    "timezone",
    "check_in_weekdays",
    "check_in_time",
    "quiet_start",
    "quiet_end",
    "next_reminder_at",
    "next_reminder_on",
)


@dataclass(frozen=True)
class SendResult:
    sent: int = 0
    skipped: int = 0
    postponed: int = 0
    notifications: int = 0
    reasons: tuple[tuple[str, int], ...] = ()


class ReminderPayload(TypedDict):
    """A `reminder.due` notification's payload, the webhook's `data` (docs/webhooks.md)."""

    event: str
    reminder_id: int
    patient_id: int
    clinic_id: int
    slot_on: str
    slot_time: str
    timezone: str
    due_at: str


def _payload(row: dict[str, Any], reminder_id: int, due_at: datetime) -> ReminderPayload:
    """What the partner backend is told: ids and times, no names, no clinical data."""
    return {
        "event": EVENT,
        "reminder_id": reminder_id,
        "patient_id": row["pk"],
        "clinic_id": row["clinic_id"],
        "slot_on": row["next_reminder_on"].isoformat(),
        "slot_time": row["check_in_time"].strftime("%H:%M"),
        "timezone": row["timezone"],
        "due_at": due_at.isoformat(),
    }


def _drafts(
    row: dict[str, Any], clinic: Clinic, reminder_id: int, due_at: datetime
) -> list[NotificationDraft]:
    payload = _payload(row, reminder_id, due_at)
    key = f"reminder:{row['pk']}:{row['next_reminder_on'].isoformat()}"
    drafts = []
    if clinic.partner_webhook_url:
        drafts.append(
            NotificationDraft(
                clinic_id=clinic.pk,
                channel=NotificationChannel.WEBHOOK,
                target=NotificationTarget.PARTNER,
                event_type=EVENT,
                recipient=clinic.partner_webhook_url,
                payload=payload,
                dedupe_key=f"{key}:webhook",
            )
        )
    if clinic.reminder_email_enabled and row["email"]:
        drafts.append(
            NotificationDraft(
                clinic_id=clinic.pk,
                channel=NotificationChannel.EMAIL,
                target=NotificationTarget.PERSON,
                event_type=EVENT,
                recipient=row["email"],
                payload=payload,
                dedupe_key=f"{key}:email",
            )
        )
    return drafts


def _has_channel(row: dict[str, Any], clinic: Clinic) -> bool:
    return bool(clinic.partner_webhook_url) or bool(clinic.reminder_email_enabled and row["email"])


NEXT_SLOT_FIELDS = ("next_reminder_at", "next_reminder_on", "reminder_claimed_until")


def _next_slot_values(at: datetime | None, on: date | None) -> dict[str, Any]:
    return {"next_reminder_at": at, "next_reminder_on": on, "reminder_claimed_until": None}


def reminders_send(*, patient_ids: Sequence[int], now: datetime | None = None) -> SendResult:
    """Send or skip the due slot of each of these patients, once, and schedule the next.

    One transaction for the chunk: the patients are locked in id order and re-read as due (a
    second run of the same chunk waits, then finds them no longer due), one Reminder row per
    (patient, slot) is inserted skipping conflicts, the outbox rows of the new sent ones are
    written in bulk, and each patient's next slot is stored. Deliveries are queued after
    commit. The lock waits rather than SKIP LOCKED: the chunk is leased to this task, and a
    concurrent claim or check-in holds a row only for an instant; skipping would leave that
    patient's reminder to the next lease, minutes late.
    """
    now = now or timezone.now()
    max_delay = timedelta(minutes=settings.STRIDE_REMINDER_MAX_DELAY_MINUTES)
    with transaction.atomic():
        rows = list(
            Patient.objects.select_for_update()
            .filter(pk__in=list(patient_ids), next_reminder_at__lte=now)
            .order_by("pk")
            .values(*_ROW_FIELDS)
        )
        if not rows:
            return SendResult()
        clinics = {
            c.pk: c
            for c in Clinic.objects.filter(pk__in={r["clinic_id"] for r in rows})
            .only("pk", "partner_webhook_url", "reminder_email_enabled")
            .order_by()
        }
        for row in rows:
            row["schedule"] = schedule_of(row)
            if row["next_reminder_on"] is None:
                row["next_reminder_on"] = (
                    row["next_reminder_at"].astimezone(row["schedule"].zone).date()
                )
        # Only check-ins since the earliest slot's local day can count; the decision compares
        # each patient's latest to that patient's own slot day.
        day_starts = {
            row["pk"]: local_day_start(row["next_reminder_on"], row["schedule"].zone)
            for row in rows
        }
        last_check_ins = dict(
            CheckIn.objects.filter(
                patient_id__in=list(day_starts), recorded_at__gte=min(day_starts.values())
            )
            .values("patient_id")
            .annotate(last=Max("recorded_at"))
            .values_list("patient_id", "last")
        )

        reminders: list[Reminder] = []
        updates: dict[int, dict[str, Any]] = {}
        postponed = 0
        for row in rows:
            schedule: Schedule = row["schedule"]
            due: datetime = row["next_reminder_at"]
            decision = reminder_decision(
                now=now,
                due=due,
                slot_on=row["next_reminder_on"],
                schedule=schedule,
                discharged=row["status"] == PatientStatus.DISCHARGED,
                paused=row["status"] == PatientStatus.PAUSED,
                max_delay=max_delay,
                last_check_in_at=last_check_ins.get(row["pk"]),
                has_channel=_has_channel(row, clinics[row["clinic_id"]]),
            )
            if isinstance(decision, Postpone):
                postponed += 1
                updates[row["pk"]] = _next_slot_values(decision.until, row["next_reminder_on"])
                continue
            reason = ReminderSkipReason(decision.reason) if isinstance(decision, Skip) else ""
            reminders.append(
                Reminder(
                    clinic_id=row["clinic_id"],
                    patient_id=row["pk"],
                    slot_on=row["next_reminder_on"],
                    slot_time=row["check_in_time"],
                    due_at=due,
                    outcome=ReminderOutcome.SKIPPED if reason else ReminderOutcome.SENT,
                    skip_reason=reason,
                    created_at=now,
                )
            )
            following = None
            if row["status"] != PatientStatus.DISCHARGED:
                following = next_slot(schedule=schedule, now=now, after_on=row["next_reminder_on"])
            updates[row["pk"]] = _next_slot_values(
                following.due_at if following else None, following.on if following else None
            )

        inserted = dict(
            insert_skipping_conflicts(Reminder, reminders, returning=["patient_id", "id"])
        )
        by_patient = {row["pk"]: row for row in rows}
        drafts: list[NotificationDraft] = []
        outcomes: Counter[str] = Counter()
        for reminder in reminders:
            reminder_id = inserted.get(reminder.patient_id)
            if reminder_id is None:
                outcomes["duplicate"] += 1  # this slot was handled before: never twice
                continue
            outcomes[str(reminder.skip_reason or ReminderOutcome.SENT)] += 1
            if reminder.outcome == ReminderOutcome.SENT:
                row = by_patient[reminder.patient_id]
                drafts += _drafts(row, clinics[row["clinic_id"]], reminder_id, reminder.due_at)
        notification_ids = notifications_enqueue_bulk(drafts)
        update_rows(Patient, updates, fields=NEXT_SLOT_FIELDS)
    sent = outcomes.pop(ReminderOutcome.SENT, 0)
    return SendResult(
        sent=sent,
        skipped=sum(n for reason, n in outcomes.items() if reason != "duplicate"),
        postponed=postponed,
        notifications=len(notification_ids),
        reasons=tuple(sorted(outcomes.items())),
    )


def reminders_run_due(*, now: datetime | None = None) -> SendResult:
    """Dispatch and send in this process, chunk by chunk (tests, a one-off catch-up)."""
    now = now or timezone.now()
    reminders_schedule_missing(now=now)
    totals: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    while ids := reminders_claim_due(now=now, limit=settings.STRIDE_REMINDER_CHUNK_SIZE):
        result = reminders_send(patient_ids=ids, now=now)
        totals.update(
            sent=result.sent,
            skipped=result.skipped,
            postponed=result.postponed,
            notifications=result.notifications,
        )
        reasons.update(dict(result.reasons))
    return SendResult(
        sent=totals["sent"],
        skipped=totals["skipped"],
        postponed=totals["postponed"],
        notifications=totals["notifications"],
        reasons=tuple(sorted(reasons.items())),
    )
