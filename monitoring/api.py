"""The monitoring record for staff: episodes, time entries, sign-off, a patient's month and the
clinic's month statement (JSON, or CSV with one row per patient and code)."""

import csv
import io
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.models import Clinic
from clinic.scoping import ClinicScopedViewSet
from clinic.services import audit_record_many
from common.api import Conflict, CreatedCursorPagination
from common.schema import CONFLICT
from common.time import local_date
from monitoring import selectors, services
from monitoring.models import TimeEntry
from monitoring.rules import CodeRule
from monitoring.serializers import (
    EpisodeInputSerializer,
    EpisodeSerializer,
    MonthQuerySerializer,
    PatientMonthSerializer,
    SignOffInputSerializer,
    SignOffSerializer,
    StatementPageSerializer,
    TimeEntryInputSerializer,
    TimeEntrySerializer,
)
from patients.api import PatientNestedViewSet
from patients.models import Patient

CSV_COLUMNS = [
    "month",
    "patient",
    "external_id",
    "last_name",
    "first_name",
    "code",
    "units",
    "first_day",
    "last_day",
    "data_days",
    "minutes",
    "interactive_communications",
    "modifiers",
    "recorded_by",
    "signed_off",
]


class CSVRenderer(BaseRenderer):
    """Renders a list of rows (lists) as CSV."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Any = None,
    ) -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(data or [])
        return out.getvalue().encode()


def _conflict(exc: services.MonitoringConflict) -> Conflict:
    return Conflict(str(exc), code=exc.code)


def _invalid(exc: services.MonitoringInvalid) -> ValidationError:
    return ValidationError({exc.attr: [str(exc)]})


def _month(request: Request, clinic: Clinic) -> tuple[date, list[CodeRule]]:
    """`?month=` (the clinic's current month by default) and the codes in force in it."""
    query = MonthQuerySerializer(data=request.query_params)
    query.is_valid(raise_exception=True)
    month: date | None = query.validated_data.get("month")
    if month is None:
        month = local_date(timezone.now(), clinic.timezone).replace(day=1)
    codes = selectors.code_rules(on=month)
    if not codes:
        raise ValidationError({"month": [f"No RTM codes are in force in {month:%Y-%m}."]})
    return month, codes


MONTH_PARAMETER = OpenApiParameter(
    "month", str, description="YYYY-MM (the current month in the clinic's time zone by default)."
)


class PatientMonitoringBase(PatientNestedViewSet):
    """A view of one patient's monitoring record; `serializer_class` is what OPTIONS shows."""

    model = Patient
    schema_tags = ["monitoring"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Patient]:
        return Patient.objects.filter(pk=self.path_patient().pk)

    def _audit(self, patient: Patient, *, action: str, object_type: str, object_id: str) -> None:
        audit_record_many(
            actor=self.staff,
            action=action,
            object_type=object_type,
            objects=[(patient.pk, object_id)],
            ip_address=self.request.META.get("REMOTE_ADDR"),
        )


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
        month, codes = _month(request, self.clinic)
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
        responses={201: EpisodeSerializer, 409: CONFLICT},
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
            raise _conflict(exc) from exc
        except services.MonitoringInvalid as exc:
            raise _invalid(exc) from exc
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
        responses={201: SignOffSerializer, 409: CONFLICT},
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
            raise _conflict(exc) from exc
        except services.MonitoringInvalid as exc:
            raise _invalid(exc) from exc
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
        responses={201: TimeEntrySerializer, 409: CONFLICT},
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
            raise _conflict(exc) from exc
        except services.MonitoringInvalid as exc:
            raise _invalid(exc) from exc
        self.audit([entry], action="create")
        return Response(TimeEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class StatementPagination(CreatedCursorPagination):
    ordering = ("last_name", "first_name", "id")


class StatementViewSet(ClinicScopedViewSet):
    """The clinic's month: one entry per patient with a monitoring record in it."""

    model = Patient
    serializer_class = PatientMonthSerializer
    pagination_class = StatementPagination
    renderer_classes = [JSONRenderer, CSVRenderer]
    audit_object_type = "monitoring_statement"
    audit_patient_attr = "pk"
    schema_tags = ["monitoring"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Patient]:
        return selectors.statement_patients(clinic=clinic, month=self.month)

    def handle_exception(self, exc: Exception) -> Response:
        # Errors keep the one JSON error shape, whatever the caller asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    @extend_schema(
        operation_id="monitoring_statements",
        summary="The clinic's remote monitoring month, one entry per patient",
        description=(
            "Every patient with a monitoring episode overlapping the month or a time entry "
            "dated in it, by name, cursor-paginated, each entry as in "
            "`patients_monitoring_month`. With `?format=csv` or `Accept: text/csv`: the whole "
            "month as CSV, one row per patient and code reached (a patient who reached none "
            "has one row with an empty code), for the clinic's own billing."
        ),
        parameters=[
            MONTH_PARAMETER,
            OpenApiParameter("cursor", str, description="The pagination cursor value."),
            OpenApiParameter(
                "page_size",
                {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
                description="Patients per page (at most 200; JSON only).",
            ),
        ],
        responses={
            (200, "application/json"): StatementPageSerializer,
            (200, "text/csv"): OpenApiResponse(
                OpenApiTypes.STR, description="One row per patient and code; a header row."
            ),
        },
    )
    def statements(self, request: Request) -> Response:
        self.now = timezone.now()
        self.month, codes = _month(request, self.clinic)
        queryset = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            patients = list(queryset.order_by(*StatementPagination.ordering))
            self.audit(patients, action="export")
            records = selectors.month_records(
                clinic=self.clinic,
                patients=patients,
                month=self.month,
                now=self.now,
                code_table=codes,
            )
            response = Response(csv_rows(records))
            response["Content-Disposition"] = f'attachment; filename="rtm-{self.month:%Y-%m}.csv"'
            return response
        page = self.paginate_queryset(queryset)
        if page is None:  # pragma: no cover - the view always paginates
            raise NotFound()
        records = selectors.month_records(
            clinic=self.clinic, patients=page, month=self.month, now=self.now, code_table=codes
        )
        return self.get_paginated_response(PatientMonthSerializer(records, many=True).data)  # type: ignore[arg-type]


def csv_rows(records: list[selectors.PatientMonth]) -> list[list[Any]]:
    rows: list[list[Any]] = [CSV_COLUMNS]
    for item in records:
        patient, record = item.patient, item.record
        management = record.management
        recorded_by = "; ".join(
            f"{r.name} ({r.credential or '-'}) {r.minutes} min" for r in management.recorders
        )
        days = {(p.first, p.last): p.data_days for p in record.periods}
        base = [
            f"{record.month:%Y-%m}",
            patient.pk,
            patient.external_id,
            patient.last_name,
            patient.first_name,
        ]
        tail = [
            management.minutes,
            management.interactive_count,
            "",
            recorded_by,
            "yes" if item.sign_off is not None else "no",
        ]
        if not record.codes:
            rows.append([*base, "", 0, "", "", "", *tail])
        for code in record.codes:
            rows.append(
                [
                    *base,
                    code.code,
                    code.units,
                    code.first.isoformat(),
                    code.last.isoformat(),
                    days.get((code.first, code.last), ""),
                    *tail[:2],
                    " ".join(code.modifiers),
                    *tail[3:],
                ]
            )
    return rows
