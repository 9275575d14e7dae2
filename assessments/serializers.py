"""Input and output shapes for intakes and outcome measures.

Sane ranges of the intake (a value outside is refused with 400, never clipped):
pain 0-10 (whole numbers, NPRS); weekly km 0-300; cadence 100-240 steps/min (whole);
shoe km 0-5000; years running 0-80. Numbers must arrive as JSON numbers ("7" is refused).
`assessed_at` and `recorded_at` may not lie in the future (5 minutes of clock skew allowed).
"""

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from assessments.models import Assessment, QuestionnaireResponse
from assessments.rules import scoring
from clinical.codes import Code, choices
from clinical.intake import (
    Aggravator,
    FactorCode,
    Finding,
    Location,
    RecentChange,
    Timing,
    TriageLevel,
    TriageReasonCode,
)
from clinical.measures import Instrument
from clinical.patterns import KneePattern
from clinical.programs import ProgramFocus
from clinical.symptoms import Symptom
from common.fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateTimeField,
    StrictDictField,
    StrictFloatField,
    StrictIntegerField,
    StrictListField,
)
from common.relations import ClinicScopedRelatedField
from common.serializers import StrictModelSerializer, StrictSerializer
from patients.models import Patient

TRIAGE_LEVEL_CHOICES = choices(TriageLevel)
CLOCK_SKEW = timedelta(minutes=5)
MAX_ANSWERS = 60


class NotInFuture:
    """A moment no later than now (with clock skew); `future` otherwise."""

    code = "future"

    def __call__(self, value: datetime) -> None:
        if value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError("This moment lies in the future.", code=self.code)


not_in_future = NotInFuture()


class CodeListField(StrictListField):
    """A set of codes from one vocabulary, as a list: unknown codes are refused, repeats dropped."""

    def __init__(self, vocabulary: type[Code], **kwargs: Any) -> None:
        kwargs.setdefault("child", StrictChoiceField(choices=choices(vocabulary)))
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[str]:
        values = super().to_internal_value(data)
        return list(dict.fromkeys(values))


def pain_field(help_text: str, **kwargs: Any) -> StrictIntegerField:
    return StrictIntegerField(min_value=0, max_value=10, help_text=help_text, **kwargs)


class AssessmentWriteSerializer(StrictSerializer[Any]):
    """An intake: the patient plus the fields of the intake (docs/clinical-rules.md, "Intake")."""

    patient = ClinicScopedRelatedField(
        queryset=Patient.objects.select_related("clinic"),
        help_text="Id of one of your clinic's patients; any other id is 'does not exist'.",
    )
    assessed_at = StrictDateTimeField(
        required=False,
        validators=[not_in_future],
        help_text="When the assessment took place; defaults to now. Not in the future.",
    )
    location = StrictChoiceField(choices=choices(Location))
    timing = StrictChoiceField(choices=choices(Timing))
    aggravators = CodeListField(Aggravator, required=False, default=list)
    pain_rest = pain_field("Pain at rest, NPRS 0-10.")
    pain_worst_running = pain_field("Worst pain when running, NPRS 0-10.")
    weekly_km_now = StrictFloatField(
        min_value=0, max_value=300, required=False, allow_null=True, help_text="km, 0-300."
    )
    weekly_km_4_weeks_ago = StrictFloatField(
        min_value=0, max_value=300, required=False, allow_null=True, help_text="km, 0-300."
    )
    recent_changes = CodeListField(RecentChange, required=False, default=list)
    years_running = StrictFloatField(
        min_value=0, max_value=80, required=False, allow_null=True, help_text="0-80."
    )
    cadence_spm = StrictIntegerField(
        min_value=100,
        max_value=240,
        required=False,
        allow_null=True,
        help_text="Steps per minute, 100-240.",
    )
    overstriding = StrictBooleanField(
        required=False, allow_null=True, default=None, help_text="Observed; null if not assessed."
    )
    shoe_km = StrictFloatField(
        min_value=0, max_value=5000, required=False, allow_null=True, help_text="km, 0-5000."
    )
    asymmetry = StrictBooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Left/right asymmetry observed in gait; null if not assessed.",
    )
    findings = CodeListField(Finding, required=False, default=list)
    symptoms = CodeListField(
        Symptom,
        help_text="Red-flag screen, required (an empty list says none were found).",
    )
    trauma_unable_to_bear_weight = StrictBooleanField(
        help_text="Red-flag screen, required: trauma and unable to bear weight."
    )


class TriageReasonSerializer(StrictSerializer[Any]):
    code = StrictChoiceField(choices=choices(TriageReasonCode))
    level = StrictChoiceField(
        choices=choices(TriageLevel), help_text="The level this trigger points to."
    )
    detail = StrictCharField(help_text="What a therapist reads.")


class TriageSerializer(StrictSerializer[Any]):
    level = StrictChoiceField(choices=choices(TriageLevel))
    reasons = TriageReasonSerializer(many=True)


class PatternSerializer(StrictSerializer[Any]):
    code = StrictChoiceField(choices=KneePattern.choices)
    rationale = StrictCharField()


class FactorSerializer(StrictSerializer[Any]):
    code = StrictChoiceField(choices=choices(FactorCode))
    focus = StrictChoiceField(
        choices=ProgramFocus.choices,
        help_text="The program focus it points to; never `general`.",
    )
    rationale = StrictCharField()


class AssessmentSerializer(StrictModelSerializer[Assessment]):
    """A stored intake: its fields, who recorded it, and the stored triage, patterns, factors."""

    triage = TriageSerializer(read_only=True)
    patterns = PatternSerializer(many=True, read_only=True)
    factors = FactorSerializer(many=True, read_only=True)
    aggravators = StrictListField(child=StrictCharField(), read_only=True)
    recent_changes = StrictListField(child=StrictCharField(), read_only=True)
    findings = StrictListField(child=StrictCharField(), read_only=True)
    symptoms = StrictListField(child=StrictCharField(), read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "patient",
            "created_by",
            "created_at",
            "assessed_at",
            "location",
            "timing",
            "aggravators",
            "pain_rest",
            "pain_worst_running",
            "weekly_km_now",
            "weekly_km_4_weeks_ago",
            "recent_changes",
            "years_running",
            "cadence_spm",
            "overstriding",
            "shoe_km",
            "asymmetry",
            "findings",
            "symptoms",
            "trauma_unable_to_bear_weight",
            "triage",
            "patterns",
            "factors",
        ]
        read_only_fields = fields


ANSWERS_HELP = (
    "Item code -> item score. NPRS: `pain` 0-10. LEFS: `1`-`20`, 0 (extreme difficulty) to 4 "
    "(no difficulty). KOOS: `S1`-`S7`, `P1`-`P9`, `A1`-`A17`, `SP1`-`SP5`, `Q1`-`Q4`, 0 (no "
    "problems) to 4 (extreme), as the KOOS scoring sheet assigns them. KOOS-PF: `1`-`11`, 0 to "
    "4. Unanswered items are left out."
)


INSTRUMENT_CHOICES = choices(Instrument)
APP_INSTRUMENT_CHOICES = choices((Instrument.LEFS, Instrument.KOOS, Instrument.KOOS_PF))


class QuestionnaireWriteSerializer(StrictSerializer[Any]):
    error_codes = ("empty", "max_length", "invalid_item")
    instrument = StrictChoiceField(choices=INSTRUMENT_CHOICES)
    answers = StrictDictField(
        child=StrictIntegerField(min_value=0, max_value=10), help_text=ANSWERS_HELP
    )
    recorded_at = StrictDateTimeField(
        required=False,
        validators=[not_in_future],
        help_text="When it was filled in; defaults to now. Not in the future.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        answers = attrs["answers"]
        if not answers:
            raise serializers.ValidationError(
                {"answers": "Answer at least one item."}, code="empty"
            )
        if len(answers) > MAX_ANSWERS:
            raise serializers.ValidationError({"answers": "Too many items."}, code="max_length")
        errors = scoring.answer_errors(attrs["instrument"], answers)
        if errors:
            raise serializers.ValidationError(
                {"answers": {item: [message] for item, message in errors.items()}},
                code="invalid_item",
            )
        return attrs


class AppQuestionnaireWriteSerializer(QuestionnaireWriteSerializer):
    instrument = StrictChoiceField(
        choices=APP_INSTRUMENT_CHOICES,
        help_text="LEFS, KOOS or KOOS-PF; pain (NPRS) comes in with check-ins.",
    )


class QuestionnaireResponseSerializer(StrictModelSerializer[QuestionnaireResponse]):
    """A stored response with its scores and, for later responses, the change from the first."""

    answers = StrictDictField(child=StrictIntegerField(), read_only=True)
    scores = StrictDictField(
        child=StrictFloatField(allow_null=True),
        read_only=True,
        help_text=(
            "`total` for NPRS, LEFS and KOOS-PF; `pain`, `symptoms`, `adl`, `sport_rec`, `qol` "
            "for KOOS; null where too few items were answered. NPRS and LEFS are whole points "
            "(a LEFS with 1-4 items missing counts each at the mean of the answered ones and is "
            "rounded to the nearest point, a half up); KOOS and KOOS-PF 0-100 to one decimal."
        ),
    )
    compared_to = serializers.SerializerMethodField(
        help_text="Id of the patient's first response of this instrument; null on the first."
    )
    change = serializers.SerializerMethodField(
        help_text="Per score (per subscale for KOOS), this minus the first response (signed); "
        "null on the first."
    )
    mcid_met = serializers.SerializerMethodField(
        help_text=(
            "Whether the change is an improvement of at least the MCID (NPRS: 2 points lower; "
            "LEFS: 9 points higher); null on the first, where a score is missing, and for KOOS "
            "and KOOS-PF, which have no MCID here."
        )
    )

    class Meta:
        model = QuestionnaireResponse
        fields = [
            "id",
            "patient",
            "instrument",
            "answers",
            "recorded_at",
            "source",
            "recorded_by",
            "created_at",
            "scores",
            "compared_to",
            "change",
            "mcid_met",
        ]
        read_only_fields = fields

    def _comparison(self, obj: QuestionnaireResponse) -> scoring.Comparison | None:
        first_id = getattr(obj, "first_id", None)
        if first_id is None or first_id == obj.pk:
            return None
        return scoring.compare(obj.instrument, obj.first_scores, obj.scores)  # type: ignore[attr-defined]

    def get_compared_to(self, obj: QuestionnaireResponse) -> int | None:
        first_id = getattr(obj, "first_id", None)
        return None if first_id is None or first_id == obj.pk else int(first_id)

    def get_change(self, obj: QuestionnaireResponse) -> dict[str, float | None] | None:
        comparison = self._comparison(obj)
        return comparison.change if comparison is not None else None

    def get_mcid_met(self, obj: QuestionnaireResponse) -> bool | None:
        comparison = self._comparison(obj)
        return comparison.mcid_met if comparison is not None else None


class AppQuestionnaireResponseSerializer(QuestionnaireResponseSerializer):
    """The patient's view of their own response: who on the staff entered it is left out."""

    class Meta(QuestionnaireResponseSerializer.Meta):
        fields = [f for f in QuestionnaireResponseSerializer.Meta.fields if f != "recorded_by"]
        read_only_fields = fields
