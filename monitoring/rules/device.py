"""Device periods: 30 days each from the episode's start, and the device code their data days
reach (98977 at 16 or more, 98985 at 2 to 15 in 2026: the thresholds come from the table)."""

from collections.abc import Sequence
from datetime import date, timedelta

from monitoring.rules.types import PERIOD_DAYS, CodeRule, DevicePeriod


def period_number(*, started_on: date, day: date) -> int:
    """The 1-based device period a local day falls in."""
    return (day - started_on).days // PERIOD_DAYS + 1


def period_bounds(*, started_on: date, ended_on: date | None, number: int) -> tuple[date, date]:
    """First and last day of period `number`; discharge cuts the last period short."""
    first = started_on + timedelta(days=(number - 1) * PERIOD_DAYS)
    last = first + timedelta(days=PERIOD_DAYS - 1)
    if ended_on is not None and ended_on < last:
        last = ended_on
    return first, last


def periods_ending_in(
    *, started_on: date, ended_on: date | None, month_first: date, month_last: date
) -> list[tuple[int, date, date]]:
    """(number, first, last) of every period of the episode whose last day is in the month."""
    if ended_on is not None and ended_on < started_on:
        return []
    periods: list[tuple[int, date, date]] = []
    number = max(1, period_number(started_on=started_on, day=month_first - timedelta(days=1)))
    while True:
        first, last = period_bounds(started_on=started_on, ended_on=ended_on, number=number)
        if first > month_last or (ended_on is not None and first > ended_on):
            return periods
        if month_first <= last <= month_last:
            periods.append((number, first, last))
        number += 1


def _device_rules(rules: Sequence[CodeRule]) -> list[CodeRule]:
    return sorted((r for r in rules if r.kind == "device"), key=lambda r: r.min_days or 0)


def device_code(*, data_days: int, rules: Sequence[CodeRule]) -> str | None:
    """The device code `data_days` reach; where two would, the one needing more days (they
    exclude each other)."""
    reached = [
        r
        for r in _device_rules(rules)
        if (r.min_days or 0) <= data_days and (r.max_days is None or data_days <= r.max_days)
    ]
    return reached[-1].code if reached else None


def device_period(
    *,
    episode_id: int,
    number: int,
    first: date,
    last: date,
    ended: bool,
    data_days: int,
    today: date,
    rules: Sequence[CodeRule],
) -> DevicePeriod:
    """What a period's data days reach, and while it runs, what more it needs and by when."""
    code = device_code(data_days=data_days, rules=rules)
    complete = ended or today > last
    higher = [r for r in _device_rules(rules) if (r.min_days or 0) > data_days]
    next_rule = higher[0] if higher else None
    if complete or next_rule is None:
        return DevicePeriod(
            episode_id=episode_id,
            number=number,
            first=first,
            last=last,
            complete=complete,
            data_days=data_days,
            code=code,
            final=True,
            next_code=None,
            days_needed=None,
            needed_by=None,
            reachable=None,
        )
    needed = (next_rule.min_days or 0) - data_days
    days_left = (last - max(today, first)).days + 1
    return DevicePeriod(
        episode_id=episode_id,
        number=number,
        first=first,
        last=last,
        complete=False,
        data_days=data_days,
        code=code,
        final=False,
        next_code=next_rule.code,
        days_needed=needed,
        needed_by=last,
        reachable=needed <= days_left,
    )
