"""The email channel: short staff emails (ids, codes and a link, never clinical details) and the
patient's reminder email."""

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from clinic.models import DeliveryOutcome, Notification
from clinic.notifications.results import SendResult


def send_email(notification: Notification, *, subject: str, text: str) -> SendResult:
    try:
        send_mail(subject, text, None, [notification.recipient], fail_silently=False)
    except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
        return SendResult(DeliveryOutcome.PERMANENT, error=type(exc).__name__)
    except (smtplib.SMTPException, OSError) as exc:
        return SendResult(DeliveryOutcome.TRANSIENT, error=f"{type(exc).__name__}"[:300])
    return SendResult(DeliveryOutcome.SUCCESS)


def describe(payload: dict[str, Any]) -> str:
    """A PHI-free line naming what a notification is about, for emails and logs."""
    parts = [f"{key.replace('_', ' ')}: {payload[key]}" for key in sorted(payload)]
    return "\n".join(parts)


EMAIL_SUBJECTS = {
    "escalation.opened": "[Stride] New {severity} escalation: {code}",
    "escalation.upgraded": "[Stride] Escalation raised to {severity}: {code}",
    "escalation.overdue": "[Stride] Unacknowledged {severity} escalation: {code}",
}


def render_email(notification: Notification) -> tuple[str, str]:
    """Subject and text of a staff email: ids, codes and a link, never clinical details."""
    if notification.event_type == "reminder.due":
        return render_reminder_email(notification)
    payload = notification.payload
    template = EMAIL_SUBJECTS.get(notification.event_type, "[Stride] {event}")
    subject = template.format_map({"event": notification.event_type, **payload})
    link = ""
    if "escalation_id" in payload:
        # The escalation's console page (rows queued before it was in the payload build it).
        link = payload.get("url") or (
            f"{settings.STRIDE_PUBLIC_URL.rstrip('/')}"
            f"{reverse('console:escalation', args=[payload['escalation_id']])}"
        )
    text = (
        f"{subject.removeprefix('[Stride] ')}\n\n{describe(payload)}\n\n"
        f"Review it in Stride: {link or settings.STRIDE_PUBLIC_URL}\n\n"
        "Stride is decision support, not diagnosis."
    )
    return subject, text


def render_reminder_email(notification: Notification) -> tuple[str, str]:
    """The patient's reminder email: a nudge to open the app, no clinical details, no names."""
    text = (
        "It is time for your check-in. Open the app to tell your therapist how it is going.\n\n"
        f"{notification.clinic.contact_line}"
    )
    return "Time for your check-in", text
