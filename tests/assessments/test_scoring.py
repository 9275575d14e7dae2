"""Outcome-measure scoring: hand-computed examples, the missing-item rules, and properties."""

import pytest

from assessments.rules.scoring import INSTRUMENTS, answer_errors, compare, score

pytestmark = pytest.mark.pure

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


def test_answer_errors_say_what_is_wrong_in_words_the_clinic_uses():
    assert answer_errors("koos", {"P10": 1, "P1": 5, "S1": -1, "Q4": 4}) == {
        "P10": "'P10' is not an item of KOOS.",
        "P1": "Answers to KOOS are 0-4.",
        "S1": "Answers to KOOS are 0-4.",
    }
    assert answer_errors("nprs", {"pain": 11, "0": 0}) == {
        "pain": "Answers to NPRS are 0-10.",
        "0": "'0' is not an item of NPRS.",
    }


def test_koos_subscale_rounds_an_exact_half_up():
    # Pain with 8 of its 9 items answered, summing 2: 100 - 2/8 x 25 = 93.75, shown as 93.8.
    assert score("koos", koos(P=[1, 1, 0, 0, 0, 0, 0, 0]))["pain"] == 93.8
