"""What the monitoring views share: the month asked for, errors, one patient's record."""

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from clinic.models import Clinic
from clinic.services import audit_record_many
from common.api import Conflict
from common.time import local_date
from monitoring import selectors, services
from monitoring.rules import CodeRule
from monitoring.serializers import MonthQuerySerializer
from patients.api.base import PatientNestedViewSet
from patients.models import Patient


def conflict(exc: services.MonitoringConflict) -> Conflict:
    return Conflict(str(exc), code=exc.code)


def invalid(exc: services.MonitoringInvalid) -> ValidationError:
    return ValidationError({exc.attr: [str(exc)]})


def month_and_codes(request: Request, clinic: Clinic) -> tuple[date, list[CodeRule]]:
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
