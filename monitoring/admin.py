"""Django admin for the monitoring record: read-only (entries are append-only), scoped to the
admin's clinic; the codes table is changed by data migrations, not here."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from clinic.admin import ClinicScopedAdmin
from monitoring.models import MonitoringEpisode, MonthSignOff, RtmCode, TimeEntry


class ReadOnlyAdmin(ClinicScopedAdmin):
    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MonitoringEpisode)
class MonitoringEpisodeAdmin(ReadOnlyAdmin):
    list_display = ["id", "patient_id", "started_on", "ended_on", "setup_by"]


@admin.register(TimeEntry)
class TimeEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "patient_id", "performed_on", "minutes", "activity", "staff"]
    list_filter = ["activity", "interactive"]


@admin.register(MonthSignOff)
class MonthSignOffAdmin(ReadOnlyAdmin):
    list_display = ["patient_id", "month", "signed_by", "signed_at"]


@admin.register(RtmCode)
class RtmCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "effective_from", "effective_to"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
