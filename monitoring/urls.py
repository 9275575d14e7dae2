"""Routes of the monitoring record, included under /api/v1/ by config.urls."""

from django.urls import path

from monitoring.api import (
    EpisodeViewSet,
    PatientMonthViewSet,
    SignOffViewSet,
    StatementViewSet,
    TimeEntryViewSet,
)

urlpatterns = [
    path(
        "patients/<int:patient_pk>/monitoring/",
        PatientMonthViewSet.as_view({"get": "month"}),
        name="patient-monitoring",
    ),
    path(
        "patients/<int:patient_pk>/monitoring/episodes/",
        EpisodeViewSet.as_view({"post": "episodes"}),
        name="patient-monitoring-episodes",
    ),
    path(
        "patients/<int:patient_pk>/monitoring/sign-off/",
        SignOffViewSet.as_view({"post": "sign_off"}),
        name="patient-monitoring-sign-off",
    ),
    path(
        "patients/<int:patient_pk>/monitoring/time/",
        TimeEntryViewSet.as_view({"get": "list", "post": "create"}),
        name="patient-monitoring-time",
    ),
    path(
        "monitoring/statements/",
        StatementViewSet.as_view({"get": "statements"}),
        name="monitoring-statements",
    ),
]
