"""Reminder slots kept and handed out: each patient's next slot is computed when the schedule,
time zone or status changes (and filled in for patients made outside the services); the minute
beat leases the due patients in chunks and queues each chunk for a worker (`send`).

Slot arithmetic is in `patients.rules.reminder_schedule` (zoneinfo, DST rules documented
there).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.tasks import publish
from patients.models import Patient, PatientStatus
from patients.rules.reminder_schedule import Schedule, next_local_midnight, next_slot

logger = logging.getLogger(__name__)


def schedule_of(patient: Patient | dict[str, Any]) -> Schedule:
    def get(name: str) -> Any:
        return patient[name] if isinstance(patient, dict) else getattr(patient, name)

    return Schedule(
        weekdays=get("check_in_weekdays"),
        at=get("check_in_time"),
        timezone=get("timezone"),
        quiet_start=get("quiet_start"),
        quiet_end=get("quiet_end"),
    )


SCHEDULE_FIELDS = frozenset(
    {"check_in_weekdays", "check_in_days", "check_in_time", "quiet_start", "quiet_end", "timezone"}
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
                .filter(status=PatientStatus.ACTIVE, check_in_weekdays__gt=0)
                .filter(Q(next_reminder_at__isnull=True) | Q(engagement_due_at__isnull=True))
                .only(
                    "pk",
                    "next_reminder_at",
                    "engagement_due_at",
                    *SCHEDULE_FIELDS - {"check_in_days"},
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
