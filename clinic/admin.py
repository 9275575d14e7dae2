"""Django admin for clinics and staff, scoped: a clinic admin sees only their own clinic."""

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest

from clinic.models import AuditEvent, Clinic, DeliveryAttempt, Notification, StaffRole, StaffUser


def _is_clinic_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(
        isinstance(user, StaffUser)
        and user.is_active
        and user.is_staff
        and user.clinic_id is not None
        and user.role == StaffRole.ADMIN
    )


class ClinicScopedAdmin(admin.ModelAdmin):
    """Superusers see every clinic; a clinic admin sees and changes only their own."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(clinic_id=getattr(request.user, "clinic_id", None))

    def _allowed(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser) or _is_clinic_admin(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not request.user.is_superuser:
            obj.clinic_id = request.user.clinic_id  # type: ignore[union-attr]
        super().save_model(request, obj, form, change)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        excluded = list(super().get_exclude(request, obj) or [])
        if not request.user.is_superuser:
            excluded.append("clinic")
        return excluded


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "timezone", "created_at"]
    search_fields = ["name"]


class StaffChangeForm(UserChangeForm):
    """Every patient keeps an active therapist of their clinic: someone with patients assigned
    is neither deactivated nor moved to another clinic here; the staff API reassigns them in
    the same step (`reassign_to`)."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        staff = self.instance
        if staff.pk is None:
            return cleaned
        deactivating = staff.is_active and cleaned.get("is_active") is False
        moving = "clinic" in cleaned and cleaned["clinic"] != staff.clinic
        if deactivating or moving:
            count = staff.patients.count()
            if count:
                raise forms.ValidationError(
                    f"{count} patient(s) are assigned to this staff member. Reassign them "
                    f"first: PATCH /api/v1/staff/{staff.pk}/ with is_active false and "
                    "reassign_to."
                )
        return cleaned


@admin.register(StaffUser)
class StaffUserAdmin(ClinicScopedAdmin, UserAdmin):
    form = StaffChangeForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "role", "credential", "is_active"]
    list_filter = ["role", "credential", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name")}),
        ("Clinic", {"fields": ("clinic", "role", "credential", "is_active", "is_staff")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "clinic", "role", "password1", "password2")},
        ),
    )
    filter_horizontal = ()

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        sets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return sets
        return [
            (name, {**opts, "fields": tuple(f for f in opts["fields"] if f != "clinic")})
            for name, opts in sets
        ]


@admin.register(AuditEvent)
class AuditEventAdmin(ClinicScopedAdmin):
    list_display = ["created_at", "actor", "action", "object_type", "object_id", "patient_id"]
    list_filter = ["action", "object_type"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("number", "started_at", "finished_at", "outcome", "http_status", "error")
    readonly_fields = ("number", "started_at", "finished_at", "outcome", "http_status", "error")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


NOTIFICATION_FIELDS = (
    "event_type",
    "channel",
    "target",
    "recipient",
    "webhook_id",
    "created_at",
    "due_at",
    "attempts",
    "sent_at",
    "failed_at",
    "last_error",
)


@admin.register(Notification)
class NotificationAdmin(ClinicScopedAdmin):
    """The clinic's outbox, read-only: what was sent, what is still retried, what failed for
    good and why (a receiver's status, a redirect's Location, a deadline), attempt by attempt."""

    list_display = [
        "created_at",
        "event_type",
        "channel",
        "recipient",
        "attempts",
        "sent_at",
        "failed_at",
        "last_error",
    ]
    list_filter = ["channel", "event_type"]
    fields = NOTIFICATION_FIELDS
    readonly_fields = NOTIFICATION_FIELDS
    inlines = [DeliveryAttemptInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
