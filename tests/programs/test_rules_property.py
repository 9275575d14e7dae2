"""Property: no sequence of check-ins can break the ladder's weekly limits.

What `programs.rules` guarantees, for any sequence of check-ins in arrival order:

1. the level never goes up by more than 2 in any 7 local days (`ladder_max_levels_per_week`);
2. past the last level, a change (duration) is never within 6 days of another change or of a
   level up, and the target never exceeds the 30-day longest run plus 10 %;
3. the plan says "run" only on a day that an independent check of the reported runs allows
   (at most 4 run days in every 7-day window holding it; no neighbouring run day when either
   is at a level of 1-4; no run yet that day);
4. a run on a day that check does not allow never counts as a completion;
5. a patient who runs only when the plan says "run" never has more than 4 run days in any
   7 days nor two consecutive run days at levels 1-4;
6. the level stays within the ladder.
"""

from datetime import date, timedelta

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings, target

from assessments.rules.check_in import CheckInFacts
from clinical.thresholds import DEFAULTS, ClinicalThresholds
from programs.rules import Action, LadderState, RunDay, Step, run_plan
from tests.programs.ladder_helpers import DEFAULT_LADDER, LadderDriver, T, at, day

# Clinics may change the limits: draw them, so that each limit is the one that binds somewhere
# (with the defaults, two completions a level and 4 run days a week rarely reach 2 levels up).
clinic_thresholds = st.builds(
    lambda needed, levels, run_days, consecutive: DEFAULTS.with_overrides(
        {
            "ladder_completions_to_progress": needed,
            "ladder_max_levels_per_week": levels,
            "ladder_max_run_days_per_week": run_days,
            "ladder_no_consecutive_max_level": consecutive,
        }
    ),
    st.sampled_from([1, 1, 2, 3]),
    st.sampled_from([1, 2, 2, 3]),
    st.sampled_from([3, 4, 4, 5, 7]),
    st.sampled_from([0, 2, 4, 4, 8]),
)

MODEL_MORNING = {
    "hour": 7,
    "ran": False,
    "minutes": None,
    "during": 0,
    "after": 0,
    "pain_rest": 1,
    "pain_morning": 1,
    "symptoms": frozenset(),
    "worsened": False,
    "resume": True,
    "obey": True,
}
MODEL_RUN = {
    **MODEL_MORNING,
    "hour": 18,
    "ran": True,
    "minutes": "session",
    "during": 1,
    "after": 1,
    "pain_morning": None,
}

low_pain = st.sampled_from([0, 0, 1, 1, 2, 2, 3, 4, 6, 8])
check_in = st.fixed_dictionaries(
    {
        "hour": st.integers(0, 23),
        "ran": st.booleans(),
        "minutes": st.one_of(st.just("session"), st.just("session"), st.none(), st.integers(0, 60)),
        "during": st.one_of(low_pain, st.none()),
        "after": low_pain,
        "pain_rest": low_pain,
        "pain_morning": st.one_of(st.none(), low_pain, low_pain),
        "symptoms": st.one_of(
            st.just(frozenset()),
            st.just(frozenset()),
            st.just(frozenset()),
            st.sets(st.sampled_from(["limping", "swelling", "locking", "cannot_bear_weight"])),
        ),
        "worsened": st.sampled_from([False, False, False, True]),
        "resume": st.booleans(),
        "obey": st.booleans(),
    }
)
# A well-behaved day (settled morning, a comfortable full session in the evening) makes the
# ladder climb, so that the limits are actually reached; the other days are anything at all.
good_day = st.tuples(st.integers(5, 9), st.integers(16, 21), st.booleans()).map(
    lambda t: [
        {**MODEL_MORNING, "hour": t[0]},
        {**MODEL_RUN, "hour": t[1], "pain_morning": 1 if t[2] else None},
    ]
)
any_day = st.lists(check_in, max_size=3)
days_of_check_ins = st.lists(
    st.one_of(good_day, good_day, good_day, any_day), min_size=7, max_size=45
)


def oracle_allows(
    today: date, level: int, runs: tuple[RunDay, ...], thresholds: ClinicalThresholds
) -> bool:
    by_day: dict[date, int] = {}
    for run in runs:
        by_day[run.day] = min(run.level, by_day.get(run.day, run.level))
    if today in by_day:
        return False
    for neighbour in (today - timedelta(days=1), today + timedelta(days=1)):
        if (
            neighbour in by_day
            and min(level, by_day[neighbour]) <= thresholds.ladder_no_consecutive_max_level
        ):
            return False
    for back in range(7):
        start = today - timedelta(days=back)
        inside = [d for d in by_day if start <= d <= start + timedelta(days=6)]
        if len(inside) + 1 > thresholds.ladder_max_run_days_per_week:
            return False
    return True


def simulate(days: list[list[dict]], *, obedient: bool, thresholds: ClinicalThresholds = T) -> int:
    """Run the check-ins through the rules, asserting the guarantees; returns levels gained."""
    driver = LadderDriver(thresholds)
    ups: list[tuple[date, int]] = []
    changes: list[date] = []
    obeyed_runs: dict[date, int] = {}
    for offset, entries in enumerate(days):
        today = day(offset)
        seen_hours: set[int] = set()
        for entry in sorted(entries, key=lambda e: e["hour"]):
            if entry["hour"] in seen_hours:
                continue
            seen_hours.add(entry["hour"])
            if entry["resume"] and driver.state.paused:
                driver.resume()
            state, history = driver.state, driver.history
            plan = run_plan(
                state=state,
                history=history,
                ladder=DEFAULT_LADDER,
                thresholds=thresholds,
                today=today,
            )
            if plan.status == "run":
                assert oracle_allows(today, state.level, history.runs, thresholds), (
                    today,
                    state,
                    history,
                )
            ran = entry["ran"] and (plan.status == "run" or not (obedient or entry["obey"]))
            minutes = entry["minutes"]
            if minutes == "session":
                minutes = state.target_minutes or DEFAULT_LADDER[state.level - 1].running_minutes
            report = CheckInFacts(
                recorded_at=at(offset, entry["hour"]),
                check_in_id=offset * 100 + entry["hour"],
                pain_rest=entry["pain_rest"],
                pain_morning=entry["pain_morning"],
                ran=ran,
                run_minutes=minutes if ran else None,
                pain_during_run=entry["during"] if ran else None,
                pain_after_run=entry["after"] if ran else None,
                pain_worsened_during_run=entry["worsened"] and ran,
                symptoms=entry["symptoms"],
            )
            _, decisions = driver.apply(report)
            for decision in decisions:
                if decision.step == Step.RUN:
                    allowed = oracle_allows(today, decision.run.level, history.runs, thresholds)
                    if not allowed:
                        assert decision.state.pending is not None
                        assert decision.state.pending.qualifies is False
                    if obedient:
                        obeyed_runs.setdefault(today, decision.run.level)
                if decision.counted:
                    assert decision.settled_run is not None
                    assert decision.settled_run.qualifies
                if decision.levels_up:
                    assert decision.action == Action.PROGRESS
                    ups.append((decision.day, decision.levels_up))
                if decision.variable_change:
                    for earlier in [d for d, _ in ups] + changes:
                        assert abs((decision.day - earlier).days) > 6
                    changes.append(decision.day)
                    since = decision.day - timedelta(days=29)
                    longest = max(
                        r.minutes or 0 for r in history.runs if since <= r.day <= decision.day
                    )
                    assert decision.state.target_minutes <= longest * 1.1 + 1e-9
                history = history.with_decision(decision)
                state = decision.state
                assert 1 <= state.level <= len(DEFAULT_LADDER)
                assert state.completions >= 0

    for start_offset in range(-6, len(days)):
        start = day(start_offset)
        end = start + timedelta(days=6)
        assert sum(n for d, n in ups if start <= d <= end) <= thresholds.ladder_max_levels_per_week
        if obedient:
            assert (
                sum(1 for d in obeyed_runs if start <= d <= end)
                <= thresholds.ladder_max_run_days_per_week
            )
    if obedient:
        for d, level in obeyed_runs.items():
            following = obeyed_runs.get(d + timedelta(days=1))
            if following is not None:
                assert min(level, following) > thresholds.ladder_no_consecutive_max_level
    return sum(n for _, n in ups)


PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(days=days_of_check_ins, thresholds=clinic_thresholds)
def test_no_sequence_of_check_ins_breaks_the_weekly_limits(days, thresholds):
    target(float(simulate(days, obedient=False, thresholds=thresholds)), label="levels gained")


@PROPERTY_SETTINGS
@given(days=days_of_check_ins, thresholds=clinic_thresholds)
def test_a_patient_who_follows_the_plan_never_breaks_the_weekly_limits(days, thresholds):
    target(float(simulate(days, obedient=True, thresholds=thresholds)), label="levels gained")


def test_the_property_is_not_vacuous_a_model_patient_climbs_the_whole_ladder():
    """Runs every planned day at 1/1 pain and reports a settled morning: reaches the last
    level, then grows duration a week at a time."""
    model_day = [MODEL_MORNING, MODEL_RUN]
    driver = LadderDriver()
    for offset in range(60):
        for entry in model_day:
            state = driver.state
            plan = run_plan(
                state=state,
                history=driver.history,
                ladder=DEFAULT_LADDER,
                thresholds=T,
                today=day(offset),
            )
            ran = entry["ran"] and plan.status == "run"
            report = CheckInFacts(
                recorded_at=at(offset, entry["hour"]),
                check_in_id=offset * 100 + entry["hour"],
                pain_rest=1,
                pain_morning=entry["pain_morning"],
                ran=ran,
                run_minutes=(
                    state.target_minutes or DEFAULT_LADDER[state.level - 1].running_minutes
                )
                if ran
                else None,
                pain_during_run=1 if ran else None,
                pain_after_run=1 if ran else None,
            )
            driver.apply(report)
    state = driver.state
    assert state.level == 8
    assert state.target_minutes is not None and state.target_minutes > 30
    assert simulate([model_day] * 60, obedient=True) == 7


# --- The ladder agrees with the check-in rules, whatever order check-ins arrive in -------------

late_check_ins = st.lists(
    st.tuples(st.integers(0, 9), check_in), min_size=2, max_size=24, unique_by=lambda t: t[0]
).flatmap(lambda entries: st.tuples(st.just(entries), st.permutations(list(range(len(entries))))))


@PROPERTY_SETTINGS
@given(drawn=late_check_ins)
def test_the_ladder_agrees_with_the_check_in_rules_in_any_arrival_order(drawn):
    """Check-ins of 10 days (one per 12-hour slot drawn), sent in any order: for each, the rules'
    `pain_not_settled` <=> a step back for it; a red flag or a critical or high finding =>
    paused; pain above the acceptable on a run => a step back (or an already paused ladder);
    a limp or building pain => no progress; a step back or a new pause => advice above
    "continue"."""
    entries, order = drawn
    driver = LadderDriver(state=LadderState(level=5))
    for index in order:
        slot, entry = entries[index]
        ran = entry["ran"]
        report = CheckInFacts(
            recorded_at=at(slot // 2, 7 if slot % 2 == 0 else 18),
            check_in_id=index + 1,
            pain_rest=entry["pain_rest"],
            pain_morning=entry["pain_morning"],
            ran=ran,
            run_minutes=24 if ran else None,
            pain_during_run=(entry["during"] if entry["during"] is not None else 1)
            if ran
            else None,
            pain_after_run=entry["after"] if ran else None,
            pain_worsened_during_run=entry["worsened"] and ran,
            symptoms=entry["symptoms"],
        )
        if entry["resume"] and driver.state.paused:
            driver.resume()
        paused_before = driver.state.paused
        judgement, decisions = driver.apply(report)
        codes = set(judgement.codes)
        actions = [(d.step, d.action) for d in decisions]
        not_settled = [
            d for d in decisions if d.step == Step.SETTLE and d.action == Action.STEP_BACK
        ]
        assert judgement.pain_not_settled == bool(not_settled)
        if any(f.severity in ("critical", "high") for f in judgement.findings):
            assert driver.state.paused
        red_flag = codes & {"red_flag_emergency", "red_flag_mechanical"}
        if ran and "pain_above_acceptable" in codes and not paused_before and not red_flag:
            assert (Step.RUN, Action.STEP_BACK) in actions
        if codes & {"stride_change", "pain_worsened_during_run"}:
            assert all(action != Action.PROGRESS for _, action in actions)
        newly_paused = driver.state.paused and not paused_before
        if not_settled or newly_paused or any(a == Action.STEP_BACK for _, a in actions):
            assert judgement.advice_level != "continue"
        if any(a == Action.PROGRESS for _, a in actions):
            assert not codes & {
                "pain_not_settled",
                "pain_above_acceptable",
                "stride_change",
                "pain_worsened_during_run",
                "red_flag_emergency",
                "red_flag_mechanical",
            }
