"""The console's pages under /console/; anything else under it is the console's 404 page."""

from django.urls import path, re_path

from console.views import auth, caseload, escalations, patients, records
from console.views.base import not_found

app_name = "console"

urlpatterns = [
    path("", caseload.caseload, name="caseload"),
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("escalations/", escalations.inbox, name="inbox"),
    path("escalations/<int:escalation_id>/", escalations.detail, name="escalation"),
    path(
        "escalations/<int:escalation_id>/acknowledge/",
        escalations.acknowledge,
        name="escalation-acknowledge",
    ),
    path(
        "escalations/<int:escalation_id>/resolve/",
        escalations.resolve,
        name="escalation-resolve",
    ),
    path("patients/<int:patient_id>/", patients.detail, name="patient"),
    path(
        "patients/<int:patient_id>/enrollment-code/",
        patients.enrollment_code,
        name="patient-enrollment-code",
    ),
    # The patient record's forms and actions.
    path("patients/new/", records.patient_new, name="patient-new"),
    path("patients/<int:patient_id>/intake/", records.intake_new, name="patient-intake"),
    path("patients/<int:patient_id>/program/", records.program_new, name="patient-program"),
    path("patients/<int:patient_id>/outcome/", records.outcome_new, name="patient-outcome"),
    path("patients/<int:patient_id>/pause/", records.patient_pause, name="patient-pause"),
    path("patients/<int:patient_id>/resume/", records.patient_resume, name="patient-resume"),
    path(
        "patients/<int:patient_id>/discharge/", records.patient_discharge, name="patient-discharge"
    ),
    path(
        "patients/<int:patient_id>/ladder/<str:action>/",
        records.ladder_action,
        name="patient-ladder",
    ),
    re_path(r"^.*$", not_found),
]
