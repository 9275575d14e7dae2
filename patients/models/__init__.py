"""The patient record, partner-app enrollment codes and tokens, and escalations.

One module per concern; every model and its choices are importable from here."""

from patients.models.check_ins import CheckIn, IdempotencyKey, IdempotencyStatus
from patients.models.escalations import (
    LATE_ARRIVAL,
    Escalation,
    EscalationEvidence,
    EscalationStatus,
    UndeliverableNotification,
)
from patients.models.messages import MESSAGE_MAX_LENGTH, Message, MessageSender
from patients.models.records import (
    ALL_WEEKDAYS_MASK,
    WEEKDAYS,
    EnrollmentCode,
    Patient,
    PatientStatus,
    PatientToken,
    weekdays_to_mask,
)
from patients.models.reminders import Reminder, ReminderOutcome, ReminderSkipReason
from patients.models.summaries import SPARKLINE_DAYS, PatientSummary

__all__ = [
    "ALL_WEEKDAYS_MASK",
    "LATE_ARRIVAL",
    "MESSAGE_MAX_LENGTH",
    "SPARKLINE_DAYS",
    "WEEKDAYS",
    "CheckIn",
    "EnrollmentCode",
    "Escalation",
    "EscalationEvidence",
    "EscalationStatus",
    "IdempotencyKey",
    "IdempotencyStatus",
    "Message",
    "MessageSender",
    "Patient",
    "PatientStatus",
    "PatientSummary",
    "PatientToken",
    "Reminder",
    "ReminderOutcome",
    "ReminderSkipReason",
    "UndeliverableNotification",
    "weekdays_to_mask",
]
