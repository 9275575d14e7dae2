"""Check-in reminders: each patient's next slot lives in the database; the minute beat finds
the due ones with one indexed query, leases them in chunks and hands each chunk to a worker,
which sends or skips every slot once (a unique (patient, slot) row) and schedules the next.

Skip rules at send time, in this order: discharged or paused; more than
STRIDE_REMINDER_MAX_DELAY_MINUTES late (a reminder hours late confuses more than it helps);
inside quiet hours now (postponed to their end, same slot); already checked in since the slot's
local day began; nowhere to send it (no partner webhook, no email). Slot arithmetic is in
`patients.reminder_schedule` (zoneinfo, DST rules documented there).
"""

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from clinic.models import Clinic, NotificationChannel, NotificationTarget
from clinic.notifications import NotificationDraft, notifications_enqueue_bulk
from common.db import insert_skipping_conflicts, update_rows
from common.tasks import publish
from patients.models import (
    CheckIn,
    Patient,
    PatientStatus,
    Reminder,
    ReminderOutcome,
    ReminderSkipReason,
)
from patients.reminder_schedule import (
    Schedule,
    local_day_start,
    next_local_midnight,
    next_slot,
    quiet_hours_end,
)

logger = logging.getLogger(__name__)

EVENT = "reminder.due"
# Columns a chunk reads; the row stays a dict (no model instances for 1,000 rows at a time).
_ROW_FIELDS = (
    "pk",
    "clinic_id",
    "status",
    "email",
    "timezone",
    "checkin_weekdays",
    "checkin_time",
    "quiet_start",
    "quiet_end",
    "next_reminder_at",
    "next_reminder_on",
)


def schedule_of(patient: Patient | dict[str, Any]) -> Schedule:
    def get(name: str) -> Any:
        return patient[name] if isinstance(patient, dict) else getattr(patient, name)

    return Schedule(
        weekdays=get("checkin_weekdays"),
        at=get("checkin_time"),
        timezone=get("timezone"),
        quiet_start=get("quiet_start"),
        quiet_end=get("quiet_end"),
    )


SCHEDULE_FIELDS = frozenset(
    {"checkin_weekdays", "checkin_days", "checkin_time", "quiet_start", "quiet_end", "timezone"}
)


def patient_schedule_apply(patient: Patient, *, now: datetime | None = None) -> list[str]:
    """Compute the patient's next reminder slot, and when the daily rules first run (not saved).

    Called whenever the schedule, time zone or status changes. A slot already handled today
    keeps its Reminder row, so moving the time later the same day sends nothing twice. A
    discharged patient has neither. Returns the fields set, for `save(update_fields=...)`.
    """
    now = now or timezone.now()
    if patient.status == PatientStatus.DISCHARGED:
        patient.next_reminder_at = patient.next_reminder_on = None
        patient.engagement_due_at = None
    else:
        slot = next_slot(schedule=schedule_of(patient), now=now)
        patient.next_reminder_at = slot.due_at if slot else None
        patient.next_reminder_on = slot.on if slot else None
        if patient.engagement_due_at is None:
            patient.engagement_due_at = next_local_midnight(now, patient.timezone)
    patient.reminder_claimed_until = None
    return ["next_reminder_at", "next_reminder_on", "reminder_claimed_until", "engagement_due_at"]


def reminders_schedule_missing(*, now: datetime | None = None, max_chunks: int = 100) -> int:
    """Schedule active patients whose slots were never computed (made outside the services).

    Set-based: the partial index `patient_unscheduled` holds only them. Returns how many.
    """
    now = now or timezone.now()
    size = settings.STRIDE_REMINDER_CHUNK_SIZE
    total = 0
    for _ in range(max_chunks):
        with transaction.atomic():
            patients = list(
                Patient.objects.select_for_update(skip_locked=True)
                .filter(status=PatientStatus.ACTIVE, checkin_weekdays__gt=0)
                .filter(Q(next_reminder_at__isnull=True) | Q(engagement_due_at__isnull=True))
                .only(
                    "pk",
                    "next_reminder_at",
                    "engagement_due_at",
                    *SCHEDULE_FIELDS - {"checkin_days"},
                )
                .order_by("pk")[:size]
            )
            for patient in patients:
                # Fill in only what is missing: a slot already stored stays as it is.
                if patient.next_reminder_at is None:
                    slot = next_slot(schedule=schedule_of(patient), now=now)
                    patient.next_reminder_at = slot.due_at if slot else None
                    patient.next_reminder_on = slot.on if slot else None
                if patient.engagement_due_at is None:
                    patient.engagement_due_at = next_local_midnight(now, patient.timezone)
            if patients:
                Patient.objects.bulk_update(
                    patients,
                    ["next_reminder_at", "next_reminder_on", "engagement_due_at"],
                    batch_size=size,
                )
        total += len(patients)
        if len(patients) < size:
            break
    return total


def reminders_claim_due(*, now: datetime, limit: int) -> list[int]:
    """Lease up to `limit` due patients not leased already; returns their ids.

    SELECT ... FOR UPDATE SKIP LOCKED then a conditional UPDATE in one transaction: two beats
    never lease the same patient. Leases that ran out (their worker died) are taken first,
    then unleased due slots, each from an index of its own (`patient_reminder_leased`,
    `patient_reminder_due`), so each chunk costs the same however many are leased already.
    """
    lease_until = now + timedelta(seconds=settings.STRIDE_REMINDER_LEASE_SECONDS)
    due = Patient.objects.select_for_update(skip_locked=True).filter(next_reminder_at__lte=now)
    with transaction.atomic():
        ids = list(
            due.filter(reminder_claimed_until__lt=now)
            .order_by("reminder_claimed_until")
            .values_list("pk", flat=True)[:limit]
        )
        if len(ids) < limit:
            ids += (
                due.filter(reminder_claimed_until__isnull=True)
                .order_by("next_reminder_at")
                .values_list("pk", flat=True)[: limit - len(ids)]
            )
        if ids:
            Patient.objects.filter(pk__in=ids).update(reminder_claimed_until=lease_until)
    return ids


@dataclass(frozen=True)
class DispatchResult:
    scheduled: int = 0
    chunks: int = 0
    patients: int = 0


def reminders_dispatch_due(*, now: datetime | None = None) -> DispatchResult:
    """The minute beat: lease every patient due by `now`, a chunk at a time, and queue each
    chunk for a worker (`patients.tasks.reminders_send_chunk`, queue `reminders`)."""
    now = now or timezone.now()
    scheduled = reminders_schedule_missing(now=now)
    size = settings.STRIDE_REMINDER_CHUNK_SIZE
    chunks = patients = 0
    while True:
        ids = reminders_claim_due(now=now, limit=size)
        if not ids:
            break
        from patients.tasks import reminders_send_chunk  # the tasks import this module

        if (exc := publish(reminders_send_chunk, ids)) is not None:
            # The broker is down: give the lease back so the next beat tries at once.
            Patient.objects.filter(pk__in=ids).update(reminder_claimed_until=None)
            logger.warning("reminder chunk not queued (%s); next beat retries", type(exc).__name__)
            break
        chunks += 1
        patients += len(ids)
        if len(ids) < size:
            break
    return DispatchResult(scheduled=scheduled, chunks=chunks, patients=patients)


@dataclass(frozen=True)
class SendResult:
    sent: int = 0
    skipped: int = 0
    postponed: int = 0
    notifications: int = 0
    reasons: tuple[tuple[str, int], ...] = ()


def _payload(row: dict[str, Any], reminder_id: int, due_at: datetime) -> dict[str, Any]:
    """What the partner backend is told: ids and times, no names, no clinical data."""
    return {
        "event": EVENT,
        "reminder_id": reminder_id,
        "patient_id": row["pk"],
        "clinic_id": row["clinic_id"],
        "slot_on": row["next_reminder_on"].isoformat(),
        "slot_time": row["checkin_time"].strftime("%H:%M"),
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
        day_starts = {
            row["pk"]: local_day_start(row["next_reminder_on"], row["schedule"].zone)
            for row in rows
        }
        last_checkins = dict(
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
            quiet_end = quiet_hours_end(now, schedule)
            reason = ""
            if row["status"] == PatientStatus.DISCHARGED:
                reason = ReminderSkipReason.DISCHARGED
            elif row["status"] == PatientStatus.PAUSED:
                reason = ReminderSkipReason.PAUSED
            elif now - due > max_delay:
                reason = ReminderSkipReason.LATE
            elif quiet_end is not None:
                # Quiet hours now (a late beat, or a DST shift): the same slot, at their end.
                postponed += 1
                updates[row["pk"]] = _next_slot_values(quiet_end, row["next_reminder_on"])
                continue
            elif (last := last_checkins.get(row["pk"])) and last >= day_starts[row["pk"]]:
                reason = ReminderSkipReason.CHECKED_IN
            elif not _has_channel(row, clinics[row["clinic_id"]]):
                reason = ReminderSkipReason.NO_CHANNEL
            reminders.append(
                Reminder(
                    clinic_id=row["clinic_id"],
                    patient_id=row["pk"],
                    slot_on=row["next_reminder_on"],
                    slot_time=row["checkin_time"],
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
