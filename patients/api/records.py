"""Patients for staff, and the partner app's enrollment and profile."""

from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import filters, mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clinic.models import Clinic
from clinic.scoping import ClinicScopedViewSet
from common.api import Conflict, CreatedCursorPagination
from common.filters import StrictFilterBackend
from common.schema import CONFLICT, bad_request_with
from common.throttles import ScopedRateThrottle
from patients import selectors, services
from patients.auth import PatientAppView
from patients.models import Patient, PatientStatus
from patients.serializers.records import (
    AppPatientSerializer,
    AppPatientUpdateSerializer,
    EnrollmentCodeSerializer,
    EnrollResponseSerializer,
    EnrollSerializer,
    PatientSerializer,
    PatientWriteSerializer,
)

PATIENT_EXAMPLE = {
    "first_name": "Alex",
    "last_name": "Runner",
    "date_of_birth": "1990-04-12",
    "timezone": "Europe/Berlin",
    "external_id": "MRN-0042",
    "email": "alex@example.com",
}


class PatientFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PatientStatus.choices)
    therapist = django_filters.NumberFilter(field_name="therapist_id")
    mine = django_filters.BooleanFilter(method="filter_mine", help_text="Only my patients.")

    class Meta:
        model = Patient
        fields = ["status", "therapist", "mine"]

    def filter_mine(self, queryset: QuerySet[Patient], name: str, value: bool) -> QuerySet[Patient]:
        if value:
            return queryset.filter(therapist=self.request.user)
        return queryset


class PatientPagination(CreatedCursorPagination):
    ordering = ("last_name", "first_name", "id")


@extend_schema_view(
    list=extend_schema(operation_id="patients_list", summary="The clinic's patients"),
    retrieve=extend_schema(operation_id="patients_retrieve", summary="One patient"),
    create=extend_schema(
        operation_id="patients_create",
        summary="Register a patient (the caller is the therapist unless `therapist` says)",
        request=PatientWriteSerializer,
        responses={201: PatientSerializer},
        examples=[OpenApiExample("New patient", value=PATIENT_EXAMPLE, request_only=True)],
    ),
    partial_update=extend_schema(
        operation_id="patients_update",
        summary="Correct a patient's record or check-in schedule",
        description=(
            "A change of `check_in_days`, `check_in_time`, quiet hours or `timezone` moves the "
            "next reminder (`next_reminder_at`) at once."
        ),
        request=PatientWriteSerializer,
        responses={200: PatientSerializer},
        examples=[
            OpenApiExample(
                "New phone and evening check-ins",
                value={"phone": "+49 30 1234 5678", "check_in_time": "20:00"},
                request_only=True,
            )
        ],
    ),
)
class PatientViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ClinicScopedViewSet):
    model = Patient
    serializer_class = PatientSerializer
    filterset_class = PatientFilter
    filter_backends = [StrictFilterBackend, filters.SearchFilter]
    search_fields = ["first_name", "last_name", "external_id"]
    pagination_class = PatientPagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    audit_object_type = "patient"
    audit_patient_attr = "pk"
    schema_tags = ["patients"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Patient]:
        return selectors.patient_list(clinic=clinic)

    def create(self, request: Request) -> Response:
        serializer = PatientWriteSerializer(data=request.data, context={"clinic": self.clinic})
        serializer.is_valid(raise_exception=True)
        try:
            patient = services.patient_create(
                clinic=self.clinic, created_by=self.staff, data=dict(serializer.validated_data)
            )
        except services.PatientTherapistError as exc:
            raise ValidationError({"therapist": [str(exc)]}) from exc
        self.audit([patient], action="create")
        return Response(PatientSerializer(patient).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        patient = self.get_object()
        serializer = PatientWriteSerializer(
            data=request.data,
            partial=True,
            context={"clinic": self.clinic, "instance": patient},
        )
        serializer.is_valid(raise_exception=True)
        try:
            patient = services.patient_update(patient=patient, data=dict(serializer.validated_data))
        except services.PatientTherapistError as exc:
            raise ValidationError({"therapist": [str(exc)]}) from exc
        return Response(PatientSerializer(patient).data)

    @extend_schema(
        operation_id="patients_enrollment_code",
        request=None,
        responses={201: EnrollmentCodeSerializer, 409: CONFLICT},
        summary="A single-use code for the partner app (72 h)",
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="enrollment-code",
        throttle_classes=[ScopedRateThrottle],
    )
    def enrollment_code(self, request: Request, pk: str) -> Response:
        patient = self.get_object()
        try:
            code, expires_at = services.enrollment_code_issue(patient=patient, by=self.staff)
        except services.PatientStateError as exc:
            raise Conflict(str(exc)) from exc
        body = EnrollmentCodeSerializer({"code": code, "expires_at": expires_at}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="patients_discharge",
        request=None,
        responses={200: PatientSerializer, 409: CONFLICT},
        summary="Discharge: reminders stop",
    )
    @action(detail=True, methods=["post"])
    def discharge(self, request: Request, pk: str) -> Response:
        return self._status_change(services.patient_discharge)

    @extend_schema(
        operation_id="patients_pause",
        request=None,
        responses={200: PatientSerializer, 409: CONFLICT},
        summary="Pause: reminders are skipped until resumed",
    )
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str) -> Response:
        return self._status_change(services.patient_pause)

    @extend_schema(
        operation_id="patients_resume",
        request=None,
        responses={200: PatientSerializer, 409: CONFLICT},
        summary="Resume a paused patient: reminders start again",
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str) -> Response:
        return self._status_change(services.patient_resume)

    def _status_change(self, change: Callable[..., Patient]) -> Response:
        """Discharge, pause or resume: the patient after it, or 409 when its status refuses."""
        try:
            patient = change(patient=self.get_object(), by=self.staff)
        except services.PatientStateError as exc:
            raise Conflict(str(exc)) from exc
        return Response(PatientSerializer(patient).data)

    def get_throttles(self) -> list[Any]:
        if self.action == "enrollment_code":
            self.throttle_scope = "enrollment_code"
        return super().get_throttles()


class EnrollView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "enroll"

    @extend_schema(
        operation_id="app_enroll",
        summary="Link the app to a patient with the therapist's code",
        description=(
            "Redeems a single-use enrollment code (valid 72 h) for a patient token. Wrong, "
            "used and expired codes all get the same 400. Attempts are rate limited per address."
        ),
        request=EnrollSerializer,
        responses={201: EnrollResponseSerializer, 400: bad_request_with("invalid")},
        examples=[
            OpenApiExample(
                "Enroll", value={"code": "K7QM-4XPA", "device_name": "Pixel 9"}, request_only=True
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = EnrollSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            patient, token, expires_at = services.patient_enroll(**serializer.validated_data)
        except services.EnrollmentError as exc:
            raise ValidationError(
                {"code": ["This code is not valid. Ask your therapist for a new one."]}
            ) from exc
        body = {"token": token, "expires_at": expires_at, "patient": patient}
        return Response(EnrollResponseSerializer(body).data, status=status.HTTP_201_CREATED)


class AppMeView(PatientAppView):
    @extend_schema(
        operation_id="app_me_retrieve",
        summary="My profile and check-in schedule",
        responses={200: AppPatientSerializer},
    )
    def get(self, request: Request) -> Response:
        return Response(AppPatientSerializer(self.patient).data)

    @extend_schema(
        operation_id="app_me_update",
        summary="Change my time zone or check-in schedule",
        description=(
            "The reminder goes out on `check_in_days` at `check_in_time` in `timezone`, or when "
            "the quiet hours (`quiet_start`-`quiet_end`) end if it falls inside them; none on "
            "a day you have already checked in. `next_reminder_at` shows when the next one "
            "goes out and moves at once. Discharged patients get 409."
        ),
        request=AppPatientUpdateSerializer,
        responses={200: AppPatientSerializer, 409: CONFLICT},
        examples=[
            OpenApiExample(
                "Schedule",
                request_only=True,
                value={
                    "check_in_days": ["mon", "wed", "fri"],
                    "check_in_time": "18:30",
                    "timezone": "America/Chicago",
                },
            )
        ],
    )
    def patch(self, request: Request) -> Response:
        serializer = AppPatientUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        try:
            patient = services.patient_self_update(
                patient=self.patient, data=dict(serializer.validated_data)
            )
        except services.PatientStateError as exc:
            raise Conflict(str(exc)) from exc
        return Response(AppPatientSerializer(patient).data)
