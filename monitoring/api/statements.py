"""The clinic's month statement: JSON, or CSV with one row per patient and code."""

import csv
import io
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from clinic.models import Clinic
from clinic.scoping import ClinicScopedViewSet
from common.api import CreatedCursorPagination
from monitoring import selectors
from monitoring.api.base import MONTH_PARAMETER, month_and_codes
from monitoring.serializers import PatientMonthSerializer, StatementPageSerializer
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
        self.month, codes = month_and_codes(request, self.clinic)
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
