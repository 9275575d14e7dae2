"""Escalations for staff: the list with filters, one escalation, acknowledge and resolve."""

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.models import Clinic
from clinic.scoping import ClinicScopedViewSet
from clinical.severity import Severity
from common.api import Conflict, CreatedCursorPagination
from common.schema import conflict_with
from patients import selectors
from patients.models import Escalation, EscalationStatus
from patients.serializers.check_ins import EscalationResolveSerializer, EscalationSerializer
from patients.services import escalations as escalation_services


class OpenedAtPagination(CreatedCursorPagination):
    ordering = ("-opened_at", "-id")


class EscalationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EscalationStatus.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)
    patient = django_filters.NumberFilter(field_name="patient_id")

    class Meta:
        model = Escalation
        fields = ["status", "severity", "patient"]


@extend_schema_view(
    list=extend_schema(
        operation_id="escalations_list",
        summary="Escalations, newest first (?status=&severity=&patient=)",
    ),
    retrieve=extend_schema(
        operation_id="escalations_retrieve", summary="One escalation, with its evidence"
    ),
)
class EscalationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicScopedViewSet):
    model = Escalation
    serializer_class = EscalationSerializer
    filterset_class = EscalationFilter
    pagination_class = OpenedAtPagination
    audit_object_type = "escalation"
    schema_tags = ["escalations"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Escalation]:
        return selectors.escalation_list(clinic=clinic)

    @extend_schema(
        operation_id="escalations_acknowledge",
        request=None,
        responses={200: EscalationSerializer, 409: conflict_with("invalid_transition")},
        summary="I have seen it: stops the overdue clock",
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str) -> Response:
        escalation = self.get_object()
        try:
            escalation = escalation_services.escalation_acknowledge(
                escalation=escalation, by=self.staff
            )
        except escalation_services.EscalationStateError as exc:
            raise Conflict(str(exc), code="invalid_transition") from exc
        return Response(EscalationSerializer(escalation).data)

    @extend_schema(
        operation_id="escalations_resolve",
        request=EscalationResolveSerializer,
        responses={200: EscalationSerializer, 409: conflict_with("invalid_transition")},
        summary="Close it, with a note",
        examples=[
            OpenApiExample(
                "Resolve",
                request_only=True,
                value={"note": "Called the patient; swelling settled."},
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        escalation = self.get_object()
        serializer = EscalationResolveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            escalation = escalation_services.escalation_resolve(
                escalation=escalation, by=self.staff, note=serializer.validated_data["note"]
            )
        except escalation_services.EscalationStateError as exc:
            raise Conflict(str(exc), code="invalid_transition") from exc
        return Response(EscalationSerializer(escalation).data)
