"""Staff bearer tokens (knox: hashed, expiring) and the login-lockout response."""

import contextlib
from typing import Any

from auditlog.context import auditlog_value
from django.conf import settings
from django.http import HttpRequest, JsonResponse
from knox.auth import TokenAuthentication
from rest_framework import exceptions
from rest_framework.request import Request

from clinic.models import StaffUser
from config.api import error_body


def _bind_change_history_actor(user: StaffUser) -> None:
    """Name the staff member in django-auditlog's change history.

    AuditlogMiddleware reads `request.user` before DRF has authenticated the bearer token, so
    it would record changes as anonymous; the context it opened is updated here instead.
    """
    with contextlib.suppress(LookupError):  # outside a request there is nothing to bind
        auditlog_value.get()["actor"] = user


class StaffTokenAuthentication(TokenAuthentication):
    """Knox token auth for staff of a clinic: platform superusers without a clinic are refused."""

    def authenticate(self, request: Request) -> tuple[StaffUser, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            _bind_change_history_actor(result[0])
        return result

    def authenticate_credentials(self, token: bytes) -> tuple[StaffUser, Any]:
        user, auth_token = super().authenticate_credentials(token)
        if user.clinic_id is None:
            raise exceptions.AuthenticationFailed("This account belongs to no clinic.")
        return user, auth_token


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """What django-axes answers once an email is locked out after repeated failures."""
    body = error_body(
        "client_error", "locked_out", "Too many failed sign-in attempts. Try again later."
    )
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
