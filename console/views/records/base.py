"""What the record's forms share."""

from django.urls import reverse


def patient_url(patient_id: int, anchor: str = "") -> str:
    return reverse("console:patient", args=[patient_id]) + (f"#{anchor}" if anchor else "")
