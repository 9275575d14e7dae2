"""Input and output shapes for patients, enrollment and the partner app's profile."""

import datetime as dt
from typing import Any, ClassVar

from django.utils import timezone
from rest_framework import serializers

from clinic.models import StaffUser
from common.fields import (
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictDateTimeField,
    StrictEmailField,
    StrictListField,
    StrictPrimaryKeyRelatedField,
    StrictRegexField,
    StrictTimeField,
    TimeZoneField,
)
from common.relations import ClinicScopedRelatedField
from common.serializers import StrictModelSerializer, StrictSerializer
from patients.models import WEEKDAYS, Patient, PatientStatus


class CheckInDaysField(StrictListField):
    child = StrictChoiceField(choices=[(d, d) for d in WEEKDAYS])

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_length", 1)
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("help_text", "Days of the week a check-in is expected, `mon` ... `sun`.")
        super().__init__(**kwargs)


class ScheduleFieldsMixin(StrictSerializer[Any]):
    renamed_fields: ClassVar[dict[str, str]] = {
        "checkin_days": "check_in_days",
        "checkin_time": "check_in_time",
    }
    check_in_days = CheckInDaysField(required=False)
    check_in_time = StrictTimeField(
        required=False,
        help_text=(
            "Local time of the reminder on each check-in day, e.g. `19:00` (default). A time "
            "inside the quiet hours is sent when they end."
        ),
    )
    quiet_start = StrictTimeField(
        required=False,
        help_text="Local time quiet hours begin (default `21:00`): no reminder until they end.",
    )
    quiet_end = StrictTimeField(
        required=False,
        help_text="Local time quiet hours end (default `08:00`); equal to the start: none.",
    )


class PatientSerializer(StrictModelSerializer[Patient]):
    """The patient as staff see it."""

    therapist = StrictPrimaryKeyRelatedField[StaffUser](read_only=True)
    check_in_days = StrictListField(child=StrictCharField(), read_only=True)

    class Meta:
        model = Patient
        fields = [
            "id",
            "first_name",
            "last_name",
            "date_of_birth",
            "timezone",
            "external_id",
            "email",
            "phone",
            "therapist",
            "status",
            "discharged_at",
            "check_in_days",
            "check_in_time",
            "quiet_start",
            "quiet_end",
            "next_reminder_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PatientWriteSerializer(ScheduleFieldsMixin):
    first_name = StrictCharField(max_length=100)
    last_name = StrictCharField(max_length=100)
    date_of_birth = StrictDateField()
    timezone = TimeZoneField()
    external_id = StrictCharField(
        max_length=64, required=False, allow_blank=True, help_text="The clinic's record number."
    )
    email = StrictEmailField(required=False, allow_blank=True)
    phone = StrictRegexField(
        r"^\+?[0-9 ()\-]{5,32}$", required=False, allow_blank=True, max_length=32
    )
    therapist = ClinicScopedRelatedField(
        queryset=StaffUser.objects.filter(is_active=True),
        required=False,
        help_text="Staff id of the treating therapist; defaults to the caller.",
    )

    def validate_date_of_birth(self, value: dt.date) -> dt.date:
        today = timezone.localdate()
        if value > today or value < today.replace(year=today.year - 120):
            raise serializers.ValidationError("Date of birth is not plausible.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        clinic = self.context["clinic"]
        external_id = attrs.get("external_id")
        if external_id:
            taken = Patient.objects.filter(clinic=clinic, external_id=external_id)
            instance = self.context.get("instance")
            if instance is not None:
                taken = taken.exclude(pk=instance.pk)
            if taken.exists():
                raise serializers.ValidationError(
                    {"external_id": "Another patient of this clinic has this record number."}
                )
        return attrs


class EnrollmentCodeSerializer(StrictSerializer[Any]):
    code = StrictCharField(help_text="Give this to the patient; it is shown only once.")
    expires_at = StrictDateTimeField()


class EnrollSerializer(StrictSerializer[Any]):
    code = StrictCharField(max_length=20, help_text="The code from the therapist.")
    device_name = StrictCharField(max_length=100, required=False, default="")


class AppPatientSerializer(StrictModelSerializer[Patient]):
    """The patient as the partner app sees them: their own profile and schedule."""

    check_in_days = StrictListField(child=StrictCharField(), read_only=True)
    clinic_name = StrictCharField(source="clinic.name", read_only=True)
    clinic_contact = StrictCharField(source="clinic.contact_line", read_only=True)
    status = StrictChoiceField(choices=PatientStatus.choices, read_only=True)

    class Meta:
        model = Patient
        fields = [
            "id",
            "first_name",
            "last_name",
            "timezone",
            "status",
            "check_in_days",
            "check_in_time",
            "quiet_start",
            "quiet_end",
            "next_reminder_at",
            "clinic_name",
            "clinic_contact",
        ]
        read_only_fields = fields


class AppPatientUpdateSerializer(ScheduleFieldsMixin):
    timezone = TimeZoneField(required=False)


class EnrollResponseSerializer(StrictSerializer[Any]):
    token = StrictCharField(help_text="Send as `Authorization: Bearer <token>`.")
    expires_at = StrictDateTimeField()
    patient = AppPatientSerializer()
