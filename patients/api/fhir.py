"""FHIR R4 export of one patient's record, for the clinic's EHR (staff only)."""

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.models import Clinic
from clinic.scoping import ClinicScopedViewSet
from patients import selectors
from patients.fhir import FHIR_JSON, patient_fhir_bundle
from patients.models import Patient


class FhirJSONRenderer(JSONRenderer):
    """JSON as `application/fhir+json` (the FHIR media type); plain JSON is served on request."""

    media_type = FHIR_JSON
    format = "fhir"


_RESOURCE_TYPES = ["Patient", "Observation", "QuestionnaireResponse", "CarePlan", "Flag"]
FHIR_BUNDLE_SCHEMA = {
    "type": "object",
    "description": "A FHIR R4 Bundle of type `collection` (https://hl7.org/fhir/R4/bundle.html).",
    "required": ["resourceType", "type", "timestamp", "entry"],
    "properties": {
        "resourceType": {"type": "string", "enum": ["Bundle"]},
        "type": {"type": "string", "enum": ["collection"]},
        "timestamp": {"type": "string", "format": "date-time"},
        "identifier": {
            "type": "object",
            "properties": {"system": {"type": "string"}, "value": {"type": "string"}},
        },
        "entry": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["fullUrl", "resource"],
                "properties": {
                    "fullUrl": {"type": "string", "pattern": "^urn:uuid:"},
                    "resource": {
                        "type": "object",
                        "description": "A FHIR R4 resource.",
                        "required": ["resourceType", "id"],
                        "properties": {
                            "resourceType": {"type": "string", "enum": _RESOURCE_TYPES},
                            "id": {"type": "string"},
                        },
                        "additionalProperties": True,
                    },
                },
            },
        },
    },
}


class PatientFhirViewSet(ClinicScopedViewSet):
    """`GET /api/v1/patients/{id}/fhir/`: audited as a read of the whole record."""

    model = Patient
    renderer_classes = [FhirJSONRenderer, JSONRenderer]
    audit_object_type = "patient"
    audit_patient_attr = "pk"
    schema_tags = ["patients"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Patient]:
        return selectors.patient_list(clinic=clinic).select_related("clinic")

    @extend_schema(
        operation_id="patients_fhir_export",
        summary="The patient's record as a FHIR R4 Bundle",
        description=(
            "A FHIR R4 `collection` Bundle for an EHR: the Patient (the clinic's record "
            "number, `external_id`, as an MR identifier), an Observation per reported pain "
            "(LOINC 72514-3, 0-10) and per run (LOINC 73985-4 with duration 55411-3 and "
            "distance 55412-1), a QuestionnaireResponse per outcome measure (NPRS, LEFS, KOOS, "
            "KOOS-PF) with its scores, a CarePlan for the active program and run ladder, and a "
            "Flag per unresolved red-flag escalation. Served as `application/fhir+json` "
            "(or `application/json` when asked for). Each export is audited."
        ),
        responses={200: OpenApiResponse(FHIR_BUNDLE_SCHEMA, description="A FHIR R4 Bundle.")},
    )
    def export(self, request: Request, pk: str) -> Response:
        patient = self.get_object()
        bundle = patient_fhir_bundle(
            patient=patient, base_url=settings.STRIDE_PUBLIC_URL, now=timezone.now()
        )
        return Response(bundle)

    def get_serializer_class(self) -> Any:  # no serializer: the body is built as FHIR JSON
        return None
