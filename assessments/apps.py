"""Django app config for assessments."""

from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
