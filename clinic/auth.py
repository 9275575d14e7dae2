"""Staff bearer tokens (knox: hashed, expiring) and the login-lockout response."""

from typing import Any

from django.http import HttpRequest, JsonResponse
from knox.auth import TokenAuthentication
from rest_framework import exceptions

from clinic.models import StaffUser


class StaffTokenAuthentication(TokenAuthentication):
    """Knox token auth for staff of a clinic: platform superusers without a clinic are refused."""

    def authenticate_credentials(self, token: bytes) -> tuple[StaffUser, Any]:
        user, auth_token = super().authenticate_credentials(token)
        if user.clinic_id is None:
            raise exceptions.AuthenticationFailed("This account belongs to no clinic.")
        return user, auth_token


def lockout_response(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """What django-axes answers once an email is locked out after repeated failures."""
    body = {
        "type": "client_error",
        "errors": [
            {
                "code": "locked_out",
                "detail": "Too many failed sign-in attempts. Try again later.",
                "attr": None,
            }
        ],
    }
    return JsonResponse(body, status=429)
