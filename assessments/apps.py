"""Django app config for assessments."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Assessments and outcome measures"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from assessments.models import Assessment, QuestionnaireResponse

        auditlog.register(Assessment)
        auditlog.register(QuestionnaireResponse)
