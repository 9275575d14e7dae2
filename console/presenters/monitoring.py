"""The remote monitoring record in words."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

ONE_DAY = timedelta(days=1)
FOUR_DAYS = timedelta(days=4)


@dataclass(frozen=True)
class PeriodWords:
    first: date
    last: date
    data_days: int
    code: str | None
    final: bool
    status: str  # what the period still needs, in words


@dataclass(frozen=True)
class MonitoringSummary:
    """A month's record in words: each device period, the minutes, the codes reached."""

    periods: list[PeriodWords]
    minutes: int
    interactive_count: int
    minutes_words: str
    codes: list[str]


def period_words(period: Any) -> str:
    """ "98977 reached", "needs 3 more data days by 14 Dec for 98977", ..."""
    if period.code and (period.final or period.next_code is None):
        return f"{period.code} reached"
    if period.next_code and period.days_needed:
        verb = "needs" if period.reachable else "cannot reach"
        so_far = f"{period.code} so far; " if period.code else ""
        return (
            f"{so_far}{verb} {period.days_needed} more data "
            f"day{'s' if period.days_needed != 1 else ''} by {period.needed_by:%-d %b} "
            f"for {period.next_code}"
        )
    return "no device code" if period.complete else "running"


def minutes_words(management: Any) -> str:
    """ "12 of 20 minutes for 98980", "98980 reached, a call still needed", ..."""
    parts = []
    if management.next_code and management.minutes_needed:
        target = management.minutes + management.minutes_needed
        parts.append(f"{management.minutes} of {target} minutes for {management.next_code}")
    if management.interactive_needed:
        parts.append("an interactive call still needed")
    return "; ".join(parts)


def monitoring_summary(record: Any) -> MonitoringSummary:
    management = record.management
    codes = [
        f"{c.code}{f' x{c.units}' if c.units > 1 else ''}"
        f"{' ' + ' '.join(c.modifiers) if c.modifiers else ''}"
        for c in record.codes
    ]
    return MonitoringSummary(
        periods=[
            PeriodWords(
                first=p.first,
                last=p.last,
                data_days=p.data_days,
                code=p.code,
                final=p.final,
                status=period_words(p),
            )
            for p in record.periods
        ],
        minutes=management.minutes,
        interactive_count=management.interactive_count,
        minutes_words=minutes_words(management),
        codes=codes,
    )


def nearness_words(near: Any) -> tuple[str, ...]:
    """The caseload's marker: "needs 3 more data days by 14 Dec", "12 of 20 minutes"."""
    if near is None:
        return ()
    words = []
    if near.days_needed is not None:
        plural = "s" if near.days_needed != 1 else ""
        words.append(
            f"needs {near.days_needed} more data day{plural} by {near.needed_by:%-d %b} "
            f"({near.device_code})"
        )
    if near.minutes_target is not None:
        words.append(f"{near.minutes} of {near.minutes_target} minutes ({near.management_code})")
    return tuple(words)
