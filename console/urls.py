"""The console's pages under /console/; anything else under it is the console's 404 page."""

from django.urls import path, re_path

from console.views import auth, caseload, escalations, monitoring, patients
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
    # Messages and remote monitoring: the patient page's two panels and the clinic's month.
    path(
        "patients/<int:patient_id>/messages/",
        monitoring.patient_messages,
        name="patient-messages",
    ),
    path(
        "patients/<int:patient_id>/monitoring/",
        monitoring.patient_monitoring,
        name="patient-monitoring",
    ),
    path(
        "patients/<int:patient_id>/monitoring/episode/",
        monitoring.patient_monitoring_episode,
        name="patient-monitoring-episode",
    ),
    path(
        "patients/<int:patient_id>/monitoring/time/",
        monitoring.patient_monitoring_time,
        name="patient-monitoring-time",
    ),
    path(
        "patients/<int:patient_id>/monitoring/sign-off/",
        monitoring.patient_monitoring_sign_off,
        name="patient-monitoring-sign-off",
    ),
    path("monitoring/", monitoring.clinic_month, name="monitoring"),
    path("monitoring/month.csv", monitoring.clinic_month_csv, name="monitoring-csv"),
    re_path(r"^.*$", not_found),
]
