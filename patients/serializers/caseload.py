"""Output shapes of the caseload and the patient trend, and the trend's query parameters."""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from patients.models import SEVERITY_RANK, SPARKLINE_DAYS, Patient, PatientSummary, Severity
from patients.selectors import TREND_MAX_DAYS
from programs.selectors import local_date

SEVERITY_BY_RANK = {rank: str(severity) for severity, rank in SEVERITY_RANK.items()}


class EscalationCountsSerializer(serializers.Serializer[Any]):
    critical = serializers.IntegerField()
    high = serializers.IntegerField()
    moderate = serializers.IntegerField()
    low = serializers.IntegerField()


class AdherenceSerializer(serializers.Serializer[Any]):
    first = serializers.DateField(allow_null=True, help_text="First local day counted.")
    last = serializers.DateField(allow_null=True, help_text="Last local day counted.")
    done = serializers.IntegerField(help_text="Due sessions reported done (capped per item).")
    due = serializers.IntegerField(help_text="Exercise sessions due in the window.")
    ratio = serializers.FloatField(allow_null=True, help_text="done / due; null with none due.")


class LadderStateSerializer(serializers.Serializer[Any]):
    level = serializers.IntegerField()
    paused = serializers.BooleanField()


def _summary(patient: Patient) -> PatientSummary | None:
    try:
        return patient.summary
    except PatientSummary.DoesNotExist:
        return None


class CaseloadEntrySerializer(serializers.Serializer[Patient]):
    """One patient on the caseload. Read-only; built from the patient's status summary."""

    id = serializers.IntegerField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    external_id = serializers.CharField()
    therapist = serializers.IntegerField(source="therapist_id")
    status = serializers.CharField()
    today = serializers.SerializerMethodField(
        help_text="Today in the patient's time zone: the last day of `daily_peak_pain`."
    )
    last_check_in_at = serializers.SerializerMethodField()
    last_peak_pain = serializers.SerializerMethodField()
    days_since_last_check_in = serializers.SerializerMethodField(
        help_text="Local calendar days since the latest check-in (by recorded_at); null: none."
    )
    daily_peak_pain = serializers.SerializerMethodField(
        help_text="The highest peak pain of each of the last 14 local days, oldest first, "
        "ending today; null where there was no check-in (a sparkline)."
    )
    adherence_7d = serializers.SerializerMethodField()
    pain_rising = serializers.SerializerMethodField(
        help_text="The latest check-in fired pain_rising or weekly_pain_increase."
    )
    overdue = serializers.SerializerMethodField(
        help_text="An open escalation is past its acknowledgement deadline."
    )
    highest_severity = serializers.SerializerMethodField(
        help_text="Of the unresolved (open or acknowledged) escalations; null: none."
    )
    escalations = serializers.SerializerMethodField(
        help_text="Unresolved (open or acknowledged) escalations by severity."
    )
    ladder = serializers.SerializerMethodField(help_text="The run ladder; null: not started.")

    @property
    def now(self) -> datetime:
        now = self.context["now"]
        assert isinstance(now, datetime)
        return now

    def _today(self, patient: Patient) -> date:
        return local_date(self.now, patient.timezone)

    @extend_schema_field(serializers.DateField())
    def get_today(self, patient: Patient) -> date:
        return self._today(patient)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_last_check_in_at(self, patient: Patient) -> datetime | None:
        summary = _summary(patient)
        return summary.last_checkin_at if summary else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_last_peak_pain(self, patient: Patient) -> int | None:
        summary = _summary(patient)
        return summary.last_peak_pain if summary else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_since_last_check_in(self, patient: Patient) -> int | None:
        summary = _summary(patient)
        if summary is None or summary.last_checkin_at is None:
            return None
        last_day = local_date(summary.last_checkin_at, patient.timezone)
        return max(0, (self._today(patient) - last_day).days)

    @extend_schema_field(
        serializers.ListField(child=serializers.IntegerField(allow_null=True), min_length=14)
    )
    def get_daily_peak_pain(self, patient: Patient) -> list[int | None]:
        summary = _summary(patient)
        peaks = summary.daily_peaks if summary else {}
        today = self._today(patient)
        return [
            peaks.get((today - timedelta(days=back)).isoformat())
            for back in range(SPARKLINE_DAYS - 1, -1, -1)
        ]

    @extend_schema_field(AdherenceSerializer)
    def get_adherence_7d(self, patient: Patient) -> dict[str, Any]:
        summary = _summary(patient)
        if summary is None:
            return {"first": None, "last": None, "done": 0, "due": 0, "ratio": None}
        due, done = summary.adherence_due, summary.adherence_done
        return {
            "first": summary.adherence_first,
            "last": summary.adherence_last,
            "done": done,
            "due": due,
            "ratio": round(done / due, 2) if due else None,
        }

    @extend_schema_field(serializers.BooleanField())
    def get_pain_rising(self, patient: Patient) -> bool:
        summary = _summary(patient)
        return bool(summary and summary.pain_rising)

    @extend_schema_field(serializers.BooleanField())
    def get_overdue(self, patient: Patient) -> bool:
        summary = _summary(patient)
        deadline = summary.earliest_open_deadline if summary else None
        return deadline is not None and deadline < self.now

    @extend_schema_field(serializers.ChoiceField(choices=Severity.choices, allow_null=True))
    def get_highest_severity(self, patient: Patient) -> str | None:
        summary = _summary(patient)
        return SEVERITY_BY_RANK.get(summary.max_severity_rank) if summary else None

    @extend_schema_field(EscalationCountsSerializer)
    def get_escalations(self, patient: Patient) -> dict[str, int]:
        summary = _summary(patient)
        if summary is None:
            return {"critical": 0, "high": 0, "moderate": 0, "low": 0}
        return {
            "critical": summary.open_critical,
            "high": summary.open_high,
            "moderate": summary.open_moderate,
            "low": summary.open_low,
        }

    @extend_schema_field(LadderStateSerializer(allow_null=True))
    def get_ladder(self, patient: Patient) -> dict[str, Any] | None:
        try:
            row = patient.run_ladder  # joined by the caseload query
        except ObjectDoesNotExist:
            return None
        return {"level": row.level, "paused": row.paused}


class TrendQuerySerializer(serializers.Serializer[Any]):
    """`?from=&to=`: patient-local days, both included; default the 28 days ending today."""

    # `from` is a keyword: the field is named in `to_internal_value`'s input only.
    to = serializers.DateField(required=False)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = serializers.DateField(required=False)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        today: date = self.context["today"]
        last = attrs.get("to") or today
        first = attrs.get("from") or last - timedelta(days=27)
        if first > last:
            raise serializers.ValidationError({"from": ["`from` must not be after `to`."]})
        if (last - first).days + 1 > TREND_MAX_DAYS:
            raise serializers.ValidationError(
                {"to": [f"A trend covers at most {TREND_MAX_DAYS} days."]}
            )
        return {"first": first, "last": last}


class TrendDaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    peak_pain = serializers.IntegerField(allow_null=True, help_text="Highest peak pain that day.")
    morning_pain = serializers.IntegerField(
        allow_null=True, help_text="Highest morning pain reported that day."
    )
    run_minutes = serializers.IntegerField(allow_null=True, help_text="Minutes run that day.")
    adherence = serializers.FloatField(
        allow_null=True,
        help_text="Exercise adherence of the 7 days ending that day; today's waits for "
        "today's check-in; null with nothing due.",
    )


class TrendEscalationSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=Severity.choices)
    status = serializers.CharField()
    opened_at = serializers.DateTimeField()
    date = serializers.DateField(help_text="The local day it opened: mark it on the series.")


class TrendSerializer(serializers.Serializer[Any]):
    patient = serializers.IntegerField(source="patient_id")
    timezone = serializers.CharField()
    to = serializers.DateField(source="last")
    days = TrendDaySerializer(many=True)
    escalations = TrendEscalationSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        ordered = {name: fields.pop(name) for name in ("patient", "timezone")}
        ordered["from"] = serializers.DateField(source="first")
        return {**ordered, **fields}
