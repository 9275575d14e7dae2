"""The project's own app config: project-wide API conventions installed at start-up."""

from django.apps import AppConfig


class StrideConfig(AppConfig):
    name = "config"
    label = "stride_config"
    verbose_name = "Stride"

    def ready(self) -> None:
        from config import strict_types

        strict_types.install()
