"""Partner-app auth: patient bearer tokens (stored as SHA-256 digests, expiring)."""

import hashlib
import secrets

from django.utils import timezone
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from patients.models import Patient, PatientToken

TOKEN_PREFIX = "stp_"  # noqa: S105 - a public prefix, not a secret


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class PatientTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer stp_...`: the request's user is the Patient."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Patient, PatientToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header.")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed("Invalid token header.") from exc
        if not token.startswith(TOKEN_PREFIX):
            raise exceptions.AuthenticationFailed("Invalid token.")
        row = (
            PatientToken.objects.select_related("patient", "patient__clinic")
            .filter(
                digest=token_digest(token), revoked_at__isnull=True, expires_at__gt=timezone.now()
            )
            .first()
        )
        if row is None:
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        return row.patient, row

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class IsPatient(permissions.BasePermission):
    def has_permission(self, request: Request, view: APIView) -> bool:
        return isinstance(request.user, Patient)


class PatientAppView(APIView):
    """Base for partner-app views: patient token only, and only the caller's own rows."""

    authentication_classes = [PatientTokenAuthentication]
    permission_classes = [IsPatient]

    @property
    def patient(self) -> Patient:
        user = self.request.user
        assert isinstance(user, Patient)
        return user
