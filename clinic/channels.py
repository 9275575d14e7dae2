"""Delivery channels: email to staff and Standard Webhooks-signed HTTP POSTs.

Each send returns a `SendResult` that says whether a failure is worth retrying: a webhook
receiver's 4xx (but 408 and 429) is permanent, a 5xx, timeout or network error transient.
"""

import base64
import json
import secrets
import smtplib
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from standardwebhooks.webhooks import Webhook

from clinic.models import DeliveryOutcome, Notification

USER_AGENT = "Stride-Webhooks/1.0"


@dataclass(frozen=True)
class SendResult:
    outcome: DeliveryOutcome
    http_status: int | None = None
    error: str = ""


def webhook_secret_generate() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def webhook_url_problem(url: str) -> str | None:
    """Webhooks carry clinical events: `https://` only, plain `http://` to this machine alone.
    None when `url` is acceptable ("" turns webhooks off), else what is wrong with it."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOCAL_HOSTS):
        return None
    return "A webhook URL must start with https:// (http:// only for localhost)."


def webhook_body(notification: Notification) -> str:
    """The signed body: `{"type", "timestamp", "data"}` with ids and codes only."""
    body = {
        "type": notification.event_type,
        "timestamp": notification.created_at.astimezone(UTC).isoformat(),
        "data": notification.payload,
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=True)


def webhook_headers(*, secret: str, webhook_id: str, body: str, now: datetime) -> dict[str, str]:
    signature = Webhook(secret).sign(msg_id=webhook_id, timestamp=now, data=body)
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }


def _classify_status(status: int) -> DeliveryOutcome:
    if 200 <= status < 300:
        return DeliveryOutcome.SUCCESS
    if status in (408, 429) or status >= 500:
        return DeliveryOutcome.TRANSIENT
    return DeliveryOutcome.PERMANENT


def send_webhook(notification: Notification, *, secret: str) -> SendResult:
    if not secret:
        return SendResult(DeliveryOutcome.PERMANENT, error="No webhook secret is configured.")
    body = webhook_body(notification)
    headers = webhook_headers(
        secret=secret, webhook_id=notification.webhook_id, body=body, now=datetime.now(UTC)
    )
    request = urllib.request.Request(  # noqa: S310 - the clinic's configured https endpoint
        notification.recipient,
        data=body.encode(),
        method="POST",
        headers={**headers, "Content-Type": "application/json", "User-Agent": USER_AGENT},
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.STRIDE_WEBHOOK_TIMEOUT_SECONDS
        ) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return SendResult(DeliveryOutcome.TRANSIENT, error=f"{type(exc).__name__}: {reason}"[:300])
    outcome = _classify_status(status)
    error = "" if outcome == DeliveryOutcome.SUCCESS else f"HTTP {status}"
    return SendResult(outcome, http_status=status, error=error)


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
