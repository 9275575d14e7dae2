"""Intakes with triage and outcome measures, for staff; the patient's own questionnaires."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import generics, mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from assessments import selectors, services
from assessments.models import Assessment, QuestionnaireResponse
from assessments.serializers import (
    AppQuestionnaireResponseSerializer,
    AppQuestionnaireWriteSerializer,
    AssessmentSerializer,
    AssessmentWriteSerializer,
    QuestionnaireResponseSerializer,
    QuestionnaireWriteSerializer,
)
from clinic.models import Clinic
from clinic.scoping import ClinicScopedViewSet
from clinical.codes import choices
from clinical.intake import TriageLevel
from clinical.measures import Instrument
from common.api import CreatedCursorPagination
from patients.api.base import PatientNestedViewSet
from patients.auth import PatientAppView

INTAKE_EXAMPLE = {
    "patient": 42,
    "assessed_at": "2026-03-02T09:30:00+01:00",
    "location": "anterior",
    "timing": "after_run_only",
    "aggravators": ["downhill", "stairs"],
    "pain_rest": 2,
    "pain_worst_running": 6,
    "weekly_km_now": 45,
    "weekly_km_4_weeks_ago": 30,
    "recent_changes": ["hills"],
    "years_running": 4,
    "cadence_spm": 154,
    "overstriding": True,
    "shoe_km": 850,
    "asymmetry": False,
    "findings": ["hip_abductor_weakness"],
    "symptoms": [],
    "trauma_unable_to_bear_weight": False,
}

QUESTIONNAIRE_EXAMPLES = [
    OpenApiExample(
        "LEFS",
        request_only=True,
        value={
            "instrument": "lefs",
            "answers": {str(i): 3 for i in range(1, 21)},
            "recorded_at": "2026-03-02T09:45:00+01:00",
        },
    ),
    OpenApiExample(
        "KOOS-PF, one item skipped",
        request_only=True,
        value={"instrument": "koos_pf", "answers": {str(i): 2 for i in range(1, 11)}},
    ),
]
NPRS_EXAMPLE = OpenApiExample(
    "NPRS", request_only=True, value={"instrument": "nprs", "answers": {"pain": 4}}
)


class AssessmentPagination(CreatedCursorPagination):
    ordering = ("-assessed_at", "-id")


class QuestionnairePagination(CreatedCursorPagination):
    ordering = ("-recorded_at", "-id")


class AssessmentFilter(django_filters.FilterSet):
    patient = django_filters.NumberFilter(field_name="patient_id")
    triage = django_filters.ChoiceFilter(field_name="triage_level", choices=choices(TriageLevel))

    class Meta:
        model = Assessment
        fields = ["patient", "triage"]


@extend_schema_view(
    list=extend_schema(operation_id="assessments_list", summary="The clinic's intakes"),
    retrieve=extend_schema(operation_id="assessments_retrieve", summary="One intake"),
    create=extend_schema(
        operation_id="assessments_create",
        summary="Record an intake; returns its triage, patterns and factors",
        description=(
            "Stores the intake and judges it with the clinic's thresholds. "
            "An `urgent_referral` result also opens a critical `intake_urgent_referral` "
            "escalation for the therapist. Patterns are suggestions to consider, not a "
            "diagnosis. A `patient` not of your clinic is refused as 'does not exist'."
        ),
        request=AssessmentWriteSerializer,
        responses={201: AssessmentSerializer},
        examples=[OpenApiExample("Intake", value=INTAKE_EXAMPLE, request_only=True)],
    ),
)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicScopedViewSet):
    model = Assessment
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    pagination_class = AssessmentPagination
    http_method_names = ["get", "post", "head", "options"]
    audit_object_type = "assessment"
    schema_tags = ["assessments"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Assessment]:
        return selectors.assessment_list(clinic=clinic)

    def create(self, request: Request) -> Response:
        serializer = AssessmentWriteSerializer(data=request.data, context={"clinic": self.clinic})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        assessment = services.assessment_create(patient=data["patient"], by=self.staff, data=data)
        self.audit([assessment], action="create")
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class QuestionnaireFilter(django_filters.FilterSet):
    instrument = django_filters.ChoiceFilter(choices=choices(Instrument))

    class Meta:
        model = QuestionnaireResponse
        fields = ["instrument"]


PATIENT_PATH = OpenApiParameter("patient_pk", int, OpenApiParameter.PATH, description="Patient id.")


@extend_schema_view(
    list=extend_schema(
        operation_id="questionnaires_list",
        summary="The patient's outcome measures, newest first",
        parameters=[PATIENT_PATH],
    ),
    create=extend_schema(
        operation_id="questionnaires_create",
        summary="Record an outcome measure for the patient",
        description=(
            "Scores the answers (NPRS, LEFS, KOOS, KOOS-PF). Later responses of an "
            "instrument show their change from the patient's first one and whether it meets "
            "the MCID where one is defined."
        ),
        parameters=[PATIENT_PATH],
        request=QuestionnaireWriteSerializer,
        responses={201: QuestionnaireResponseSerializer},
        examples=[NPRS_EXAMPLE, *QUESTIONNAIRE_EXAMPLES],
    ),
)
class PatientQuestionnaireViewSet(mixins.ListModelMixin, PatientNestedViewSet):
    """`/patients/{patient_pk}/questionnaires/`: the patient is looked up in the caller's clinic."""

    model = QuestionnaireResponse
    serializer_class = QuestionnaireResponseSerializer
    filterset_class = QuestionnaireFilter
    pagination_class = QuestionnairePagination
    http_method_names = ["get", "post", "head", "options"]
    audit_object_type = "questionnaire_response"
    schema_tags = ["assessments"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[QuestionnaireResponse]:
        return selectors.questionnaire_list(patient=self.path_patient())

    def create(self, request: Request, patient_pk: int) -> Response:
        patient = self.path_patient()
        serializer = QuestionnaireWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = services.questionnaire_record(
            patient=patient, data=dict(serializer.validated_data), by=self.staff
        )
        self.audit([response], action="create")
        response = selectors.questionnaire_get(response_id=response.pk)
        body = QuestionnaireResponseSerializer(response).data
        return Response(body, status=status.HTTP_201_CREATED)


class AppQuestionnaireView(PatientAppView, mixins.ListModelMixin, generics.GenericAPIView[Any]):
    """The patient's own outcome measures (LEFS, KOOS, KOOS-PF) from the partner app."""

    serializer_class = AppQuestionnaireResponseSerializer
    pagination_class = QuestionnairePagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[QuestionnaireResponse]:
        return selectors.questionnaire_list(patient=self.patient)

    @extend_schema(operation_id="app_questionnaires_list", summary="My outcome measures")
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        operation_id="app_questionnaires_create",
        summary="Send a completed questionnaire",
        request=AppQuestionnaireWriteSerializer,
        responses={201: AppQuestionnaireResponseSerializer},
        examples=QUESTIONNAIRE_EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        serializer = AppQuestionnaireWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        response = services.questionnaire_record(
            patient=self.patient, data=dict(serializer.validated_data)
        )
        response = selectors.questionnaire_get(response_id=response.pk)
        body = AppQuestionnaireResponseSerializer(response).data
        return Response(body, status=status.HTTP_201_CREATED)
