"""Staff endpoints of patients' programs: every version, and a new prescription."""

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.models import Clinic
from clinic.scoping import ClinicScopedViewSet
from common.api import Conflict
from common.schema import CONFLICT
from programs import selectors, services
from programs.models import PatientProgram
from programs.serializers.prescriptions import (
    PatientProgramSerializer,
    PatientProgramWriteSerializer,
)

PROGRAM_EXAMPLE = {
    "patient": 42,
    "start_date": "2025-03-03",
    "patient_note": "Do these before your runs, not after.",
    "exercises": [
        {"exercise": 1, "sets": 3, "reps": 15, "days_per_week": 3},
        {"exercise": 8, "sets": 3, "reps": 1, "hold_seconds": 30, "load": "body weight"},
    ],
}


class PatientProgramFilter(django_filters.FilterSet):
    patient = django_filters.NumberFilter(field_name="patient_id")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = PatientProgram
        fields = ["patient", "is_active"]


@extend_schema_view(
    list=extend_schema(
        operation_id="programs_list", summary="Patient programs, every version (`?patient=`)"
    ),
    retrieve=extend_schema(
        operation_id="programs_retrieve", summary="One version of a patient's program"
    ),
    create=extend_schema(
        operation_id="programs_create",
        summary="Prescribe a program (a new version when the patient has one)",
        description=(
            "Prescribes exercises with their dose. When the patient has an active program, "
            "this makes the next version and keeps the old one, inactive. The same "
            "prescription again, or a discharged patient, gives 409."
        ),
        request=PatientProgramWriteSerializer,
        responses={201: PatientProgramSerializer, 409: CONFLICT},
        examples=[OpenApiExample("Prescription", value=PROGRAM_EXAMPLE, request_only=True)],
    ),
)
class PatientProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicScopedViewSet):
    model = PatientProgram
    serializer_class = PatientProgramSerializer
    filterset_class = PatientProgramFilter
    http_method_names = ["get", "post", "head", "options"]
    audit_object_type = "program"
    schema_tags = ["programs"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[PatientProgram]:
        return selectors.program_list(clinic=clinic)

    def create(self, request: Request) -> Response:
        serializer = PatientProgramWriteSerializer(
            data=request.data, context={"clinic": self.clinic}
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        patient = data.pop("patient")
        data["items"] = data.pop("exercises", None)
        try:
            program = services.program_prescribe(patient=patient, by=self.staff, data=data)
        except services.ProgramStateError as exc:
            raise Conflict(str(exc)) from exc
        self.audit([program], action="create")
        program = selectors.program_list(clinic=self.clinic).get(pk=program.pk)
        return Response(PatientProgramSerializer(program).data, status=status.HTTP_201_CREATED)
