"""Staff endpoints of a patient's place on the run ladder."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.models import Clinic
from clinical.ladder import PauseReason
from common.api import Conflict
from common.schema import CONFLICT, bad_request_with
from patients.api.base import PATIENT_URL_KWARG, PatientNestedViewSet
from programs import selectors, services
from programs.models import PatientLadder
from programs.serializers.ladder import (
    LadderNoteSerializer,
    LadderSetLevelSerializer,
    LadderStartSerializer,
    PatientLadderSerializer,
)


class PatientLadderViewSet(PatientNestedViewSet):
    """A patient's place on the run ladder: `/api/v1/patients/{patient_pk}/ladder/...`."""

    model = PatientLadder
    serializer_class = PatientLadderSerializer
    lookup_field = "patient_id"
    lookup_url_kwarg = PATIENT_URL_KWARG
    audit_object_type = "run_ladder"
    schema_tags = ["programs"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[PatientLadder]:
        return selectors.patient_ladder_list(clinic=clinic)

    def _body(self, row: PatientLadder, *, events: bool = True) -> dict[str, Any]:
        context = {
            "thresholds": self.clinic.clinical_thresholds(),
            "recent_events": selectors.ladder_recent_events(patient_ladder=row) if events else [],
        }
        return dict(PatientLadderSerializer(row, context=context).data)

    def _reloaded(self, patient_id: int) -> PatientLadder:
        return selectors.patient_ladder_list(clinic=self.clinic).get(patient_id=patient_id)

    @extend_schema(
        operation_id="patient_ladder_retrieve",
        summary="The patient's run ladder: level, completions, pause, recent events",
        responses={200: PatientLadderSerializer},
    )
    def retrieve(self, request: Request, patient_pk: int) -> Response:
        return Response(self._body(self.get_object()))

    @extend_schema(
        operation_id="patient_ladder_start",
        summary="Start the patient on a run ladder",
        request=LadderStartSerializer,
        responses={201: PatientLadderSerializer, 400: bad_request_with("invalid"), 409: CONFLICT},
        examples=[OpenApiExample("Start", value={"level": 1}, request_only=True)],
    )
    def start(self, request: Request, patient_pk: int) -> Response:
        patient = self.path_patient()
        serializer = LadderStartSerializer(data=request.data, context={"clinic": self.clinic})
        serializer.is_valid(raise_exception=True)
        ladder = serializer.validated_data.get("run_ladder") or selectors.run_ladder_default()
        try:
            row = services.ladder_start(
                patient=patient,
                by=self.staff,
                ladder=ladder,
                level=serializer.validated_data["level"],
            )
        except services.LadderStateError as exc:
            raise Conflict(str(exc)) from exc
        except ValueError as exc:
            raise _bad_level(exc) from exc
        self.audit([row], action="create")
        return Response(self._body(self._reloaded(patient.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="patient_ladder_set_level",
        summary=(
            "Set the patient's level, with the reason (the count of completions restarts; "
            "not counted in the weekly limit of automatic progressions)"
        ),
        request=LadderSetLevelSerializer,
        responses={200: PatientLadderSerializer, 400: bad_request_with("invalid"), 409: CONFLICT},
        examples=[
            OpenApiExample(
                "Set level", value={"level": 3, "note": "Ran well in clinic."}, request_only=True
            )
        ],
    )
    def set_level(self, request: Request, patient_pk: int) -> Response:
        row = self.get_object()
        serializer = LadderSetLevelSerializer(data=request.data, context={"clinic": self.clinic})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            services.ladder_set_level(
                patient=row.patient,
                by=self.staff,
                level=data["level"],
                ladder=data.get("run_ladder"),
                note=data["note"],
            )
        except services.LadderStateError as exc:
            raise Conflict(str(exc)) from exc
        except ValueError as exc:
            raise _bad_level(exc) from exc
        return Response(self._body(self._reloaded(row.patient_id)))

    @extend_schema(
        operation_id="patient_ladder_resume",
        summary="Resume a paused ladder (409 while a critical or high escalation is unresolved)",
        request=LadderNoteSerializer,
        responses={200: PatientLadderSerializer, 409: CONFLICT},
        examples=[OpenApiExample("Resume", value={"note": "Seen in clinic."}, request_only=True)],
    )
    def resume(self, request: Request, patient_pk: int) -> Response:
        row = self.get_object()
        serializer = LadderNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.ladder_resume(
                patient=row.patient, by=self.staff, note=serializer.validated_data.get("note", "")
            )
        except services.LadderStateError as exc:
            raise Conflict(str(exc)) from exc
        return Response(self._body(self._reloaded(row.patient_id)))

    @extend_schema(
        operation_id="patient_ladder_pause",
        summary="Pause the patient's running until resumed",
        request=LadderNoteSerializer,
        responses={200: PatientLadderSerializer, 409: CONFLICT},
        examples=[OpenApiExample("Pause", value={"note": "Wait for the scan."}, request_only=True)],
    )
    def pause(self, request: Request, patient_pk: int) -> Response:
        row = self.get_object()
        serializer = LadderNoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.ladder_pause(
                patient=row.patient,
                reason=PauseReason.THERAPIST,
                by=self.staff,
                note=serializer.validated_data.get("note", ""),
            )
        except services.LadderStateError as exc:
            raise Conflict(str(exc)) from exc
        return Response(self._body(self._reloaded(row.patient_id)))


def _bad_level(exc: ValueError) -> ValidationError:
    return ValidationError({"level": [str(exc)]})
