"""The check-in rules engine against the check-in rules table, row by row, at its thresholds.

Pure tests: no database, no Django models.
"""

import json
import random
from datetime import UTC, datetime, timedelta, timezone, tzinfo

import pytest

from assessments.rules.check_in import (
    ADVICE_ORDER,
    SYMPTOM_GROUPS,
    CheckInFacts,
    Judgement,
    RuleFinding,
    advice_message,
    history_window,
    judge_check_in,
    offline_advice,
    symptom_advice_level,
)
from clinical.thresholds import DEFAULTS, ClinicalThresholds

pytestmark = pytest.mark.pure

NOW = datetime(2026, 11, 21, 19, 0, tzinfo=UTC)
EMERGENCY = sorted(c for c, g in SYMPTOM_GROUPS.items() if g == "emergency")
MECHANICAL = sorted(c for c, g in SYMPTOM_GROUPS.items() if g == "mechanical")


def ci(*, ago: timedelta = timedelta(0), pain_rest: int = 1, **fields: object) -> CheckInFacts:
    """A check-in recorded `ago` before NOW."""
    return CheckInFacts(recorded_at=NOW - ago, pain_rest=pain_rest, **fields)


def run(
    *, ago: timedelta, km: float | None = None, minutes: int | None = None, **fields: object
) -> CheckInFacts:
    """A check-in that reports a run, with low run pains unless told."""
    defaults: dict[str, object] = {"pain_during_run": 1, "pain_after_run": 1}
    return ci(ago=ago, ran=True, run_km=km, run_minutes=minutes, **{**defaults, **fields})


def judge(
    check_in: CheckInFacts,
    history: list[CheckInFacts] | tuple[CheckInFacts, ...] = (),
    *,
    intake: int | None = None,
    thresholds: ClinicalThresholds = DEFAULTS,
) -> Judgement:
    return judge_check_in(
        check_in=check_in,
        history=list(history),
        intake_pain_worst_running=intake,
        thresholds=thresholds,
    )


def finding(judgement: Judgement, code: str) -> RuleFinding | None:
    matches = [f for f in judgement.findings if f.code == code]
    assert len(matches) <= 1, judgement.findings
    return matches[0] if matches else None


def outcome(judgement: Judgement, code: str) -> tuple[str | None, str] | None:
    """(severity, advice) of the code's finding, or None when it did not fire."""
    found = finding(judgement, code)
    return None if found is None else (found.severity, found.advice)


def days(n: float) -> timedelta:
    return timedelta(days=n)


def hours(n: float) -> timedelta:
    return timedelta(hours=n)


# --- the symptom list -------------------------------------------------------------------


def test_symptom_groups_are_the_eleven_of_clinical_md() -> None:
    assert len(SYMPTOM_GROUPS) == 11
    assert EMERGENCY == [
        "calf_pain_swelling",
        "cannot_bear_weight",
        "hot_swollen_knee_fever",
        "numbness_tingling",
    ]
    assert MECHANICAL == [
        "catching",
        "giving_way",
        "locking",
        "night_pain",
        "sharp_pain",
        "swelling",
    ]
    assert SYMPTOM_GROUPS["limping"] == "load"


# --- red_flag_emergency / red_flag_mechanical / stride_change ---------------------------


@pytest.mark.parametrize(
    ("symptoms", "emergency", "mechanical", "stride"),
    [
        *[({s}, ("critical", "seek_urgent_care"), None, None) for s in EMERGENCY],
        *[({s}, None, ("high", "stop_and_contact"), None) for s in MECHANICAL],
        ({"limping"}, None, None, ("moderate", "reduce")),
        (set(), None, None, None),
        (
            {"numbness_tingling", "locking", "limping"},
            ("critical", "seek_urgent_care"),
            ("high", "stop_and_contact"),
            ("moderate", "reduce"),
        ),
    ],
)
def test_symptom_rules(
    symptoms: set[str],
    emergency: tuple[str, str] | None,
    mechanical: tuple[str, str] | None,
    stride: tuple[str, str] | None,
) -> None:
    judgement = judge(ci(symptoms=frozenset(symptoms)))
    assert outcome(judgement, "red_flag_emergency") == emergency
    assert outcome(judgement, "red_flag_mechanical") == mechanical
    assert outcome(judgement, "stride_change") == stride


def test_red_flag_evidence_names_the_symptoms() -> None:
    found = finding(judge(ci(symptoms=frozenset({"locking", "giving_way"}))), "red_flag_mechanical")
    assert found is not None
    assert found.values == {"symptoms": ["giving_way", "locking"], "group": "mechanical"}
    assert found.rationale == "mechanical symptoms reported: giving way, locking"


# --- pain_severe ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"pain_rest": 6}, None),
        ({"pain_rest": 7}, ("high", "stop_and_contact")),
        ({"pain_rest": 8}, ("high", "stop_and_contact")),
        ({"pain_rest": 0, "pain_morning": 7}, ("high", "stop_and_contact")),
        ({"pain_rest": 0, "ran": True, "pain_during_run": 6, "pain_after_run": 6}, None),
        (
            {"pain_rest": 0, "ran": True, "pain_during_run": 2, "pain_after_run": 7},
            ("high", "stop_and_contact"),
        ),
        (
            {"pain_rest": 0, "ran": True, "pain_during_run": 8, "pain_after_run": 1},
            ("high", "stop_and_contact"),
        ),
    ],
)
def test_pain_severe_at_peak_7(fields: dict[str, object], expected: tuple[str, str] | None) -> None:
    judgement = judge(ci(**fields))
    assert outcome(judgement, "pain_severe") == expected


def test_peak_pain_is_the_largest_pain_present() -> None:
    check_in = ci(pain_rest=2, pain_morning=None, ran=True, pain_during_run=5, pain_after_run=3)
    assert check_in.peak_pain == 5
    assert judge(check_in).peak_pain == 5
    found = finding(judge(ci(pain_rest=9)), "pain_severe")
    assert found is not None
    assert found.rationale == "peak pain 9 at or above the severe 7"
    assert found.values == {"peak_pain": 9, "pain_severe": 7}


# --- pain_rising ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("past_peaks", "peak", "expected"),
    [
        ([3, 3, 3], 3, None),  # +0
        ([3, 3, 3], 4, None),  # +1, below the floor of 5
        ([4, 4, 4], 5, ("moderate", "reduce")),  # +1 at the floor
        ([5, 5, 5], 6, ("moderate", "reduce")),  # +1 above the floor
        ([5, 5, 5], 5, None),  # +0 at the floor
        ([6, 6, 6], 5, None),  # falling
        ([3, 3, 3], 5, ("high", "reduce")),  # +2 = MCID
        ([2, 2, 2], 3, None),  # +1 at 3
        ([1, 1, 1], 3, ("high", "reduce")),  # +2 below the floor still high
        ([4, 4, 4], 6, ("high", "reduce")),  # both rows match: high wins
        ([3, 3, 4, 4], 5, ("moderate", "reduce")),  # baseline 3.5, +1.5
        ([2, 2, 3, 3], 4, None),  # baseline 2.5, +1.5 below the floor
        ([3, 3, 4, 4], 6, ("high", "reduce")),  # baseline 3.5, +2.5
        ([1, 2, 9], 4, ("high", "reduce")),  # the median ignores one bad day
    ],
)
def test_pain_rising_rows(
    past_peaks: list[int], peak: int, expected: tuple[str, str] | None
) -> None:
    history = [ci(ago=days(i + 1), pain_rest=p) for i, p in enumerate(past_peaks)]
    judgement = judge(ci(pain_rest=peak), history)
    assert judgement.baseline_source == "check_ins"
    assert outcome(judgement, "pain_rising") == expected


def test_pain_rising_evidence() -> None:
    history = [ci(ago=days(i + 1), pain_rest=3, check_in_id=10 + i) for i in range(3)]
    found = finding(judge(ci(pain_rest=7, check_in_id=99), history), "pain_rising")
    assert found is not None
    assert found.rationale == "pain 7 vs baseline 3 (+4, MCID 2)"
    assert found.values["peak_pain"] == 7
    assert found.values["baseline"] == 3
    assert found.values["delta"] == 4
    assert found.values["pain_mcid"] == 2
    assert sorted(found.check_in_ids) == [10, 11, 12]


@pytest.mark.parametrize(
    ("past", "intake", "baseline", "source"),
    [
        # three check-ins in [C - 7 d, C): their median wins over the intake
        ([(1, 2), (2, 4), (3, 9)], 8, 4.0, "check_ins"),
        # one exactly 7 days before still counts ([C - 7 d, ...)
        ([(1, 2), (2, 4), (7, 6)], 8, 4.0, "check_ins"),
        # just over 7 days before does not: two left, so the intake
        ([(1, 2), (2, 4), (7.001, 6)], 8, 8.0, "intake"),
        ([(1, 2), (2, 4)], 6, 6.0, "intake"),
        ([(1, 2), (2, 4)], None, None, None),
        ([], None, None, None),
    ],
)
def test_baseline_from_check_ins_intake_or_none(
    past: list[tuple[float, int]], intake: int | None, baseline: float | None, source: str | None
) -> None:
    history = [ci(ago=days(d), pain_rest=p) for d, p in past]
    judgement = judge(ci(pain_rest=9), history, intake=intake)
    assert judgement.baseline == baseline
    assert judgement.baseline_source == source
    # Without a baseline pain_rising cannot fire, even at 9.
    assert (finding(judgement, "pain_rising") is None) == (baseline is None)


def test_pain_rising_against_the_intake_says_so() -> None:
    found = finding(judge(ci(pain_rest=6), intake=4), "pain_rising")
    assert found is not None
    assert found.rationale == "pain 6 vs intake baseline 4 (+2, MCID 2)"
    assert found.values["baseline_source"] == "intake"


# --- pain_above_acceptable / pain_worsened_during_run ----------------------------------


@pytest.mark.parametrize(
    ("during", "after", "expected"),
    [
        (5, 5, None),
        (6, 5, ("moderate", "reduce")),
        (5, 6, ("moderate", "reduce")),
        (6, 6, ("moderate", "reduce")),
        (0, 0, None),
        (None, 6, ("moderate", "reduce")),
        (10, None, ("moderate", "reduce")),
    ],
)
def test_pain_above_acceptable_above_5(
    during: int | None, after: int | None, expected: tuple[str, str] | None
) -> None:
    check_in = ci(pain_rest=0, ran=True, pain_during_run=during, pain_after_run=after)
    assert outcome(judge(check_in), "pain_above_acceptable") == expected


def test_pain_above_acceptable_rationale() -> None:
    one = finding(judge(ci(ran=True, pain_during_run=6, pain_after_run=2)), "pain_above_acceptable")
    both = finding(
        judge(ci(ran=True, pain_during_run=6, pain_after_run=7)), "pain_above_acceptable"
    )
    assert one is not None and both is not None
    assert one.rationale == "during-run pain 6 above the acceptable 5"
    assert both.rationale == "during-run pain 6 and after-run pain 7 above the acceptable 5"
    assert one.values == {"pain_during_run": 6, "pain_after_run": 2, "pain_acceptable_max": 5}


@pytest.mark.parametrize(("flag", "expected"), [(True, ("moderate", "reduce")), (False, None)])
def test_pain_worsened_during_run_flag(flag: bool, expected: tuple[str, str] | None) -> None:
    check_in = ci(ran=True, pain_during_run=3, pain_after_run=2, pain_worsened_during_run=flag)
    assert outcome(judge(check_in), "pain_worsened_during_run") == expected


# --- pain_not_settled -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("run_ago", "fires"),
    [
        (hours(4) - timedelta(minutes=1), False),
        (hours(4), True),
        (hours(20), True),
        (hours(36), True),
        (hours(36) + timedelta(minutes=1), False),
    ],
)
def test_pain_not_settled_window_4_to_36_hours(run_ago: timedelta, fires: bool) -> None:
    history = [run(ago=run_ago, pain_morning=1, check_in_id=1)]
    judgement = judge(ci(pain_rest=1, pain_morning=3), history)
    assert outcome(judgement, "pain_not_settled") == ((None, "reduce") if fires else None)
    assert judgement.pain_not_settled is fires


@pytest.mark.parametrize(
    ("morning", "run_morning", "run_rest", "fires"),
    [
        (2, 2, 5, False),  # m = r: settled
        (3, 2, 0, True),  # r is the run's morning pain when it has one
        (1, 2, 0, False),
        (3, None, 2, True),  # else its rest pain
        (2, None, 2, False),
        (1, None, 4, False),
    ],
)
def test_pain_not_settled_reference(
    morning: int, run_morning: int | None, run_rest: int, fires: bool
) -> None:
    history = [run(ago=hours(12), pain_rest=run_rest, pain_morning=run_morning, check_in_id=7)]
    judgement = judge(ci(pain_rest=0, pain_morning=morning), history)
    assert judgement.pain_not_settled is fires
    assert judgement.settled_run_id == (None if fires else 7)
    assert judgement.not_settled_run_id == (7 if fires else None)


def test_pain_not_settled_needs_a_morning_pain_and_a_run() -> None:
    no_morning = judge(ci(pain_rest=5), [run(ago=hours(12), pain_morning=0, check_in_id=7)])
    assert not no_morning.pain_not_settled and no_morning.settled_run_id is None
    not_a_run = judge(ci(pain_morning=5), [ci(ago=hours(12), pain_rest=0, check_in_id=7)])
    assert not not_a_run.pain_not_settled and not_a_run.settled_run_id is None


def test_pain_not_settled_takes_the_latest_run_in_the_window() -> None:
    history = [
        run(ago=hours(30), pain_morning=5, check_in_id=1),
        run(ago=hours(10), pain_morning=1, check_in_id=2),
        run(ago=hours(2), pain_morning=0, check_in_id=3),  # too recent to have settled
    ]
    judgement = judge(ci(pain_morning=3), history)
    found = finding(judgement, "pain_not_settled")
    assert found is not None
    assert found.values["reference"] == 1
    assert found.check_in_ids == (2,)


def _two_runs(
    *, first_report_morning: int | None, extra: list[CheckInFacts] | None = None
) -> list[CheckInFacts]:
    """R1 48 h before NOW, a morning report 18 h after it, R2 20 h before NOW."""
    history = [
        run(ago=hours(48), pain_morning=2, check_in_id=1),
        run(ago=hours(20), pain_morning=2, check_in_id=3),
        *(extra or []),
    ]
    if first_report_morning is not None:
        history.append(ci(ago=hours(30), pain_morning=first_report_morning, check_in_id=2))
    return history


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (_two_runs(first_report_morning=3), ("moderate", "reduce")),  # twice in a row
        (_two_runs(first_report_morning=1), (None, "reduce")),  # R1 settled: once
        (_two_runs(first_report_morning=None), (None, "reduce")),  # R1 never reported: once
        (
            # another run between R1 and R2 that nobody reported on: the run before R2
            # is that one, so the unsettled R1 does not make it "in a row"
            _two_runs(
                first_report_morning=3, extra=[run(ago=hours(28), pain_rest=2, check_in_id=9)]
            ),
            (None, "reduce"),
        ),
        (
            # R2 reported unsettled once before (10 h ago), and R1 settled: the same run
            # twice is not two runs in a row
            _two_runs(
                first_report_morning=1, extra=[ci(ago=hours(10), pain_morning=3, check_in_id=8)]
            ),
            (None, "reduce"),
        ),
        (
            # the run check-in R2 itself carries the morning after R1: settled (2 vs 2)
            [
                run(ago=hours(48), pain_morning=2, check_in_id=1),
                run(ago=hours(20), pain_morning=2, check_in_id=3),
            ],
            (None, "reduce"),
        ),
        (
            # ... not settled (2 vs 0): twice in a row
            [
                run(ago=hours(48), pain_morning=0, check_in_id=1),
                run(ago=hours(20), pain_morning=2, check_in_id=3),
            ],
            ("moderate", "reduce"),
        ),
    ],
)
def test_pain_not_settled_twice_in_a_row(
    history: list[CheckInFacts], expected: tuple[str | None, str]
) -> None:
    judgement = judge(ci(pain_rest=1, pain_morning=4), history)
    assert outcome(judgement, "pain_not_settled") == expected
    assert judgement.pain_not_settled


def test_pain_not_settled_second_time_evidence() -> None:
    found = finding(
        judge(ci(pain_morning=4), _two_runs(first_report_morning=3)), "pain_not_settled"
    )
    assert found is not None
    assert found.rationale == (
        "morning pain 4 vs 2 before the run of 2026-11-20 (not settled, 2nd time)"
    )
    assert found.check_in_ids == (3, 1, 2)
    assert found.values["times_in_a_row"] == 2
    assert found.values["run_recorded_at"] == "2026-11-20T23:00:00+00:00"
    once = finding(judge(ci(pain_morning=4), _two_runs(first_report_morning=1)), "pain_not_settled")
    assert once is not None
    assert once.rationale == "morning pain 4 vs 2 before the run of 2026-11-20 (not settled)"


# --- weekly_pain_increase ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("last", "current", "before", "fires"),
    [
        ([3, 3], 3, [2, 2, 2], True),  # 3 vs 2: +1 exactly
        ([3, 3], 2, [2, 2, 2], False),  # 2.67 vs 2
        ([3], 3, [2, 2, 2], False),  # 2 check-ins in the last 7 days
        ([3, 3], 3, [2, 2], False),  # 2 in the 7 days before
        ([4, 3], 3, [2, 3, 2], True),  # 10/3 vs 7/3: +1 exactly, in thirds
        ([5, 5, 5, 5], 5, [1, 1, 1, 1], True),
        ([2, 2], 2, [3, 3, 3], False),  # falling
    ],
)
def test_weekly_pain_increase(
    last: list[int], current: int, before: list[int], fires: bool
) -> None:
    history = [ci(ago=days(1 + i), pain_rest=p) for i, p in enumerate(last)]
    history += [ci(ago=days(8 + i), pain_rest=p) for i, p in enumerate(before)]
    judgement = judge(ci(pain_rest=current), history)
    assert outcome(judgement, "weekly_pain_increase") == (("moderate", "reduce") if fires else None)


@pytest.mark.parametrize(
    ("third_before_ago", "fires"),
    [
        (days(7), True),  # C - 7 d belongs to the 7 days before (C - 14 d, C - 7 d]
        (days(14) - timedelta(minutes=1), True),
        (days(14), False),  # C - 14 d is outside both windows: 2 left
        (days(7) - timedelta(minutes=1), False),  # in the last 7 days instead: 2 before
    ],
)
def test_weekly_pain_increase_window_edges(third_before_ago: timedelta, fires: bool) -> None:
    history = [ci(ago=days(1), pain_rest=3), ci(ago=days(2), pain_rest=3)]
    history += [ci(ago=days(9), pain_rest=2), ci(ago=days(10), pain_rest=2)]
    history.append(ci(ago=third_before_ago, pain_rest=2))
    judgement = judge(ci(pain_rest=3), history)
    assert (finding(judgement, "weekly_pain_increase") is not None) is fires


def test_weekly_pain_increase_evidence() -> None:
    history = [ci(ago=days(1 + i), pain_rest=4, check_in_id=1 + i) for i in range(2)]
    history += [ci(ago=days(8 + i), pain_rest=2, check_in_id=10 + i) for i in range(3)]
    found = finding(judge(ci(pain_rest=5), history), "weekly_pain_increase")
    assert found is not None
    assert found.values["mean_last_7_days"] == 4.333
    assert found.values["mean_previous_7_days"] == 2
    assert found.values["check_ins_last_7_days"] == 3
    assert found.values["check_ins_previous_7_days"] == 3
    assert found.rationale == (
        "mean peak pain 4.33 over the last 7 days (3 check-ins) vs 2 the 7 days before (3): "
        "+2.33, limit +1"
    )
    assert sorted(found.check_in_ids) == [1, 2, 10, 11, 12]


# --- run_spike --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("past_km", "km", "fires"),
    [
        ([10, 8, 6], 12.0, False),
        ([10, 8, 6], 13.0, False),  # exactly 1.3 x
        ([10, 8, 6], 13.1, True),
        ([10, 8], 20.0, False),  # 2 runs in the window
        ([10, 8, 6, 5], 13.01, True),
        ([1.4, 1, 1], 1.82, False),  # exactly 1.3 x, where float arithmetic says above
        ([1.4, 1, 1], 1.83, True),
    ],
)
def test_run_spike_km(past_km: list[float], km: float, fires: bool) -> None:
    history = [run(ago=days(1 + 3 * i), km=k) for i, k in enumerate(past_km)]
    judgement = judge(run(ago=timedelta(0), km=km), history)
    assert outcome(judgement, "run_spike") == ((None, "reduce") if fires else None)


@pytest.mark.parametrize(
    ("past_minutes", "minutes", "fires"),
    [([40, 30, 30], 52, False), ([40, 30, 30], 53, True), ([40, 30], 60, False)],
)
def test_run_spike_minutes_without_km(past_minutes: list[int], minutes: int, fires: bool) -> None:
    history = [run(ago=days(2 + i), minutes=m) for i, m in enumerate(past_minutes)]
    judgement = judge(run(ago=timedelta(0), minutes=minutes), history)
    assert (finding(judgement, "run_spike") is not None) is fires


@pytest.mark.parametrize(
    ("oldest_ago", "fires"),
    [(days(30), True), (days(30) + timedelta(minutes=1), False)],
)
def test_run_spike_window_is_the_30_days_before(oldest_ago: timedelta, fires: bool) -> None:
    history = [run(ago=days(2), km=5), run(ago=days(9), km=5), run(ago=oldest_ago, km=10)]
    # 14 km beats 1.3 x 10; without the 10 km run only 2 runs are left and the rule is silent.
    spike = judge(run(ago=timedelta(0), km=14), history)
    assert (finding(spike, "run_spike") is not None) is fires


def test_run_spike_falls_back_to_minutes_when_too_few_runs_have_km() -> None:
    history = [run(ago=days(2 + i), minutes=m) for i, m in enumerate([40, 30, 30])]
    found = finding(judge(run(ago=timedelta(0), km=15, minutes=60), history), "run_spike")
    assert found is not None
    assert found.values["measure"] == "minutes"
    assert found.values["unit"] == "min"
    assert found.rationale.startswith("run 60 min vs the longest 40 min")


@pytest.mark.parametrize(
    ("check_in", "history", "unit"),
    [
        # km with 3 earlier km runs: km decide, even where minutes would have fired.
        (
            {"km": 10.0, "minutes": 90},
            [{"km": 10, "minutes": 30}, {"km": 9, "minutes": 30}, {"km": 8, "minutes": 30}],
            None,
        ),
        # Only 2 earlier runs with km: minutes, since C and 3 earlier runs have them.
        (
            {"km": 30.0, "minutes": 60},
            [{"km": 5, "minutes": 40}, {"km": 5, "minutes": 30}, {"minutes": 30}],
            "min",
        ),
        # Only 2 earlier runs with km and C without minutes: nothing to compare, silent.
        ({"km": 30.0}, [{"km": 5}, {"km": 5}, {"minutes": 30}, {"minutes": 30}], None),
        # C with minutes only, earlier runs with km only: unlike units, silent.
        ({"minutes": 90}, [{"km": 5}, {"km": 5}, {"km": 5}], None),
        # C with minutes, 3 earlier runs with minutes: minutes.
        ({"minutes": 53}, [{"minutes": 40}, {"km": 20, "minutes": 30}, {"minutes": 30}], "min"),
    ],
)
def test_run_spike_compares_like_with_like(
    check_in: dict[str, float], history: list[dict[str, float]], unit: str | None
) -> None:
    past = [run(ago=days(2 + i), **h) for i, h in enumerate(history)]
    found = finding(judge(run(ago=timedelta(0), **check_in), past), "run_spike")
    assert (found.values["unit"] if found else None) == unit


def test_run_spike_takes_the_longest_km_among_runs_with_km_only() -> None:
    # A 100-minute run without km is not "the longest run" in km: the longest km is 10.
    history = [
        run(ago=days(2), km=10, check_in_id=1),
        run(ago=days(3), km=9, check_in_id=2),
        run(ago=days(4), km=8, check_in_id=3),
        run(ago=days(5), minutes=100, check_in_id=4),
    ]
    found = finding(judge(run(ago=timedelta(0), km=13.5, minutes=40), history), "run_spike")
    assert found is not None
    assert (found.values["unit"], found.values["longest"], found.check_in_ids) == ("km", 10, (1,))


def test_run_spike_evidence() -> None:
    history = [
        run(ago=days(2), km=8, check_in_id=1),
        run(ago=days(5), km=10, check_in_id=2),
        run(ago=days(9), km=6, check_in_id=3),
    ]
    found = finding(judge(run(ago=timedelta(0), km=14.5), history), "run_spike")
    assert found is not None
    assert found.check_in_ids == (2,)
    assert found.rationale == (
        "run 14.5 km vs the longest 10 km of the 30 days before (3 runs): above 1.3 x = 13 km"
    )
    assert found.values["limit"] == 13
    assert found.values["run"] == 14.5
    assert found.values["runs_in_window"] == 3
    assert (found.values["measure"], found.values["unit"]) == ("km", "km")


# --- the judgement as a whole -----------------------------------------------------------


def test_late_offline_check_in_is_judged_against_its_own_past_only() -> None:
    """A check-in recorded yesterday that arrives after today's is not judged on today's."""
    offline = ci(ago=days(1), pain_rest=5, pain_morning=5, check_in_id=50)
    own_past = [ci(ago=days(1 + i), pain_rest=3, check_in_id=40 + i) for i in range(1, 4)]
    # Read as its past, these would lift the baseline to 6 and make a run to settle.
    later = [
        ci(ago=hours(20), pain_rest=9, check_in_id=60),
        run(ago=hours(12), pain_rest=9, check_in_id=61),
        ci(ago=hours(2), pain_rest=9, pain_morning=9, check_in_id=62),
    ]
    alone = judge(offline, own_past)
    mixed = judge(offline, [*later, *own_past])
    assert mixed == alone
    assert mixed.baseline == 3.0
    assert outcome(mixed, "pain_rising") == ("high", "reduce")  # 5 vs 3
    assert mixed.settled_run_id is None and not mixed.pain_not_settled


def test_a_check_in_recorded_at_the_same_instant_is_not_its_past() -> None:
    history = [ci(ago=days(1), pain_rest=3), ci(ago=days(2), pain_rest=3)]
    same_instant = ci(pain_rest=3, check_in_id=9)
    judgement = judge(ci(pain_rest=5, check_in_id=10), [*history, same_instant], intake=6)
    assert judgement.baseline_source == "intake"
    assert judgement.baseline == 6.0


def test_history_order_does_not_matter() -> None:
    history = [
        *_two_runs(first_report_morning=3),
        *[ci(ago=days(3 + i), pain_rest=2) for i in range(5)],
    ]
    check_in = ci(pain_rest=4, pain_morning=4)
    expected = judge(check_in, history)
    shuffled = list(history)
    random.Random(5).shuffle(shuffled)
    assert judge(check_in, shuffled) == expected
    assert judge(check_in, list(reversed(history))) == expected


def test_times_with_other_offsets_compare_as_instants() -> None:
    berlin_winter = timezone(timedelta(hours=1))
    # 4 h before NOW in UTC, written as local time one hour ahead.
    local_run = CheckInFacts(
        recorded_at=(NOW - hours(4)).astimezone(berlin_winter),
        pain_rest=1,
        pain_morning=1,
        ran=True,
        pain_during_run=1,
        pain_after_run=1,
    )
    assert judge(ci(pain_morning=2), [local_run]).pain_not_settled


def test_two_rules_fire_at_once() -> None:
    check_in = ci(pain_rest=2, ran=True, pain_during_run=8, pain_after_run=6)
    judgement = judge(check_in)
    assert judgement.codes == ["pain_severe", "pain_above_acceptable"]
    assert judgement.advice_level == "stop_and_contact"
    assert [f.severity for f in judgement.escalations] == ["high", "moderate"]


@pytest.mark.parametrize(
    ("check_in", "history", "advice"),
    [
        (ci(pain_rest=2), [], "continue"),
        (run(ago=timedelta(0), km=5), [], "continue"),
        (ci(pain_rest=2, symptoms=frozenset({"limping"})), [], "reduce"),
        (ci(pain_rest=7, symptoms=frozenset({"limping"})), [], "stop_and_contact"),
        (ci(pain_rest=1, symptoms=frozenset({"locking", "limping"})), [], "stop_and_contact"),
        (
            ci(pain_rest=9, symptoms=frozenset({"calf_pain_swelling", "locking", "limping"})),
            [],
            "seek_urgent_care",
        ),
        (ci(pain_rest=1, pain_morning=3), [run(ago=hours(12), pain_morning=1)], "reduce"),
    ],
)
def test_advice_is_the_highest_level_of_the_findings(
    check_in: CheckInFacts, history: list[CheckInFacts], advice: str
) -> None:
    judgement = judge(check_in, history)
    assert judgement.advice_level == advice
    if advice == "continue":
        assert judgement.findings == ()


def test_findings_follow_the_order_of_the_rules_table() -> None:
    history = [run(ago=days(1 + i), km=5, pain_rest=1) for i in range(3)]
    check_in = run(
        ago=timedelta(0),
        km=9,
        pain_rest=8,
        pain_during_run=8,
        pain_after_run=8,
        pain_worsened_during_run=True,
        symptoms=frozenset({"cannot_bear_weight", "swelling", "limping"}),
    )
    judgement = judge(check_in, history)
    assert judgement.codes == [
        "red_flag_emergency",
        "red_flag_mechanical",
        "pain_severe",
        "pain_rising",
        "pain_above_acceptable",
        "pain_worsened_during_run",
        "stride_change",
        "run_spike",
    ]
    for found in judgement.findings:
        json.dumps(found.values)


# --- a clinic's own thresholds ----------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "check_in", "history", "code", "default", "overridden"),
    [
        ({"pain_severe": 8}, ci(pain_rest=7), [], "pain_severe", True, False),
        ({"pain_severe": 6}, ci(pain_rest=6), [], "pain_severe", False, True),
        (
            {"pain_acceptable_max": 6},
            ci(ran=True, pain_during_run=6, pain_after_run=1),
            [],
            "pain_above_acceptable",
            True,
            False,
        ),
        ({"pain_mcid": 3}, ci(pain_rest=4), [], "pain_rising", True, False),
        (
            {"settle_min_hours": 6},
            ci(pain_morning=3),
            [run(ago=hours(5), pain_morning=1)],
            "pain_not_settled",
            True,
            False,
        ),
        (
            {"run_spike_factor": 1.5},
            run(ago=timedelta(0), km=14),
            [run(ago=days(1 + i), km=10) for i in range(3)],
            "run_spike",
            True,
            False,
        ),
        (
            {"run_spike_min_runs": 2},
            run(ago=timedelta(0), km=14),
            [run(ago=days(1 + i), km=10) for i in range(2)],
            "run_spike",
            False,
            True,
        ),
        (
            {"weekly_min_check_ins": 2},
            ci(pain_rest=3),
            [
                ci(ago=days(1), pain_rest=3),
                ci(ago=days(8), pain_rest=2),
                ci(ago=days(9), pain_rest=2),
            ],
            "weekly_pain_increase",
            False,
            True,
        ),
    ],
)
def test_clinic_thresholds_change_the_outcome(
    overrides: dict[str, float],
    check_in: CheckInFacts,
    history: list[CheckInFacts],
    code: str,
    default: bool,
    overridden: bool,
) -> None:
    clinic = DEFAULTS.with_overrides(overrides)
    intake = 2 if code == "pain_rising" else None
    assert (finding(judge(check_in, history, intake=intake), code) is not None) is default
    found = finding(judge(check_in, history, intake=intake, thresholds=clinic), code)
    assert (found is not None) is overridden


def test_overridden_threshold_is_named_in_the_evidence() -> None:
    found = finding(
        judge(ci(pain_rest=8), thresholds=DEFAULTS.with_overrides({"pain_severe": 8})),
        "pain_severe",
    )
    assert found is not None
    assert found.values["pain_severe"] == 8
    assert found.rationale == "peak pain 8 at or above the severe 8"


def test_history_window_covers_every_rule() -> None:
    assert history_window(DEFAULTS) == timedelta(days=30, hours=36)
    longer = DEFAULTS.with_overrides({"run_spike_window_days": 42, "settle_max_hours": 48})
    assert history_window(longer) == timedelta(days=42, hours=48)
    short = DEFAULTS.with_overrides({"run_spike_window_days": 7})
    assert history_window(short) == timedelta(days=14, hours=36)


# --- inputs the rules refuse ------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"recorded_at": datetime(2026, 11, 21, 19, 0), "pain_rest": 1},  # naive
        {"recorded_at": NOW, "pain_rest": 11},
        {"recorded_at": NOW, "pain_rest": -1},
        {"recorded_at": NOW, "pain_rest": 1, "pain_after_run": 12},
        {"recorded_at": NOW, "pain_rest": 1, "symptoms": frozenset({"headache"})},
        {"recorded_at": NOW, "pain_rest": 1, "run_km": -1.0},
        {"recorded_at": NOW, "pain_rest": 1, "run_km": float("nan")},
        {"recorded_at": NOW, "pain_rest": 1, "run_minutes": -5},
    ],
)
def test_check_in_facts_refuse_what_cannot_be_judged(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        CheckInFacts(**fields)


def test_intake_pain_out_of_range_is_refused() -> None:
    with pytest.raises(ValueError) as refused:
        judge(ci(), intake=11)
    assert str(refused.value) == "intake_pain_worst_running must be between 0 and 10, not 11."


# --- advice messages --------------------------------------------------------------------

CONTACT = "Questions? Call Clinic A on 030 1234."


@pytest.mark.parametrize(
    ("level", "says"),
    [
        (
            "seek_urgent_care",
            [
                "Stop running",
                "urgent medical care today",
                "severe or getting worse quickly",
                "chest pain or breathlessness with a swollen calf",
                "a hot swollen knee with fever",
                "a leg that is numb or cold",
                "call your local emergency number now",
                "clinic has been told, but that is no substitute for emergency care",
                "above all out of hours",
            ],
        ),
        (
            "stop_and_contact",
            ["Stop running until your therapist has reviewed this", "has been told"],
        ),
        ("reduce", ["shorter, flatter and easier", "keep doing your exercises"]),
        ("continue", ["Keep to your plan"]),
    ],
)
def test_advice_message(level: str, says: list[str]) -> None:
    message = advice_message(level=level, contact_line=CONTACT)
    for phrase in says:
        assert phrase in message
    assert "not a diagnosis" in message
    assert message.endswith(CONTACT)
    # Short enough to read on a phone; the urgent-care message is the longest (it names
    # when to call the emergency number rather than wait for the clinic).
    assert len(message) < (450 if level == "seek_urgent_care" else 300)


@pytest.mark.parametrize("symptom", sorted(SYMPTOM_GROUPS))
def test_the_published_advice_of_a_symptom_is_what_a_check_in_with_it_gets(symptom: str) -> None:
    # The partner app advises offline from `symptom_advice_level`: the server must agree
    # with it for a check-in that reports the symptom and nothing else of note.
    judgement = judge(ci(pain_rest=0, symptoms=frozenset({symptom})))
    assert judgement.advice_level == symptom_advice_level(symptom)


def test_offline_advice_lists_every_symptom_and_every_level_with_the_clinics_texts() -> None:
    published = offline_advice(contact_line=CONTACT)
    assert [(s.symptom, s.group, s.advice_level) for s in published.symptoms] == [
        ("cannot_bear_weight", "emergency", "seek_urgent_care"),
        ("hot_swollen_knee_fever", "emergency", "seek_urgent_care"),
        ("calf_pain_swelling", "emergency", "seek_urgent_care"),
        ("numbness_tingling", "emergency", "seek_urgent_care"),
        ("locking", "mechanical", "stop_and_contact"),
        ("giving_way", "mechanical", "stop_and_contact"),
        ("swelling", "mechanical", "stop_and_contact"),
        ("catching", "mechanical", "stop_and_contact"),
        ("night_pain", "mechanical", "stop_and_contact"),
        ("sharp_pain", "mechanical", "stop_and_contact"),
        ("limping", "load", "reduce"),
    ]
    assert [(a.level, a.message) for a in published.advice] == [
        (level, advice_message(level=level, contact_line=CONTACT)) for level in ADVICE_ORDER
    ]


def test_advice_message_for_every_level_and_no_other() -> None:
    assert len({advice_message(level=level, contact_line=CONTACT) for level in ADVICE_ORDER}) == 4
    with pytest.raises(ValueError):
        advice_message(level="panic", contact_line=CONTACT)


# --- what the caller and the therapist read, word for word --------------------------------


class _NoOffset(tzinfo):
    """A time zone that does not know its offset: a datetime in it is not really aware."""

    def utcoffset(self, dt: datetime | None) -> None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return "?"

    def dst(self, dt: datetime | None) -> None:
        return None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"recorded_at": datetime(2026, 11, 21, 19, 0)}, "recorded_at must be an aware datetime."),
        (
            {"recorded_at": datetime(2026, 11, 21, 19, 0, tzinfo=_NoOffset())},
            "recorded_at must be an aware datetime.",
        ),
        ({"pain_rest": None}, "pain_rest is required."),
        ({"pain_rest": 11}, "pain_rest must be between 0 and 10, not 11."),
        ({"pain_morning": 11}, "pain_morning must be between 0 and 10, not 11."),
        ({"pain_during_run": -1}, "pain_during_run must be between 0 and 10, not -1."),
        ({"pain_after_run": 12}, "pain_after_run must be between 0 and 10, not 12."),
        ({"pain_after_run": 2.5}, "pain_after_run must be a whole number (NPRS), not 2.5."),
        ({"run_minutes": 2.5}, "run_minutes must be a number of minutes, not 2.5."),
        ({"run_minutes": True}, "run_minutes must be a number of minutes, not True."),
        ({"run_minutes": -5}, "run_minutes must be a number of minutes, not -5."),
        ({"run_km": -1.0}, "run_km must be a distance, not -1.0."),
        ({"run_km": float("inf")}, "run_km must be a distance, not inf."),
        (
            {"symptoms": frozenset({"headache", "fever", "locking"})},
            "Unknown symptom(s): fever, headache.",
        ),
    ],
)
def test_a_refused_check_in_says_which_field_and_what_value(
    fields: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError) as refused:
        CheckInFacts(**{"recorded_at": NOW, "pain_rest": 1, **fields})
    assert str(refused.value) == message


def test_a_run_of_zero_minutes_and_zero_km_is_accepted() -> None:
    judgement = judge(run(ago=timedelta(0), km=0.0, minutes=0))
    assert judgement.advice_level == "continue"


def test_symptoms_sent_as_a_list_with_a_repeat_are_named_once() -> None:
    check_in = ci(symptoms=["giving_way", "locking", "giving_way"])
    found = finding(judge(check_in), "red_flag_mechanical")
    assert found is not None
    assert found.rationale == "mechanical symptoms reported: giving way, locking"
    assert found.values == {"symptoms": ["giving_way", "locking"], "group": "mechanical"}


@pytest.mark.parametrize(
    ("run_morning", "run_rest", "reference", "field"),
    [(2, 0, 2, "pain_morning"), (None, 2, 2, "pain_rest")],
)
def test_pain_not_settled_evidence_names_the_reference_it_used(
    run_morning: int | None, run_rest: int, reference: int, field: str
) -> None:
    history = [run(ago=hours(12), pain_rest=run_rest, pain_morning=run_morning, check_in_id=7)]
    found = finding(judge(ci(pain_rest=0, pain_morning=4), history), "pain_not_settled")
    assert found is not None
    assert found.values["reference"] == reference
    assert found.values["reference_field"] == field


def test_pain_rising_evidence_in_full_with_the_moderate_row() -> None:
    history = [ci(ago=days(i + 1), pain_rest=5, check_in_id=10 + i) for i in range(3)]
    found = finding(judge(ci(pain_rest=6, check_in_id=99), history), "pain_rising")
    assert found is not None
    assert found.severity == "moderate"
    assert found.rationale == "pain 6 vs baseline 5 (+1, at least +1 at pain 5 or more)"
    assert found.values == {
        "peak_pain": 6,
        "baseline": 5,
        "baseline_source": "check_ins",
        "delta": 1,
        "pain_mcid": 2,
        "pain_rising_moderate_delta": 1,
        "pain_rising_moderate_floor": 5,
    }


def test_history_window_covers_a_long_baseline_window() -> None:
    """A clinic's 28-day baseline window with a 7-day run window still needs 28 days back."""
    thresholds = DEFAULTS.with_overrides({"baseline_window_days": 28, "run_spike_window_days": 7})
    assert history_window(thresholds) == timedelta(days=28, hours=36)


def test_advice_message_in_full() -> None:
    assert advice_message(level="continue", contact_line=f"  {CONTACT} ") == (
        f"Keep to your plan. This is guidance, not a diagnosis. {CONTACT}"
    )
    assert advice_message(level="reduce", contact_line="") == (
        "Ease off: make your runs shorter, flatter and easier, and keep doing your exercises. "
        "This is guidance, not a diagnosis."
    )
    with pytest.raises(ValueError, match=r"^Unknown advice level 'rest'\.$"):
        advice_message(level="rest", contact_line=CONTACT)


@pytest.mark.parametrize(
    ("during", "rationale"),
    [
        (6, "pain appeared during the run and kept getting worse (worst 6)"),
        (None, "pain appeared during the run and kept getting worse"),
    ],
)
def test_pain_worsened_during_run_evidence_in_full(during: int | None, rationale: str) -> None:
    check_in = ci(ran=True, pain_during_run=during, pain_worsened_during_run=True)
    found = finding(judge(check_in), "pain_worsened_during_run")
    assert found is not None
    assert found.rationale == rationale
    assert found.values == {"pain_worsened_during_run": True, "pain_during_run": during}


def test_stride_change_evidence_in_full() -> None:
    found = finding(judge(ci(symptoms=frozenset({"limping"}))), "stride_change")
    assert found is not None
    assert found.rationale == "limping reported: the pain changes the stride"
    assert found.values == {"symptoms": ["limping"]}


def test_evidence_numbers_that_are_whole_are_served_as_whole_numbers() -> None:
    """The evidence is served as JSON: a baseline of 5 reads 5, not 5.0."""
    history = [ci(ago=days(i + 1), pain_rest=5, check_in_id=10 + i) for i in range(3)]
    found = finding(judge(ci(pain_rest=6, check_in_id=99), history), "pain_rising")
    assert found is not None
    assert json.dumps({k: found.values[k] for k in ("baseline", "delta")}) == (
        '{"baseline": 5, "delta": 1}'
    )


def test_a_clinics_fine_run_spike_factor_reads_without_a_trailing_point() -> None:
    """A factor of 1.001 on a longest run of 3 km: the limit 3.003 km reads "3 km"."""
    thresholds = DEFAULTS.with_overrides({"run_spike_factor": 1.001})
    history = [run(ago=days(d), km=km, check_in_id=d) for d, km in [(2, 3.0), (4, 2.0), (6, 1.0)]]
    found = finding(judge(run(ago=days(0), km=3.5), history, thresholds=thresholds), "run_spike")
    assert found is not None
    assert found.rationale == (
        "run 3.5 km vs the longest 3 km of the 30 days before (3 runs): above 1 x = 3 km"
    )
    assert (found.values["limit"], found.values["run_spike_factor"]) == (3.003, 1.001)


@pytest.mark.parametrize("order", [[7, 5], [5, 7]])
def test_of_two_runs_recorded_at_the_same_instant_the_larger_id_is_the_later(
    order: list[int],
) -> None:
    """Two runs synced with the same time: the later one (larger id) is the run R the
    morning pain is judged on, whatever order they are given in."""
    pains = {5: 6, 7: 1}  # run 7's morning pain 1 is the reference: 3 > 1, not settled
    history = [
        run(ago=hours(10), check_in_id=i, pain_morning=pains[i], pain_rest=pains[i]) for i in order
    ]
    judgement = judge(ci(pain_morning=3, check_in_id=99), history)
    found = finding(judgement, "pain_not_settled")
    assert found is not None
    assert found.check_in_ids == (7,)
    assert found.rationale.startswith("morning pain 3 vs 1 before the run of ")
    assert judgement.not_settled_run_id == 7


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "pain_terrible"}, "Unknown rule code 'pain_terrible'."),
        ({"severity": "severe"}, "Unknown severity 'severe'."),
        ({"advice": "rest"}, "Unknown advice level 'rest'."),
    ],
)
def test_a_finding_outside_the_vocabulary_is_refused(fields: dict[str, str], message: str) -> None:
    """No rule can hand the escalations a code, severity or advice no one could read."""
    valid = {"code": "pain_severe", "severity": "high", "advice": "stop_and_contact"}
    with pytest.raises(ValueError) as refused:
        RuleFinding(**{**valid, **fields}, rationale="r", values={})
    assert str(refused.value) == message


def test_pain_not_settled_evidence_in_full_once_and_twice_with_a_clinics_hours() -> None:
    """The clinic's settling hours, the morning pain, the reference and, the second time,
    when the run before was and when it was reported as not settled."""
    thresholds = DEFAULTS.with_overrides({"settle_min_hours": 6, "settle_max_hours": 40})
    once = finding(
        judge(ci(pain_morning=4), _two_runs(first_report_morning=1), thresholds=thresholds),
        "pain_not_settled",
    )
    assert once is not None
    assert (once.severity, once.check_in_ids) == (None, (3,))
    assert once.values == {
        "pain_morning": 4,
        "reference": 2,
        "reference_field": "pain_morning",
        "run_recorded_at": "2026-11-20T23:00:00+00:00",
        "times_in_a_row": 1,
        "settle_min_hours": 6,
        "settle_max_hours": 40,
    }
    twice = finding(
        judge(ci(pain_morning=4), _two_runs(first_report_morning=3), thresholds=thresholds),
        "pain_not_settled",
    )
    assert twice is not None
    assert (twice.severity, twice.check_in_ids) == ("moderate", (3, 1, 2))
    assert twice.values == {
        **once.values,
        "times_in_a_row": 2,
        "previous_run_recorded_at": "2026-11-19T19:00:00+00:00",
        "previous_report_recorded_at": "2026-11-20T13:00:00+00:00",
    }


def test_weekly_pain_increase_evidence_in_full_with_a_clinics_thresholds() -> None:
    thresholds = DEFAULTS.with_overrides({"weekly_increase_points": 1.5, "weekly_min_check_ins": 2})
    history = [ci(ago=days(1), pain_rest=4, check_in_id=1)]
    history += [ci(ago=days(8 + i), pain_rest=2, check_in_id=10 + i) for i in range(2)]
    found = finding(judge(ci(pain_rest=4), history, thresholds=thresholds), "weekly_pain_increase")
    assert found is not None
    assert found.rationale == (
        "mean peak pain 4 over the last 7 days (2 check-ins) vs 2 the 7 days before (2): "
        "+2, limit +1.5"
    )
    assert found.values == {
        "mean_last_7_days": 4,
        "mean_previous_7_days": 2,
        "check_ins_last_7_days": 2,
        "check_ins_previous_7_days": 2,
        "weekly_increase_points": 1.5,
        "weekly_min_check_ins": 2,
    }
    assert sorted(found.check_in_ids) == [1, 10, 11]


@pytest.mark.parametrize(("before", "fires"), [([], False), ([1], True)])
def test_weekly_pain_increase_at_a_clinics_minimum_of_one_check_in(
    before: list[int], fires: bool
) -> None:
    """At the lowest minimum a clinic may set, the check-in itself makes the last week and
    one check-in the week before."""
    thresholds = DEFAULTS.with_overrides({"weekly_min_check_ins": 1})
    history = [ci(ago=days(8), pain_rest=p) for p in before]
    judgement = judge(ci(pain_rest=3), history, thresholds=thresholds)
    assert (finding(judgement, "weekly_pain_increase") is not None) is fires


@pytest.mark.parametrize(("past_km", "fires"), [([], False), ([10.0], True)])
def test_run_spike_at_a_clinics_minimum_of_one_run(past_km: list[float], fires: bool) -> None:
    thresholds = DEFAULTS.with_overrides({"run_spike_min_runs": 1})
    history = [run(ago=days(3), km=km, check_in_id=4) for km in past_km]
    found = finding(judge(run(ago=days(0), km=14.0), history, thresholds=thresholds), "run_spike")
    assert (found is not None) is fires
    if found is not None:
        assert found.rationale == (
            "run 14 km vs the longest 10 km of the 30 days before (1 run): above 1.3 x = 13 km"
        )
        assert (found.values["runs_in_window"], found.values["run_spike_min_runs"]) == (1, 1)


def test_run_spike_evidence_in_full_with_a_clinics_window() -> None:
    thresholds = DEFAULTS.with_overrides(
        {"run_spike_window_days": 14, "run_spike_factor": 1.5, "run_spike_min_runs": 2}
    )
    history = [
        run(ago=days(3), km=8, check_in_id=1),
        run(ago=days(6), km=8, check_in_id=2),
        run(ago=days(20), km=30, check_in_id=3),  # outside the 14 days
    ]
    found = finding(judge(run(ago=days(0), km=12.5), history, thresholds=thresholds), "run_spike")
    assert found is not None
    assert found.check_in_ids == (1,)  # the latest of the two longest
    assert found.rationale == (
        "run 12.5 km vs the longest 8 km of the 14 days before (2 runs): above 1.5 x = 12 km"
    )
    assert found.values == {
        "measure": "km",
        "unit": "km",
        "run": 12.5,
        "longest": 8,
        "longest_recorded_at": "2026-11-18T19:00:00+00:00",
        "limit": 12,
        "runs_in_window": 2,
        "run_spike_factor": 1.5,
        "run_spike_window_days": 14,
        "run_spike_min_runs": 2,
    }


@pytest.mark.parametrize(
    ("past_km", "km", "longest"),
    [
        ([0.0, 0.0, 0.0], 1.0, 0),  # after runs of 0 km, any distance is above 1.3 x 0
        ([0.0, 0.5, 0.8], 1.0, None),  # 1 km is not above 1.3 x 0.8 km: a 0 km run is shortest
        ([0.0, 0.5, 0.8], 1.1, 0.8),
    ],
)
def test_run_spike_with_runs_of_zero_km(
    past_km: list[float], km: float, longest: float | None
) -> None:
    history = [run(ago=days(i + 1), km=k, check_in_id=i + 1) for i, k in enumerate(past_km)]
    found = finding(judge(run(ago=days(0), km=km), history), "run_spike")
    assert (found.values["longest"] if found is not None else None) == longest
