"""Writes for patients, one module per concern; the public services are re-exported here."""

from patients.services.escalations import (
    EscalationChange,
    EvidenceInput,
    escalation_acknowledge,
    escalation_raise,
    escalation_resolve,
    escalations_escalate_overdue,
)
from patients.services.records import (
    EnrollmentError,
    PatientStateError,
    PatientTherapistError,
    enrollment_code_issue,
    patient_create,
    patient_discharge,
    patient_enroll,
    patient_pause,
    patient_resume,
    patient_self_update,
    patient_update,
)
from patients.services.summaries import (
    summaries_rebuild,
    summaries_refresh_stale,
    summary_refresh,
    summary_refresh_escalations,
)

__all__ = [
    "EnrollmentError",
    "EscalationChange",
    "EvidenceInput",
    "PatientStateError",
    "PatientTherapistError",
    "enrollment_code_issue",
    "escalation_acknowledge",
    "escalation_raise",
    "escalation_resolve",
    "escalations_escalate_overdue",
    "patient_create",
    "patient_discharge",
    "patient_enroll",
    "patient_pause",
    "patient_resume",
    "patient_self_update",
    "patient_update",
    "summaries_rebuild",
    "summaries_refresh_stale",
    "summary_refresh",
    "summary_refresh_escalations",
]
