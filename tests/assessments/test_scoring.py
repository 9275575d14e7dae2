"""Outcome-measure scoring: hand-computed examples, the missing-item rules, and properties."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.rules.scoring import INSTRUMENTS, answer_errors, compare, score

LEFS_ITEMS = [str(i) for i in range(1, 21)]
PF_ITEMS = [str(i) for i in range(1, 12)]


def koos(**subscales: list[int]) -> dict[str, int]:
    """KOOS answers by subscale prefix: koos(P=[1, 2], S=[0]) -> {"P1": 1, "P2": 2, "S1": 0}."""
    return {
        f"{prefix}{i}": v for prefix, values in subscales.items() for i, v in enumerate(values, 1)
    }


# --- NPRS ----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0, 4, 10])
def test_nprs_is_the_value(value):
    assert score("nprs", {"pain": value}) == {"total": value}


def test_nprs_unanswered_is_unscored():
    assert score("nprs", {}) == {"total": None}


# --- LEFS ----------------------------------------------------------------------------------


def test_lefs_all_answered_is_the_sum():
    answers = dict(zip(LEFS_ITEMS, [4, 3, 2, 1, 0] * 4, strict=True))  # sum 40
    assert score("lefs", answers) == {"total": 40}


def test_lefs_extremes():
    assert score("lefs", dict.fromkeys(LEFS_ITEMS, 0)) == {"total": 0}
    assert score("lefs", dict.fromkeys(LEFS_ITEMS, 4)) == {"total": 80}


def test_lefs_with_four_missing_counts_them_at_the_answered_mean():
    # 16 answered, sum 45: 45 x 20 / 16 = 56.25 -> 56 (the nearest whole point).
    answers = dict(zip(LEFS_ITEMS[:16], [3] * 13 + [2] * 3, strict=True))
    assert sum(answers.values()) == 45
    assert score("lefs", answers) == {"total": 56}


@pytest.mark.parametrize(
    ("answered_sum", "total"),
    [
        (45, 56),  # 56.25 -> 56
        (46, 58),  # 57.5 -> 58: a half goes up
        (47, 59),  # 58.75 -> 59
        (42, 53),  # 52.5 -> 53
        (2, 3),  # 2.5 -> 3
    ],
)
def test_lefs_prorated_total_is_rounded_to_a_whole_point_half_up(answered_sum, total):
    # 16 items answered: each of the 4 missing counts as the mean of the 16.
    values = [answered_sum // 16 + (1 if i < answered_sum % 16 else 0) for i in range(16)]
    answers = dict(zip(LEFS_ITEMS[:16], values, strict=True))
    assert sum(answers.values()) == answered_sum
    result = score("lefs", answers)["total"]
    assert result == total and isinstance(result, int)


def test_lefs_with_one_missing():
    answers = dict.fromkeys(LEFS_ITEMS[1:], 2)  # 19 x 2 = 38 -> 38 x 20 / 19 = 40
    assert score("lefs", answers) == {"total": 40}


def test_lefs_with_five_missing_is_unscored():
    assert score("lefs", dict.fromkeys(LEFS_ITEMS[:15], 4)) == {"total": None}


# --- KOOS ----------------------------------------------------------------------------------


def test_koos_all_answered():
    answers = koos(
        P=[1, 2, 1, 0, 0, 1, 2, 1, 1],  # mean 1 -> 75
        S=[0, 0, 0, 0, 0, 0, 0],  # 100
        A=[4] * 17,  # 0
        SP=[4, 4, 3, 4, 4],  # mean 3.8 -> 5
        Q=[2, 2, 1, 1],  # mean 1.5 -> 62.5
    )
    assert score("koos", answers) == {
        "pain": 75.0,
        "symptoms": 100.0,
        "adl": 0.0,
        "sport_rec": 5.0,
        "qol": 62.5,
    }


def test_koos_with_missing_items_uses_the_answered_mean_down_to_half():
    answers = {
        **{f"P{i}": 1 for i in range(1, 6)},  # 5 of 9: enough -> 75
        **{f"S{i}": v for i, v in zip(range(1, 5), [2, 2, 1, 1], strict=True)},  # 4 of 7 -> 62.5
        **{f"A{i}": 1 for i in range(1, 10)},  # 9 of 17 -> 75
        "SP1": 4,
        "SP2": 4,
        "SP3": 3,  # 3 of 5, mean 11/3 -> 8.333 -> 8.3
        "Q1": 3,
        "Q2": 2,  # 2 of 4, mean 2.5 -> 37.5
    }
    assert score("koos", answers) == {
        "pain": 75.0,
        "symptoms": 62.5,
        "adl": 75.0,
        "sport_rec": 8.3,
        "qol": 37.5,
    }


def test_koos_subscales_below_half_answered_are_unscored_alone():
    answers = {
        **{f"P{i}": 0 for i in range(1, 5)},  # 4 of 9
        **{f"S{i}": 0 for i in range(1, 4)},  # 3 of 7
        **{f"A{i}": 0 for i in range(1, 9)},  # 8 of 17
        "SP1": 0,
        "SP2": 0,  # 2 of 5
        "Q1": 0,  # 1 of 4
    }
    assert score("koos", answers) == dict.fromkeys(
        ["pain", "symptoms", "adl", "sport_rec", "qol"], None
    )
    assert score("koos", {**answers, "Q2": 4}) == {
        "pain": None,
        "symptoms": None,
        "adl": None,
        "sport_rec": None,
        "qol": 50.0,
    }


def test_koos_minimums_are_those_of_the_2012_scoring_guide():
    minimums = {sub.name: sub.min_answered for sub in INSTRUMENTS["koos"].subscales}
    assert minimums == {"pain": 5, "symptoms": 4, "adl": 9, "sport_rec": 3, "qol": 2}
    assert INSTRUMENTS["koos_pf"].subscales[0].min_answered == 6


# --- KOOS-PF -------------------------------------------------------------------------------


def test_koos_pf_all_answered():
    assert score("koos_pf", dict.fromkeys(PF_ITEMS, 1)) == {"total": 75.0}
    assert score("koos_pf", dict.fromkeys(PF_ITEMS, 0)) == {"total": 100.0}
    assert score("koos_pf", dict.fromkeys(PF_ITEMS, 4)) == {"total": 0.0}


def test_koos_pf_with_five_missing():
    # 6 answered, sum 11: 100 - 11/6 x 25 = 54.1666... -> 54.2
    answers = dict(zip(PF_ITEMS[:6], [2, 2, 2, 2, 2, 1], strict=True))
    assert score("koos_pf", answers) == {"total": 54.2}


def test_koos_pf_with_six_missing_is_unscored():
    assert score("koos_pf", dict.fromkeys(PF_ITEMS[:5], 1)) == {"total": None}


# --- Answer validation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "answers", "bad"),
    [
        ("nprs", {"pain": 11}, ["pain"]),
        ("nprs", {"1": 3}, ["1"]),
        ("lefs", {"21": 2, "0": 1, "1": 5}, ["21", "0", "1"]),
        ("lefs", {"1": -1}, ["1"]),
        ("koos", {"P10": 1, "S8": 1, "p1": 1, "A1": 5, "Q4": 4}, ["P10", "S8", "p1", "A1"]),
        ("koos_pf", {"12": 0, "11": 4}, ["12"]),
    ],
)
def test_answer_errors_name_unknown_items_and_out_of_range_answers(instrument, answers, bad):
    assert sorted(answer_errors(instrument, answers)) == sorted(bad)


def test_valid_answers_have_no_errors():
    assert (
        answer_errors("koos", koos(P=[4] * 9, S=[0] * 7, A=[2] * 17, SP=[1] * 5, Q=[3] * 4)) == {}
    )


# --- Change against the first response and the MCID ----------------------------------------


@pytest.mark.parametrize(
    ("instrument", "first", "later", "change", "met"),
    [
        ("nprs", 6, 4, -2, True),  # exactly the MCID (2), lower is better
        ("nprs", 6, 5, -1, False),
        ("nprs", 4, 7, 3, False),  # worse by 3: a change, not an improvement
        ("lefs", 40, 49, 9, True),  # exactly the MCID (9), higher is better
        ("lefs", 40, 48, 8, False),
        ("lefs", 50, 40, -10, False),
        ("lefs", 40.5, 49.5, 9, True),
    ],
)
def test_compare_with_an_mcid(instrument, first, later, change, met):
    result = compare(instrument, {"total": first}, {"total": later})
    assert result.change == {"total": change}
    assert result.mcid_met is met


def test_compare_koos_has_changes_per_subscale_and_no_mcid():
    first = {"pain": 50.0, "symptoms": 60.7, "adl": None, "sport_rec": 20.0, "qol": 25.0}
    later = {"pain": 72.2, "symptoms": 60.7, "adl": 90.0, "sport_rec": 15.0, "qol": 43.8}
    result = compare("koos", first, later)
    assert result.change == {
        "pain": 22.2,
        "symptoms": 0.0,
        "adl": None,
        "sport_rec": -5.0,
        "qol": 18.8,
    }
    assert result.mcid_met is None


def test_compare_with_an_unscored_side_has_no_verdict():
    result = compare("lefs", {"total": None}, {"total": 70})
    assert result.change == {"total": None}
    assert result.mcid_met is None


# --- Properties ----------------------------------------------------------------------------

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


@pytest.mark.django_db
def test_stored_lefs_totals_are_rescored_to_whole_points(alice, pat):
    from importlib import import_module

    from django.apps import apps

    from assessments.models import QuestionnaireResponse
    from tests.assessments.conftest import make_response

    migration = import_module("assessments.migrations.0002_lefs_prorated_whole_points")
    prorated = make_response(pat, "lefs", dict.fromkeys(LEFS_ITEMS[:16], 3) | {"1": 2, "2": 2})
    complete = make_response(pat, "lefs", dict.fromkeys(LEFS_ITEMS, 2))
    koos_pf = make_response(pat, "koos_pf", dict.fromkeys(PF_ITEMS[:6], 1))
    # As the one-decimal scoring stored them: 46 x 20 / 16 = 57.5, and 40.0.
    QuestionnaireResponse.objects.filter(pk=prorated.pk).update(scores={"total": 57.5})
    QuestionnaireResponse.objects.filter(pk=complete.pk).update(scores={"total": 40.0})
    migration.rescore_lefs(apps, None)
    scores = dict(QuestionnaireResponse.objects.values_list("pk", "scores"))
    assert scores[prorated.pk] == {"total": 58}
    assert type(scores[complete.pk]["total"]) is int and scores[complete.pk] == {"total": 40}
    assert scores[koos_pf.pk] == {"total": 75.0}
