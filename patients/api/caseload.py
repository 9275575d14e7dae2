"""The caseload (patients by priority, from their status summaries) and a patient's trend."""

import base64
import binascii
import json
from collections import OrderedDict
from datetime import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from clinic.models import Clinic
from clinic.scoping import ClinicScopedViewSet
from clinical.severity import Severity
from common.api import (
    cursor_int,
    cursor_page_schema,
    cursor_time,
    invalid_cursor,
    page_size_param,
    page_size_schema,
)
from common.schema import bad_request_with
from common.time import local_date
from patients import selectors
from patients.models import Patient, PatientStatus
from patients.serializers.caseload import (
    CaseloadEntrySerializer,
    TrendQuerySerializer,
    TrendSerializer,
)

SEVERITY_COUNT_FIELD = {
    Severity.CRITICAL: "summary__open_critical",
    Severity.HIGH: "summary__open_high",
    Severity.MODERATE: "summary__open_moderate",
    Severity.LOW: "summary__open_low",
}


class CaseloadFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(method="filter_mine", help_text="Only my patients.")
    status = django_filters.ChoiceFilter(
        choices=PatientStatus.choices,
        method="filter_status",
        help_text="The patients' status; without it, active patients only.",
    )
    severity = django_filters.ChoiceFilter(
        choices=Severity.choices,
        method="filter_severity",
        help_text="Only patients with an unresolved escalation of this severity.",
    )

    class Meta:
        model = Patient
        fields = ["mine", "status", "severity"]

    @property
    def qs(self) -> QuerySet[Patient]:
        queryset = super().qs
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=PatientStatus.ACTIVE)
        return queryset

    def filter_mine(self, queryset: QuerySet[Patient], name: str, value: bool) -> QuerySet[Patient]:
        return queryset.filter(therapist=self.request.user) if value else queryset

    def filter_status(
        self, queryset: QuerySet[Patient], name: str, value: str
    ) -> QuerySet[Patient]:
        return queryset.filter(status=value)

    def filter_severity(
        self, queryset: QuerySet[Patient], name: str, value: str
    ) -> QuerySet[Patient]:
        return queryset.filter(**{f"{SEVERITY_COUNT_FIELD[Severity(value)]}__gt": 0})


class CaseloadPagination(BasePagination):
    """Keyset pagination over the caseload's priority key (tier, since, id).

    DRF's CursorPagination pages on its first ordering field plus an offset, which on a key
    where most patients share a tier degrades to offset paging; this cursor carries the whole
    key of the row it stops at. The response has DRF's cursor shape: next, previous, results.
    """

    page_size = 50
    max_page_size = 200
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        self.request = request
        self.size = self._page_size(request)
        cursor = self._decode(request)
        reverse = bool(cursor and cursor[0])
        if cursor is None:
            queryset = queryset.order_by(*selectors.CASELOAD_ORDER)
        else:
            _, tier, since, pk = cursor
            same = Q(priority_tier=tier)
            if reverse:
                queryset = queryset.filter(
                    Q(priority_tier__gt=tier)
                    | (same & Q(priority_since__lt=since))
                    | (same & Q(priority_since=since, id__lt=pk))
                ).order_by(*selectors.CASELOAD_ORDER_REVERSED)
            else:
                queryset = queryset.filter(
                    Q(priority_tier__lt=tier)
                    | (same & Q(priority_since__gt=since))
                    | (same & Q(priority_since=since, id__gt=pk))
                )
        queryset = selectors.caseload_first(
            queryset, clinic=view.clinic, count=self.size + 1, reverse=reverse
        )
        rows = list(queryset[: self.size + 1])
        more = len(rows) > self.size
        rows = rows[: self.size]
        if reverse:
            rows.reverse()
        self.has_next = True if reverse else more
        self.has_previous = more if reverse else cursor is not None
        self.rows = rows
        return rows

    def _page_size(self, request: Request) -> int:
        return page_size_param(
            request,
            name=self.page_size_query_param,
            default=self.page_size,
            maximum=self.max_page_size,
        )

    def _decode(self, request: Request) -> tuple[int, int, datetime, int] | None:
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        param = self.cursor_query_param
        try:
            reverse, tier, since, pk = json.loads(base64.urlsafe_b64decode(raw.encode()))
        except (ValueError, TypeError, binascii.Error, UnicodeError) as exc:
            raise invalid_cursor(param) from exc
        if reverse not in (0, 1) or isinstance(reverse, bool):
            raise invalid_cursor(param)
        return (
            reverse,
            cursor_int(tier, param=param),
            cursor_time(since, param=param),
            cursor_int(pk, param=param),
        )

    def _link(self, row: Patient, reverse: bool) -> str:
        key = [int(reverse), row.priority_tier, row.priority_since.isoformat(), row.pk]  # type: ignore[attr-defined]
        token = base64.urlsafe_b64encode(json.dumps(key).encode()).decode()
        return replace_query_param(
            self.request.build_absolute_uri(), self.cursor_query_param, token
        )

    def get_paginated_response(self, data: Any) -> Response:
        next_link = self._link(self.rows[-1], False) if self.has_next and self.rows else None
        previous = self._link(self.rows[0], True) if self.has_previous and self.rows else None
        if self.has_previous and not self.rows:
            previous = remove_query_param(
                self.request.build_absolute_uri(), self.cursor_query_param
            )
        return Response(
            OrderedDict([("next", next_link), ("previous", previous), ("results", data)])
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return cursor_page_schema(schema, cursor_param=self.cursor_query_param)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The pagination cursor value.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Number of results per page (at most {self.max_page_size}).",
                "schema": page_size_schema(default=self.page_size, maximum=self.max_page_size),
            },
        ]


@extend_schema_view(
    list=extend_schema(
        operation_id="caseload_list",
        summary="The clinic's patients by priority, with their status summary",
        description=(
            "Active patients (see `status`) ordered by priority: the highest unresolved "
            "escalation severity, then an open escalation past its acknowledgement deadline, "
            "then rising pain (the latest check-in fired `pain_rising` or "
            "`weekly_pain_increase`), then the most days since the last check-in (since "
            "registration for a patient who never checked in). Served from a per-patient "
            "summary kept current in the check-in transaction, so a page costs the same few "
            "queries whatever the caseload's size. Paginated with a cursor over the priority "
            "key; an order that changes between pages (a new check-in) may move a patient "
            "across the page boundary."
        ),
    ),
)
class CaseloadViewSet(mixins.ListModelMixin, ClinicScopedViewSet):
    model = Patient
    serializer_class = CaseloadEntrySerializer
    filterset_class = CaseloadFilter
    pagination_class = CaseloadPagination
    audit_object_type = "caseload"
    audit_patient_attr = "pk"
    schema_tags = ["patients"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        self.now = timezone.now()  # one clock for the order ("overdue") and the body

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Patient]:
        return selectors.caseload(clinic=clinic, now=self.now)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "now": getattr(self, "now", timezone.now())}


class PatientTrendViewSet(ClinicScopedViewSet):
    model = Patient
    serializer_class = TrendSerializer
    audit_object_type = "patient_trend"
    audit_patient_attr = "pk"
    schema_tags = ["patients"]

    def scoped_queryset(self, clinic: Clinic) -> QuerySet[Patient]:
        return selectors.patient_list(clinic=clinic)

    @extend_schema(
        operation_id="patients_trend",
        summary="A patient's daily pain, running and adherence, with escalations marked",
        description=(
            "One entry per local day (the patient's time zone) of `from`..`to`, both included "
            "(default: the 28 days ending today; at most 366 days): the highest peak pain, the "
            "highest morning pain, the minutes run and the exercise adherence of the 7 days "
            "ending that day; null where there is no data. `escalations` are those opened in "
            "the range, with the local day to mark them on."
        ),
        parameters=[
            # Strings, not dates: an empty `to=` or `from=` means the default.
            OpenApiParameter("from", str, description="First day, YYYY-MM-DD."),
            OpenApiParameter("to", str, description="Last day, YYYY-MM-DD (default today)."),
        ],
        responses={200: TrendSerializer, 400: bad_request_with("out_of_range")},
    )
    def trend(self, request: Request, pk: str) -> Response:
        now = timezone.now()
        patient = self.get_object()
        query = TrendQuerySerializer(
            data=request.query_params, context={"today": local_date(now, patient.timezone)}
        )
        query.is_valid(raise_exception=True)
        trend = selectors.patient_trend(
            patient=patient,
            first=query.validated_data["first"],
            last=query.validated_data["last"],
            now=now,
        )
        return Response(TrendSerializer(trend).data)
