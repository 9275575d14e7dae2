"""The clinic settings' forms and the library's filters. Each settings form is checked by the
API's own serializer (clinic/serializers.py), so its refusals read as the API's do, next to
the field they are about."""

from typing import Any

from django import forms
from rest_framework import serializers

from clinic.models import Clinic, StaffCredential, StaffRole, StaffUser
from clinic.serializers import ClinicUpdateSerializer, StaffCreateSerializer, StaffUpdateSerializer
from clinical.thresholds import BOUNDS, Bound
from programs.models import BodyRegion, Muscle


def _messages(detail: Any) -> list[str]:
    """The plain messages of a serializer error, whatever its nesting."""
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _messages(value)]
    if isinstance(detail, list):
        return [m for value in detail for m in _messages(value)]
    return [str(detail)]


class SerializerForm(forms.Form):
    """A console form whose data the API's serializer validates; `validated` is its result."""

    serializer_class: type[serializers.Serializer[Any]]
    partial = False
    attr_fields: dict[str, str] = {}  # the API's attr -> this form's field, where they differ

    def __init__(self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context = context or {}
        self.validated: dict[str, Any] = {}

    def api_data(self) -> dict[str, Any]:
        """The form's values as the API takes them: an empty name is left out (unchanged, or
        the API's default), an empty credential means none."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if value != "" or name == "credential"
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        serializer = self.serializer_class(
            data=self.api_data(), partial=self.partial, context=self.context
        )
        if serializer.is_valid():
            self.validated = dict(serializer.validated_data)
            return cleaned
        for attr, detail in serializer.errors.items():
            name = self.attr_fields.get(attr, attr)
            field = name if name in self.fields else None
            for message in _messages(detail):
                self.add_error(field, message)
        return cleaned


class StaffInviteForm(SerializerForm):
    serializer_class = StaffCreateSerializer

    email = forms.CharField(label="Email", max_length=254)
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    role = forms.ChoiceField(label="Role", choices=StaffRole.choices, initial=StaffRole.THERAPIST)
    credential = forms.ChoiceField(
        label="Credential",
        choices=[("", "None"), *StaffCredential.choices],
        required=False,
    )
    password = forms.CharField(
        label="First password",
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters; they change it after signing in.",
    )


class StaffChangeForm(SerializerForm):
    serializer_class = StaffUpdateSerializer
    partial = True

    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    role = forms.ChoiceField(label="Role", choices=StaffRole.choices)
    credential = forms.ChoiceField(
        label="Credential",
        choices=[("", "None"), *StaffCredential.choices],
        required=False,
    )


class StaffDeactivateForm(SerializerForm):
    """Deactivation, with who takes over the patients (the API's `reassign_to`)."""

    serializer_class = StaffUpdateSerializer
    partial = True

    reassign_to = forms.ChoiceField(label="Patients go to", required=False)

    def __init__(
        self, *args: Any, staff: StaffUser, colleagues: list[StaffUser], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.staff = staff
        field = self.fields["reassign_to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "Nobody (only if no patients are assigned)")] + [
            (str(c.pk), c.display_name) for c in colleagues
        ]

    def api_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"is_active": False}
        if self.cleaned_data.get("reassign_to"):
            data["reassign_to"] = int(self.cleaned_data["reassign_to"])
        return data


class OnCallForm(SerializerForm):
    serializer_class = ClinicUpdateSerializer
    partial = True

    oncall_emails = forms.CharField(
        label="On-call emails",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One address a line. They hear of escalations nobody acknowledged in time.",
    )

    def emails(self) -> list[str]:
        raw = str(self.cleaned_data.get("oncall_emails", ""))
        return [line.strip() for line in raw.replace(",", "\n").splitlines() if line.strip()]

    def api_data(self) -> dict[str, Any]:
        return {"oncall_emails": self.emails()}

    def clean(self) -> dict[str, Any]:
        cleaned = forms.Form.clean(self) or {}
        serializer = self.serializer_class(data=self.api_data(), partial=True)
        if serializer.is_valid():
            self.validated = dict(serializer.validated_data)
            return cleaned
        detail = serializer.errors.get("oncall_emails", {})
        emails = self.emails()
        if isinstance(detail, dict):
            for index, messages in detail.items():
                address = emails[int(index)] if int(index) < len(emails) else ""
                for message in _messages(messages):
                    self.add_error("oncall_emails", f"{address}: {message}")
        else:
            for message in _messages(detail):
                self.add_error("oncall_emails", message)
        return cleaned


def _threshold_help(bound: Bound) -> str:
    return f"{bound.lower} to {bound.upper} {bound.unit}; default {bound.default}"


class ThresholdsForm(SerializerForm):
    """One field per threshold: blank keeps the default, a number overrides it."""

    serializer_class = ClinicUpdateSerializer
    partial = True

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = clinic.thresholds if isinstance(clinic.thresholds, dict) else {}
        for name, bound in BOUNDS.items():
            self.fields[name] = forms.CharField(
                label=name.replace("_", " ").capitalize().replace("mcid", "MCID"),
                required=False,
                max_length=20,
                initial=stored.get(name, ""),
                help_text=_threshold_help(bound),
                widget=forms.TextInput(
                    attrs={"inputmode": "decimal", "placeholder": str(bound.default), "size": 8}
                ),
            )

    def overrides(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in BOUNDS:
            raw = str(self.cleaned_data.get(name, "")).strip()
            if not raw:
                continue
            try:
                number = float(raw)
            except ValueError:
                values[name] = raw  # the serializer says it must be a number
                continue
            values[name] = int(number) if number.is_integer() and "." not in raw else number
        return values

    def api_data(self) -> dict[str, Any]:
        return {"thresholds": self.overrides()}

    def clean(self) -> dict[str, Any]:
        cleaned = forms.Form.clean(self) or {}
        serializer = self.serializer_class(data=self.api_data(), partial=True)
        if serializer.is_valid():
            self.validated = dict(serializer.validated_data)
            return cleaned
        detail = serializer.errors.get("thresholds", {})
        if isinstance(detail, dict):
            for name, messages in detail.items():
                for message in _messages(messages):
                    self.add_error(name if name in self.fields else None, message)
        else:
            for message in _messages(detail):
                self.add_error(None, message)
        return cleaned


class WebhookForm(SerializerForm):
    """One endpoint's URL ("" turns it off); `kind` is "webhook" or "partner_webhook"."""

    serializer_class = ClinicUpdateSerializer
    partial = True

    url = forms.CharField(label="URL", required=False, max_length=200)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.attr_fields = {f"{kind}_url": "url"}

    def api_data(self) -> dict[str, Any]:
        return {f"{self.kind}_url": str(self.cleaned_data.get("url", "")).strip()}


class AuditFilterForm(forms.Form):
    actor = forms.TypedChoiceField(
        label="Staff member", required=False, coerce=int, empty_value=None
    )
    patient = forms.IntegerField(label="Patient id", required=False, min_value=1)

    def __init__(self, *args: Any, staff: list[StaffUser], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["actor"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "Everyone")] + [(str(s.pk), s.display_name) for s in staff]


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label="Search name or muscle", required=False, max_length=100)
    region = forms.ChoiceField(
        label="Region", choices=[("", "All regions"), *BodyRegion.choices], required=False
    )
    muscle = forms.ChoiceField(
        label="Muscle group", choices=[("", "All muscle groups"), *Muscle.choices], required=False
    )

    def filters(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "query": str(data.get("q", "")).strip(),
            "region": str(data.get("region") or ""),
            "muscle": str(data.get("muscle") or ""),
        }
