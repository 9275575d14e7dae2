"""Whether a patient's running month is close to a threshold (the caseload's marker): a
device period that can still reach its next code with a few more data days, or management
minutes a few short of the next code. Pure: plain values in, plain values out."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from monitoring.rules.device import device_period
from monitoring.rules.management import _next_code, management_code
from monitoring.rules.types import PERIOD_DAYS, CodeRule

# "Close": at most this many data days, or minutes, short of the next code.
NEAR_DAYS = 5
NEAR_MINUTES = 10


@dataclass(frozen=True)
class Nearness:
    days_needed: int | None  # more data days for `device_code` by `needed_by`
    needed_by: date | None
    device_code: str | None
    minutes: int
    minutes_target: int | None  # the minutes `management_code` needs
    management_code: str | None


def nearness(
    *,
    started_on: date,
    today: date,
    data_days: int,
    minutes: int,
    interactive_count: int,
    rules: Sequence[CodeRule],
) -> Nearness | None:
    """What the patient is close to in the running period and month; None when nothing."""
    if today < started_on:
        return None
    first = started_on + timedelta(days=(today - started_on).days // PERIOD_DAYS * PERIOD_DAYS)
    period = device_period(
        episode_id=0,
        number=0,
        first=first,
        last=first + timedelta(days=PERIOD_DAYS - 1),
        ended=False,
        data_days=data_days,
        today=today,
        rules=rules,
    )
    near_device = (
        period.days_needed is not None and period.reachable and period.days_needed <= NEAR_DAYS
    )
    current = management_code(minutes=minutes, interactive_count=interactive_count, rules=rules)
    next_code, needed = _next_code(minutes=minutes, code=current, rules=rules)
    near_minutes = minutes > 0 and needed is not None and needed <= NEAR_MINUTES
    if not near_device and not near_minutes:
        return None
    return Nearness(
        days_needed=period.days_needed if near_device else None,
        needed_by=period.needed_by if near_device else None,
        device_code=period.next_code if near_device else None,
        minutes=minutes,
        minutes_target=minutes + needed if near_minutes and needed is not None else None,
        management_code=next_code if near_minutes else None,
    )
