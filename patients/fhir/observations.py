"""Observations of a check-in (pain values, the run) and outcome measures as
QuestionnaireResponses."""

from typing import Any

from assessments.models import QuestionnaireResponse
from patients.fhir.terms import (
    INSTRUMENT_NAMES,
    LOINC,
    OBSERVATION_CATEGORY,
    PAIN_DISPLAY,
    PAIN_FIELDS,
    PAIN_LOINC,
    UCUM,
    Refs,
    fhir_instant,
    fhir_number,
)
from patients.models import CheckIn


def _check_in_identifier(refs: Refs, value: str) -> list[dict[str, str]]:
    return [{"system": refs.system("identifiers/check-in-observation"), "value": value}]


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}]


def pain_observations(
    check_in: CheckIn, refs: Refs, subject: dict[str, str]
) -> list[tuple[str, dict[str, Any]]]:
    observations = []
    for field, code, text in PAIN_FIELDS:
        value = getattr(check_in, field)
        if value is None:
            continue
        resource_id = f"check-in-{check_in.pk}-pain-{code}"
        observations.append(
            (
                resource_id,
                {
                    "identifier": _check_in_identifier(refs, resource_id),
                    "status": "final",
                    "category": _category("survey", "Survey"),
                    "code": {
                        "coding": [
                            {"system": LOINC, "code": PAIN_LOINC, "display": PAIN_DISPLAY},
                            {"system": refs.system("CodeSystem/pain-context"), "code": code},
                        ],
                        "text": f"{text} (0-10)",
                    },
                    "subject": subject,
                    "effectiveDateTime": fhir_instant(check_in.recorded_at),
                    "issued": fhir_instant(check_in.received_at),
                    "performer": [subject],
                    "valueInteger": value,
                },
            )
        )
    return observations


def run_observation(check_in: CheckIn, refs: Refs, subject: dict[str, str]) -> dict[str, Any]:
    components = []
    if check_in.run_minutes is not None:
        components.append(
            {
                "code": {
                    "coding": [{"system": LOINC, "code": "55411-3", "display": "Exercise duration"}]
                },
                "valueQuantity": {
                    "value": check_in.run_minutes,
                    "unit": "min",
                    "system": UCUM,
                    "code": "min",
                },
            }
        )
    if check_in.run_km is not None:
        components.append(
            {
                "code": {
                    "coding": [
                        {
                            "system": LOINC,
                            "code": "55412-1",
                            "display": "Exercise distance unspecified time",
                        }
                    ]
                },
                "valueQuantity": {
                    "value": fhir_number(check_in.run_km),
                    "unit": "km",
                    "system": UCUM,
                    "code": "km",
                },
            }
        )
    resource_id = f"check-in-{check_in.pk}-run"
    resource: dict[str, Any] = {
        "identifier": _check_in_identifier(refs, resource_id),
        "status": "final",
        "category": _category("activity", "Activity"),
        "code": {
            "coding": [{"system": LOINC, "code": "73985-4", "display": "Exercise activity"}],
            "text": "Run",
        },
        "subject": subject,
        "effectiveDateTime": fhir_instant(check_in.recorded_at),
        "issued": fhir_instant(check_in.received_at),
        "performer": [subject],
        "valueCodeableConcept": {
            "coding": [{"system": refs.system("CodeSystem/activity"), "code": "running"}],
            "text": "Running",
        },
    }
    if components:
        resource["component"] = components
    return resource


def questionnaire_response(
    response: QuestionnaireResponse, refs: Refs, subject: dict[str, str]
) -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {"linkId": str(item), "answer": [{"valueInteger": int(value)}]}
        for item, value in sorted(response.answers.items(), key=lambda kv: _item_order(kv[0]))
    ]
    scores = [
        {
            "linkId": f"score-{name}",
            "text": f"{INSTRUMENT_NAMES[response.instrument]}: {name}",
            "answer": [{"valueDecimal": fhir_number(value)}],
        }
        for name, value in sorted(response.scores.items())
        if value is not None
    ]
    if scores:
        items.append({"linkId": "scores", "text": "Scores", "item": scores})
    # The patient answered; `author` is who entered it: the patient in the app, or staff.
    if response.recorded_by is not None:
        author: dict[str, str] = {"display": response.recorded_by.display_name}
    else:
        author = subject
    return {
        "identifier": {
            "system": refs.system("identifiers/questionnaire-response"),
            "value": str(response.pk),
        },
        "questionnaire": refs.system(f"Questionnaire/{response.instrument}"),
        "status": "completed",
        "subject": subject,
        "authored": fhir_instant(response.recorded_at),
        "author": author,
        "source": subject,
        "item": items,
    }


def _item_order(code: str) -> tuple[str, int]:
    """LEFS and KOOS-PF items in number order; KOOS by subscale letter, then number."""
    prefix = code.rstrip("0123456789")
    number = code[len(prefix) :]
    return (prefix, int(number) if number else 0)
