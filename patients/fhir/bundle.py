"""The FHIR R4 Bundle of a patient's record, built from plain model rows without queries.

A `collection` Bundle (a set of resources, not a search result nor a signed document):

- Patient: name, birth date, telecom, and identifiers (Stride's id; the clinic's record
  number, `external_id`, typed MR);
- Observation per pain value of each check-in: LOINC 72514-3 "Pain severity - 0-10 verbal
  numeric rating [Score] - Reported", `valueInteger`, with a Stride coding saying which pain
  (at rest, on waking, during or after the run);
- Observation per run: LOINC 73985-4 "Exercise activity" (running), with components LOINC
  55411-3 "Exercise duration" (min) and 55412-1 "Exercise distance unspecified time" (km),
  as the HL7 Physical Activity implementation guide does;
- QuestionnaireResponse per outcome measure (NPRS, LEFS, KOOS, KOOS-PF): one item per answer,
  and a `scores` group with the scores as stored;
- CarePlan for the active program: one activity per prescribed exercise (dose and days a
  week), and one for the run ladder's current level;
- Flag per unresolved red-flag escalation (`red_flag_emergency`, `red_flag_mechanical`,
  `intake_urgent_referral`).

References between entries use `urn:uuid:` full URLs, stable for a given deployment and row,
so a second export of the same record names the same resources. Identifier and code systems
are URLs under STRIDE_PUBLIC_URL. Free-text check-in notes are not exported: they are the
patient's unreviewed words, not clinical observations.
"""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from assessments.models import QuestionnaireResponse
from clinical.measures import Instrument
from patients.fhir.record import RED_FLAG_CODES, FhirRecord
from patients.models import CheckIn, Escalation, PatientStatus
from programs.models import PatientLadder, ProgramExercise
from programs.rules import LadderLevel

FHIR_JSON = "application/fhir+json"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"

PAIN_LOINC = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
# (check-in field, Stride code, what the patient was asked about)
PAIN_FIELDS = (
    ("pain_rest", "rest", "Knee pain at rest"),
    ("pain_morning", "morning", "Knee pain or stiffness on waking"),
    ("pain_during_run", "during-run", "Worst knee pain during the run"),
    ("pain_after_run", "after-run", "Knee pain after the run"),
)
INSTRUMENT_NAMES = {instrument.value: instrument.label for instrument in Instrument}
RED_FLAG_DISPLAY = {code.value: code.label for code in RED_FLAG_CODES}


class _Refs:
    """Stable `urn:uuid:` names for the rows of one deployment."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def system(self, path: str) -> str:
        return f"{self.base}/fhir/{path}"

    def urn(self, resource_type: str, resource_id: str) -> str:
        name = f"{self.base}/fhir/{resource_type}/{resource_id}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _instant(moment: datetime) -> str:
    return moment.isoformat()


def _day(value: date) -> str:
    return value.isoformat()


def _number(value: Any) -> Any:
    """A JSON number: whole numbers as ints, others as floats (FHIR decimals)."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def build_bundle(record: FhirRecord, *, base_url: str, now: datetime) -> dict[str, Any]:
    refs = _Refs(base_url)
    patient_id = f"patient-{record.patient.pk}"
    subject = {"reference": refs.urn("Patient", patient_id)}
    entries: list[tuple[str, str, dict[str, Any]]] = [
        ("Patient", patient_id, _patient(record, refs, patient_id))
    ]
    for check_in in record.check_ins:
        for resource_id, resource in _pain_observations(check_in, refs, subject):
            entries.append(("Observation", resource_id, resource))
        if check_in.ran:
            resource_id = f"check-in-{check_in.pk}-run"
            entries.append(("Observation", resource_id, _run(check_in, refs, subject)))
    for response in record.questionnaires:
        resource_id = f"questionnaire-response-{response.pk}"
        entries.append(
            ("QuestionnaireResponse", resource_id, _questionnaire(response, refs, subject))
        )
    if record.program is not None:
        resource_id = f"program-{record.program.pk}"
        entries.append(("CarePlan", resource_id, _care_plan(record, refs, subject)))
    for escalation in record.red_flags:
        resource_id = f"escalation-{escalation.pk}"
        entries.append(("Flag", resource_id, _flag(escalation, refs, subject)))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(now),
        "identifier": {
            "system": refs.system("identifiers/export"),
            "value": str(uuid.uuid4()),
        },
        "entry": [
            {
                "fullUrl": refs.urn(resource_type, resource_id),
                "resource": {"resourceType": resource_type, "id": resource_id, **resource},
            }
            for resource_type, resource_id, resource in entries
        ],
    }


def _patient(record: FhirRecord, refs: _Refs, patient_id: str) -> dict[str, Any]:
    patient = record.patient
    identifiers: list[dict[str, Any]] = [
        {"use": "secondary", "system": refs.system("identifiers/patient"), "value": str(patient.pk)}
    ]
    if patient.external_id:
        identifiers.insert(
            0,
            {
                "use": "usual",
                "type": {
                    "coding": [
                        {
                            "system": IDENTIFIER_TYPE,
                            "code": "MR",
                            "display": "Medical record number",
                        }
                    ]
                },
                "system": refs.system(f"identifiers/clinic/{patient.clinic_id}/record-number"),
                "value": patient.external_id,
                "assigner": {"display": patient.clinic.name},
            },
        )
    telecom = []
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    if patient.phone:
        telecom.append({"system": "phone", "value": patient.phone})
    resource: dict[str, Any] = {
        "identifier": identifiers,
        "active": patient.status != PatientStatus.DISCHARGED,
        "name": [{"use": "official", "family": patient.last_name, "given": [patient.first_name]}],
        "birthDate": _day(patient.date_of_birth),
        "managingOrganization": {"display": patient.clinic.name},
    }
    if telecom:
        resource["telecom"] = telecom
    return resource


def _check_in_identifier(refs: _Refs, value: str) -> list[dict[str, str]]:
    return [{"system": refs.system("identifiers/check-in-observation"), "value": value}]


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": OBSERVATION_CATEGORY, "code": code, "display": display}]}]


def _pain_observations(
    check_in: CheckIn, refs: _Refs, subject: dict[str, str]
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
                    "effectiveDateTime": _instant(check_in.recorded_at),
                    "issued": _instant(check_in.received_at),
                    "performer": [subject],
                    "valueInteger": value,
                },
            )
        )
    return observations


def _run(check_in: CheckIn, refs: _Refs, subject: dict[str, str]) -> dict[str, Any]:
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
                    "value": _number(check_in.run_km),
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
        "effectiveDateTime": _instant(check_in.recorded_at),
        "issued": _instant(check_in.received_at),
        "performer": [subject],
        "valueCodeableConcept": {
            "coding": [{"system": refs.system("CodeSystem/activity"), "code": "running"}],
            "text": "Running",
        },
    }
    if components:
        resource["component"] = components
    return resource


def _questionnaire(
    response: QuestionnaireResponse, refs: _Refs, subject: dict[str, str]
) -> dict[str, Any]:
    items: list[dict[str, Any]] = [
        {"linkId": str(item), "answer": [{"valueInteger": int(value)}]}
        for item, value in sorted(response.answers.items(), key=lambda kv: _item_order(kv[0]))
    ]
    scores = [
        {
            "linkId": f"score-{name}",
            "text": f"{INSTRUMENT_NAMES[response.instrument]}: {name}",
            "answer": [{"valueDecimal": _number(value)}],
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
        "authored": _instant(response.recorded_at),
        "author": author,
        "source": subject,
        "item": items,
    }


def _item_order(code: str) -> tuple[str, int]:
    """LEFS and KOOS-PF items in number order; KOOS by subscale letter, then number."""
    prefix = code.rstrip("0123456789")
    number = code[len(prefix) :]
    return (prefix, int(number) if number else 0)


def _dose(item: ProgramExercise) -> str:
    parts = [f"{item.sets} x {item.reps}"]
    if item.hold_seconds:
        parts.append(f"hold {item.hold_seconds} s")
    if item.load:
        parts.append(item.load)
    return ", ".join(parts) + f"; {item.days_per_week} days a week"


def _care_plan(record: FhirRecord, refs: _Refs, subject: dict[str, str]) -> dict[str, Any]:
    program = record.program
    assert program is not None
    activities: list[dict[str, Any]] = [
        _exercise_activity(item, refs) for item in program.items.all()
    ]
    if record.ladder is not None:
        activities.append(_ladder_activity(record.ladder, refs))
    resource: dict[str, Any] = {
        "identifier": [{"system": refs.system("identifiers/program"), "value": str(program.pk)}],
        "status": "active",
        "intent": "plan",
        "title": f"Knee exercise program (version {program.version})",
        "subject": subject,
        "period": {"start": _day(program.start_date)},
        "created": _instant(program.created_at),
        "activity": activities,
    }
    if program.patient_note:
        resource["description"] = program.patient_note
    return resource


def _exercise_activity(item: ProgramExercise, refs: _Refs) -> dict[str, Any]:
    exercise = item.exercise
    return {
        "detail": {
            "code": {
                "coding": [
                    {
                        "system": refs.system("CodeSystem/exercise"),
                        "code": exercise.code or f"exercise-{exercise.pk}",
                        "display": exercise.name,
                    }
                ],
                "text": exercise.name,
            },
            "status": "in-progress",
            "scheduledTiming": {
                "repeat": {"frequency": item.days_per_week, "period": 1, "periodUnit": "wk"}
            },
            "description": _dose(item),
        }
    }


def _ladder_activity(ladder: PatientLadder, refs: _Refs) -> dict[str, Any]:
    levels = list(ladder.ladder.levels.all())
    current = next((level for level in levels if level.number == ladder.level), None)
    if current is not None:
        session = LadderLevel(
            current.number, current.run_minutes, current.walk_minutes, current.repeats
        ).describe()
    else:
        session = f"Run {ladder.target_minutes} minutes without stopping."
    description = f"{ladder.ladder.name}, level {ladder.level} of {len(levels)}: {session}"
    if ladder.paused:
        description += " Paused: no running until the therapist resumes it."
    return {
        "detail": {
            "code": {
                "coding": [{"system": refs.system("CodeSystem/activity"), "code": "run-ladder"}],
                "text": "Return-to-run ladder",
            },
            "status": "on-hold" if ladder.paused else "in-progress",
            "description": description,
        }
    }


def _flag(escalation: Escalation, refs: _Refs, subject: dict[str, str]) -> dict[str, Any]:
    display = RED_FLAG_DISPLAY.get(escalation.code, escalation.code)
    return {
        "identifier": [
            {"system": refs.system("identifiers/escalation"), "value": str(escalation.pk)}
        ],
        "status": "active",
        "category": [
            {"coding": [{"system": FLAG_CATEGORY, "code": "clinical", "display": "Clinical"}]}
        ],
        "code": {
            "coding": [
                {
                    "system": refs.system("CodeSystem/escalation"),
                    "code": escalation.code,
                    "display": display,
                }
            ],
            "text": f"{display}: {escalation.severity}, {escalation.status}",
        },
        "subject": subject,
        "period": {"start": _instant(escalation.opened_at)},
    }
