"""The run ladder's therapist actions: resume after review, set level, hold."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from clinical.ladder import PauseReason
from console import selectors
from console.fields import flat_errors, form_data
from console.views.base import Staff, audit, not_found, staff_page
from console.views.patients import patient_page
from console.views.records.base import patient_url
from programs import selectors as program_selectors
from programs import services as program_services
from programs.serializers import LadderNoteSerializer, LadderSetLevelSerializer


@require_POST
@staff_page
def ladder_action(request: HttpRequest, staff: Staff, patient_id: int, action: str) -> HttpResponse:
    patient = selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)
    if patient is None or action not in {"level", "resume", "hold"}:
        return not_found(request)
    row = program_selectors.patient_ladder_list(clinic=staff.clinic).filter(patient=patient).first()
    if row is None:
        return patient_page(
            request,
            staff,
            patient_id,
            status=409,
            ladder_error="The patient has no run ladder yet.",
        )
    serializer: Any
    if action == "level":
        serializer = LadderSetLevelSerializer(
            data=form_data(request.POST, whole=("level",), text=("note",)),
            context={"clinic": staff.clinic},
        )
    else:
        serializer = LadderNoteSerializer(data=form_data(request.POST, text=("note",)))
    if not serializer.is_valid():
        errs = flat_errors(serializer.errors)
        if action == "level":
            return patient_page(
                request,
                staff,
                patient_id,
                status=422,
                level_error=errs.get("level", ""),
                level_note_error=errs.get("note", ""),
                ladder_posted={action: request.POST},
            )
        return patient_page(
            request,
            staff,
            patient_id,
            status=422,
            ladder_error=next(iter(errs.values())),
            ladder_posted={action: request.POST},
        )
    data = serializer.validated_data
    audit_action = {"level": "set_level", "resume": "resume", "hold": "pause"}[action]
    audit(
        request,
        staff,
        action=audit_action,
        object_type="run_ladder",
        objects=[(patient.pk, str(row.pk))],
    )
    try:
        if action == "level":
            program_services.ladder_set_level(
                patient=patient, by=staff.user, level=data["level"], note=data["note"]
            )
        elif action == "resume":
            program_services.ladder_resume(
                patient=patient, by=staff.user, note=data.get("note", "")
            )
        else:
            program_services.ladder_pause(
                patient=patient,
                reason=PauseReason.THERAPIST,
                by=staff.user,
                note=data.get("note", ""),
            )
    except program_services.LadderStateError as exc:
        return patient_page(request, staff, patient_id, status=409, ladder_error=str(exc))
    except ValueError as exc:
        return patient_page(
            request,
            staff,
            patient_id,
            status=422,
            level_error=str(exc),
            ladder_posted={action: request.POST},
        )
    return redirect(patient_url(patient.pk, "ladder"))
