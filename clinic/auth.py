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
from common.api import error_body


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


LOGIN_IDENTIFIER_FIELDS = ("email", "username")


def login_identifier(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The account a sign-in attempt names, for django-axes (AXES_USERNAME_CALLABLE).

    The API's sign-in sends `email`; the Django admin's form (and any form built on Django's
    AuthenticationForm) posts `username`. Either is read, from the credentials handed to
    `authenticate` or, failing those, from the posted form, and normalised as accounts are
    stored (trimmed, lower case), so `Alice@A.test` and `alice@a.test` count as one account.
    """
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for field in LOGIN_IDENTIFIER_FIELDS:
            value = source.get(field)
            if isinstance(value, str) and value.strip():
                return value.strip().lower()
    return None


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """What django-axes answers once an account is locked out for an address after repeated
    failures: the API's 429 in the one error shape, for the admin's form as for the API."""
    body = error_body(
        "client_error", "locked_out", "Too many failed sign-in attempts. Try again later."
    )
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response
