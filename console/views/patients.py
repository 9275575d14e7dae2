"""A patient's page, and issuing the partner app's enrollment code (shown once, with a QR)."""

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from console import presenters, selectors
from console.views.base import Staff, audit, not_found, staff_page
from patients.services import PatientStateError, enrollment_code_issue


def _chart_days(request: HttpRequest) -> int:
    """`?days=90` for the long view; anything else is the 30 days."""
    days = request.GET.get("days", "")
    return int(days) if days in {str(d) for d in selectors.PATIENT_CHART_SPANS} else 30


def patient_page(
    request: HttpRequest, staff: Staff, patient_id: int, *, status: int = 200, **extra: object
) -> HttpResponse:
    """The patient's page (another clinic's or a missing patient: the 404 page); forms that
    come back refused render it with their errors in `extra`."""
    return _page(request, staff, patient_id, status=status, **extra) or not_found(request)


def _page(
    request: HttpRequest, staff: Staff, patient_id: int, *, status: int = 200, **extra: object
) -> HttpResponse | None:
    now = timezone.now()
    days = _chart_days(request)
    record = selectors.patient_record(
        clinic=staff.clinic, patient_id=patient_id, now=now, days=days
    )
    if record is None:
        return None
    patient = record.patient
    audit(
        request,
        staff,
        action="retrieve",
        object_type="patient",
        objects=[(patient.pk, str(patient.pk))],
    )
    baseline = record.intake.pain_worst_running if record.intake else None
    chart = presenters.pain_chart(
        [(day.date, day.peak_pain) for day in record.trend.days],
        baseline=baseline,
        mcid=staff.clinic.clinical_thresholds().pain_mcid,
        escalations=[
            (e.date, e.severity, f"{presenters.code_words(e.code)} ({e.severity})")
            for e in record.trend.escalations
        ],
        adherence=[day.adherence for day in record.trend.days],
    )
    context = {
        "section": "caseload",
        "record": record,
        "patient": patient,
        "row": presenters.caseload_row(patient, now),
        "chart": chart,
        "chart_days": days,
        "chart_spans": selectors.PATIENT_CHART_SPANS,
        "outcomes": presenters.outcome_rows(record.outcomes),
        "intake_detail": presenters.intake_detail(record.intake),
        "saved": request.GET.get("saved", ""),
        "escalations": [
            {
                "escalation": e,
                "title": presenters.code_words(e.code),
                "deadline": presenters.deadline(e, now),
            }
            for e in record.escalations
        ],
        "check_ins": [
            {
                "check_in": c,
                "symptoms": presenters.symptoms_words(c.symptoms),
                "advice": presenters.code_words(c.advice_level),
            }
            for c in record.check_ins
        ],
        "intake_words": {
            "patterns": presenters.codes_words(record.intake.patterns if record.intake else []),
            "factors": presenters.codes_words(record.intake.factors if record.intake else []),
        },
        **extra,
    }
    return render(request, "console/patient.html", context, status=status)


@require_GET
@staff_page
def detail(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    return _page(request, staff, patient_id) or not_found(request)


@require_POST
@staff_page
def enrollment_code(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    record = selectors.patient_record(
        clinic=staff.clinic, patient_id=patient_id, now=timezone.now()
    )
    if record is None:
        return not_found(request)
    try:
        code, expires_at = enrollment_code_issue(patient=record.patient, by=staff.user)
    except PatientStateError as exc:
        return _page(request, staff, patient_id, code_error=str(exc), status=409) or not_found(
            request
        )
    audit(
        request,
        staff,
        action="enrollment_code",
        object_type="patient",
        objects=[(record.patient.pk, str(record.patient.pk))],
    )
    qr = segno.make(code, error="m").svg_inline(scale=5, title=f"Enrollment code {code}")
    return _page(
        request,
        staff,
        patient_id,
        code=code,
        code_expires_at=expires_at,
        code_qr=mark_safe(qr),  # noqa: S308 - segno's own SVG of the code
    ) or not_found(request)
