"""Django app config for programs."""

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "Programs and run ladder"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from programs.models import (
            Exercise,
            PatientLadder,
            PatientProgram,
            ProgramTemplate,
            RunLadder,
        )

        # A prescription's exercises never change: a new prescription is a new program
        # version (the old one kept), so the versions are the history of what was prescribed.
        auditlog.register(Exercise, exclude_fields=["updated_at"])
        auditlog.register(ProgramTemplate)
        auditlog.register(RunLadder)
        auditlog.register(PatientProgram)
        auditlog.register(PatientLadder, exclude_fields=["updated_at"])
