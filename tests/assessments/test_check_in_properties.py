"""The check-in rules engine's properties (hypothesis): slower than the table tests in
test_check_in_rules.py, so they carry no `pure` marker and `make mutation` leaves them out."""

import json
from dataclasses import replace
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.rules.check_in import ADVICE_ORDER, RULE_CODES, SYMPTOM_GROUPS, CheckInFacts
from tests.assessments.test_check_in_rules import EMERGENCY, NOW, judge, outcome

pains = st.integers(min_value=0, max_value=10)


@st.composite
def check_in_facts(
    draw: st.DrawFn, *, ago_minutes: st.SearchStrategy[int], check_in_id: int
) -> CheckInFacts:
    ran = draw(st.booleans())
    return CheckInFacts(
        recorded_at=NOW - timedelta(minutes=draw(ago_minutes)),
        pain_rest=draw(pains),
        pain_morning=draw(st.none() | pains),
        ran=ran,
        run_minutes=draw(st.none() | st.integers(0, 240)) if ran else None,
        run_km=draw(st.none() | st.sampled_from([0.0, 1.4, 1.82, 3.0, 5.0, 6.5, 10.0, 13.0, 21.1]))
        if ran
        else None,
        pain_during_run=draw(pains) if ran else None,
        pain_after_run=draw(pains) if ran else None,
        pain_worsened_during_run=ran and draw(st.booleans()),
        symptoms=frozenset(draw(st.sets(st.sampled_from(sorted(SYMPTOM_GROUPS)), max_size=3))),
        check_in_id=check_in_id,
    )


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[CheckInFacts, list[CheckInFacts], int | None]:
    """A check-in at NOW and up to 25 others from 32 days before to 2 days after it."""
    check_in = draw(check_in_facts(ago_minutes=st.just(0), check_in_id=0))
    size = draw(st.integers(0, 25))
    # Hours, to land often on the 4 h / 36 h / 7 d boundaries.
    ago = st.integers(-48, 32 * 24).map(lambda h: h * 60)
    history = [draw(check_in_facts(ago_minutes=ago, check_in_id=i + 1)) for i in range(size)]
    return check_in, history, draw(st.none() | pains)


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_property_advice_is_the_max_and_codes_are_unique(
    scenario: tuple[CheckInFacts, list[CheckInFacts], int | None],
) -> None:
    check_in, history, intake = scenario
    judgement = judge(check_in, history, intake=intake)
    codes = judgement.codes
    assert len(codes) == len(set(codes))
    assert codes == [c for c in RULE_CODES if c in codes]
    expected = max(
        (f.advice for f in judgement.findings), key=ADVICE_ORDER.index, default="continue"
    )
    assert judgement.advice_level == expected
    assert judgement.pain_not_settled == ("pain_not_settled" in codes)
    assert not (judgement.pain_not_settled and judgement.settled_run_id is not None)
    assert judgement.peak_pain == check_in.peak_pain
    for found in judgement.findings:
        json.dumps(found.values)
        assert found.rationale and "\n" not in found.rationale and len(found.rationale) < 300
        assert check_in.check_in_id not in found.check_in_ids


@settings(max_examples=200, deadline=None)
@given(scenarios(), st.sampled_from(EMERGENCY))
def test_property_an_emergency_symptom_always_means_urgent_care(
    scenario: tuple[CheckInFacts, list[CheckInFacts], int | None], symptom: str
) -> None:
    check_in, history, intake = scenario
    flagged = replace(check_in, symptoms=check_in.symptoms | {symptom})
    judgement = judge(flagged, history, intake=intake)
    assert judgement.advice_level == "seek_urgent_care"
    assert outcome(judgement, "red_flag_emergency") == ("critical", "seek_urgent_care")


@settings(max_examples=200, deadline=None)
@given(scenarios())
def test_property_only_the_past_counts(
    scenario: tuple[CheckInFacts, list[CheckInFacts], int | None],
) -> None:
    check_in, history, intake = scenario
    past = [c for c in history if c.recorded_at < check_in.recorded_at]
    assert judge(check_in, history, intake=intake) == judge(check_in, past, intake=intake)
    assert judge(check_in, list(reversed(history)), intake=intake) == judge(
        check_in, history, intake=intake
    )
