"""Writes for patient programs: a prescription makes a new version and keeps the old one."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from clinic.models import StaffUser
from common.time import local_date
from patients.models import Patient, PatientStatus
from patients.services.summaries import summary_refresh
from programs import selectors
from programs.models import (
    PatientProgram,
    ProgramExercise,
    ProgramTemplate,
)
from programs.services.errors import ProgramStateError
from programs.services.library import DOSE_FIELDS, check_visible, dose_of


def _prescription_key(
    template_id: int | None, start_date: date, note: str, items: list[dict[str, Any]]
) -> tuple[Any, ...]:
    return (
        template_id,
        start_date,
        note,
        tuple((item["exercise_id"], *(item[f] for f in DOSE_FIELDS)) for item in items),
    )


@transaction.atomic
def program_prescribe(*, patient: Patient, by: StaffUser, data: dict[str, Any]) -> PatientProgram:
    """Prescribe a program: version 1, or the next version replacing the active one.

    `data`: `items` (list of `exercise` plus optional dose fields; a missing dose field takes
    the exercise's default), or a `template` whose exercises and doses are copied when `items`
    is absent; optional `start_date` (default: today in the patient's time zone) and
    `patient_note`. The previous version is kept, inactive, with `ended_at`. An unchanged
    prescription, or a discharged patient, raises ProgramStateError.
    """
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.status == PatientStatus.DISCHARGED:
        raise ProgramStateError("The patient is discharged; there is nothing to prescribe.")
    template: ProgramTemplate | None = data.get("template")
    raw_items = data.get("items")
    if not raw_items:
        if template is None:
            raise ValueError("A program needs exercises or a template.")
        raw_items = [
            {"exercise": item.exercise, **{f: getattr(item, f) for f in DOSE_FIELDS}}
            for item in template.items.select_related("exercise")
        ]
    check_visible(patient.clinic_id, (item["exercise"] for item in raw_items))
    if template is not None and template.clinic_id not in (None, patient.clinic_id):
        raise ValueError("A template of another clinic cannot be used.")
    items = [{"exercise_id": item["exercise"].pk, **dose_of(item)} for item in raw_items]
    start_date = data.get("start_date") or local_date(timezone.now(), patient.timezone)
    note = data.get("patient_note", "")

    current = selectors.active_program(patient=patient)
    if current is not None:
        current_items = [
            {"exercise_id": item.exercise_id, **{f: getattr(item, f) for f in DOSE_FIELDS}}
            for item in current.items.all()
        ]
        same = _prescription_key(
            current.template_id, current.start_date, current.patient_note, current_items
        ) == _prescription_key(template.pk if template else None, start_date, note, items)
        if same:
            raise ProgramStateError("This prescription is the same as the active one.")
        current.is_active = False
        current.ended_at = timezone.now()
        current.save(update_fields=["is_active", "ended_at"])
    latest = patient.programs.order_by("-version").values_list("version", flat=True).first()
    program = PatientProgram.objects.create(
        clinic_id=patient.clinic_id,
        patient=patient,
        version=(latest or 0) + 1,
        template=template,
        start_date=start_date,
        patient_note=note,
        prescribed_by=by,
    )
    ProgramExercise.objects.bulk_create(
        ProgramExercise(clinic_id=patient.clinic_id, program=program, order=order, **item)
        for order, item in enumerate(items, start=1)
    )
    # What is due changed: the caseload's adherence figure with it.
    summary_refresh(patient=patient)
    return program
