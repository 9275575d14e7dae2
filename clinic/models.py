"""Clinics, their staff, and the audit trail of staff access to patient data."""

import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone as djtz

from clinic.thresholds import DEFAULTS, ClinicalThresholds


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not an IANA time zone name.", code="invalid_timezone")


class Clinic(models.Model):
    name = models.CharField(max_length=200)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    contact_line = models.CharField(
        max_length=300,
        help_text="Closes every message to a patient, e.g. 'Questions? Call the clinic on ...'.",
    )
    oncall_emails = models.JSONField(
        default=list, blank=True, help_text="Who hears of escalations nobody acknowledged in time."
    )
    thresholds = models.JSONField(
        default=dict, blank=True, help_text="Overrides of the CLINICAL.md defaults, by name."
    )
    created_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clinical_thresholds(self) -> ClinicalThresholds:
        return DEFAULTS.with_overrides(self.thresholds or {})


class StaffRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    THERAPIST = "therapist", "Therapist"


class StaffUserManager(BaseUserManager["StaffUser"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "StaffUser":
        if not email:
            raise ValueError("Staff need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> "StaffUser":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", StaffRole.ADMIN)
        return self.create_user(email, password, **extra)


class StaffUser(AbstractBaseUser, PermissionsMixin):
    """A clinic's staff member; signs in with email. Platform superusers have no clinic."""

    email = models.EmailField(unique=True)
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, related_name="staff", null=True, blank=True
    )
    role = models.CharField(max_length=16, choices=StaffRole.choices, default=StaffRole.THERAPIST)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May sign in to the Django admin.")
    created_at = models.DateTimeField(default=djtz.now)

    objects: ClassVar[StaffUserManager] = StaffUserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_clinic_admin(self) -> bool:
        return self.role == StaffRole.ADMIN

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip() or self.email


class AuditEvent(models.Model):
    """One staff read or write of a patient's data: who, what, which patient, when, from where.

    Holds identifiers only, never the data. `patient_id` is a plain column, not a foreign key,
    so that the trail outlives the rows it speaks of.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(StaffUser, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=40)
    patient_id = models.BigIntegerField(null=True, db_index=True)
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=djtz.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["clinic", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}:{self.object_id}"
