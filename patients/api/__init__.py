"""Views of the patients app, one module per concern; the base of views nested under a patient
is in base.py."""

from patients.api.base import PATIENT_URL_KWARG, PatientNestedViewSet

__all__ = ["PATIENT_URL_KWARG", "PatientNestedViewSet"]
