"""A new patient, and the patient's status: pause, resume, discharge."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from clinic.models import StaffUser
from console import selectors
from console.fields import Field, bind, flat_errors, form_data
from console.views.base import Staff, audit, not_found, staff_page
from console.views.patients import patient_page
from console.views.records.base import patient_url
from patients import services as patient_services
from patients.serializers.records import PatientWriteSerializer


def _patient_fields(staff: Staff) -> list[Field]:
    therapists = StaffUser.objects.filter(clinic=staff.clinic, is_active=True).order_by(
        "last_name", "first_name"
    )
    return [
        Field("first_name", "First name", required=True),
        Field("last_name", "Last name", required=True),
        Field("date_of_birth", "Date of birth", kind="date", required=True),
        Field("external_id", "Record number", help="The clinic's record number, if any."),
        Field(
            "timezone",
            "Time zone",
            value=staff.clinic.timezone,
            required=True,
            help="Where the patient lives, e.g. Europe/Berlin: reminders follow it.",
        ),
        Field("email", "Email", kind="email"),
        Field("phone", "Phone", kind="tel"),
        Field(
            "therapist",
            "Therapist",
            kind="select",
            value=str(staff.user.pk),
            choices=[(str(t.pk), t.display_name) for t in therapists],
        ),
    ]


@require_http_methods(["GET", "POST"])
@staff_page
def patient_new(request: HttpRequest, staff: Staff) -> HttpResponse:
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = form_data(
            request.POST,
            text=("first_name", "last_name", "external_id", "timezone", "email", "phone"),
            whole=("therapist",),
        )
        for name in ("date_of_birth",):
            if request.POST.get(name):
                data[name] = request.POST[name]
        serializer = PatientWriteSerializer(data=data, context={"clinic": staff.clinic})
        if serializer.is_valid():
            try:
                patient = patient_services.patient_create(
                    clinic=staff.clinic,
                    created_by=staff.user,
                    data=dict(serializer.validated_data),
                )
            except patient_services.PatientTherapistError as exc:
                errors = {"therapist": str(exc)}
            else:
                audit(
                    request,
                    staff,
                    action="create",
                    object_type="patient",
                    objects=[(patient.pk, str(patient.pk))],
                )
                return redirect(patient_url(patient.pk))
        else:
            errors = flat_errors(serializer.errors)
    fields = bind(
        _patient_fields(staff), request.POST if request.method == "POST" else None, errors
    )
    return render(
        request,
        "console/patient_form.html",
        {"section": "caseload", "fields": fields, "errors": errors},
        status=422 if errors else 200,
    )


def _status_action(
    request: HttpRequest, staff: Staff, patient_id: int, action: str
) -> HttpResponse:
    patient = selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)
    if patient is None:
        return not_found(request)
    service = {
        "pause": patient_services.patient_pause,
        "resume": patient_services.patient_resume,
        "discharge": patient_services.patient_discharge,
    }[action]
    audit(
        request,
        staff,
        action=action,
        object_type="patient",
        objects=[(patient.pk, str(patient.pk))],
    )
    try:
        service(patient=patient, by=staff.user)
    except patient_services.PatientStateError as exc:
        return patient_page(request, staff, patient_id, status=409, status_error=str(exc))
    return redirect(patient_url(patient.pk))


@require_POST
@staff_page
def patient_pause(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    return _status_action(request, staff, patient_id, "pause")


@require_POST
@staff_page
def patient_resume(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    return _status_action(request, staff, patient_id, "resume")


@require_http_methods(["GET", "POST"])
@staff_page
def patient_discharge(request: HttpRequest, staff: Staff, patient_id: int) -> HttpResponse:
    """GET asks for confirmation; POST with `confirm` discharges."""
    patient = selectors.patient_of_clinic(clinic=staff.clinic, patient_id=patient_id)
    if patient is None:
        return not_found(request)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        return _status_action(request, staff, patient_id, "discharge")
    error = "Tick the box to confirm the discharge." if request.method == "POST" else ""
    return render(
        request,
        "console/discharge_confirm.html",
        {"section": "caseload", "patient": patient, "error": error},
        status=422 if error else 200,
    )
