"""Input and output shapes for clinics, staff, sign-in and the audit trail."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from clinic.models import AuditEvent, Clinic, StaffRole, StaffUser
from clinic.thresholds import DEFAULTS, validate_overrides
from config.fields import StrictBooleanField, TimeZoneField


class StaffSerializer(serializers.ModelSerializer[StaffUser]):
    class Meta:
        model = StaffUser
        fields = ["id", "email", "first_name", "last_name", "role", "is_active", "created_at"]
        read_only_fields = ["id", "email", "created_at"]


class StaffCreateSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150, required=False, default="")
    last_name = serializers.CharField(max_length=150, required=False, default="")
    role = serializers.ChoiceField(choices=StaffRole.choices, default=StaffRole.THERAPIST)
    password = serializers.CharField(write_only=True, min_length=10, max_length=128)

    def validate_email(self, value: str) -> str:
        """Only the caller's own clinic is told that the address is taken: its admins see their
        staff anyway. Another clinic's account is never revealed (clinic.services.staff_add)."""
        value = value.strip().lower()
        clinic = self.context.get("clinic")
        if clinic is not None and StaffUser.objects.filter(email=value, clinic=clinic).exists():
            raise serializers.ValidationError("A staff member of your clinic has this email.")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        candidate = StaffUser(
            email=attrs["email"], first_name=attrs["first_name"], last_name=attrs["last_name"]
        )
        try:
            validate_password(attrs["password"], candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": exc.messages}) from exc
        return attrs


class StaffUpdateSerializer(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=150, required=False)
    last_name = serializers.CharField(max_length=150, required=False)
    role = serializers.ChoiceField(choices=StaffRole.choices, required=False)
    is_active = serializers.BooleanField(required=False)


class LoginSerializer(serializers.Serializer[Any]):
    email = serializers.EmailField()
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class LoginResponseSerializer(serializers.Serializer[Any]):
    token = serializers.CharField()
    expires_at = serializers.DateTimeField()
    user = StaffSerializer()


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    actor = serializers.IntegerField(source="actor_id")
    actor_email = serializers.EmailField(source="actor.email")
    patient = serializers.IntegerField(source="patient_id", allow_null=True)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "actor",
            "actor_email",
            "action",
            "patient",
            "object_type",
            "object_id",
            "ip_address",
            "request_id",
            "created_at",
        ]


class ClinicSerializer(serializers.ModelSerializer[Clinic]):
    thresholds = serializers.SerializerMethodField(
        help_text="Effective thresholds: the clinic's overrides over CLINICAL.md's defaults."
    )
    threshold_overrides = serializers.JSONField(source="thresholds", read_only=True)

    class Meta:
        model = Clinic
        fields = [
            "id",
            "name",
            "timezone",
            "contact_line",
            "oncall_emails",
            "reminder_email_enabled",
            "thresholds",
            "threshold_overrides",
        ]

    def get_thresholds(self, clinic: Clinic) -> dict[str, float]:
        return clinic.clinical_thresholds().as_dict()


class ClinicUpdateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=200, required=False)
    timezone = TimeZoneField(required=False)
    contact_line = serializers.CharField(max_length=300, required=False)
    oncall_emails = serializers.ListField(
        child=serializers.EmailField(), required=False, max_length=20
    )
    reminder_email_enabled = StrictBooleanField(
        required=False,
        help_text="Also email check-in reminders to patients who have an email address.",
    )
    thresholds = serializers.JSONField(
        required=False,
        help_text=f"Overrides by name; known names: {', '.join(sorted(DEFAULTS.field_names()))}.",
    )

    def validate_thresholds(self, value: dict[str, Any]) -> dict[str, Any]:
        try:
            return validate_overrides(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc
