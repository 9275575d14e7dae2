"""An outcome measure."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assessments.rules import scoring
from assessments.serializers import QuestionnaireWriteSerializer
from assessments.services import questionnaire_record
from clinical import measures
from console import selectors
from console.fields import flat_errors, form_data
from console.views.base import Staff, audit, not_found, staff_page
from console.views.records.base import patient_url

SCALE_WORDS = {
    measures.Instrument.NPRS: "0 is no pain, 10 the worst imaginable.",
    measures.Instrument.LEFS: "Each item 0 (extreme difficulty or unable) to 4 (no difficulty).",
    measures.Instrument.KOOS: "Each item 0 (none, no problems) to 4 (extreme), as on the form.",
    measures.Instrument.KOOS_PF: "Each item 0 (none, no problems) to 4 (extreme), as on the form.",
}
INSTRUMENT_NAMES = {
    measures.Instrument.NPRS: "NPRS (pain, 0-10)",
    measures.Instrument.LEFS: "LEFS (Lower Extremity Functional Scale)",
    measures.Instrument.KOOS: "KOOS (Knee injury and Osteoarthritis Outcome Score)",
    measures.Instrument.KOOS_PF: "KOOS-PF (patellofemoral)",
}


@require_http_methods(["GET", "POST"])
@staff_page
def outcome_new(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    patient = selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)
    if patient is None:
        return not_found(request)
    source = request.POST if request.method == "POST" else request.GET
    instrument = source.get("instrument", measures.Instrument.NPRS)
    if instrument not in scoring.INSTRUMENTS:
        instrument = measures.Instrument.NPRS
    spec = scoring.INSTRUMENTS[instrument]
    errors: dict[str, str] = {}
    if request.method == "POST":
        answers = form_data(request.POST, whole=spec.items)
        data: dict[str, Any] = {"instrument": instrument, "answers": answers}
        if request.POST.get("recorded_at"):
            data["recorded_at"] = request.POST["recorded_at"]
        serializer = QuestionnaireWriteSerializer(data=data)
        if serializer.is_valid():
            response = questionnaire_record(
                patient=patient, data=dict(serializer.validated_data), by=staff.user
            )
            audit(
                request,
                staff,
                action="create",
                object_type="questionnaire_response",
                objects=[(patient.pk, str(response.pk))],
            )
            return redirect(patient_url(patient.pk, "outcomes"))
        errors = flat_errors(serializer.errors)
    items = [
        {
            "name": item,
            "label": "Pain now, 0 (none) to 10 (worst imaginable)"
            if item == scoring.NPRS_ITEM
            else f"Item {item}",
            "value": request.POST.get(item, "") if request.method == "POST" else "",
            "error": errors.get(f"answers.{item}", ""),
        }
        for item in spec.items
    ]
    return render(
        request,
        "console/outcome_form.html",
        {
            "section": "caseload",
            "patient": patient,
            "instrument": instrument,
            "instruments": list(INSTRUMENT_NAMES.items()),
            "instrument_name": INSTRUMENT_NAMES[measures.Instrument(instrument)],
            "scale_words": SCALE_WORDS[measures.Instrument(instrument)],
            "answer_range": range(spec.max_answer + 1),
            "items": items,
            "errors": errors,
            "recorded_at": source.get("recorded_at", ""),
        },
        status=422 if errors else 200,
    )
