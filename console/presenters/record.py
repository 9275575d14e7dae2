"""The patient record: outcome measures with their change, and the intake's triage."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from console.presenters.words import code_words

INSTRUMENT_LABELS = {"nprs": "NPRS", "lefs": "LEFS", "koos": "KOOS", "koos_pf": "KOOS-PF"}
SCORE_LABELS = {
    "total": "Score",
    "pain": "Pain",
    "symptoms": "Symptoms",
    "adl": "Daily living",
    "sport_rec": "Sport and recreation",
    "qol": "Quality of life",
}


@dataclass(frozen=True)
class OutcomeRow:
    recorded_at: datetime
    instrument: str
    scores: list[tuple[str, str, str]]  # label, score, change from the first
    mcid: str


def _number(value: Any) -> str:
    if value is None:
        return "not scored"
    return f"{value:g}" if isinstance(value, float) else str(value)


def outcome_rows(responses: list[Any]) -> list[OutcomeRow]:
    """Each response with its scores and, against the patient's first of the instrument (the
    API's `change` and `mcid_met`), the change and whether the MCID is met; an instrument
    without an MCID says so."""
    from assessments.rules import scoring  # a pure module

    rows = []
    for response in responses:
        first_id = getattr(response, "first_id", None)
        comparison = (
            scoring.compare(response.instrument, response.first_scores, response.scores)
            if first_id is not None and first_id != response.pk
            else None
        )
        scores = []
        for name, value in response.scores.items():
            change = comparison.change.get(name) if comparison else None
            if comparison is None:
                change_words = "first response"
            elif change is None:
                change_words = "not comparable"
            else:
                change_words = f"{change:+g} since the first"
            scores.append((SCORE_LABELS.get(name, name), _number(value), change_words))
        spec = scoring.INSTRUMENTS[response.instrument]
        if spec.mcid is None:
            mcid = "No agreed MCID"
        elif comparison is None or comparison.mcid_met is None:
            mcid = f"MCID {spec.mcid:g}: nothing to compare yet"
        else:
            mcid = f"MCID {spec.mcid:g} {'met' if comparison.mcid_met else 'not met'}"
        rows.append(
            OutcomeRow(
                recorded_at=response.recorded_at,
                instrument=INSTRUMENT_LABELS.get(response.instrument, response.instrument),
                scores=scores,
                mcid=mcid,
            )
        )
    return rows


def intake_detail(intake: Any) -> dict[str, Any] | None:
    """The intake's stored triage with its reasons, patterns and factors, with rationales."""
    if intake is None:
        return None
    triage = intake.triage or {}
    return {
        "level": code_words(str(triage.get("level", ""))),
        "level_code": str(triage.get("level", "")),
        "reasons": [str(r.get("detail", "")) for r in triage.get("reasons", [])],
        "patterns": [
            (code_words(str(p.get("code", ""))), str(p.get("rationale", "")))
            for p in intake.patterns
        ],
        "factors": [
            (code_words(str(f.get("code", ""))), str(f.get("rationale", "")))
            for f in intake.factors
        ],
    }
