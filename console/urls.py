"""The console's pages under /console/; anything else under it is the console's 404 page."""

from django.urls import path, re_path

from console.views import (
    auth,
    caseload,
    escalations,
    library,
    monitoring,
    patients,
    records,
)
from console.views import settings as clinic_settings
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
    # Clinic settings (admins) and the exercise library.
    path("settings/", clinic_settings.staff_list, name="settings-staff"),
    path("settings/staff/", clinic_settings.staff_invite, name="settings-staff-invite"),
    path("settings/staff/<int:member_id>/", clinic_settings.member, name="settings-member"),
    path(
        "settings/staff/<int:member_id>/change/",
        clinic_settings.member_change,
        name="settings-member-change",
    ),
    path(
        "settings/staff/<int:member_id>/deactivate/",
        clinic_settings.member_deactivate,
        name="settings-member-deactivate",
    ),
    path("settings/on-call/", clinic_settings.oncall, name="settings-oncall"),
    path("settings/thresholds/", clinic_settings.thresholds, name="settings-thresholds"),
    path("settings/webhooks/", clinic_settings.webhooks, name="settings-webhooks"),
    path("settings/webhooks/<str:kind>/", clinic_settings.webhook_change, name="settings-webhook"),
    path(
        "settings/webhooks/<str:kind>/test/",
        clinic_settings.webhook_test,
        name="settings-webhook-test",
    ),
    path("settings/audit/", clinic_settings.audit_trail, name="settings-audit"),
    path("library/", library.library, name="library"),
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
