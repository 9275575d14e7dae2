"""The Patient, the CarePlan of the active program and the run ladder, and red-flag Flags."""

from typing import Any

from patients.fhir.record import FhirRecord
from patients.fhir.terms import (
    FLAG_CATEGORY,
    IDENTIFIER_TYPE,
    RED_FLAG_DISPLAY,
    Refs,
    fhir_date,
    fhir_instant,
)
from patients.models import Escalation, PatientStatus
from programs.models import PatientLadder, ProgramExercise
from programs.rules import LadderLevel


def patient_resource(record: FhirRecord, refs: Refs, patient_id: str) -> dict[str, Any]:
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
        "birthDate": fhir_date(patient.date_of_birth),
        "managingOrganization": {"display": patient.clinic.name},
    }
    if telecom:
        resource["telecom"] = telecom
    return resource


def _dose(item: ProgramExercise) -> str:
    parts = [f"{item.sets} x {item.reps}"]
    if item.hold_seconds:
        parts.append(f"hold {item.hold_seconds} s")
    if item.load:
        parts.append(item.load)
    return ", ".join(parts) + f"; {item.days_per_week} days a week"


def care_plan(record: FhirRecord, refs: Refs, subject: dict[str, str]) -> dict[str, Any]:
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
        "period": {"start": fhir_date(program.start_date)},
        "created": fhir_instant(program.created_at),
        "activity": activities,
    }
    if program.patient_note:
        resource["description"] = program.patient_note
    return resource


def _exercise_activity(item: ProgramExercise, refs: Refs) -> dict[str, Any]:
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


def _ladder_activity(ladder: PatientLadder, refs: Refs) -> dict[str, Any]:
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


def flag_resource(escalation: Escalation, refs: Refs, subject: dict[str, str]) -> dict[str, Any]:
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
        "period": {"start": fhir_instant(escalation.opened_at)},
    }
