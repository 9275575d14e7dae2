"""The email channel: it sends what the app that produced an event wrote.

Each app registers the function that writes the subject and text of its events' emails
(`email_renderer`, when the app is ready), so the texts live with the events: escalation and
reminder emails in `patients.notifications`. An event nobody registered gets the plain staff
email: its type, the payload's ids and codes, and a link to Stride. `staff_email` is the shape
every staff email shares; never clinical details.
"""

import smtplib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from clinic.models import DeliveryOutcome, Notification
from clinic.notifications.results import SendResult

EmailRenderer = Callable[[Notification], tuple[str, str]]

_renderers: dict[str, EmailRenderer] = {}


def email_renderer(*event_types: str) -> Callable[[EmailRenderer], EmailRenderer]:
    """Register the function that writes the (subject, text) of these events' emails."""

    def register(render: EmailRenderer) -> EmailRenderer:
        for event_type in event_types:
            _renderers[event_type] = render
        return render

    return register


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


def staff_email(*, subject: str, payload: dict[str, Any], link: str = "") -> tuple[str, str]:
    """A staff email: the subject again, the payload's ids and codes, where to review it (`link`,
    else Stride's address) and the decision-support line."""
    text = (
        f"{subject.removeprefix('[Stride] ')}\n\n{describe(payload)}\n\n"
        f"Review it in Stride: {link or settings.STRIDE_PUBLIC_URL}\n\n"
        "Stride is decision support, not diagnosis."
    )
    return subject, text


def render_email(notification: Notification) -> tuple[str, str]:
    """Subject and text of a notification's email, as its producer writes them."""
    render = _renderers.get(notification.event_type)
    if render is not None:
        return render(notification)
    return staff_email(subject=f"[Stride] {notification.event_type}", payload=notification.payload)
