"""OpenAPI generation: the standardized error responses, and tags by audience."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_standardized_errors.openapi import AutoSchema


class StrideAutoSchema(AutoSchema):
    """Tags operations by audience: everything under /api/v1/app/ is the partner app's."""

    def get_tags(self) -> list[str]:
        tags = getattr(self.view, "schema_tags", None)
        if tags:
            return list(tags)
        if self.path.startswith("/api/v1/app/"):
            return ["partner-app"]
        return list(super().get_tags())


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = "clinic.auth.StaffTokenAuthentication"
    name = "staffToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Staff token from `POST /api/v1/auth/login/`.",
        }


class PatientTokenScheme(OpenApiAuthenticationExtension):
    target_class = "patients.auth.PatientTokenAuthentication"
    name = "patientToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Patient token (`stp_...`) from `POST /api/v1/app/enroll/`.",
        }
