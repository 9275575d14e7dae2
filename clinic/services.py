"""Writes for clinics and staff: creation, updates, sign-in tokens, the audit trail."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from knox.models import AuthToken

from clinic.models import AuditEvent, Clinic, StaffRole, StaffUser
from clinic.notifications.signing import webhook_secret_generate
from clinic.notifications.webhook import webhook_url_problem
from clinical.thresholds import validate_overrides
from common.db import insert_rows
from common.middleware import request_id_var

AUDIT_FIELDS = (
    "clinic_id",
    "actor_id",
    "action",
    "patient_id",
    "object_type",
    "object_id",
    "ip_address",
    "request_id",
    "created_at",
)


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
    now = timezone.now()
    insert_rows(
        AuditEvent,
        [
            {
                "clinic_id": actor.clinic_id,
                "actor_id": actor.pk,
                "action": action,
                "patient_id": patient_id,
                "object_type": object_type,
                "object_id": object_id,
                "ip_address": ip_address,
                "request_id": "" if request_id == "-" else request_id,
                "created_at": now,
            }
            for patient_id, object_id in objects
        ],
        fields=AUDIT_FIELDS,
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


class ClinicSettingsError(Exception):
    """A setting would leave an escalation with nobody to tell (400 naming `attr`)."""

    def __init__(self, message: str, attr: str) -> None:
        super().__init__(message)
        self.attr = attr


@transaction.atomic
def clinic_update(*, clinic: Clinic, data: dict[str, Any]) -> Clinic:
    """Change the clinic's settings. On-call contacts cannot be removed while a patient's
    therapist is inactive: they are then the only people its escalations can reach."""
    if "thresholds" in data:
        data = {**data, "thresholds": validate_overrides(data["thresholds"])}
    if "oncall_emails" in data and not data["oncall_emails"]:
        Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
        orphans = clinic.patients.exclude(
            therapist__is_active=True, therapist__clinic_id=clinic.pk
        ).count()
        if orphans:
            raise ClinicSettingsError(
                f"{orphans} patient(s) have an inactive therapist; on-call contacts are the only "
                "people their escalations reach. Reassign them first (PATCH /api/v1/staff/{id}/ "
                "with `is_active: false` and `reassign_to`).",
                "oncall_emails",
            )
    for field, value in data.items():
        setattr(clinic, field, value)
    clinic.full_clean()
    clinic.save(update_fields=list(data))
    return clinic


class WebhookChangeRefused(ValueError):
    """A webhook change that cannot be made; `field` names the input it is about."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class WebhookSecrets:
    """Signing secrets made by one change, each shown once; None where it did not change."""

    webhook_secret: str | None = None
    partner_webhook_secret: str | None = None


WEBHOOK_FIELDS = {"webhook": "webhook_secret", "partner_webhook": "partner_webhook_secret"}


def clinic_webhooks_set(
    *,
    clinic: Clinic,
    webhook_url: str | None = None,
    partner_webhook_url: str | None = None,
    rotate_webhook_secret: bool = False,
    rotate_partner_webhook_secret: bool = False,
) -> WebhookSecrets:
    """Set the clinic's webhook endpoints (None: unchanged; "": off, secret dropped) and make
    new signing secrets: for an endpoint set where there was none or a different one (every
    receiver has its own), and where a rotation is asked for. Raises WebhookChangeRefused for a
    URL that is not https:// or a rotation of an endpoint that is off, before changing
    anything. Changes `clinic` in place and saves it."""
    asked = {
        "webhook": (webhook_url, rotate_webhook_secret),
        "partner_webhook": (partner_webhook_url, rotate_partner_webhook_secret),
    }
    targets: dict[str, str] = {}
    for kind, (url, rotate) in asked.items():
        url_field = f"{kind}_url"
        new = getattr(clinic, url_field) if url is None else url.strip()
        problem = webhook_url_problem(new)
        if problem:
            raise WebhookChangeRefused(url_field, problem)
        if rotate and not new:
            raise WebhookChangeRefused(
                f"rotate_{kind}_secret", f"There is no {url_field} to rotate the secret of."
            )
        targets[kind] = new
    made: dict[str, str] = {}
    changed: list[str] = []
    for kind, new in targets.items():
        url_field, secret_field = f"{kind}_url", WEBHOOK_FIELDS[kind]
        current, rotate = getattr(clinic, url_field), asked[kind][1]
        if not new and not current and not getattr(clinic, secret_field):
            continue
        if not new:
            secret = ""
        elif rotate or new != current or not getattr(clinic, secret_field):
            secret = made[secret_field] = webhook_secret_generate()
        else:
            continue
        setattr(clinic, url_field, new)
        setattr(clinic, secret_field, secret)
        changed += [url_field, secret_field]
    if changed:
        clinic.full_clean()
        clinic.save(update_fields=changed)
    return WebhookSecrets(**made)


def staff_create(
    *,
    clinic: Clinic,
    email: str,
    password: str,
    role: str = StaffRole.THERAPIST,
    first_name: str = "",
    last_name: str = "",
    is_staff: bool = False,
    credential: str = "",
) -> StaffUser:
    user = _staff_build(
        clinic=clinic,
        email=email.strip().lower(),
        password=password,
        role=role,
        credential=credential,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff or role == StaffRole.ADMIN,
    )
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
    credential: str = "",
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
            credential=credential,
        )
    stand_in = _staff_build(  # the same checks and hashing work as a real account's
        clinic=clinic,
        email=email,
        password=password,
        role=role,
        credential=credential,
        first_name=first_name,
        last_name=last_name,
        is_staff=role == StaffRole.ADMIN,
    )
    stand_in.created_at = timezone.now()
    stand_in.pk = _staff_id_draw()
    return stand_in


def _staff_build(
    *,
    clinic: Clinic,
    email: str,
    password: str,
    role: str,
    credential: str,
    first_name: str,
    last_name: str,
    is_staff: bool,
) -> StaffUser:
    """An unsaved staff account with its password checked against the validators and hashed."""
    user = StaffUser(
        clinic=clinic,
        email=email,
        role=role,
        credential=credential,
        first_name=first_name,
        last_name=last_name,
        is_staff=is_staff,
    )
    validate_password(password, user)
    user.set_password(password)
    return user


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


class StaffHasPatientsError(StaffStateError):
    """A deactivation would leave patients with an inactive therapist (409)."""

    def __init__(self, count: int) -> None:
        noun = "patient is" if count == 1 else "patients are"
        super().__init__(
            f"{count} {noun} assigned to this staff member. Deactivate and reassign them in "
            "the same request: add `reassign_to` with the id of another active staff member "
            "of this clinic."
        )
        self.count = count


class StaffReassignError(Exception):
    """`reassign_to` does not name another active staff member of the clinic (400)."""


@transaction.atomic
def staff_update(
    *,
    staff: StaffUser,
    data: dict[str, Any],
    by: StaffUser | None = None,
    reassign_to: StaffUser | None = None,
) -> StaffUser:
    """Change a staff member; an admin cannot deactivate or demote themselves (`by`): another
    admin must, so a clinic is never left locked out of its own settings by a slip.

    Every patient has an active therapist: deactivating someone with patients assigned
    (discharged ones included) is refused unless `reassign_to` names another active staff
    member of the clinic, who then takes them over in the same transaction. `reassign_to`
    also moves the patients of someone already inactive.
    """
    if by is not None and by.pk == staff.pk:
        if data.get("is_active") is False:
            raise StaffStateError("You cannot deactivate yourself; ask another admin.")
        if data.get("role", staff.role) != staff.role:
            raise StaffStateError("You cannot change your own role; ask another admin.")
    if data.get("is_active") is False or reassign_to is not None:
        _patients_hand_over(staff=staff, to=reassign_to)
    for field, value in data.items():
        setattr(staff, field, value)
    if "role" in data:
        staff.is_staff = staff.role == StaffRole.ADMIN
        data = {**data, "is_staff": staff.is_staff}
    if data:
        staff.save(update_fields=list(data))
    if data.get("is_active") is False:
        AuthToken.objects.filter(user=staff).delete()
    return staff


def _patients_hand_over(*, staff: StaffUser, to: StaffUser | None) -> int:
    """Move every patient of `staff` to `to`; with `to` None, refuse if there are any.

    Both staff rows are locked (in id order) first: a patient being registered for `staff`
    meanwhile is seen here or refused there (`patients.services.records`), and `to` cannot
    be deactivated halfway through.
    """
    ids = sorted({staff.pk, to.pk} if to is not None else {staff.pk})
    locked = {u.pk: u for u in StaffUser.objects.select_for_update().filter(pk__in=ids)}
    if to is not None:
        target = locked.get(to.pk)
        if (
            target is None
            or target.pk == staff.pk
            or not target.is_active
            or target.clinic_id != staff.clinic_id
        ):
            raise StaffReassignError(
                "Reassign to another active staff member of this clinic (their staff id)."
            )
    patients = list(staff.patients.order_by("pk"))
    if not patients:
        return 0
    if to is None:
        raise StaffHasPatientsError(len(patients))
    for patient in patients:  # one by one: each move is in the patient's change history
        patient.therapist = to
        patient.save(update_fields=["therapist", "updated_at"])
    return len(patients)


def staff_token_create(*, staff: StaffUser) -> tuple[str, datetime | None]:
    """Issue a staff bearer token: returns the token (shown once) and when it expires."""
    instance, token = AuthToken.objects.create(user=staff)
    return token, instance.expiry


def staff_token_revoke(*, token: AuthToken) -> None:
    token.delete()
