"""Check-in reminder slots in the patient's local time, as pure functions (zoneinfo, no models).

A patient's schedule is a set of weekdays (bitmask, Monday = bit 0), a local time, an IANA
time zone and quiet hours. There is at most one slot per local date; its instant is computed
with zoneinfo, so it follows the patient's wall clock across DST changes:

- A local time that does not exist (the hour skipped when clocks go forward) is read with
  `fold=0`, i.e. with the offset in force before the change: 02:30 on a spring-forward day is
  sent at 03:30 local, the instant 02:30 would have been had the clocks not moved.
- A local time that happens twice (the hour repeated when clocks go back) is the first
  occurrence (`fold=0`, the offset before the change).
- Quiet hours are [quiet_start, quiet_end) in local time, wrapping past midnight when
  quiet_start > quiet_end; equal ends mean no quiet hours. A slot whose time falls inside them
  is postponed to the end of those quiet hours (08:00 by default), which may be the next
  morning; it stays the same slot (one reminder), named by its own date.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A week and a day: a schedule with any weekday has a slot among these dates.
_SEARCH_DAYS = 8


@dataclass(frozen=True)
class Schedule:
    weekdays: int  # bitmask, bit 0 = Monday ... bit 6 = Sunday
    at: time
    timezone: str
    quiet_start: time
    quiet_end: time

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def on_weekday(self, day: date) -> bool:
        return bool(self.weekdays & (1 << day.weekday()))


@dataclass(frozen=True)
class Slot:
    on: date  # the slot's local date: one reminder per (patient, on)
    due_at: datetime  # when to send it, UTC


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of a local wall-clock time: gaps and folds read with fold=0 (see above)."""
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0)).replace(tzinfo=zone)
    return wall.astimezone(UTC)


def in_quiet_hours(at: time, quiet_start: time, quiet_end: time) -> bool:
    at = at.replace(tzinfo=None, fold=0)
    if quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= at < quiet_end
    return at >= quiet_start or at < quiet_end


def quiet_hours_end(moment: datetime, schedule: Schedule) -> datetime | None:
    """When the quiet hours that `moment` falls in end (UTC), or None if it is not in them."""
    zone = schedule.zone
    local = moment.astimezone(zone)
    wall = local.time().replace(tzinfo=None)
    if not in_quiet_hours(wall, schedule.quiet_start, schedule.quiet_end):
        return None
    end_day = local.date()
    if schedule.quiet_start > schedule.quiet_end and wall >= schedule.quiet_start:
        end_day += timedelta(days=1)
    return local_instant(end_day, schedule.quiet_end, zone)


def slot_due_at(day: date, schedule: Schedule) -> datetime:
    """When the slot of local date `day` is sent: its local time, or the end of quiet hours."""
    due = local_instant(day, schedule.at, schedule.zone)
    return quiet_hours_end(due, schedule) or due


def next_slot(*, schedule: Schedule, now: datetime, after_on: date | None = None) -> Slot | None:
    """The first slot still to send: due after `now`, and dated after `after_on` if given.

    Dates are searched from the day before `now`'s local date, so that a slot postponed past
    midnight by quiet hours is still found. None when the schedule has no weekday.
    """
    if not schedule.weekdays:
        return None
    start = now.astimezone(schedule.zone).date() - timedelta(days=1)
    if after_on is not None:
        start = max(start, after_on + timedelta(days=1))
    for offset in range(_SEARCH_DAYS + 1):
        day = start + timedelta(days=offset)
        if not schedule.on_weekday(day):
            continue
        due = slot_due_at(day, schedule)
        if due > now:
            return Slot(on=day, due_at=due)
    return None  # pragma: no cover - a weekday always recurs within the search


def local_day_start(day: date, zone: ZoneInfo) -> datetime:
    """The UTC instant the local date begins (00:00, or the end of a gap at midnight)."""
    return local_instant(day, time(0, 0), zone)


def next_local_midnight(moment: datetime, timezone: str) -> datetime:
    """The start of the local date after `moment`'s, as a UTC instant."""
    zone = ZoneInfo(timezone)
    return local_day_start(moment.astimezone(zone).date() + timedelta(days=1), zone)
