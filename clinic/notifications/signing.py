"""Standard Webhooks signing: the endpoint secret, the signed body and its headers."""

import base64
import json
import secrets
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

from clinic.models import Notification


def webhook_secret_generate() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


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
