"""Django app config for remote therapeutic monitoring (RTM) records."""

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Remote monitoring record"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from monitoring.models import MonitoringEpisode, MonthSignOff, TimeEntry

        auditlog.register(MonitoringEpisode)
        auditlog.register(TimeEntry)
        auditlog.register(MonthSignOff)
