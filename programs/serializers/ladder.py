"""A patient's place on the run ladder, its events, and the therapist's changes to it."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from clinical.ladder import LadderAction, PauseReason
from common.fields import (
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictDictField,
    StrictIntegerField,
    StrictListField,
)
from common.relations import ClinicScopedRelatedField
from common.serializers import StrictModelSerializer, StrictSerializer
from programs.models import (
    LADDER_LEVELS_MAX,
    LadderEvent,
    LadderEventKind,
    PatientLadder,
    RunLadder,
    RunLadderLevel,
)
from programs.serializers.library import RunLadderLevelSerializer

# --- A patient's ladder --------------------------------------------------------------------


class LadderEventSerializer(StrictModelSerializer[LadderEvent]):
    kind = StrictChoiceField(choices=LadderEventKind.choices, read_only=True)
    action = StrictChoiceField(choices=LadderAction.choices, allow_blank=True, read_only=True)
    reasons = StrictListField(child=StrictDictField(), read_only=True)

    class Meta:
        model = LadderEvent
        fields = [
            "id",
            "kind",
            "action",
            "day",
            "recorded_at",
            "level_before",
            "level_after",
            "target_minutes_after",
            "completions_after",
            "run_minutes",
            "settled",
            "counted",
            "reasons",
            "check_in_id",
            "by",
        ]
        read_only_fields = fields


class PatientLadderSerializer(StrictModelSerializer[PatientLadder]):
    """Where the patient is on their ladder; `recent_events` only on the detail."""

    run_ladder = serializers.SerializerMethodField()
    session = serializers.SerializerMethodField()
    levels_total = serializers.SerializerMethodField()
    completions_to_progress = serializers.SerializerMethodField()
    pause_reason = StrictChoiceField(choices=PauseReason.choices, allow_blank=True, read_only=True)
    awaiting_morning_after = serializers.SerializerMethodField(
        help_text="The day of the last run whose next-morning pain is not known yet."
    )
    recent_events = serializers.SerializerMethodField()

    class Meta:
        model = PatientLadder
        fields = [
            "patient",
            "run_ladder",
            "level",
            "levels_total",
            "session",
            "target_minutes",
            "completions",
            "completions_to_progress",
            "paused",
            "pause_reason",
            "pause_note",
            "paused_at",
            "awaiting_morning_after",
            "started_at",
            "updated_at",
            "recent_events",
        ]
        read_only_fields = fields

    @extend_schema_field(StrictDictField(help_text="`{id, name}` of the ladder the patient is on."))
    def get_run_ladder(self, obj: PatientLadder) -> dict[str, Any]:
        return {"id": obj.ladder_id, "name": obj.ladder.name}

    def _levels(self, obj: PatientLadder) -> list[RunLadderLevel]:
        return sorted(obj.ladder.levels.all(), key=lambda level: level.number)

    @extend_schema_field(RunLadderLevelSerializer(allow_null=True))
    def get_session(self, obj: PatientLadder) -> dict[str, Any] | None:
        levels = self._levels(obj)
        if not levels:
            return None
        return dict(RunLadderLevelSerializer(levels[min(obj.level, len(levels)) - 1]).data)

    def get_levels_total(self, obj: PatientLadder) -> int:
        return len(self._levels(obj))

    def get_completions_to_progress(self, obj: PatientLadder) -> int:
        thresholds = self.context["thresholds"]
        return int(thresholds.ladder_completions_to_progress)

    @extend_schema_field(StrictDateField(allow_null=True))
    def get_awaiting_morning_after(self, obj: PatientLadder) -> str | None:
        run = obj.pending_run
        return run.day.isoformat() if run is not None else None

    @extend_schema_field(LadderEventSerializer(many=True))
    def get_recent_events(self, obj: PatientLadder) -> list[dict[str, Any]]:
        events = self.context.get("recent_events", [])
        return [dict(item) for item in LadderEventSerializer(events, many=True).data]


class LadderStartSerializer(StrictSerializer[Any]):
    run_ladder = ClinicScopedRelatedField(
        queryset=RunLadder.objects.all(),
        shared=True,
        required=False,
        help_text="Ladder id; the shipped default ladder when left out.",
    )
    level = StrictIntegerField(min_value=1, max_value=LADDER_LEVELS_MAX, required=False, default=1)


class LadderSetLevelSerializer(StrictSerializer[Any]):
    level = StrictIntegerField(min_value=1, max_value=LADDER_LEVELS_MAX)
    run_ladder = ClinicScopedRelatedField(
        queryset=RunLadder.objects.all(),
        shared=True,
        required=False,
        help_text="Move to this ladder too.",
    )
    note = StrictCharField(
        max_length=200,
        help_text="Why the level changes: a therapist's change is recorded with who and why.",
    )


class LadderNoteSerializer(StrictSerializer[Any]):
    note = StrictCharField(max_length=200, required=False, allow_blank=True)
