"""Writes for the patient record, discharge, enrollment codes and patient tokens."""

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from clinic.models import Clinic, StaffUser
from monitoring.services import episode_end_open
from patients.auth import token_digest, token_generate
from patients.models import (
    EnrollmentCode,
    Patient,
    PatientStatus,
    PatientToken,
    weekdays_to_mask,
)
from patients.services.reminders import SCHEDULE_FIELDS, patient_schedule_apply
from patients.services.summaries import summary_create, summary_refresh

# No 0/O, 1/I/L, U: easy to read out and type on a phone.
ENROLLMENT_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
ENROLLMENT_LENGTH = 8


class EnrollmentError(Exception):
    """The code is wrong, used, revoked or expired; the caller is not told which."""


class PatientStateError(Exception):
    """The patient's status does not allow this change."""


class PatientTherapistError(Exception):
    """The therapist is no longer an active staff member of the clinic (400 on `therapist`)."""


def _therapist_lock_active(*, patient: Patient) -> None:
    """Lock the therapist's row and check it is still active, in the caller's transaction: a
    deactivation running meanwhile either sees this patient or makes this fail."""
    still_active = list(
        StaffUser.objects.select_for_update()
        .filter(pk=patient.therapist_id, clinic_id=patient.clinic_id, is_active=True)
        .values_list("pk", flat=True)
    )
    if not still_active:
        raise PatientTherapistError("The therapist is not an active staff member of this clinic.")


def _patient_apply(patient: Patient, data: dict[str, Any]) -> list[str]:
    data = dict(data)
    if "check_in_days" in data:
        data["check_in_weekdays"] = weekdays_to_mask(data.pop("check_in_days"))
    for name, value in data.items():
        setattr(patient, name, value)
    return list(data)


def patient_create(*, clinic: Clinic, created_by: StaffUser, data: dict[str, Any]) -> Patient:
    data = dict(data)
    data.setdefault("therapist", created_by)
    patient = Patient(clinic=clinic)
    _patient_apply(patient, data)
    patient.full_clean()
    patient_schedule_apply(patient)
    with transaction.atomic():
        _therapist_lock_active(patient=patient)
        patient.save()
        summary_create(patient=patient)
    return patient


def patient_update(*, patient: Patient, data: dict[str, Any]) -> Patient:
    """Change the record; a new schedule or time zone moves the next reminder at once."""
    fields = _patient_apply(patient, data)
    patient.full_clean()
    if SCHEDULE_FIELDS & set(data):
        fields += patient_schedule_apply(patient)
    with transaction.atomic():
        if "therapist" in data:
            _therapist_lock_active(patient=patient)
        patient.save(update_fields=[*fields, "updated_at"])
        if "timezone" in fields:
            # Local days moved: the sparkline's days and the adherence window with them.
            summary_refresh(patient=patient)
    return patient


@transaction.atomic
def patient_discharge(*, patient: Patient, by: StaffUser) -> Patient:
    """Discharge: reminders stop, outstanding enrollment codes and every partner-app token of
    the patient die (the app gets 401 `patient_discharged`), the open monitoring episode ends;
    the record stays readable by staff."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.status == PatientStatus.DISCHARGED:
        raise PatientStateError("The patient is already discharged.")
    now = timezone.now()
    patient.status = PatientStatus.DISCHARGED
    patient.discharged_at = now
    schedule_fields = patient_schedule_apply(patient, now=now)
    patient.save(update_fields=["status", "discharged_at", *schedule_fields, "updated_at"])
    EnrollmentCode.objects.filter(patient=patient, used_at=None, revoked_at=None).update(
        revoked_at=now
    )
    episode_end_open(patient=patient, at=now)
    patient_tokens_revoke(patient=patient, now=now)
    return patient


@transaction.atomic
def patient_pause(*, patient: Patient, by: StaffUser) -> Patient:
    """Pause an active patient: reminders are skipped (recorded as "paused") until resumed;
    the record, the partner app and check-ins keep working."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.status == PatientStatus.DISCHARGED:
        raise PatientStateError("The patient is discharged.")
    if patient.status == PatientStatus.PAUSED:
        raise PatientStateError("The patient is already paused.")
    patient.status = PatientStatus.PAUSED
    patient.save(update_fields=["status", "updated_at"])
    return patient


@transaction.atomic
def patient_resume(*, patient: Patient, by: StaffUser) -> Patient:
    """Resume a paused patient: reminders start again from the next slot of the schedule."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.status != PatientStatus.PAUSED:
        raise PatientStateError("The patient is not paused.")
    patient.status = PatientStatus.ACTIVE
    schedule_fields = patient_schedule_apply(patient)
    patient.save(update_fields=["status", *schedule_fields, "updated_at"])
    return patient


def patient_tokens_revoke(*, patient: Patient, now: datetime | None = None) -> int:
    """Revoke every partner-app token of the patient that still works; returns how many."""
    return PatientToken.objects.filter(patient=patient, revoked_at=None).update(
        revoked_at=now or timezone.now()
    )


def _enrollment_hash(code: str) -> str:
    normalized = "".join(ch for ch in code.upper() if ch.isalnum())
    return salted_hmac("stride.enrollment-code", normalized).hexdigest()


@transaction.atomic
def enrollment_code_issue(*, patient: Patient, by: StaffUser) -> tuple[str, datetime]:
    """A new single-use code for the partner app; older unused codes of the patient die."""
    if patient.status == PatientStatus.DISCHARGED:
        raise PatientStateError("A discharged patient cannot enroll.")
    now = timezone.now()
    EnrollmentCode.objects.filter(patient=patient, used_at=None, revoked_at=None).update(
        revoked_at=now
    )
    expires_at = now + timedelta(hours=settings.STRIDE_ENROLLMENT_CODE_HOURS)
    for _ in range(5):
        raw = "".join(secrets.choice(ENROLLMENT_ALPHABET) for _ in range(ENROLLMENT_LENGTH))
        try:
            with transaction.atomic():
                EnrollmentCode.objects.create(
                    clinic_id=patient.clinic_id,
                    patient=patient,
                    code_hash=_enrollment_hash(raw),
                    created_by=by,
                    created_at=now,
                    expires_at=expires_at,
                )
        except IntegrityError:
            continue
        return f"{raw[:4]}-{raw[4:]}", expires_at
    raise RuntimeError("Could not draw an unused enrollment code.")


@transaction.atomic
def patient_enroll(*, code: str, device_name: str) -> tuple[Patient, str, datetime]:
    """Redeem an enrollment code: returns the patient, a new token (shown once), its expiry.

    The patient's older tokens are revoked: the app is on the device that enrolled last, and a
    lost or handed-on phone stops reading the record (401 `token_revoked`)."""
    now = timezone.now()
    row = (
        EnrollmentCode.objects.select_for_update()
        .select_related("patient")
        .filter(code_hash=_enrollment_hash(code), used_at=None, revoked_at=None, expires_at__gt=now)
        .first()
    )
    if row is None or row.patient.status == PatientStatus.DISCHARGED:
        raise EnrollmentError()
    row.used_at = now
    row.save(update_fields=["used_at"])
    patient_tokens_revoke(patient=row.patient, now=now)
    token = token_generate()
    expires_at = now + timedelta(days=settings.STRIDE_PATIENT_TOKEN_DAYS)
    PatientToken.objects.create(
        clinic_id=row.clinic_id,
        patient=row.patient,
        digest=token_digest(token),
        prefix=token[:8],
        device_name=device_name,
        created_at=now,
        expires_at=expires_at,
    )
    return row.patient, token, expires_at


def patient_self_update(*, patient: Patient, data: dict[str, Any]) -> Patient:
    """What the patient may change from the app: time zone and check-in schedule."""
    if patient.status == PatientStatus.DISCHARGED:
        raise PatientStateError("You have been discharged; there is no schedule to change.")
    return patient_update(patient=patient, data=data)
