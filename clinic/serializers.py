"""Input and output shapes for clinics, staff, sign-in and the audit trail."""

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinic.models import AuditEvent, Clinic, StaffCredential, StaffRole, StaffUser
from clinic.notifications.webhook import webhook_url_problem
from clinical.thresholds import BOUNDS, ThresholdError, validate_overrides
from common.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateTimeField,
    StrictEmailField,
    StrictIntegerField,
    StrictJSONObjectField,
    StrictListField,
    StrictURLField,
    TimeZoneField,
)
from common.relations import ClinicScopedRelatedField
from common.serializers import StrictModelSerializer, StrictSerializer


class StaffSerializer(StrictModelSerializer[StaffUser]):
    class Meta:
        model = StaffUser
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "credential",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "email", "created_at"]


class StaffCreateSerializer(StrictSerializer[Any]):
    email = StrictEmailField()
    first_name = StrictCharField(max_length=150, required=False, default="")
    last_name = StrictCharField(max_length=150, required=False, default="")
    role = StrictChoiceField(choices=StaffRole.choices, default=StaffRole.THERAPIST)
    credential = StrictChoiceField(
        choices=StaffCredential.choices, required=False, default="", allow_blank=True
    )
    password = StrictCharField(write_only=True, min_length=10, max_length=128)

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


class StaffUpdateSerializer(StrictSerializer[Any]):
    first_name = StrictCharField(max_length=150, required=False)
    last_name = StrictCharField(max_length=150, required=False)
    role = StrictChoiceField(choices=StaffRole.choices, required=False)
    credential = StrictChoiceField(
        choices=StaffCredential.choices, required=False, allow_blank=True
    )
    is_active = StrictBooleanField(required=False)
    reassign_to = ClinicScopedRelatedField(
        queryset=StaffUser.objects.filter(is_active=True),
        required=False,
        write_only=True,
        help_text=(
            "With `is_active: false`: the id of another active staff member of this clinic who "
            "takes over every patient assigned to this one, in the same transaction. Required "
            "when patients are assigned (else 409 naming how many)."
        ),
        error_messages={
            "does_not_exist": "No active staff member of this clinic has id {pk_value}."
        },
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        target = attrs.get("reassign_to")
        if target is None:
            return attrs
        if attrs.get("is_active") is not False:
            raise serializers.ValidationError(
                {"reassign_to": ["Goes with `is_active: false`: patients move on deactivation."]}
            )
        instance = self.context.get("instance")
        if instance is not None and target.pk == instance.pk:
            raise serializers.ValidationError(
                {"reassign_to": ["Reassign to another staff member, not the one deactivated."]}
            )
        return attrs


class LoginSerializer(StrictSerializer[Any]):
    email = StrictEmailField()
    password = StrictCharField(max_length=128, trim_whitespace=False)


class LoginResponseSerializer(StrictSerializer[Any]):
    token = StrictCharField()
    expires_at = StrictDateTimeField()
    user = StaffSerializer()


class AuditEventSerializer(StrictModelSerializer[AuditEvent]):
    actor = StrictIntegerField(source="actor_id")
    actor_email = StrictEmailField(source="actor.email")
    patient = StrictIntegerField(source="patient_id", allow_null=True)

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


class ClinicSerializer(StrictModelSerializer[Clinic]):
    thresholds = serializers.SerializerMethodField(
        help_text=(
            "Effective thresholds: the clinic's overrides, each clamped into its bounds, "
            "over the defaults."
        )
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
            "webhook_url",
            "partner_webhook_url",
            "thresholds",
            "threshold_overrides",
        ]
        extra_kwargs = {
            "webhook_url": {"help_text": 'Where escalation events go; "": off.'},
            "partner_webhook_url": {
                "help_text": 'Where reminder events go (the partner app\'s backend); "": off.'
            },
        }

    def get_thresholds(self, clinic: Clinic) -> dict[str, float]:
        return clinic.clinical_thresholds().as_dict()


THRESHOLD_BOUNDS = "; ".join(
    f"{b.name} {b.lower}-{b.upper} {b.unit} (default {b.default})" for b in BOUNDS.values()
)


def _webhook_url(value: str) -> str:
    problem = webhook_url_problem(value.strip())
    if problem:
        raise serializers.ValidationError(problem, code="insecure_url")
    return value.strip()


NEW_SECRET = StrictCharField(allow_null=True)


class ClinicUpdateResponseSerializer(ClinicSerializer):
    """The clinic after a change, with any signing secret the change made (context
    "secrets": a clinic.services.WebhookSecrets). Never the stored secrets."""

    webhook_secret = serializers.SerializerMethodField(
        help_text=(
            "The new signing secret (`whsec_...`) of `webhook_url`, shown in this response "
            "only; null when it did not change. Give it to the receiver over a safe channel."
        )
    )
    partner_webhook_secret = serializers.SerializerMethodField(
        help_text="As `webhook_secret`, for `partner_webhook_url`."
    )

    class Meta(ClinicSerializer.Meta):
        fields = [*ClinicSerializer.Meta.fields, "webhook_secret", "partner_webhook_secret"]

    @extend_schema_field(NEW_SECRET)
    def get_webhook_secret(self, clinic: Clinic) -> str | None:
        return self.context["secrets"].webhook_secret

    @extend_schema_field(NEW_SECRET)
    def get_partner_webhook_secret(self, clinic: Clinic) -> str | None:
        return self.context["secrets"].partner_webhook_secret


class ClinicUpdateSerializer(StrictSerializer[Any]):
    error_codes = ("insecure_url",)

    name = StrictCharField(max_length=200, required=False)
    timezone = TimeZoneField(required=False)
    contact_line = StrictCharField(max_length=300, required=False)
    oncall_emails = StrictListField(
        child=StrictEmailField(),
        required=False,
        max_length=20,
        help_text=(
            "Told of escalations nobody acknowledged in time, and at once of every escalation "
            "of a patient whose therapist is inactive. Cannot be emptied while such a patient "
            "exists (400)."
        ),
    )
    reminder_email_enabled = StrictBooleanField(
        required=False,
        help_text="Also email check-in reminders to patients who have an email address.",
    )
    thresholds = StrictJSONObjectField(
        required=False,
        help_text=(
            "Overrides by name (they replace the stored ones); each must lie within its "
            "bounds, else 400 naming it (attr `thresholds.<name>`). "
            f"{THRESHOLD_BOUNDS}."
        ),
    )
    webhook_url = StrictURLField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=(
            'Where escalation events go: https:// (http:// only for localhost); "" turns '
            "them off. A new endpoint gets a new signing secret, in this response only."
        ),
    )
    partner_webhook_url = StrictURLField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=("Where reminder events go (the partner app's backend), as `webhook_url`."),
    )
    rotate_webhook_secret = StrictBooleanField(
        required=False,
        help_text="true: a new signing secret for `webhook_url`, in this response only.",
    )
    rotate_partner_webhook_secret = StrictBooleanField(
        required=False,
        help_text="true: a new signing secret for `partner_webhook_url`, in this response only.",
    )

    def validate_webhook_url(self, value: str) -> str:
        return _webhook_url(value)

    def validate_partner_webhook_url(self, value: str) -> str:
        return _webhook_url(value)

    def validate_thresholds(self, value: dict[str, Any]) -> dict[str, Any]:
        try:
            return validate_overrides(value)
        except ThresholdError as exc:
            if exc.name is None:
                raise serializers.ValidationError(str(exc)) from exc
            raise serializers.ValidationError({exc.name: [str(exc)]}) from exc
