"""Django admin for the programs app, scoped to the admin's clinic (shipped rows: superusers)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from clinic.admin import ClinicScopedAdmin
from programs.models import (
    DOSED_ITEM_FIELDS,
    Exercise,
    ExerciseFocus,
    LadderEvent,
    PatientLadder,
    PatientProgram,
    ProgramExercise,
    ProgramTemplate,
    RunLadder,
    RunLadderLevel,
    TemplateExercise,
    TemplateFocus,
)


class ExerciseFocusInline(admin.TabularInline):
    model = ExerciseFocus
    extra = 0


@admin.register(Exercise)
class ExerciseAdmin(ClinicScopedAdmin):
    list_display = ["name", "code", "region", "kind", "is_active", "clinic"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "code"]
    inlines = [ExerciseFocusInline]
    exclude = ["created_by"]


class TemplateFocusInline(admin.TabularInline):
    model = TemplateFocus
    extra = 0


class TemplateExerciseInline(admin.TabularInline):
    model = TemplateExercise
    extra = 0
    raw_id_fields = ["exercise"]


@admin.register(ProgramTemplate)
class ProgramTemplateAdmin(ClinicScopedAdmin):
    list_display = ["name", "code", "pattern", "clinic"]
    search_fields = ["name", "code"]
    inlines = [TemplateFocusInline, TemplateExerciseInline]
    exclude = ["created_by"]


class RunLadderLevelInline(admin.TabularInline):
    model = RunLadderLevel
    extra = 0


@admin.register(RunLadder)
class RunLadderAdmin(ClinicScopedAdmin):
    list_display = ["name", "code", "clinic"]
    inlines = [RunLadderLevelInline]
    exclude = ["created_by"]


class ProgramExerciseInline(admin.TabularInline):
    model = ProgramExercise
    extra = 0
    can_delete = False
    readonly_fields = list(DOSED_ITEM_FIELDS)
    exclude = ["clinic"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ClinicScopedAdmin):
    """Programs and ladder state change only through the API's services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PatientProgram)
class PatientProgramAdmin(ReadOnlyAdmin):
    list_display = ["patient", "version", "is_active", "start_date", "created_at"]
    list_filter = ["is_active"]
    inlines = [ProgramExerciseInline]


@admin.register(PatientLadder)
class PatientLadderAdmin(ReadOnlyAdmin):
    list_display = ["patient", "ladder", "level", "completions", "paused", "updated_at"]
    list_filter = ["paused"]


@admin.register(LadderEvent)
class LadderEventAdmin(ReadOnlyAdmin):
    list_display = ["patient", "kind", "action", "day", "level_before", "level_after"]
    list_filter = ["kind", "action"]
