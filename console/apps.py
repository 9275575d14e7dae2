"""The therapist console: server-rendered pages over the apps' services and selectors."""

from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "console"
    verbose_name = "Therapist console"
