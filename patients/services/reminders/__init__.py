"""Check-in reminders: each patient's next slot lives in the database; the minute beat finds
the due ones with one indexed query, leases them in chunks and hands each chunk to a worker,
which sends or skips every slot once (a unique (patient, slot) row) and schedules the next.

- `schedule`: the next slot of a patient, the slots never computed, the lease and the dispatch
  of due chunks;
- `send`: a chunk's slots sent, skipped or postponed, and the next slot stored.

Skip rules at send time, in this order (`patients.rules.reminder_decision`): discharged or
paused; more than STRIDE_REMINDER_MAX_DELAY_MINUTES late (a reminder hours late confuses more
than it helps); inside quiet hours now (postponed to their end, same slot); already checked in
since the slot's local day began; nowhere to send it (no partner webhook, no email). Slot
arithmetic is in `patients.rules.reminder_schedule` (zoneinfo, DST rules documented there).
"""

from patients.services.reminders.schedule import (
    SCHEDULE_FIELDS,
    SEND_TASK,
    DispatchResult,
    patient_schedule_apply,
    reminders_claim_due,
    reminders_dispatch_due,
    reminders_schedule_missing,
    schedule_of,
)
from patients.services.reminders.send import EVENT, SendResult, reminders_run_due, reminders_send

__all__ = [
    "EVENT",
    "SCHEDULE_FIELDS",
    "SEND_TASK",
    "DispatchResult",
    "SendResult",
    "patient_schedule_apply",
    "reminders_claim_due",
    "reminders_dispatch_due",
    "reminders_run_due",
    "reminders_schedule_missing",
    "reminders_send",
    "schedule_of",
]
