"""The base of every staff view nested under a patient, `/api/v1/patients/{patient_pk}/...`
(check-ins, messages, questionnaires, the run ladder, the monitoring record)."""

from rest_framework.exceptions import NotFound

from clinic.scoping import ClinicScopedViewSet
from patients import selectors
from patients.models import Patient

# The one URL keyword (and schema path parameter) naming the patient a nested view is under.
PATIENT_URL_KWARG = "patient_pk"


class PatientNestedViewSet(ClinicScopedViewSet):
    """A staff view under `/api/v1/patients/{patient_pk}/...`: the path's patient is looked up
    in the caller's clinic, so another clinic's patient is the same 404 as a missing one."""

    patient_url_kwarg = PATIENT_URL_KWARG

    def path_patient(self) -> Patient:
        patient = selectors.patient_of_clinic(
            clinic=self.clinic, patient_id=self.kwargs[self.patient_url_kwarg]
        )
        if patient is None:
            raise NotFound()
        return patient
