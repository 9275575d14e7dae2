"""Outcome-measure scoring's properties (hypothesis): slower than the examples in
test_scoring.py, so they carry no `pure` marker and `make mutation` leaves them out."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.rules.scoring import INSTRUMENTS, compare, score

RANGES = {"nprs": (0, 10), "lefs": (0, 80), "koos": (0, 100), "koos_pf": (0, 100)}
# Direction of each score as one answer rises: NPRS and LEFS rise, KOOS scores fall
# (KOOS items are 0 = no problems, scores are 100 = no problems).
DIRECTION = {"nprs": 1, "lefs": 1, "koos": -1, "koos_pf": -1}


@st.composite
def responses(draw, instrument=None):
    instrument = instrument or draw(st.sampled_from(sorted(INSTRUMENTS)))
    spec = INSTRUMENTS[instrument]
    items = draw(st.lists(st.sampled_from(spec.items), unique=True))
    answers = {item: draw(st.integers(0, spec.max_answer)) for item in items}
    return instrument, answers


@settings(max_examples=200, deadline=None)
@given(responses())
def test_scores_are_inside_their_ranges(response):
    instrument, answers = response
    low, high = RANGES[instrument]
    scores = score(instrument, answers)
    assert set(scores) == set(INSTRUMENTS[instrument].score_names)
    for value in scores.values():
        assert value is None or low <= value <= high


@settings(max_examples=200, deadline=None)
@given(responses(), st.data())
def test_scores_are_monotonic_in_each_answer(response, data):
    instrument, answers = response
    spec = INSTRUMENTS[instrument]
    raisable = [item for item, value in answers.items() if value < spec.max_answer]
    if not raisable:
        return
    item = data.draw(st.sampled_from(sorted(raisable)))
    raised = {**answers, item: answers[item] + 1}
    before, after = score(instrument, answers), score(instrument, raised)
    for name in spec.score_names:
        # Raising an answer never changes which scores exist ...
        assert (before[name] is None) == (after[name] is None)
        if before[name] is None:
            continue
        # ... and moves each score in its one direction only (or leaves it).
        assert (after[name] - before[name]) * DIRECTION[instrument] >= 0
    # The subscale holding the item moves strictly.
    owner = next(sub.name for sub in spec.subscales if item in sub.items)
    if before[owner] is not None:
        assert (after[owner] - before[owner]) * DIRECTION[instrument] > 0


@settings(max_examples=200, deadline=None)
@given(responses(), responses())
def test_change_is_the_difference_of_the_scores(first, later):
    instrument = first[0]
    later_answers = {k: v for k, v in later[1].items() if k in INSTRUMENTS[instrument].items}
    a, b = score(instrument, first[1]), score(instrument, later_answers)
    result = compare(instrument, a, b)
    for name, change in result.change.items():
        if a[name] is None or b[name] is None:
            assert change is None
        else:
            assert change == pytest.approx(b[name] - a[name], abs=0.051)
