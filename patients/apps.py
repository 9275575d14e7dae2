"""Django app config for patients."""

from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from patients.models import Escalation, Patient

        auditlog.register(Patient, exclude_fields=["updated_at"])
        auditlog.register(Escalation)

        # The texts of the patients app's emails (escalations, reminders).
        import patients.notifications  # noqa: F401
