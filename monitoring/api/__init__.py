"""The monitoring record for staff: episodes, time entries, sign-off, a patient's month and the
clinic's month statement (JSON, or CSV with one row per patient and code)."""

from monitoring.api.patients import (
    EpisodeViewSet,
    PatientMonthViewSet,
    SignOffViewSet,
    TimeEntryViewSet,
)
from monitoring.api.statements import StatementViewSet, csv_rows

__all__ = [
    "EpisodeViewSet",
    "PatientMonthViewSet",
    "SignOffViewSet",
    "StatementViewSet",
    "TimeEntryViewSet",
    "csv_rows",
]
