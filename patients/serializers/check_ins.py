"""Input and output shapes for check-ins (the partner-app contract) and escalations."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinical.advice import AdviceLevel
from clinical.escalations import CHECK_IN_RULE_CHOICES
from clinical.symptoms import Symptom, SymptomGroup
from common.fields import (
    AwareDateTimeField,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictFloatField,
    StrictIntegerField,
    StrictListField,
)
from common.serializers import StrictModelSerializer, StrictSerializer
from patients.models import CheckIn, Escalation, EscalationEvidence

RUN_FIELDS = ("run_minutes", "run_km", "pain_during_run", "pain_after_run")

# Named once in the schema (ENUM_NAME_OVERRIDES): SymptomsEnum, SymptomGroupEnum, AdviceLevelEnum.
SYMPTOM_CHOICES = Symptom.choices
SYMPTOM_GROUP_CHOICES = SymptomGroup.choices
ADVICE_LEVEL_CHOICES = AdviceLevel.choices


def _pain(**kwargs: Any) -> StrictIntegerField:
    kwargs.setdefault("help_text", "NPRS 0-10, a whole number.")
    return StrictIntegerField(min_value=0, max_value=10, **kwargs)


class CheckInInputSerializer(StrictSerializer[Any]):
    """A check-in as the partner app sends it. Unknown fields are refused."""

    recorded_at = AwareDateTimeField(
        help_text="When the patient filled it in, ISO 8601 with its UTC offset; at most 5 "
        "minutes ahead of the server and at most 14 days old."
    )
    pain_rest = _pain(help_text="Pain now, at rest (NPRS 0-10).")
    pain_morning = _pain(
        required=False, allow_null=True, help_text="Pain or stiffness on waking (NPRS 0-10)."
    )
    ran = StrictBooleanField(
        required=False, default=False, help_text="Whether this check-in reports a run."
    )
    run_minutes = StrictIntegerField(min_value=1, max_value=600, required=False, allow_null=True)
    run_km = StrictFloatField(min_value=0.1, max_value=100, required=False, allow_null=True)
    pain_during_run = _pain(
        required=False, allow_null=True, help_text="Worst pain during the run; required when `ran`."
    )
    pain_after_run = _pain(
        required=False, allow_null=True, help_text="Pain after the run; required when `ran`."
    )
    pain_worsened_during_run = StrictBooleanField(
        required=False,
        default=False,
        help_text="Pain appeared during the run and kept getting worse as it went on.",
    )
    symptoms = StrictListField(
        child=StrictChoiceField(choices=SYMPTOM_CHOICES),
        required=False,
        default=list,
        max_length=len(Symptom),
        help_text=(
            "Symptom codes from the symptom list (`GET /api/v1/app/symptoms/`), "
            "e.g. `swelling`, `giving_way`."
        ),
    )
    exercises_completed = StrictListField(
        child=StrictIntegerField(min_value=1),
        required=False,
        default=list,
        max_length=100,
        help_text="Ids of prescribed exercises of the patient's active program done today.",
    )
    note = StrictCharField(required=False, allow_blank=True, max_length=2000, default="")

    def validate_recorded_at(self, value: Any) -> Any:
        now = timezone.now()
        if value > now + timedelta(minutes=settings.STRIDE_CHECK_IN_MAX_FUTURE_MINUTES):
            raise serializers.ValidationError("This time is in the future.")
        if value < now - timedelta(days=settings.STRIDE_CHECK_IN_MAX_AGE_DAYS):
            raise serializers.ValidationError("Check-ins older than 14 days are not accepted.")
        return value

    def validate_symptoms(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    def validate_exercises_completed(self, value: list[int]) -> list[int]:
        if not value:
            return []  # nothing to check: the program is not read
        # A set, or a function giving it (read only when there is something to check).
        allowed = self.context["allowed_exercise_ids"]
        if callable(allowed):
            allowed = allowed()
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise serializers.ValidationError(
                f"Not in your active program: {', '.join(map(str, unknown))}."
            )
        return sorted(set(value))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, dict):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is not part of a check-in."] for name in unknown}
                )
        errors: dict[str, list[str]] = {}
        if attrs.get("ran"):
            for name in ("pain_during_run", "pain_after_run"):
                if attrs.get(name) is None:
                    errors[name] = ["Required when `ran` is true."]
        else:
            for name in (*RUN_FIELDS, "pain_worsened_during_run"):
                if attrs.get(name) not in (None, False):
                    errors[name] = ["Only with `ran` true."]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class AdviceSerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=ADVICE_LEVEL_CHOICES)
    message = serializers.CharField()
    rules = serializers.ListField(
        child=serializers.ChoiceField(choices=CHECK_IN_RULE_CHOICES),
        help_text="The check-in rules that fired, in the order of the check-in rules table.",
    )


class CheckInSerializer(StrictModelSerializer[CheckIn]):
    run_km = serializers.FloatField(allow_null=True, read_only=True)
    symptoms = serializers.ListField(
        child=serializers.ChoiceField(choices=SYMPTOM_CHOICES), read_only=True
    )
    exercises_completed = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    advice = serializers.SerializerMethodField()

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "patient",
            "recorded_at",
            "received_at",
            "pain_rest",
            "pain_morning",
            "ran",
            "run_minutes",
            "run_km",
            "pain_during_run",
            "pain_after_run",
            "pain_worsened_during_run",
            "symptoms",
            "exercises_completed",
            "note",
            "peak_pain",
            "advice",
        ]
        read_only_fields = fields

    @extend_schema_field(AdviceSerializer)
    def get_advice(self, check_in: CheckIn) -> dict[str, Any]:
        return {
            "level": check_in.advice_level,
            "message": check_in.advice_message,
            "rules": check_in.advice_rules,
        }


class SymptomAdviceSerializer(serializers.Serializer[Any]):
    symptom = serializers.ChoiceField(choices=SYMPTOM_CHOICES, help_text="The symptom's code.")
    group = serializers.ChoiceField(
        choices=SYMPTOM_GROUP_CHOICES, help_text="Its group in the symptom list."
    )
    advice_level = serializers.ChoiceField(
        choices=ADVICE_LEVEL_CHOICES,
        help_text="The advice a check-in reporting this symptom gets, whatever its pain.",
    )


class AdviceTextSerializer(serializers.Serializer[Any]):
    level = serializers.ChoiceField(choices=ADVICE_LEVEL_CHOICES)
    message = serializers.CharField(
        help_text="The message a check-in's `advice.message` carries at this level, word for word."
    )


class AppSymptomsSerializer(serializers.Serializer[Any]):
    symptoms = SymptomAdviceSerializer(
        many=True, help_text="Every symptom a check-in may report, in the order of the list."
    )
    advice = AdviceTextSerializer(
        many=True,
        help_text="One message per advice level, lowest first: `continue`, `reduce`, "
        "`stop_and_contact`, `seek_urgent_care`.",
    )


class EvidenceSerializer(StrictModelSerializer[EscalationEvidence]):
    check_in = serializers.IntegerField(source="check_in_id", read_only=True, allow_null=True)
    rationale = serializers.CharField(
        read_only=True,
        help_text="One line a therapist can read, e.g. `pain 7 vs baseline 3 (+4, MCID 2)`; a "
        "late check-in's ends with `(recorded 5 h before it arrived)`.",
    )
    recorded_at = serializers.DateTimeField(
        read_only=True,
        help_text="When the check-in was filled in on the patient's device (for an intake or "
        "a daily rule, when this evidence was written).",
    )
    received_at = serializers.DateTimeField(
        read_only=True, help_text="When the server received it."
    )
    late = serializers.BooleanField(
        read_only=True,
        help_text="Received more than 1 hour after it was recorded (sent from offline): the "
        "patient may already have acted on the advice the app showed.",
    )

    class Meta:
        model = EscalationEvidence
        fields = [
            "check_in",
            "assessment_id",
            "severity",
            "values",
            "rationale",
            "recorded_at",
            "received_at",
            "late",
        ]
        read_only_fields = fields


class EscalationSerializer(StrictModelSerializer[Escalation]):
    evidence = EvidenceSerializer(many=True, read_only=True)
    opened_at = serializers.DateTimeField(
        read_only=True, help_text="When the server opened it (not when a check-in was recorded)."
    )
    upgraded_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When its severity last rose (null if never): an upgrade re-opens an "
        "acknowledged escalation and restarts the acknowledgement deadline from this moment.",
    )
    acknowledge_by = serializers.DateTimeField(
        read_only=True,
        help_text="The acknowledgement deadline: critical 15 min, high 4 h, moderate 48 h, low "
        "7 days by default, from `upgraded_at` if set, else from `opened_at`.",
    )

    class Meta:
        model = Escalation
        fields = [
            "id",
            "patient",
            "code",
            "severity",
            "status",
            "opened_at",
            "upgraded_at",
            "acknowledge_by",
            "occurrences",
            "evidence",
            "acknowledged_at",
            "acknowledged_by",
            "resolved_at",
            "resolved_by",
            "resolution_note",
        ]
        read_only_fields = fields


class EscalationResolveSerializer(StrictSerializer[Any]):
    note = StrictCharField(max_length=2000, help_text="What was done; required.")
