"""Routes of the assessments app: intakes and a patient's outcome measures under /api/v1/, the
app's outcome measures under /api/v1/app/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from assessments.api import AppQuestionnaireView, AssessmentViewSet, PatientQuestionnaireViewSet

router = SimpleRouter()
router.register("assessments", AssessmentViewSet, basename="assessment")

urlpatterns = [
    path(
        "patients/<int:patient_pk>/questionnaires/",
        PatientQuestionnaireViewSet.as_view({"get": "list", "post": "create"}),
        name="patient-questionnaires",
    ),
    *router.urls,
]

app_urlpatterns = [
    path("questionnaires/", AppQuestionnaireView.as_view(), name="app-questionnaires"),
]
