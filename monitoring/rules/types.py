"""The plain values the monitoring rules read and return (no Django)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

CodeKind = Literal["setup", "device", "management", "add_on"]

# Time recorded by an assistant is marked with the payer's modifier; the clinic applies it.
ASSISTANT_MODIFIERS: dict[str, str] = {"PTA": "CQ", "OTA": "CO"}
# Messages are never a real-time interactive communication, whatever an entry says.
NEVER_INTERACTIVE = frozenset({"message"})
PERIOD_DAYS = 30


@dataclass(frozen=True)
class CodeRule:
    """One row of the codes table, as the rules read it."""

    code: str
    kind: CodeKind
    min_days: int | None = None
    max_days: int | None = None
    min_minutes: int | None = None
    max_minutes: int | None = None
    unit_minutes: int | None = None
    requires_interactive: bool = False
    with_code: str = ""
    excludes: tuple[str, ...] = ()


@dataclass(frozen=True)
class EpisodeFact:
    episode_id: int
    started_on: date  # the patient's local date of the set-up (98975)
    ended_on: date | None  # the patient's local date of discharge
    setup_by_id: int
    setup_by_name: str


@dataclass(frozen=True)
class TimeFact:
    """One time entry. `reverses_on` is the date of the entry a reversal undoes."""

    entry_id: int
    staff_id: int
    staff_name: str
    credential: str
    performed_on: date
    minutes: int
    activity: str
    interactive: bool
    reverses_id: int | None = None
    reverses_on: date | None = None
    reason: str = ""


@dataclass(frozen=True)
class DevicePeriod:
    """A 30-day device period (cut short by discharge) and what its data days reach.

    `code` is the device code reached so far; `final` says it can no longer change (the period
    is over, or no higher code exists). While a period runs, `days_needed` more data days reach
    `next_code` if they come in by `needed_by` (`reachable`: enough days are left for them).
    """

    episode_id: int
    number: int
    first: date
    last: date
    complete: bool
    data_days: int
    code: str | None
    final: bool
    next_code: str | None
    days_needed: int | None
    needed_by: date | None
    reachable: bool | None


@dataclass(frozen=True)
class Recorder:
    staff_id: int
    name: str
    credential: str
    minutes: int
    assistant: bool
    modifier: str | None


@dataclass(frozen=True)
class Correction:
    """A reversal dated in this month of an entry in an earlier, signed-off month."""

    entry_id: int
    reverses_id: int
    corrects_month: date
    minutes: int
    reason: str


@dataclass(frozen=True)
class Management:
    minutes: int
    interactive_count: int
    code: str | None
    add_on_code: str | None
    add_on_units: int
    next_code: str | None
    minutes_needed: int | None
    interactive_needed: bool
    assistant_minutes: int
    modifiers: tuple[str, ...]
    recorders: tuple[Recorder, ...]
    corrections: tuple[Correction, ...]


@dataclass(frozen=True)
class CodeReached:
    code: str
    units: int
    first: date  # the period the code is for: an episode's set-up day, a device period, a month
    last: date
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class MonthRecord:
    month: date
    setup: tuple[EpisodeFact, ...]
    periods: tuple[DevicePeriod, ...]
    management: Management
    codes: tuple[CodeReached, ...] = field(default_factory=tuple)
