"""What to do with a due reminder slot at send time, as a pure function (plain data, no models).

The rules, first match wins:

1. the patient is discharged: skip (`discharged`);
2. the patient is paused: skip (`paused`);
3. more than `max_delay` past the slot's due time (a reminder hours late confuses more than it
   helps; exactly `max_delay` late is still sent): skip (`late`);
4. `now` falls inside the patient's quiet hours ([start, end) in local time, so a reminder
   handled at the very minute they start is inside them): postpone to their end, the same slot
   (a late beat, or a DST shift, can bring a slot there);
5. a check-in recorded since the slot's local date began (00:00 local, that instant included):
   skip (`checked_in`);
6. nowhere to send it (no partner webhook, no email): skip (`no_channel`);
7. otherwise send.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from patients.rules.reminder_schedule import Schedule, local_day_start, quiet_hours_end


class SkipReason(StrEnum):
    """Why a slot was not sent; the values are those stored on the reminder."""

    CHECKED_IN = "checked_in"
    PAUSED = "paused"
    DISCHARGED = "discharged"
    LATE = "late"
    NO_CHANNEL = "no_channel"


@dataclass(frozen=True)
class Send:
    """Send the slot's reminder now."""


@dataclass(frozen=True)
class Skip:
    """Record the slot as handled without sending it."""

    reason: SkipReason


@dataclass(frozen=True)
class Postpone:
    """Keep the same slot, due again at `until` (UTC): the end of the quiet hours."""

    until: datetime


Decision = Send | Skip | Postpone


def reminder_decision(
    *,
    now: datetime,
    due: datetime,
    slot_on: date,
    schedule: Schedule,
    discharged: bool,
    paused: bool,
    max_delay: timedelta,
    last_check_in_at: datetime | None,
    has_channel: bool,
) -> Decision:
    """Send, skip (and why) or postpone the slot of local date `slot_on`, due at `due`.

    `now`, `due` and `last_check_in_at` are aware instants; `last_check_in_at` is the
    patient's latest check-in (None without one); `has_channel` says whether the clinic has a
    partner webhook or emails the patient, who has an address. See the module docstring.
    """
    if discharged:
        return Skip(SkipReason.DISCHARGED)
    if paused:
        return Skip(SkipReason.PAUSED)
    if now - due > max_delay:
        return Skip(SkipReason.LATE)
    quiet_end = quiet_hours_end(now, schedule)
    if quiet_end is not None:
        return Postpone(until=quiet_end)
    if last_check_in_at is not None and last_check_in_at >= local_day_start(slot_on, schedule.zone):
        return Skip(SkipReason.CHECKED_IN)
    if not has_channel:
        return Skip(SkipReason.NO_CHANNEL)
    return Send()
