"""Reads for patient views, with the relations each needs loaded up front."""

from django.db.models import QuerySet

from clinic.models import Clinic
from patients.models import CheckIn, Escalation, Patient


def patient_list(*, clinic: Clinic) -> QuerySet[Patient]:
    return Patient.objects.filter(clinic=clinic)


def patient_of_clinic(*, clinic: Clinic, patient_id: int) -> Patient | None:
    """The clinic's patient with this id, or None: another clinic's patient is not found."""
    return patient_list(clinic=clinic).filter(pk=patient_id).first()


def checkin_list(*, patient_id: int) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(patient_id=patient_id)


def escalation_list(*, clinic: Clinic) -> QuerySet[Escalation]:
    """Escalations with their evidence in one extra query, whatever the page size."""
    return Escalation.objects.filter(clinic=clinic).prefetch_related("evidence")
