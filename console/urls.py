"""The console's pages under /console/; anything else under it is the console's 404 page."""

from django.urls import path, re_path

from console.views import auth, caseload, escalations, library, patients
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
    re_path(r"^.*$", not_found),
]
