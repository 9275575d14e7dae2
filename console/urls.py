"""The console's pages under /console/; anything else under it is the console's 404 page."""

from django.urls import path, re_path

from console.views import auth, caseload, escalations, patients
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
    re_path(r"^.*$", not_found),
]
