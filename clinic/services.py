"""Writes for clinics and staff: creation, updates, sign-in tokens, the audit trail."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from knox.models import AuthToken

from clinic.models import AuditEvent, Clinic, StaffRole, StaffUser
from clinic.thresholds import validate_overrides
from config.middleware import request_id_var


def audit_record_many(
    *,
    actor: StaffUser,
    action: str,
    object_type: str,
    objects: Sequence[tuple[int | None, str]],
    ip_address: str | None,
) -> None:
    """Write one audit event per (patient id, object id) in a single INSERT."""
    if not objects or actor.clinic_id is None:
        return
    request_id = request_id_var.get()
    AuditEvent.objects.bulk_create(
        AuditEvent(
            clinic_id=actor.clinic_id,
            actor=actor,
            action=action,
            patient_id=patient_id,
            object_type=object_type,
            object_id=object_id,
            ip_address=ip_address,
            request_id="" if request_id == "-" else request_id,
        )
        for patient_id, object_id in objects
    )


@transaction.atomic
def clinic_create(
    *,
    name: str,
    admin_email: str,
    admin_password: str,
    timezone: str = "UTC",
    contact_line: str = "",
) -> tuple[Clinic, StaffUser]:
    clinic = Clinic(
        name=name,
        timezone=timezone,
        contact_line=contact_line or f"Questions? Contact {name}.",
    )
    clinic.full_clean()
    clinic.save()
    admin = staff_create(
        clinic=clinic,
        email=admin_email,
        password=admin_password,
        role=StaffRole.ADMIN,
        is_staff=True,
    )
    return clinic, admin


def clinic_update(*, clinic: Clinic, data: dict[str, Any]) -> Clinic:
    if "thresholds" in data:
        data = {**data, "thresholds": validate_overrides(data["thresholds"])}
    for field, value in data.items():
        setattr(clinic, field, value)
    clinic.full_clean()
    clinic.save(update_fields=list(data))
    return clinic


def staff_create(
    *,
    clinic: Clinic,
    email: str,
    password: str,
    role: str = StaffRole.THERAPIST,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
) -> StaffUser:
    user = StaffUser(
        clinic=clinic,
        email=email.strip().lower(),
        role=role,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff or role == StaffRole.ADMIN,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


def staff_add(
    *,
    clinic: Clinic,
    email: str,
    password: str,
    role: str = StaffRole.THERAPIST,
    first_name: str = "",
    last_name: str = "",
) -> StaffUser:
    """An admin adds a staff member to their clinic (`POST /api/v1/staff/`).

    An address that already has an account at another clinic is not added, and the answer does
    not say so: it is built as for a new account (a fresh id, the fields as given, the password
    hashed all the same), so the caller cannot tell another clinic's account from a new one.
    No second account is made and the existing one is not touched (docs/security.md).
    """
    email = email.strip().lower()
    if not StaffUser.objects.filter(email=email).exclude(clinic=clinic).exists():
        return staff_create(
            clinic=clinic,
            email=email,
            password=password,
            role=role,
            first_name=first_name,
            last_name=last_name,
        )
    stand_in = StaffUser(
        clinic=clinic,
        email=email,
        role=role,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == StaffRole.ADMIN,
        created_at=timezone.now(),
    )
    validate_password(password, stand_in)
    stand_in.password = make_password(password)  # the same work as a real account's
    stand_in.pk = _staff_id_draw()
    return stand_in


def _staff_id_draw() -> int:
    """An id as the next new staff account would get it (PostgreSQL: drawn from the sequence,
    so the next real account's id is not a giveaway)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [StaffUser._meta.db_table]
            )
            return int(cursor.fetchone()[0])
    latest = StaffUser.objects.aggregate(latest=Max("id"))["latest"]
    return int(latest or 0) + 1


class StaffStateError(Exception):
    """The change would leave the clinic without the admin making it (409)."""


@transaction.atomic
def staff_update(
    *, staff: StaffUser, data: dict[str, Any], by: StaffUser | None = None
) -> StaffUser:
    """Change a staff member; an admin cannot deactivate or demote themselves (`by`): another
    admin must, so a clinic is never left locked out of its own settings by a slip."""
    if by is not None and by.pk == staff.pk:
        if data.get("is_active") is False:
            raise StaffStateError("You cannot deactivate yourself; ask another admin.")
        if data.get("role", staff.role) != staff.role:
            raise StaffStateError("You cannot change your own role; ask another admin.")
    for field, value in data.items():
        setattr(staff, field, value)
    if "role" in data:
        staff.is_staff = staff.role == StaffRole.ADMIN
        data = {**data, "is_staff": staff.is_staff}
    staff.save(update_fields=list(data))
    if data.get("is_active") is False:
        AuthToken.objects.filter(user=staff).delete()
    return staff


def staff_token_create(*, staff: StaffUser) -> tuple[str, datetime | None]:
    """Issue a staff bearer token: returns the token (shown once) and when it expires."""
    instance, token = AuthToken.objects.create(user=staff)
    return token, instance.expiry


def staff_token_revoke(*, token: AuthToken) -> None:
    token.delete()
