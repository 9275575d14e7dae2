"""Input and output shapes of the monitoring record."""

import re
from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from clinic.models import StaffCredential, StaffUser
from common.fields import StrictBooleanField
from common.relations import ClinicScopedRelatedField
from monitoring import rules
from monitoring.models import Activity, MonitoringEpisode, MonthSignOff, TimeEntry
from monitoring.selectors import PatientMonth

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_ENTRY_MINUTES = 600


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2026-03"}
)
class MonthField(serializers.Field[date, str, str, Any]):
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


class MonthQuerySerializer(serializers.Serializer[Any]):
    month = MonthField(required=False, help_text="YYYY-MM; the current month by default.")


class EpisodeInputSerializer(serializers.Serializer[Any]):
    consent_at = serializers.DateTimeField(
        help_text="When the patient consented to remote monitoring."
    )
    setup_at = serializers.DateTimeField(
        help_text="When the set-up and education (98975) took place; starts the episode."
    )
    setup_by = ClinicScopedRelatedField(
        queryset=StaffUser.objects.filter(is_active=True),
        required=False,
        help_text="Who did the set-up (an active staff member of the clinic); the caller "
        "by default.",
    )


class EpisodeSerializer(serializers.ModelSerializer[MonitoringEpisode]):
    patient = serializers.IntegerField(source="patient_id")
    consent_recorded_by = serializers.IntegerField(source="consent_recorded_by_id")
    setup_by = serializers.IntegerField(source="setup_by_id")

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


class TimeEntryInputSerializer(serializers.Serializer[Any]):
    """A new entry, or with `reverses` the reversal of one (its minutes, activity and
    interactive flag are the reversed entry's)."""

    date = serializers.DateField(
        required=False,
        help_text="The day, in the clinic's time zone. Required for a new entry; for a "
        "reversal of a signed-off month's entry, a day in a later month (today by default).",
    )
    minutes = serializers.IntegerField(min_value=1, max_value=MAX_ENTRY_MINUTES, required=False)
    activity = serializers.ChoiceField(choices=Activity.choices, required=False)
    interactive = StrictBooleanField(
        required=False,
        help_text="A real-time audio or video communication with the patient; never for `message`.",
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reverses = serializers.IntegerField(
        required=False, min_value=1, help_text="The id of the entry this one reverses."
    )
    reason = serializers.CharField(
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


class TimeEntrySerializer(serializers.ModelSerializer[TimeEntry]):
    patient = serializers.IntegerField(source="patient_id")
    date = serializers.DateField(source="performed_on")
    staff = serializers.IntegerField(source="staff_id", help_text="Whose time it is.")
    staff_name = serializers.SerializerMethodField()
    recorded_by = serializers.IntegerField(source="recorded_by_id", help_text="Who entered it.")
    assistant = serializers.SerializerMethodField(
        help_text="Recorded by an assistant (PTA, OTA): the clinic applies `modifier`."
    )
    modifier = serializers.SerializerMethodField()
    reverses = serializers.IntegerField(source="reverses_id", allow_null=True)
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


class SignOffInputSerializer(serializers.Serializer[Any]):
    month = MonthField(help_text="YYYY-MM")


class SignOffSerializer(serializers.ModelSerializer[MonthSignOff]):
    patient = serializers.IntegerField(source="patient_id")
    month = MonthField()
    signed_by = serializers.IntegerField(source="signed_by_id")

    class Meta:
        model = MonthSignOff
        fields = ["id", "patient", "month", "signed_by", "signed_at"]


# -- the month's record (read-only; built from rules.MonthRecord) ------------------------------


class SetupSerializer(serializers.Serializer[Any]):
    episode = serializers.IntegerField(source="episode_id")
    started_on = serializers.DateField()
    ended_on = serializers.DateField(allow_null=True)
    setup_by = serializers.IntegerField(source="setup_by_id")
    setup_by_name = serializers.CharField()


class DevicePeriodSerializer(serializers.Serializer[Any]):
    episode = serializers.IntegerField(source="episode_id")
    number = serializers.IntegerField(help_text="1 for the episode's first 30 days, ...")
    first = serializers.DateField()
    last = serializers.DateField(help_text="The 30th day, or discharge if earlier.")
    complete = serializers.BooleanField()
    data_days = serializers.IntegerField(
        help_text="Local days (patient's zone) with a check-in or an outcome measure sent."
    )
    code = serializers.CharField(allow_null=True, help_text="The device code reached so far.")
    final = serializers.BooleanField(help_text="`code` can no longer change.")
    next_code = serializers.CharField(allow_null=True)
    days_needed = serializers.IntegerField(
        allow_null=True, help_text="More data days that reach `next_code`."
    )
    needed_by = serializers.DateField(allow_null=True, help_text="The last day they can come in.")
    reachable = serializers.BooleanField(
        allow_null=True, help_text="Enough days are left in the period for them."
    )


class RecorderSerializer(serializers.Serializer[Any]):
    staff = serializers.IntegerField(source="staff_id")
    name = serializers.CharField()
    credential = serializers.ChoiceField(choices=[("", ""), *StaffCredential.choices])
    minutes = serializers.IntegerField()
    assistant = serializers.BooleanField()
    modifier = serializers.CharField(allow_null=True)


class CorrectionSerializer(serializers.Serializer[Any]):
    entry = serializers.IntegerField(source="entry_id")
    reverses = serializers.IntegerField(source="reverses_id")
    corrects_month = MonthField()
    minutes = serializers.IntegerField()
    reason = serializers.CharField()


class ManagementSerializer(serializers.Serializer[Any]):
    minutes = serializers.IntegerField()
    interactive_count = serializers.IntegerField()
    code = serializers.CharField(allow_null=True)
    add_on_code = serializers.CharField(allow_null=True)
    add_on_units = serializers.IntegerField()
    next_code = serializers.CharField(allow_null=True)
    minutes_needed = serializers.IntegerField(allow_null=True)
    interactive_needed = serializers.BooleanField()
    assistant_minutes = serializers.IntegerField()
    modifiers = serializers.ListField(child=serializers.CharField())
    recorded_by = RecorderSerializer(source="recorders", many=True)
    corrections = CorrectionSerializer(many=True)


class CodeReachedSerializer(serializers.Serializer[Any]):
    code = serializers.CharField()
    units = serializers.IntegerField()
    first = serializers.DateField()
    last = serializers.DateField()
    modifiers = serializers.ListField(child=serializers.CharField())


class SignedOffSerializer(serializers.Serializer[Any]):
    by = serializers.IntegerField(source="signed_by_id")
    at = serializers.DateTimeField(source="signed_at")


class PatientMonthSerializer(serializers.Serializer[PatientMonth]):
    patient = serializers.IntegerField(source="patient.pk")
    first_name = serializers.CharField(source="patient.first_name")
    last_name = serializers.CharField(source="patient.last_name")
    external_id = serializers.CharField(source="patient.external_id")
    month = MonthField(source="record.month")
    setup = SetupSerializer(source="record.setup", many=True)
    periods = DevicePeriodSerializer(source="record.periods", many=True)
    management = ManagementSerializer(source="record.management")
    codes = CodeReachedSerializer(source="record.codes", many=True)
    signed_off = SignedOffSerializer(source="sign_off", allow_null=True)


class StatementPageSerializer(serializers.Serializer[Any]):
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = PatientMonthSerializer(many=True)
