"""URL map: the staff API, the partner-app API under /api/v1/app/, schema, docs, health, and
the therapist console under /console/ (where / leads)."""

from django.contrib import admin
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerView,
)
from rest_framework.routers import SimpleRouter

from assessments.api import AppQuestionnaireView, AssessmentViewSet, PatientQuestionnaireViewSet
from clinic.api import AuditEventViewSet, ClinicView, LoginView, LogoutView, StaffViewSet
from common.index import ApiIndexView
from common.views import HealthView, not_found
from monitoring import urls as monitoring_urls
from patients.api.caseload import CaseloadViewSet, PatientTrendViewSet
from patients.api.checkins import AppCheckInsView, AppSymptomsView, PatientCheckInViewSet
from patients.api.escalations import EscalationViewSet
from patients.api.fhir import PatientFhirViewSet
from patients.api.messages import AppMessagesView, PatientMessageViewSet
from patients.api.records import AppMeView, EnrollView, PatientViewSet
from programs import urls as programs_urls

router = SimpleRouter()
router.register("staff", StaffViewSet, basename="staff")
router.register("audit-events", AuditEventViewSet, basename="audit-event")
router.register("patients", PatientViewSet, basename="patient")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register(
    r"patients/(?P<patient_pk>\d+)/check-ins", PatientCheckInViewSet, basename="patient-check-in"
)
router.register(
    r"patients/(?P<patient_pk>\d+)/messages", PatientMessageViewSet, basename="patient-message"
)
router.register("escalations", EscalationViewSet, basename="escalation")
router.register("caseload", CaseloadViewSet, basename="caseload")

app_urls = [
    path("enroll/", EnrollView.as_view(), name="app-enroll"),
    path("me/", AppMeView.as_view(), name="app-me"),
    path("questionnaires/", AppQuestionnaireView.as_view(), name="app-questionnaires"),
    path("check-ins/", AppCheckInsView.as_view(), name="app-check-ins"),
    path("symptoms/", AppSymptomsView.as_view(), name="app-symptoms"),
    path("messages/", AppMessagesView.as_view(), name="app-messages"),
    *programs_urls.app_urlpatterns,
]

api_v1 = [
    path("", ApiIndexView.as_view(), name="api-index"),
    path("auth/login/", LoginView.as_view(), name="auth-login"),
    path("auth/logout/", LogoutView.as_view(), name="auth-logout"),
    path("clinic/", ClinicView.as_view(), name="clinic"),
    path("app/", include(app_urls)),
    path(
        "patients/<int:patient_pk>/questionnaires/",
        PatientQuestionnaireViewSet.as_view({"get": "list", "post": "create"}),
        name="patient-questionnaires",
    ),
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
    *programs_urls.urlpatterns,
    *monitoring_urls.urlpatterns,
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("health/", HealthView.as_view(), name="health"),
    path("admin/", admin.site.urls),
    # The therapist console (console/urls.py); the site's root leads there.
    path("console/", include("console.urls")),
    path("", RedirectView.as_view(pattern_name="console:caseload"), name="root"),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html"),
        name="redoc",
    ),
    # Any other path under /api/ is a 404 in the one error shape, with DEBUG on too, for
    # every method (CSRF applies to cookie sessions, and the API has none).
    re_path(r"^api/", csrf_exempt(not_found)),
]

handler400 = "common.views.bad_request"
handler404 = "common.views.not_found"
handler500 = "common.views.server_error"
