"""Outcome-measure scoring (docs/clinical-rules.md, "Outcome measures"), as pure functions.

Answers are item code -> item score, as the instrument's scoring sheet assigns it:
- NPRS: one item, `pain`, 0-10; the score is the value; lower is better; MCID 2.
- LEFS (Binkley 1999): items `1`-`20`, 0 = extreme difficulty ... 4 = no difficulty; the
  score is the sum, 0-80 whole points, higher is better; MCID 9. Not scored when more than 4
  items are missing; with 1-4 missing, each missing item counts as the mean of the answered
  ones (prorated: the sum scaled to 20 items), so a skipped item does not read as "extreme
  difficulty", and the total is rounded to the nearest whole point, a half up (56.5 -> 57).
- KOOS (koos.nu, 2012 scoring): items `S1`-`S7`, `P1`-`P9`, `A1`-`A17`, `SP1`-`SP5`,
  `Q1`-`Q4`, each 0 = no problems ... 4 = extreme (S4 and S5, "Always" = 0, are stored as
  scored); per subscale 100 - mean x 25, 0-100, higher is better; a subscale needs at
  least half its items (Pain 5, Symptoms 4, ADL 9, Sport/Rec 3, QoL 2).
- KOOS-PF (Crossley 2018): items `1`-`11`, scored as a KOOS subscale, at least 6 answered.
KOOS and KOOS-PF scores are exact fractions rounded half-up to one decimal; NPRS and LEFS are
whole numbers.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from clinical.measures import Instrument

Score = float | int | None


@dataclass(frozen=True)
class Subscale:
    name: str
    items: tuple[str, ...]

    @property
    def min_answered(self) -> int:
        """At least half the items (KOOS 2012): 9 items need 5, 4 items need 2."""
        return math.ceil(len(self.items) / 2)


@dataclass(frozen=True)
class InstrumentSpec:
    code: Instrument
    max_answer: int
    subscales: tuple[Subscale, ...]
    higher_is_better: bool
    mcid: float | None

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(item for sub in self.subscales for item in sub.items)

    @property
    def score_names(self) -> tuple[str, ...]:
        return tuple(sub.name for sub in self.subscales)


def _numbered(prefix: str, count: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{i}" for i in range(1, count + 1))


NPRS_ITEM = "pain"
LEFS_MAX_MISSING = 4

INSTRUMENTS: dict[str, InstrumentSpec] = {
    Instrument.NPRS: InstrumentSpec(
        Instrument.NPRS, 10, (Subscale("total", (NPRS_ITEM,)),), higher_is_better=False, mcid=2
    ),
    Instrument.LEFS: InstrumentSpec(
        Instrument.LEFS, 4, (Subscale("total", _numbered("", 20)),), higher_is_better=True, mcid=9
    ),
    Instrument.KOOS: InstrumentSpec(
        Instrument.KOOS,
        4,
        (
            Subscale("pain", _numbered("P", 9)),
            Subscale("symptoms", _numbered("S", 7)),
            Subscale("adl", _numbered("A", 17)),
            Subscale("sport_rec", _numbered("SP", 5)),
            Subscale("qol", _numbered("Q", 4)),
        ),
        higher_is_better=True,
        mcid=None,
    ),
    Instrument.KOOS_PF: InstrumentSpec(
        Instrument.KOOS_PF,
        4,
        (Subscale("total", _numbered("", 11)),),
        higher_is_better=True,
        mcid=None,
    ),
}


def answer_errors(instrument: str, answers: Mapping[str, int]) -> dict[str, str]:
    """Item code -> what is wrong with it: unknown items and answers out of range."""
    spec = INSTRUMENTS[instrument]
    known = set(spec.items)
    errors: dict[str, str] = {}
    for item, value in answers.items():
        if item not in known:
            errors[item] = f"'{item}' is not an item of {instrument.upper()}."
        elif not 0 <= value <= spec.max_answer:
            errors[item] = f"Answers to {instrument.upper()} are 0-{spec.max_answer}."
    return errors


def _round1(value: Fraction) -> float:
    """Round half up to one decimal, from the exact value."""
    return math.floor(value * 10 + Fraction(1, 2)) / 10


def _round_whole(value: Fraction) -> int:
    """Round half up to a whole number, from the exact value: 56.5 -> 57, 56.25 -> 56."""
    return math.floor(value + Fraction(1, 2))


def _koos_style(answered: list[int]) -> float:
    return _round1(100 - Fraction(sum(answered), len(answered)) * 25)


def score(instrument: str, answers: Mapping[str, int]) -> dict[str, Score]:
    """The instrument's scores by name; None where too few items were answered."""
    spec = INSTRUMENTS[instrument]
    scores: dict[str, Score] = {}
    for sub in spec.subscales:
        answered = [answers[item] for item in sub.items if item in answers]
        if instrument == Instrument.NPRS:
            scores[sub.name] = answered[0] if answered else None
        elif instrument == Instrument.LEFS:
            missing = len(sub.items) - len(answered)
            if missing > LEFS_MAX_MISSING:
                scores[sub.name] = None
            else:
                prorated = Fraction(sum(answered) * len(sub.items), len(answered))
                scores[sub.name] = _round_whole(prorated)
        elif len(answered) < sub.min_answered:
            scores[sub.name] = None
        else:
            scores[sub.name] = _koos_style(answered)
    return scores


@dataclass(frozen=True)
class Comparison:
    """A later response against the first: change per score, and the MCID verdict."""

    change: dict[str, float | None]
    mcid_met: bool | None


def compare(instrument: str, first: Mapping[str, Score], later: Mapping[str, Score]) -> Comparison:
    """`change` is later - first, signed, per score (None where either is unscored).

    `mcid_met` says whether the change is an improvement (in the instrument's better
    direction) of at least its MCID; None where the instrument has no MCID or either
    response is unscored.
    """
    spec = INSTRUMENTS[instrument]
    change: dict[str, float | None] = {}
    for name in spec.score_names:
        before, after = first.get(name), later.get(name)
        if before is None or after is None:
            change[name] = None
        else:
            change[name] = _round1(Fraction(repr(float(after))) - Fraction(repr(float(before))))
    mcid_met: bool | None = None
    total = change.get("total")
    if spec.mcid is not None and total is not None:
        improvement = total if spec.higher_is_better else -total
        mcid_met = improvement >= spec.mcid
    return Comparison(change=change, mcid_met=mcid_met)
