"""The shared app: project-wide API conventions installed at start-up."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "common"
    label = "common"
    verbose_name = "Stride"

    def ready(self) -> None:
        from common import strict_types

        strict_types.install()
