"""Check-ins: submitted and listed by the partner app, listed by staff per patient."""

from functools import partial

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins
from rest_framework.request import Request
from rest_framework.response import Response

from assessments.rules.check_in import offline_advice
from clinic.models import Clinic
from common.api import Conflict, CreatedCursorPagination
from common.schema import UNPROCESSABLE, conflict_with
from patients import selectors
from patients.api.base import PatientNestedViewSet
from patients.api.idempotency import (
    created,
    idempotency_errors,
    idempotency_key,
    idempotency_parameters,
)
from patients.auth import PatientAppView
from patients.models import CheckIn
from patients.serializers.check_ins import (
    AppSymptomsSerializer,
    CheckInInputSerializer,
    CheckInSerializer,
)
from patients.services import check_ins as check_in_services
from patients.throttles import CheckInSubmitThrottle
from programs.selectors import active_program_exercise_ids

CHECK_IN_EXAMPLE = {
    "recorded_at": "2026-11-24T19:05:00+01:00",
    "pain_rest": 2,
    "pain_morning": 3,
    "ran": True,
    "run_minutes": 20,
    "run_km": 3.5,
    "pain_during_run": 3,
    "pain_after_run": 2,
    "pain_worsened_during_run": False,
    "symptoms": [],
    "exercises_completed": [11, 12],
    "note": "Felt fine on the flat.",
}


# The answer to a POST, built by one serializer per process: a ModelSerializer derives its
# fields from the model each time it is made, which cost more than rendering the check-in.
# `to_representation` keeps no state, so the one instance serves every request.
_CHECK_IN_OUTPUT = CheckInSerializer()


class RecordedAtPagination(CreatedCursorPagination):
    ordering = ("-recorded_at", "-id")


class AppCheckInsView(PatientAppView):
    """`POST` a check-in (with `Idempotency-Key`), `GET` my check-ins."""

    pagination_class = RecordedAtPagination
    throttle_classes = [CheckInSubmitThrottle]

    @extend_schema(
        operation_id="app_check_ins_create",
        summary="Submit a check-in",
        description=(
            "Send a unique `Idempotency-Key` per check-in (e.g. a UUID made when the patient "
            "taps Submit) and keep it for retries: a retry with the same key and body returns "
            "the original check-in (201) and stores nothing twice; the same key with another "
            "body gets 422; the same key while the first request is still being processed "
            "waits for it and gets its answer (409 only if it cannot be had within a few "
            "seconds). Keys are kept at least 7 days. The response carries "
            "the stored check-in and the advice for the patient. New check-ins are limited to "
            "60 a minute per patient (429 with `Retry-After`); a retry with a key already "
            "stored is answered even then. Stride is decision support, not diagnosis."
        ),
        parameters=idempotency_parameters("check-in"),
        request=CheckInInputSerializer,
        responses={
            201: CheckInSerializer,
            409: conflict_with("patient_discharged", "idempotency_key_in_flight"),
            422: UNPROCESSABLE,
        },
        examples=[OpenApiExample("A run day", value=CHECK_IN_EXAMPLE, request_only=True)],
    )
    def post(self, request: Request) -> Response:
        key = idempotency_key(request, "check-in")
        patient = self.patient
        serializer = CheckInInputSerializer(
            data=request.data,
            context={
                "allowed_exercise_ids": partial(active_program_exercise_ids, patient_id=patient.pk)
            },
        )
        serializer.is_valid(raise_exception=True)
        try:
            with idempotency_errors("check-in"):
                result = check_in_services.check_in_submit(
                    patient=patient,
                    data=dict(serializer.validated_data),
                    idempotency_key=key,
                    fingerprint=check_in_services.request_fingerprint(request.data),
                )
        except check_in_services.CheckInRefused as exc:
            raise Conflict(str(exc), code="patient_discharged") from exc
        return created(
            _CHECK_IN_OUTPUT.to_representation(result.check_in), replayed=result.replayed
        )

    @extend_schema(
        operation_id="app_check_ins_list",
        summary="My check-ins, newest first",
        responses={200: CheckInSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        paginator = RecordedAtPagination()
        page = paginator.paginate_queryset(
            selectors.check_in_list(patient_id=self.patient.pk), request, view=self
        )
        return paginator.get_paginated_response(CheckInSerializer(page, many=True).data)


class AppSymptomsView(PatientAppView):
    """`GET` the symptom list with its advice levels and my clinic's advice texts."""

    @extend_schema(
        operation_id="app_symptoms_retrieve",
        summary="Symptoms and advice texts, to cache and advise offline",
        description=(
            "Every symptom a check-in may report, with its group and the advice level it "
            "gives, and the clinic's message for each advice level. The app caches this so "
            "that it can give the red-flag advice without a connection: for the symptoms the "
            "patient ticks, show the message of the highest of their levels (levels are "
            "listed lowest first). The messages are those a check-in's `advice.message` "
            "carries, word for word; they end with the clinic's contact line, so fetch again "
            "after enrolling and from time to time. The check-in, once it reaches the server, "
            "is judged there on everything it reports, and that judgement is the record."
        ),
        responses={200: AppSymptomsSerializer},
    )
    def get(self, request: Request) -> Response:
        advice = offline_advice(contact_line=self.patient.clinic.contact_line)
        return Response(AppSymptomsSerializer(advice).data)


@extend_schema_view(
    list=extend_schema(
        operation_id="patients_check_ins_list", summary="A patient's check-ins, newest first"
    ),
)
class PatientCheckInViewSet(mixins.ListModelMixin, PatientNestedViewSet):
    model = CheckIn
    serializer_class = CheckInSerializer
    pagination_class = RecordedAtPagination
    audit_object_type = "check_in"
    schema_tags = ["patients"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[CheckIn]:
        return selectors.check_in_list(patient_id=self.path_patient().pk)
