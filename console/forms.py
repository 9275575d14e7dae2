"""The console's forms: sign-in, the caseload's filters, resolving an escalation."""

from typing import Any

from django import forms

from clinical.severity import Severity
from patients.models import PatientStatus


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self) -> str:
        return str(self.cleaned_data["email"]).strip().lower()


class CaseloadFilterForm(forms.Form):
    """The caseload's GET filters, the API's `mine`, `status` and `severity`, and a search."""

    WHOSE = [("all", "All patients"), ("mine", "My patients")]

    q = forms.CharField(label="Search name or record number", required=False, max_length=100)
    whose = forms.ChoiceField(label="Whose", choices=WHOSE, required=False)
    status = forms.ChoiceField(
        label="Status", choices=PatientStatus.choices, required=False, initial="active"
    )
    severity = forms.ChoiceField(
        label="Open escalation",
        choices=[("", "Any or none"), *Severity.choices],
        required=False,
    )

    def filters(self) -> dict[str, Any]:
        """The valid filters; a value that does not read falls back to its default."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "query": data.get("q", "").strip(),
            "mine": data.get("whose") == "mine",
            "status": data.get("status") or PatientStatus.ACTIVE,
            "severity": data.get("severity") or None,
        }


class ResolveForm(forms.Form):
    note = forms.CharField(
        label="Resolution note",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write a note before resolving: what you did or decided.",
        },
        help_text="What you did or decided, for the record (the patient does not see it).",
    )
