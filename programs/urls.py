"""Routes of the programs app: staff routes under /api/v1/, the app's under /api/v1/app/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from programs.api import (
    AppProgramView,
    ExerciseViewSet,
    PatientLadderViewSet,
    PatientProgramViewSet,
    ProgramTemplateViewSet,
    RunLadderViewSet,
)

router = SimpleRouter()
router.register("exercises", ExerciseViewSet, basename="exercise")
router.register("program-templates", ProgramTemplateViewSet, basename="program-template")
router.register("programs", PatientProgramViewSet, basename="program")
router.register("run-ladders", RunLadderViewSet, basename="run-ladder")

urlpatterns = [
    path(
        "patients/<int:patient_pk>/ladder/",
        PatientLadderViewSet.as_view({"get": "retrieve", "post": "start"}),
        name="patient-ladder",
    ),
    path(
        "patients/<int:patient_pk>/ladder/set-level/",
        PatientLadderViewSet.as_view({"post": "set_level"}),
        name="patient-ladder-set-level",
    ),
    path(
        "patients/<int:patient_pk>/ladder/resume/",
        PatientLadderViewSet.as_view({"post": "resume"}),
        name="patient-ladder-resume",
    ),
    path(
        "patients/<int:patient_pk>/ladder/pause/",
        PatientLadderViewSet.as_view({"post": "pause"}),
        name="patient-ladder-pause",
    ),
    *router.urls,
]

app_urlpatterns = [
    path("program/", AppProgramView.as_view(), name="app-program"),
]
