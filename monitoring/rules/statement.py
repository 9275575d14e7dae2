"""A patient's month: set-up, device periods ending in it, management time, codes reached."""

from collections.abc import Mapping, Sequence
from datetime import date

from monitoring.rules.device import device_period, periods_ending_in
from monitoring.rules.management import management_month
from monitoring.rules.types import (
    CodeReached,
    CodeRule,
    DevicePeriod,
    EpisodeFact,
    MonthRecord,
    TimeFact,
)


def month_periods(
    *, episodes: Sequence[EpisodeFact], month_first: date, month_last: date
) -> list[tuple[EpisodeFact, int, date, date]]:
    """Every (episode, number, first, last) of a device period ending in the month."""
    return [
        (episode, number, first, last)
        for episode in episodes
        for number, first, last in periods_ending_in(
            started_on=episode.started_on,
            ended_on=episode.ended_on,
            month_first=month_first,
            month_last=month_last,
        )
    ]


def month_record(
    *,
    month_first: date,
    month_last: date,
    today: date,
    episodes: Sequence[EpisodeFact],
    data_days: Mapping[tuple[int, int], int],
    entries: Sequence[TimeFact],
    rules: Sequence[CodeRule],
) -> MonthRecord:
    """`data_days` maps (episode id, period number) to the period's data days."""
    periods: list[DevicePeriod] = [
        device_period(
            episode_id=episode.episode_id,
            number=number,
            first=first,
            last=last,
            ended=episode.ended_on is not None,
            data_days=data_days.get((episode.episode_id, number), 0),
            today=today,
            rules=rules,
        )
        for episode, number, first, last in month_periods(
            episodes=episodes, month_first=month_first, month_last=month_last
        )
    ]
    setup = tuple(e for e in episodes if month_first <= e.started_on <= month_last)
    management = management_month(
        entries=entries, month_first=month_first, month_last=month_last, rules=rules
    )
    codes: list[CodeReached] = []
    setup_rule = next((r for r in rules if r.kind == "setup"), None)
    if setup_rule is not None:
        codes += [CodeReached(setup_rule.code, 1, e.started_on, e.started_on) for e in setup]
    codes += [
        CodeReached(p.code, 1, p.first, p.last) for p in periods if p.code is not None and p.final
    ]
    if management.code is not None:
        codes.append(CodeReached(management.code, 1, month_first, month_last, management.modifiers))
    if management.add_on_code is not None:
        codes.append(
            CodeReached(
                management.add_on_code,
                management.add_on_units,
                month_first,
                month_last,
                management.modifiers,
            )
        )
    return MonthRecord(
        month=month_first,
        setup=setup,
        periods=tuple(periods),
        management=management,
        codes=tuple(codes),
    )
