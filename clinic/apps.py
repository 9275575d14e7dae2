"""Django app config for clinics and staff."""

from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "clinic"
    verbose_name = "Clinics and staff"
