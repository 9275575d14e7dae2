"""Input and output shapes of the monitoring record."""

import re
from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from clinic.models import StaffCredential, StaffUser
from common.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictDateTimeField,
    StrictInput,
    StrictIntegerField,
    StrictListField,
    StrictURLField,
)
from common.relations import ClinicScopedRelatedField
from common.serializers import StrictModelSerializer, StrictSerializer
from monitoring import rules
from monitoring.models import Activity, MonitoringEpisode, MonthSignOff, TimeEntry
from monitoring.selectors import PatientMonth

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_ENTRY_MINUTES = 600


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2026-03"}
)
class MonthField(StrictInput, serializers.Field[date, str, str, Any]):
    """A calendar month, `YYYY-MM`, read as its first day."""

    default_error_messages = {"invalid": "A month as YYYY-MM from 1900 to 2999, e.g. 2026-03."}

    def get_value(self, dictionary: Any) -> Any:
        # `?month=` given empty is a mistake to report, not "no month".
        return dictionary.get(self.field_name, empty)

    def to_internal_value(self, data: Any) -> date:
        match = MONTH_PATTERN.match(data) if isinstance(data, str) else None
        if match is None or not 1900 <= int(match.group(1)) <= 2999:
            self.fail("invalid")
        assert match is not None
        return date(int(match.group(1)), int(match.group(2)), 1)

    def to_representation(self, value: date) -> str:
        return f"{value.year:04d}-{value.month:02d}"


class MonthQuerySerializer(StrictSerializer[Any]):
    month = MonthField(required=False, help_text="YYYY-MM; the current month by default.")


class EpisodeInputSerializer(StrictSerializer[Any]):
    consent_at = StrictDateTimeField(help_text="When the patient consented to remote monitoring.")
    setup_at = StrictDateTimeField(
        help_text="When the set-up and education (98975) took place; starts the episode."
    )
    setup_by = ClinicScopedRelatedField(
        queryset=StaffUser.objects.filter(is_active=True),
        required=False,
        help_text="Who did the set-up (an active staff member of the clinic); the caller "
        "by default.",
    )


class EpisodeSerializer(StrictModelSerializer[MonitoringEpisode]):
    patient = StrictIntegerField(source="patient_id")
    consent_recorded_by = StrictIntegerField(source="consent_recorded_by_id")
    setup_by = StrictIntegerField(source="setup_by_id")

    class Meta:
        model = MonitoringEpisode
        fields = [
            "id",
            "patient",
            "consent_at",
            "consent_recorded_by",
            "setup_at",
            "setup_by",
            "started_on",
            "ended_at",
            "ended_on",
        ]


class TimeEntryInputSerializer(StrictSerializer[Any]):
    """A new entry, or with `reverses` the reversal of one (its minutes, activity and
    interactive flag are the reversed entry's)."""

    # A new entry needs its date, minutes and activity (`validate`).
    error_codes = ("required",)

    date = StrictDateField(
        required=False,
        help_text="The day, in the clinic's time zone. Required for a new entry; for a "
        "reversal of a signed-off month's entry, a day in a later month (today by default).",
    )
    minutes = StrictIntegerField(min_value=1, max_value=MAX_ENTRY_MINUTES, required=False)
    activity = StrictChoiceField(choices=Activity.choices, required=False)
    interactive = StrictBooleanField(
        required=False,
        help_text="A real-time audio or video communication with the patient; never for `message`.",
    )
    note = StrictCharField(max_length=200, required=False, allow_blank=True, default="")
    reverses = StrictIntegerField(
        required=False, min_value=1, help_text="The id of the entry this one reverses."
    )
    reason = StrictCharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why; required to correct an entry of a signed-off month.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "reverses" in attrs:
            taken = [name for name in ("minutes", "activity", "interactive") if name in attrs]
            if taken:
                raise serializers.ValidationError(
                    {name: ["Not with `reverses`: the reversed entry's is used."] for name in taken}
                )
            return attrs
        missing = [name for name in ("date", "minutes", "activity") if name not in attrs]
        if missing:
            raise serializers.ValidationError(
                {name: ["This field is required."] for name in missing}, code="required"
            )
        if attrs["activity"] == Activity.MESSAGE and attrs.get("interactive"):
            raise serializers.ValidationError(
                {"interactive": ["Messages are never a real-time interactive communication."]}
            )
        return attrs


class TimeEntrySerializer(StrictModelSerializer[TimeEntry]):
    patient = StrictIntegerField(source="patient_id")
    date = StrictDateField(source="performed_on")
    staff = StrictIntegerField(source="staff_id", help_text="Whose time it is.")
    staff_name = serializers.SerializerMethodField()
    recorded_by = StrictIntegerField(source="recorded_by_id", help_text="Who entered it.")
    assistant = serializers.SerializerMethodField(
        help_text="Recorded by an assistant (PTA, OTA): the clinic applies `modifier`."
    )
    modifier = serializers.SerializerMethodField()
    reverses = StrictIntegerField(source="reverses_id", allow_null=True)
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = TimeEntry
        fields = [
            "id",
            "patient",
            "date",
            "minutes",
            "activity",
            "interactive",
            "note",
            "staff",
            "staff_name",
            "credential",
            "assistant",
            "modifier",
            "recorded_by",
            "reverses",
            "reversed_by",
            "reason",
            "created_at",
        ]

    def get_staff_name(self, entry: TimeEntry) -> str:
        return entry.staff.display_name

    def get_assistant(self, entry: TimeEntry) -> bool:
        return entry.credential in rules.ASSISTANT_MODIFIERS

    def get_modifier(self, entry: TimeEntry) -> str | None:
        return rules.ASSISTANT_MODIFIERS.get(entry.credential)

    def get_reversed_by(self, entry: TimeEntry) -> int | None:
        try:
            return entry.reversed_by.pk
        except TimeEntry.DoesNotExist:
            return None


class SignOffInputSerializer(StrictSerializer[Any]):
    month = MonthField(help_text="YYYY-MM")


class SignOffSerializer(StrictModelSerializer[MonthSignOff]):
    patient = StrictIntegerField(source="patient_id")
    month = MonthField()
    signed_by = StrictIntegerField(source="signed_by_id")

    class Meta:
        model = MonthSignOff
        fields = ["id", "patient", "month", "signed_by", "signed_at"]


# -- the month's record (read-only; built from rules.MonthRecord) ------------------------------


class SetupSerializer(StrictSerializer[Any]):
    episode = StrictIntegerField(source="episode_id")
    started_on = StrictDateField()
    ended_on = StrictDateField(allow_null=True)
    setup_by = StrictIntegerField(source="setup_by_id")
    setup_by_name = StrictCharField()


class DevicePeriodSerializer(StrictSerializer[Any]):
    episode = StrictIntegerField(source="episode_id")
    number = StrictIntegerField(help_text="1 for the episode's first 30 days, ...")
    first = StrictDateField()
    last = StrictDateField(help_text="The 30th day, or discharge if earlier.")
    complete = StrictBooleanField()
    data_days = StrictIntegerField(
        help_text="Local days (patient's zone) with a check-in or an outcome measure sent."
    )
    code = StrictCharField(allow_null=True, help_text="The device code reached so far.")
    final = StrictBooleanField(help_text="`code` can no longer change.")
    next_code = StrictCharField(allow_null=True)
    days_needed = StrictIntegerField(
        allow_null=True, help_text="More data days that reach `next_code`."
    )
    needed_by = StrictDateField(allow_null=True, help_text="The last day they can come in.")
    reachable = StrictBooleanField(
        allow_null=True, help_text="Enough days are left in the period for them."
    )


class RecorderSerializer(StrictSerializer[Any]):
    staff = StrictIntegerField(source="staff_id")
    name = StrictCharField()
    credential = StrictChoiceField(choices=[("", ""), *StaffCredential.choices])
    minutes = StrictIntegerField()
    assistant = StrictBooleanField()
    modifier = StrictCharField(allow_null=True)


class CorrectionSerializer(StrictSerializer[Any]):
    entry = StrictIntegerField(source="entry_id")
    reverses = StrictIntegerField(source="reverses_id")
    corrects_month = MonthField()
    minutes = StrictIntegerField()
    reason = StrictCharField()


class ManagementSerializer(StrictSerializer[Any]):
    minutes = StrictIntegerField()
    interactive_count = StrictIntegerField()
    code = StrictCharField(allow_null=True)
    add_on_code = StrictCharField(allow_null=True)
    add_on_units = StrictIntegerField()
    next_code = StrictCharField(allow_null=True)
    minutes_needed = StrictIntegerField(allow_null=True)
    interactive_needed = StrictBooleanField()
    assistant_minutes = StrictIntegerField()
    modifiers = StrictListField(child=StrictCharField())
    recorded_by = RecorderSerializer(source="recorders", many=True)
    corrections = CorrectionSerializer(many=True)


class CodeReachedSerializer(StrictSerializer[Any]):
    code = StrictCharField()
    units = StrictIntegerField()
    first = StrictDateField()
    last = StrictDateField()
    modifiers = StrictListField(child=StrictCharField())


class SignedOffSerializer(StrictSerializer[Any]):
    by = StrictIntegerField(source="signed_by_id")
    at = StrictDateTimeField(source="signed_at")


class PatientMonthSerializer(serializers.Serializer[PatientMonth]):  # output only
    patient = StrictIntegerField(source="patient.pk")
    first_name = StrictCharField(source="patient.first_name")
    last_name = StrictCharField(source="patient.last_name")
    external_id = StrictCharField(source="patient.external_id")
    month = MonthField(source="record.month")
    setup = SetupSerializer(source="record.setup", many=True)
    periods = DevicePeriodSerializer(source="record.periods", many=True)
    management = ManagementSerializer(source="record.management")
    codes = CodeReachedSerializer(source="record.codes", many=True)
    signed_off = SignedOffSerializer(source="sign_off", allow_null=True)


class StatementPageSerializer(StrictSerializer[Any]):
    next = StrictURLField(allow_null=True)
    previous = StrictURLField(allow_null=True)
    results = PatientMonthSerializer(many=True)
