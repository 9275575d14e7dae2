"""Exercise adherence: the share of prescribed exercise sessions due over a span of local days
that the patient reported done. Pure functions over plain data; they import no models.

The definition (docs/clinical-rules.md, "Adherence"):

- An item of a program version is due on the weekdays of `exercise_weekdays(days_per_week)`,
  on the local days the version was in force: from its `start_date` up to (not including)
  the local day it was replaced (`ended_at`), or on while it is active.
- An item counts as done on a day when that day's check-ins list it in
  `exercises_completed`. Over a span, an item's done days are capped at its due days: doing
  Tuesday's session on Wednesday still counts, extra sessions do not make up for other items.
- adherence = sum over items of min(done days, due days) / sum over items of due days; no
  due session in the span gives no figure (None), not 0 % or 100 %.

The caseload's figure is the 7 local days ending today once the patient has checked in
today, else ending yesterday (a day not yet reported is not yet missed): `caseload_window`.
The trend gives, for each day D, the 7 days ending on D.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

WINDOW_DAYS = 7


def exercise_weekdays(days_per_week: int) -> frozenset[int]:
    """The weekdays (0 = Monday) an exercise done `days_per_week` times is due, spread out:
    1 -> Mon; 2 -> Mon, Thu; 3 -> Mon, Wed, Fri; 4 -> Mon, Tue, Thu, Sat; 7 -> every day."""
    n = max(1, min(days_per_week, 7))
    return frozenset(i * 7 // n for i in range(n))


@dataclass(frozen=True)
class ProgramSpan:
    """One program version as adherence sees it: the local days it was in force, its items."""

    start: date
    end: date | None  # first local day no longer in force; None while active
    items: tuple[tuple[int, int], ...]  # (program exercise id, days_per_week)


@dataclass(frozen=True)
class Adherence:
    first: date
    last: date
    done: int
    due: int

    @property
    def ratio(self) -> float | None:
        return round(self.done / self.due, 2) if self.due else None


def caseload_window(*, today: date, reported_today: bool) -> tuple[date, date]:
    """The 7 local days the caseload's adherence covers (see the module docstring)."""
    last = today if reported_today else today - timedelta(days=1)
    return last - timedelta(days=WINDOW_DAYS - 1), last


def adherence(
    *,
    spans: Iterable[ProgramSpan],
    completed: Mapping[date, Collection[int]],
    first: date,
    last: date,
) -> Adherence:
    """Adherence over the local days `first`..`last`, both included."""
    due_total = done_total = 0
    for span in spans:
        start = max(first, span.start)
        end = last if span.end is None else min(last, span.end - timedelta(days=1))
        if start > end:
            continue
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        for item_id, days_per_week in span.items:
            weekdays = exercise_weekdays(days_per_week)
            due = sum(1 for day in days if day.weekday() in weekdays)
            done = sum(1 for day in days if item_id in completed.get(day, ()))
            due_total += due
            done_total += min(done, due)
    return Adherence(first=first, last=last, done=done_total, due=due_total)
