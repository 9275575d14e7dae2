"""FHIR R4 export of a patient's record: `patient_fhir_bundle` reads it (record.py) and builds
the Bundle (bundle.py, plain data in, plain JSON out) from its resources (observations.py,
resources.py) and the export's code systems and names (terms.py)."""

from datetime import datetime

from patients.fhir.bundle import FHIR_JSON, build_bundle
from patients.fhir.record import fhir_record
from patients.models import Patient

__all__ = ["FHIR_JSON", "build_bundle", "fhir_record", "patient_fhir_bundle"]


def patient_fhir_bundle(*, patient: Patient, base_url: str, now: datetime) -> dict[str, object]:
    return build_bundle(fhir_record(patient=patient), base_url=base_url, now=now)
