"""Routes of the patients app: staff routes under /api/v1/ (patients, what is nested under a
patient, escalations, the caseload), the app's under /api/v1/app/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from patients.api.base import PATIENT_URL_KWARG
from patients.api.caseload import CaseloadViewSet, PatientTrendViewSet
from patients.api.check_ins import AppCheckInsView, AppSymptomsView, PatientCheckInViewSet
from patients.api.escalations import EscalationViewSet
from patients.api.fhir import PatientFhirViewSet
from patients.api.messages import AppMessagesView, PatientMessageViewSet
from patients.api.records import AppMeView, EnrollView, PatientViewSet

UNDER_A_PATIENT = rf"patients/(?P<{PATIENT_URL_KWARG}>\d+)"

router = SimpleRouter()
router.register("patients", PatientViewSet, basename="patient")
router.register(f"{UNDER_A_PATIENT}/check-ins", PatientCheckInViewSet, basename="patient-check-in")
router.register(f"{UNDER_A_PATIENT}/messages", PatientMessageViewSet, basename="patient-message")
router.register("escalations", EscalationViewSet, basename="escalation")
router.register("caseload", CaseloadViewSet, basename="caseload")

urlpatterns = [
    path(
        "patients/<int:pk>/trend/",
        PatientTrendViewSet.as_view({"get": "trend"}),
        name="patient-trend",
    ),
    path(
        "patients/<int:pk>/fhir/",
        PatientFhirViewSet.as_view({"get": "export"}),
        name="patient-fhir",
    ),
    *router.urls,
]

app_urlpatterns = [
    path("enroll/", EnrollView.as_view(), name="app-enroll"),
    path("me/", AppMeView.as_view(), name="app-me"),
    path("check-ins/", AppCheckInsView.as_view(), name="app-check-ins"),
    path("symptoms/", AppSymptomsView.as_view(), name="app-symptoms"),
    path("messages/", AppMessagesView.as_view(), name="app-messages"),
]
