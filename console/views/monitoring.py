"""The patient page's two panels (messages, the remote monitoring month) and the clinic's
monitoring month. Each panel is a fragment for htmx and, asked for without htmx (the plain
link's fallback), a page of its own. Writes go through the services the API calls, their input
through the API's serializers, so the checks and their words are the same."""

import csv
import io
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from rest_framework import serializers as drf

from common.time import local_date
from console import presenters
from console.views.base import Staff, audit, is_htmx, not_found, staff_page
from monitoring import selectors as monitoring_selectors
from monitoring import services as monitoring_services
from monitoring.api import csv_rows
from monitoring.models import Activity
from monitoring.serializers import (
    EpisodeInputSerializer,
    MonthQuerySerializer,
    TimeEntryInputSerializer,
)
from patients import selectors as patient_selectors
from patients.models import Patient
from patients.serializers.messages import NOT_FOR_EMERGENCIES, MessageInputSerializer
from patients.services import messages as message_services

THREAD_LIMIT = 50


def _patient(staff: Staff, patient_id: int) -> Patient | None:
    return patient_selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)


def _errors(exc: drf.ValidationError) -> dict[str, list[str]]:
    detail = exc.detail
    if isinstance(detail, dict):
        return {str(k): [str(m) for m in v] for k, v in detail.items()}
    return {"form": [str(m) for m in detail]}


def _panel(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The fragment for htmx; the whole page (with the patient's crumbs) otherwise."""
    name = f"{template}#panel" if is_htmx(request) else template
    return render(request, name, {"section": "caseload", **context}, status=status)


# -- messages -------------------------------------------------------------------------------


def _messages_panel(
    request: HttpRequest,
    staff: Staff,
    patient: Patient,
    *,
    errors: dict[str, list[str]] | None = None,
    text: str = "",
    status: int = 200,
) -> HttpResponse:
    thread = list(patient_selectors.message_list(patient_id=patient.pk)[:THREAD_LIMIT])
    audit(
        request,
        staff,
        action="list",
        object_type="message",
        objects=[(patient.pk, str(m.pk)) for m in thread],
    )
    # Shown to the therapist: the patient's messages are read now.
    unread = {m.pk for m in thread if m.sender == "patient" and m.read_at is None}
    if unread:
        message_services.messages_mark_read(patient=patient)
    context = {
        "patient": patient,
        "thread": [{"message": m, "new": m.pk in unread} for m in reversed(thread)],
        "errors": errors or {},
        "text": text,
        "not_for_emergencies": NOT_FOR_EMERGENCIES,
        "discharged": patient.status == "discharged",
    }
    return _panel(request, "console/patient_messages.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_page
def patient_messages(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    patient = _patient(staff, patient_id)
    if patient is None:
        return not_found(request)
    if request.method == "GET":
        return _messages_panel(request, staff, patient)
    text = request.POST.get("text", "")
    serializer = MessageInputSerializer(data={"text": text})
    try:
        serializer.is_valid(raise_exception=True)
        message = message_services.message_send_by_staff(
            patient=patient, by=staff.user, text=serializer.validated_data["text"]
        )
    except drf.ValidationError as exc:
        return _messages_panel(request, staff, patient, errors=_errors(exc), text=text, status=422)
    except message_services.MessageRefused as exc:
        return _messages_panel(
            request, staff, patient, errors={"text": [str(exc)]}, text=text, status=409
        )
    audit(
        request,
        staff,
        action="create",
        object_type="message",
        objects=[(patient.pk, str(message.pk))],
    )
    if not is_htmx(request):
        return redirect("console:patient-messages", patient.pk)
    return _messages_panel(request, staff, patient)


# -- the patient's monitoring month ---------------------------------------------------------


def _month(request: HttpRequest, staff: Staff) -> tuple[date, str]:
    query = MonthQuerySerializer(data=request.GET)
    month: date | None = query.validated_data.get("month") if query.is_valid() else None
    today = local_date(timezone.now(), staff.clinic.timezone)
    if month is None or month > today.replace(day=1):
        month = today.replace(day=1)
    codes = monitoring_selectors.code_rules(on=month)
    if not codes:  # before the first codes in force: the current month instead
        month = today.replace(day=1)
    return month, ""


def _monitoring_panel(
    request: HttpRequest,
    staff: Staff,
    patient: Patient,
    month: date,
    *,
    errors: dict[str, dict[str, list[str]]] | None = None,
    values: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    (item,) = monitoring_selectors.month_records(
        clinic=staff.clinic, patients=[patient], month=month
    )
    audit(
        request,
        staff,
        action="retrieve",
        object_type="monitoring_month",
        objects=[(patient.pk, f"{month:%Y-%m}")],
    )
    first, last = monitoring_selectors.month_bounds(month)
    entries = list(
        monitoring_selectors.time_entry_list(patient_id=patient.pk)
        .filter(performed_on__gte=first, performed_on__lte=last)
        .order_by("-performed_on", "-id")
    )
    episode = monitoring_selectors.open_episode(patient=patient)
    today = local_date(timezone.now(), staff.clinic.timezone)
    context = {
        "patient": patient,
        "month": month,
        "item": item,
        "record": item.record,
        "summary": presenters.monitoring_summary(item.record),
        "episode": episode,
        "entries": entries,
        "activities": Activity.choices,
        "errors": errors or {},
        "values": values or {},
        "today": today,
        "now_local": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "is_current": month == today.replace(day=1),
        "previous": (month - presenters.ONE_DAY).replace(day=1),
        "can_sign_off": item.sign_off is None and staff.user.credential not in ("PTA", "OTA"),
        "discharged": patient.status == "discharged",
    }
    return _panel(request, "console/patient_monitoring.html", context, status=status)


@require_GET
@staff_page
def patient_monitoring(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    patient = _patient(staff, patient_id)
    if patient is None:
        return not_found(request)
    month, _ = _month(request, staff)
    return _monitoring_panel(request, staff, patient, month)


def _after_write(request: HttpRequest, staff: Staff, patient: Patient, month: date) -> HttpResponse:
    if not is_htmx(request):
        url = reverse("console:patient-monitoring", args=[patient.pk])
        return redirect(f"{url}?month={month:%Y-%m}")
    return _monitoring_panel(request, staff, patient, month)


def _failed(
    request: HttpRequest,
    staff: Staff,
    patient: Patient,
    form: str,
    errors: dict[str, list[str]],
    status: int,
) -> HttpResponse:
    month, _ = _month(request, staff)
    return _monitoring_panel(
        request,
        staff,
        patient,
        month,
        errors={form: errors},
        values={form: request.POST.dict()},
        status=status,
    )


@require_POST
@staff_page
def patient_monitoring_episode(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    patient = _patient(staff, patient_id)
    if patient is None:
        return not_found(request)
    serializer = EpisodeInputSerializer(
        data={k: request.POST.get(k, "") for k in ("consent_at", "setup_at")},
        context={"clinic": staff.clinic},
    )
    try:
        serializer.is_valid(raise_exception=True)
        episode = monitoring_services.episode_start(
            patient=patient,
            by=staff.user,
            consent_at=serializer.validated_data["consent_at"],
            setup_at=serializer.validated_data["setup_at"],
        )
    except drf.ValidationError as exc:
        return _failed(request, staff, patient, "episode", _errors(exc), 422)
    except monitoring_services.MonitoringInvalid as exc:
        return _failed(request, staff, patient, "episode", {exc.attr: [str(exc)]}, 422)
    except monitoring_services.MonitoringConflict as exc:
        return _failed(request, staff, patient, "episode", {"form": [str(exc)]}, 409)
    audit(
        request,
        staff,
        action="create",
        object_type="monitoring_episode",
        objects=[(patient.pk, str(episode.pk))],
    )
    return _after_write(
        request,
        staff,
        patient,
        local_date(timezone.now(), staff.clinic.timezone).replace(day=1),
    )


@require_POST
@staff_page
def patient_monitoring_time(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    patient = _patient(staff, patient_id)
    if patient is None:
        return not_found(request)
    post = request.POST
    data: dict[str, Any] = {
        k: post.get(k, "") for k in ("date", "minutes", "activity", "note") if k in post
    }
    if str(data.get("minutes", "")).strip().isdigit():
        data["minutes"] = int(data["minutes"])
    data["interactive"] = post.get("interactive") == "yes"
    serializer = TimeEntryInputSerializer(data=data)
    try:
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        entry = monitoring_services.time_entry_record(
            patient=patient,
            by=staff.user,
            performed_on=values["date"],
            minutes=values["minutes"],
            activity=values["activity"],
            interactive=values.get("interactive", False),
            note=values["note"],
        )
    except drf.ValidationError as exc:
        return _failed(request, staff, patient, "time", _errors(exc), 422)
    except monitoring_services.MonitoringInvalid as exc:
        return _failed(request, staff, patient, "time", {exc.attr: [str(exc)]}, 422)
    except monitoring_services.MonitoringConflict as exc:
        return _failed(request, staff, patient, "time", {"form": [str(exc)]}, 409)
    audit(
        request,
        staff,
        action="create",
        object_type="time_entry",
        objects=[(patient.pk, str(entry.pk))],
    )
    return _after_write(request, staff, patient, entry.performed_on.replace(day=1))


@require_POST
@staff_page
def patient_monitoring_sign_off(
    request: HttpRequest, staff: Staff, patient_id: int
) -> HttpResponse:
    patient = _patient(staff, patient_id)
    if patient is None:
        return not_found(request)
    query = MonthQuerySerializer(data={"month": request.POST.get("month", "")})
    if not query.is_valid():
        return _failed(request, staff, patient, "sign_off", {"month": ["A month as YYYY-MM."]}, 422)
    month: date = query.validated_data["month"]
    try:
        sign_off = monitoring_services.month_sign_off(patient=patient, by=staff.user, month=month)
    except monitoring_services.MonitoringForbidden as exc:
        return _failed(request, staff, patient, "sign_off", {"form": [str(exc)]}, 403)
    except monitoring_services.MonitoringInvalid as exc:
        return _failed(request, staff, patient, "sign_off", {"form": [str(exc)]}, 422)
    except monitoring_services.MonitoringConflict as exc:
        return _failed(request, staff, patient, "sign_off", {"form": [str(exc)]}, 409)
    audit(
        request,
        staff,
        action="create",
        object_type="monitoring_sign_off",
        objects=[(patient.pk, str(sign_off.pk))],
    )
    return _after_write(request, staff, patient, month)


# -- the clinic's month ---------------------------------------------------------------------


def _clinic_month(request: HttpRequest, staff: Staff) -> tuple[date, list[Any]]:
    month, _ = _month(request, staff)
    patients = list(
        monitoring_selectors.statement_patients(clinic=staff.clinic, month=month).order_by(
            "last_name", "first_name", "id"
        )
    )
    records = monitoring_selectors.month_records(
        clinic=staff.clinic, patients=patients, month=month
    )
    return month, records


@require_GET
@staff_page
def clinic_month(request: HttpRequest, staff: Staff) -> HttpResponse:
    month, records = _clinic_month(request, staff)
    audit(
        request,
        staff,
        action="list",
        object_type="monitoring_statement",
        objects=[(r.patient.pk, str(r.patient.pk)) for r in records],
    )
    today = local_date(timezone.now(), staff.clinic.timezone).replace(day=1)
    previous = (month.replace(day=1) - presenters.ONE_DAY).replace(day=1)
    following = (month.replace(day=28) + presenters.FOUR_DAYS).replace(day=1)
    context = {
        "section": "monitoring",
        "month": month,
        "rows": [{"item": r, "summary": presenters.monitoring_summary(r.record)} for r in records],
        "previous": previous if monitoring_selectors.code_rules(on=previous) else None,
        "following": following if following <= today else None,
    }
    return render(request, "console/monitoring_month.html", context)


@require_GET
@staff_page
def clinic_month_csv(request: HttpRequest, staff: Staff) -> HttpResponse:
    month, records = _clinic_month(request, staff)
    audit(
        request,
        staff,
        action="export",
        object_type="monitoring_statement",
        objects=[(r.patient.pk, str(r.patient.pk)) for r in records],
    )
    out = io.StringIO()
    csv.writer(out).writerows(csv_rows(records))
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rtm-{month:%Y-%m}.csv"'
    return response
