"""Output shapes of the caseload and the patient trend, and the trend's query parameters."""

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers

from clinical.severity import SEVERITY_BY_RANK, Severity
from common.fields import (
    QueryDateField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictDateTimeField,
    StrictFloatField,
    StrictIntegerField,
    StrictListField,
)
from common.serializers import StrictSerializer
from common.time import local_date
from patients.models import SPARKLINE_DAYS, Patient, PatientSummary
from patients.models.summaries import sparkline_days
from patients.selectors import TREND_MAX_DAYS


class EscalationCountsSerializer(StrictSerializer[Any]):
    critical = StrictIntegerField()
    high = StrictIntegerField()
    moderate = StrictIntegerField()
    low = StrictIntegerField()


class AdherenceSerializer(StrictSerializer[Any]):
    first = StrictDateField(allow_null=True, help_text="First local day counted.")
    last = StrictDateField(allow_null=True, help_text="Last local day counted.")
    done = StrictIntegerField(help_text="Due sessions reported done (capped per item).")
    due = StrictIntegerField(help_text="Exercise sessions due in the window.")
    ratio = StrictFloatField(allow_null=True, help_text="done / due; null with none due.")


class LadderStateSerializer(StrictSerializer[Any]):
    level = StrictIntegerField()
    paused = StrictBooleanField()


def _summary(patient: Patient) -> PatientSummary | None:
    try:
        return patient.summary
    except PatientSummary.DoesNotExist:
        return None


class CaseloadEntrySerializer(StrictSerializer[Patient]):
    """One patient on the caseload. Read-only; built from the patient's status summary."""

    id = StrictIntegerField()
    first_name = StrictCharField()
    last_name = StrictCharField()
    external_id = StrictCharField()
    therapist = StrictIntegerField(source="therapist_id")
    status = StrictCharField()
    today = StrictDateField(
        help_text="Today in the patient's time zone: the last day of `daily_peak_pain`."
    )
    last_check_in_at = StrictDateTimeField(
        allow_null=True, help_text="The latest check-in by recorded_at."
    )
    last_peak_pain = StrictIntegerField(allow_null=True)
    days_since_last_check_in = StrictIntegerField(
        allow_null=True,
        help_text="Local calendar days since the latest check-in; null: none yet.",
    )
    daily_peak_pain = StrictListField(
        child=StrictIntegerField(allow_null=True),
        min_length=SPARKLINE_DAYS,
        max_length=SPARKLINE_DAYS,
        help_text="The highest peak pain of each of the last 14 local days, oldest first, "
        "ending today; null where there was no check-in (a sparkline).",
    )
    adherence_7d = AdherenceSerializer(
        help_text="Exercise adherence of the 7 local days ending today once the patient has "
        "checked in today, else yesterday."
    )
    pain_rising = StrictBooleanField(
        help_text="The latest check-in fired pain_rising or weekly_pain_increase."
    )
    overdue = StrictBooleanField(
        help_text="An open escalation is past its acknowledgement deadline."
    )
    highest_severity = StrictChoiceField(
        choices=Severity.choices,
        allow_null=True,
        help_text="Of the unresolved (open or acknowledged) escalations; null: none.",
    )
    escalations = EscalationCountsSerializer(
        help_text="Unresolved (open or acknowledged) escalations by severity."
    )
    ladder = LadderStateSerializer(allow_null=True, help_text="The run ladder; null: none.")
    unread_messages = StrictIntegerField(
        help_text="Messages from the patient the care team has not marked read."
    )

    @property
    def now(self) -> datetime:
        now = self.context["now"]
        assert isinstance(now, datetime)
        return now

    def to_representation(self, patient: Patient) -> dict[str, Any]:
        # Built in one pass over the joined summary: DRF's per-field machinery for these
        # fourteen fields was a third of a caseload request. The declared fields above
        # remain the schema; tests pin this output against them.
        now = self.now
        today = local_date(now, patient.timezone)
        summary = _summary(patient)
        try:
            ladder = patient.run_ladder  # joined by the caseload query
        except ObjectDoesNotExist:
            ladder = None
        last_at = summary.last_check_in_at if summary else None
        peaks = summary.daily_peaks if summary else {}
        due = summary.adherence_due if summary else 0
        done = summary.adherence_done if summary else 0
        deadline = summary.earliest_open_deadline if summary else None
        return {
            "id": patient.pk,
            "first_name": patient.first_name,
            "last_name": patient.last_name,
            "external_id": patient.external_id,
            "therapist": patient.therapist_id,
            "status": patient.status,
            "today": today.isoformat(),
            "last_check_in_at": _iso(last_at),
            "last_peak_pain": summary.last_peak_pain if summary else None,
            "days_since_last_check_in": (
                max(0, (today - local_date(last_at, patient.timezone)).days)
                if last_at is not None
                else None
            ),
            "daily_peak_pain": [peaks.get(day) for day in sparkline_days(today)],
            "adherence_7d": {
                "first": _iso(summary.adherence_first if summary else None),
                "last": _iso(summary.adherence_last if summary else None),
                "done": done,
                "due": due,
                "ratio": round(done / due, 2) if due else None,
            },
            "pain_rising": bool(summary and summary.pain_rising),
            "overdue": deadline is not None and deadline < now,
            "highest_severity": (
                SEVERITY_BY_RANK.get(summary.max_severity_rank) if summary else None
            ),
            "escalations": {
                "critical": summary.open_critical if summary else 0,
                "high": summary.open_high if summary else 0,
                "moderate": summary.open_moderate if summary else 0,
                "low": summary.open_low if summary else 0,
            },
            "ladder": {"level": ladder.level, "paused": ladder.paused} if ladder else None,
            "unread_messages": summary.unread_messages if summary else 0,
        }


# One field renders every instant of a page (it keeps no state between values).
_INSTANT = StrictDateTimeField()


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        # As DRF renders aware datetimes: UTC with a Z.
        return _INSTANT.to_representation(value)
    return value.isoformat()


class TrendQuerySerializer(StrictSerializer[Any]):
    """`?from=&to=`: patient-local days, both included; default the 28 days ending today."""

    # `from` is a keyword: the field is named in `to_internal_value`'s input only.
    to = QueryDateField(required=False)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        fields["from"] = QueryDateField(required=False)
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


class TrendDaySerializer(StrictSerializer[Any]):
    date = StrictDateField()
    peak_pain = StrictIntegerField(allow_null=True, help_text="Highest peak pain that day.")
    morning_pain = StrictIntegerField(
        allow_null=True, help_text="Highest morning pain reported that day."
    )
    run_minutes = StrictIntegerField(allow_null=True, help_text="Minutes run that day.")
    adherence = StrictFloatField(
        allow_null=True,
        help_text="Exercise adherence of the 7 days ending that day; today's waits for "
        "today's check-in; null with nothing due.",
    )


class TrendEscalationSerializer(StrictSerializer[Any]):
    id = StrictIntegerField()
    code = StrictCharField()
    severity = StrictChoiceField(choices=Severity.choices)
    status = StrictCharField()
    opened_at = StrictDateTimeField()
    date = StrictDateField(help_text="The local day it opened: mark it on the series.")


class TrendSerializer(StrictSerializer[Any]):
    patient = StrictIntegerField(source="patient_id")
    timezone = StrictCharField()
    to = StrictDateField(source="last")
    days = TrendDaySerializer(many=True)
    escalations = TrendEscalationSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        ordered = {name: fields.pop(name) for name in ("patient", "timezone")}
        ordered["from"] = StrictDateField(source="first")
        return {**ordered, **fields}
