"""Partner-app auth: patient bearer tokens (stored as SHA-256 digests, expiring)."""

import functools
import hashlib
import secrets
from typing import Any

from django.utils import timezone
from rest_framework import authentication, exceptions, permissions
from rest_framework.request import Request
from rest_framework.views import APIView

from clinic.models import Clinic
from common.db import select_rows
from patients.models import Patient, PatientStatus, PatientToken

TOKEN_PREFIX = "stp_"  # noqa: S105 - a public prefix, not a secret

# Why a patient token no longer opens the app (401 `code`), beside DRF's own
# `authentication_failed` (unknown or expired) and `not_authenticated` (no token).
PATIENT_DISCHARGED = "patient_discharged"
TOKEN_REVOKED = "token_revoked"  # noqa: S105 - an error code, not a secret
APP_401_CODES = [
    ("authentication_failed", "Authentication Failed"),
    ("not_authenticated", "Not Authenticated"),
    (PATIENT_DISCHARGED, "Patient Discharged"),
    (TOKEN_REVOKED, "Token Revoked"),
]


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


@functools.cache
def _token_sql() -> str:
    token, patient, clinic = PatientToken._meta, Patient._meta, Clinic._meta
    columns = ", ".join(
        f'{alias}."{field.column}"'
        for alias, meta in (("t", token), ("p", patient), ("c", clinic))
        for field in meta.concrete_fields
    )
    # Table and column names come from the models; the digest is a parameter.
    return (
        f"SELECT {columns} "  # noqa: S608
        f'FROM "{token.db_table}" t '
        f'INNER JOIN "{patient.db_table}" p ON p."id" = t."patient_id" '
        f'INNER JOIN "{clinic.db_table}" c ON c."id" = p."clinic_id" '
        'WHERE t."digest" = %s'
    )


def token_with_patient(*, digest: str) -> PatientToken | None:
    """The token with this digest, its patient and the patient's clinic (as
    `select_related("patient", "patient__clinic")` reads them), or None. One statement written
    once per process: every request of the partner app reads it, and the ORM took longer to
    build and compile the three-table join than the database to answer it."""
    token_fields = PatientToken._meta.concrete_fields
    patient_fields = Patient._meta.concrete_fields
    clinic_fields = Clinic._meta.concrete_fields
    using = PatientToken.objects.db
    rows = select_rows(
        _token_sql(), [digest], [*token_fields, *patient_fields, *clinic_fields], using=using
    )
    if not rows:
        return None
    values = rows[0]
    split = (len(token_fields), len(token_fields) + len(patient_fields))

    def names(fields: Any) -> list[str]:
        return [field.attname for field in fields]

    token = PatientToken.from_db(using, names(token_fields), values[: split[0]])
    patient = Patient.from_db(using, names(patient_fields), values[split[0] : split[1]])
    patient.clinic = Clinic.from_db(using, names(clinic_fields), values[split[1] :])
    token.patient = patient
    return token


class PatientTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer stp_...`: the request's user is the Patient.

    A token ends when it expires, when the patient enrolls another device (the older devices'
    tokens are revoked: `token_revoked`) and when the patient is discharged (every token is
    revoked: `patient_discharged`, also for a token a discharge somehow left unrevoked).
    """

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
        row = token_with_patient(digest=token_digest(token))
        if row is None or row.expires_at <= timezone.now():
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        if row.patient.status == PatientStatus.DISCHARGED:
            raise exceptions.AuthenticationFailed(
                "You have been discharged; this app is no longer connected to your clinic.",
                code=PATIENT_DISCHARGED,
            )
        if row.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                "This device was signed out: the app was enrolled again. Ask your clinic "
                "for a new code to use it here.",
                code=TOKEN_REVOKED,
            )
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
