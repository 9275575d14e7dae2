"""One patient's monitoring record: the month, the episode's set-up, sign-off, time entries."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.models import Clinic
from common.api import CreatedCursorPagination
from common.schema import conflict_with
from monitoring import selectors, services
from monitoring.api.base import (
    MONTH_PARAMETER,
    PatientMonitoringBase,
    conflict,
    invalid,
    month_and_codes,
)
from monitoring.models import TimeEntry
from monitoring.serializers import (
    EpisodeInputSerializer,
    EpisodeSerializer,
    PatientMonthSerializer,
    SignOffInputSerializer,
    SignOffSerializer,
    TimeEntryInputSerializer,
    TimeEntrySerializer,
)
from patients.api.base import PatientNestedViewSet


class PatientMonthViewSet(PatientMonitoringBase):
    serializer_class = PatientMonthSerializer

    @extend_schema(
        operation_id="patients_monitoring_month",
        summary="A patient's remote monitoring month: data days, minutes, codes reached",
        description=(
            "The device periods (30 days each from the episode's start) ending in the month "
            "with their data days (local days in the patient's time zone with a check-in or an "
            "outcome measure the patient sent) and the device code reached, or while a period "
            "runs the data days still needed and the last day they can come in; the management "
            "minutes of the calendar month (clinic time zone), interactive communications, the "
            "management codes reached and who recorded the time; whether the month is signed "
            "off. Stride keeps the record; the clinic decides what it bills."
        ),
        parameters=[MONTH_PARAMETER],
        responses={200: PatientMonthSerializer},
    )
    def month(self, request: Request, patient_pk: str) -> Response:
        patient = self.path_patient()
        month, codes = month_and_codes(request, self.clinic)
        (record,) = selectors.month_records(
            clinic=self.clinic, patients=[patient], month=month, code_table=codes
        )
        self._audit(
            patient, action="view", object_type="monitoring_month", object_id=f"{month:%Y-%m}"
        )
        return Response(PatientMonthSerializer(record).data)


class EpisodeViewSet(PatientMonitoringBase):
    serializer_class = EpisodeInputSerializer

    @extend_schema(
        operation_id="patients_monitoring_episode_start",
        summary="Record consent and the set-up (98975): starts the monitoring episode",
        description=(
            "The episode starts on the set-up's local date in the patient's time zone and ends "
            "at discharge. 409 when the patient is discharged or already has an open episode."
        ),
        request=EpisodeInputSerializer,
        responses={
            201: EpisodeSerializer,
            409: conflict_with("patient_discharged", "episode_open"),
        },
        examples=[
            OpenApiExample(
                "Set-up in the clinic",
                value={"consent_at": "2026-03-02T09:00:00Z", "setup_at": "2026-03-02T09:20:00Z"},
                request_only=True,
            )
        ],
    )
    def episodes(self, request: Request, patient_pk: str) -> Response:
        patient = self.path_patient()
        serializer = EpisodeInputSerializer(data=request.data, context={"clinic": self.clinic})
        serializer.is_valid(raise_exception=True)
        try:
            episode = services.episode_start(
                patient=patient, by=self.staff, **serializer.validated_data
            )
        except services.MonitoringConflict as exc:
            raise conflict(exc) from exc
        except services.MonitoringInvalid as exc:
            raise invalid(exc) from exc
        self._audit(
            patient, action="create", object_type="monitoring_episode", object_id=str(episode.pk)
        )
        return Response(EpisodeSerializer(episode).data, status=status.HTTP_201_CREATED)


class SignOffViewSet(PatientMonitoringBase):
    serializer_class = SignOffInputSerializer

    @extend_schema(
        operation_id="patients_monitoring_sign_off",
        summary="Sign off a patient's month: its time entries are frozen",
        description=(
            "After sign-off an entry dated in the month is refused (409); a correction is a "
            "reversing entry in a later month, with a reason. Assistants (PTA, OTA) cannot "
            "sign off (403); a month is signed off once (409)."
        ),
        request=SignOffInputSerializer,
        responses={201: SignOffSerializer, 409: conflict_with("month_signed_off")},
        examples=[OpenApiExample("March", value={"month": "2026-03"}, request_only=True)],
    )
    def sign_off(self, request: Request, patient_pk: str) -> Response:
        patient = self.path_patient()
        serializer = SignOffInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            sign_off = services.month_sign_off(
                patient=patient, by=self.staff, month=serializer.validated_data["month"]
            )
        except services.MonitoringForbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except services.MonitoringConflict as exc:
            raise conflict(exc) from exc
        except services.MonitoringInvalid as exc:
            raise invalid(exc) from exc
        self._audit(
            patient, action="create", object_type="monitoring_sign_off", object_id=str(sign_off.pk)
        )
        return Response(SignOffSerializer(sign_off).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        operation_id="patients_monitoring_time_list",
        summary="A patient's management time entries, newest first",
    ),
    create=extend_schema(
        operation_id="patients_monitoring_time_create",
        summary="Record management time, or reverse an entry",
        description=(
            "Entries are append-only. A mistake is undone by a reversing entry (`reverses`), "
            "the negative of its minutes; both are kept. An entry of a month not signed off "
            "is reversed on its own day; an entry of a signed-off month stays in it and its "
            "reversal is a correction dated in a later month, with a `reason`. An entry dated "
            "in a signed-off month is 409, as is one on a day without a monitoring episode. "
            "Messages are never interactive."
        ),
        request=TimeEntryInputSerializer,
        responses={
            201: TimeEntrySerializer,
            409: conflict_with("month_signed_off", "no_episode", "already_reversed"),
        },
        examples=[
            OpenApiExample(
                "A call",
                value={
                    "date": "2026-03-10",
                    "minutes": 12,
                    "activity": "call",
                    "interactive": True,
                    "note": "Reviewed the week's pain with the patient.",
                },
                request_only=True,
            ),
            OpenApiExample(
                "A reversal",
                value={"reverses": 41, "reason": "Entered twice."},
                request_only=True,
            ),
        ],
    ),
)
class TimeEntryViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, PatientNestedViewSet):
    model = TimeEntry
    serializer_class = TimeEntrySerializer
    pagination_class = CreatedCursorPagination
    audit_object_type = "monitoring_time_entry"
    schema_tags = ["monitoring"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[TimeEntry]:
        return selectors.time_entry_list(patient_id=self.path_patient().pk)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patient = self.path_patient()
        serializer = TimeEntryInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            if "reverses" in data:
                original = (
                    selectors.time_entry_list(patient_id=patient.pk)
                    .filter(pk=data["reverses"])
                    .first()
                )
                if original is None:
                    raise ValidationError({"reverses": ["No such entry of this patient."]})
                entry = services.time_entry_reverse(
                    entry=original,
                    by=self.staff,
                    performed_on=data.get("date"),
                    reason=data["reason"],
                    note=data["note"],
                )
            else:
                entry = services.time_entry_record(
                    patient=patient,
                    by=self.staff,
                    performed_on=data["date"],
                    minutes=data["minutes"],
                    activity=data["activity"],
                    interactive=data.get("interactive", False),
                    note=data["note"],
                )
        except services.MonitoringConflict as exc:
            raise conflict(exc) from exc
        except services.MonitoringInvalid as exc:
            raise invalid(exc) from exc
        self.audit([entry], action="create")
        return Response(TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)
