"""Reads for patient views, with the relations each needs loaded up front."""

from django.db.models import QuerySet

from clinic.models import Clinic
from patients.models import Patient


def patient_list(*, clinic: Clinic) -> QuerySet[Patient]:
    return Patient.objects.filter(clinic=clinic)
