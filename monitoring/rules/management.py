"""Treatment management in a calendar month: minutes, interactive communications, the codes.

In 2026 (the thresholds come from the table): 98979 for 10-19 minutes, 98980 from 20 minutes,
both with at least one real-time interactive communication and excluding each other; with
98980 one 98981 unit per further full 20 minutes (40 -> 1, 59 -> 1, 60 -> 2).

Readings:
- the month's minutes are the entries dated in it, reversals included; a reversal dated in
  this month of an entry of an earlier (signed-off, frozen) month is a correction of that
  month: listed, not subtracted here;
- an interactive communication is an interactive entry of the month that no entry of the
  month reverses; a `message` never counts, whatever the entry says;
- time recorded by an assistant (PTA, OTA) is summed apart and marked with its modifier.
"""

from collections.abc import Sequence
from datetime import date

from monitoring.rules.types import (
    ASSISTANT_MODIFIERS,
    NEVER_INTERACTIVE,
    CodeRule,
    Correction,
    Management,
    Recorder,
    TimeFact,
)


def _in_month(day: date, month_first: date, month_last: date) -> bool:
    return month_first <= day <= month_last


def counted_entries(
    *, entries: Sequence[TimeFact], month_first: date, month_last: date
) -> tuple[list[TimeFact], list[TimeFact]]:
    """(entries that count in the month, corrections of earlier months dated in it)."""
    counted: list[TimeFact] = []
    corrections: list[TimeFact] = []
    for entry in entries:
        if not _in_month(entry.performed_on, month_first, month_last):
            continue
        if entry.reverses_on is not None and not _in_month(
            entry.reverses_on, month_first, month_last
        ):
            corrections.append(entry)
        else:
            counted.append(entry)
    return counted, corrections


def management_code(
    *, minutes: int, interactive_count: int, rules: Sequence[CodeRule]
) -> str | None:
    """The management code reached; where two would, the one needing more minutes."""
    reached = [
        r
        for r in rules
        if r.kind == "management"
        and (r.min_minutes or 0) <= minutes
        and (r.max_minutes is None or minutes <= r.max_minutes)
        and (interactive_count > 0 or not r.requires_interactive)
    ]
    reached.sort(key=lambda r: r.min_minutes or 0)
    return reached[-1].code if reached else None


def add_on_units(*, minutes: int, code: str | None, rules: Sequence[CodeRule]) -> tuple[str, int]:
    """The add-on code that goes with `code` and its units (0 when none is reached)."""
    for rule in rules:
        if rule.kind != "add_on" or rule.with_code != code or code is None:
            continue
        start, unit = rule.min_minutes or 0, rule.unit_minutes or 0
        if unit <= 0 or minutes < start:
            return rule.code, 0
        return rule.code, (minutes - start) // unit + 1
    return "", 0


def _next_code(
    *, minutes: int, code: str | None, rules: Sequence[CodeRule]
) -> tuple[str | None, int | None]:
    """The next management code by minutes and how many more minutes it needs."""
    current = next((r for r in rules if r.code == code), None)
    floor = (current.min_minutes or 0) if current else -1
    higher = sorted(
        (r for r in rules if r.kind == "management" and (r.min_minutes or 0) > floor),
        key=lambda r: r.min_minutes or 0,
    )
    for rule in higher:
        if (rule.min_minutes or 0) > minutes:
            return rule.code, (rule.min_minutes or 0) - minutes
    return None, None


def management_month(
    *, entries: Sequence[TimeFact], month_first: date, month_last: date, rules: Sequence[CodeRule]
) -> Management:
    counted, corrections = counted_entries(
        entries=entries, month_first=month_first, month_last=month_last
    )
    reversed_ids = {e.reverses_id for e in counted if e.reverses_id is not None}
    minutes = sum(e.minutes for e in counted)
    interactive_count = sum(
        1
        for e in counted
        if e.reverses_id is None
        and e.interactive
        and e.activity not in NEVER_INTERACTIVE
        and e.entry_id not in reversed_ids
    )
    code = management_code(minutes=minutes, interactive_count=interactive_count, rules=rules)
    add_on_code, units = add_on_units(minutes=minutes, code=code, rules=rules)
    next_code, minutes_needed = _next_code(minutes=minutes, code=code, rules=rules)
    needs_interactive = any(r.requires_interactive for r in rules if r.kind == "management")

    by_recorder: dict[tuple[int, str], list[TimeFact]] = {}
    for entry in counted:
        by_recorder.setdefault((entry.staff_id, entry.credential), []).append(entry)
    recorders = tuple(
        Recorder(
            staff_id=staff_id,
            name=group[0].staff_name,
            credential=credential,
            minutes=sum(e.minutes for e in group),
            assistant=credential in ASSISTANT_MODIFIERS,
            modifier=ASSISTANT_MODIFIERS.get(credential),
        )
        for (staff_id, credential), group in sorted(by_recorder.items())
    )
    assistant_minutes = sum(r.minutes for r in recorders if r.assistant)
    modifiers = tuple(
        sorted({r.modifier for r in recorders if r.modifier is not None and r.minutes > 0})
    )
    return Management(
        minutes=minutes,
        interactive_count=interactive_count,
        code=code,
        add_on_code=add_on_code or None if units else None,
        add_on_units=units,
        next_code=next_code,
        minutes_needed=minutes_needed,
        interactive_needed=needs_interactive and interactive_count == 0,
        assistant_minutes=assistant_minutes,
        modifiers=modifiers,
        recorders=recorders,
        corrections=tuple(
            Correction(
                entry_id=e.entry_id,
                reverses_id=e.reverses_id or 0,
                corrects_month=(e.reverses_on or e.performed_on).replace(day=1),
                minutes=e.minutes,
                reason=e.reason,
            )
            for e in corrections
        ),
    )
