"""Standard Webhooks signing: the endpoint secret, the signed body and its headers."""

import base64
import json
import secrets
from datetime import UTC, datetime
from typing import Any, TypedDict

from standardwebhooks.webhooks import Webhook

from clinic.models import Notification


class WebhookBody(TypedDict):
    """The signed JSON body of every webhook (docs/webhooks.md, "The request")."""

    type: str  # the event, e.g. "escalation.opened"
    timestamp: str  # when it happened: UTC, ISO 8601
    data: dict[str, Any]  # the event's fields as its producer wrote them: ids and codes only


def webhook_secret_generate() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def webhook_body(notification: Notification) -> str:
    """The signed body: `{"type", "timestamp", "data"}` with ids and codes only."""
    body: WebhookBody = {
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
