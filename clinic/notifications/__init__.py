"""Notifications: the outbox, its delivery, and the two channels (email and signed webhooks).

- `outbox`: rows written in the caller's transaction and queued to the workers after commit;
  the re-drive queues whatever the broker did not take.
- `delivery`: a worker claims a row with a lease, sends it and records the attempt.
- `email`: the email channel; each app registers the texts of its own events' emails.
- `webhook`: the webhook channel (one POST within a deadline, no redirects) and the
  `webhook.test` event.
- `signing`: Standard Webhooks signing (secret, body, headers).

The names below are the package's API; callers import them from `clinic.notifications`.
"""

from clinic.notifications.delivery import (
    backoff,
    notification_claim,
    notification_deliver,
    notifications_deliver_many,
)
from clinic.notifications.email import (
    describe,
    email_renderer,
    render_email,
    send_email,
    staff_email,
)
from clinic.notifications.outbox import (
    DELIVER_MANY_TASK,
    DELIVER_TASK,
    NotificationDraft,
    broker_outage_forget,
    notification_enqueue,
    notification_publish,
    notifications_enqueue_bulk,
    notifications_publish_many,
    notifications_redrive_due,
)
from clinic.notifications.results import SendResult
from clinic.notifications.signing import webhook_body, webhook_headers, webhook_secret_generate
from clinic.notifications.webhook import (
    USER_AGENT,
    WEBHOOK_TEST_EVENT,
    WebhookTestRefused,
    send_webhook,
    webhook_test_send,
    webhook_url_problem,
)

__all__ = [
    "DELIVER_MANY_TASK",
    "DELIVER_TASK",
    "USER_AGENT",
    "WEBHOOK_TEST_EVENT",
    "NotificationDraft",
    "SendResult",
    "WebhookTestRefused",
    "backoff",
    "broker_outage_forget",
    "describe",
    "email_renderer",
    "notification_claim",
    "notification_deliver",
    "notification_enqueue",
    "notification_publish",
    "notifications_deliver_many",
    "notifications_enqueue_bulk",
    "notifications_publish_many",
    "notifications_redrive_due",
    "render_email",
    "send_email",
    "send_webhook",
    "staff_email",
    "webhook_body",
    "webhook_headers",
    "webhook_secret_generate",
    "webhook_test_send",
    "webhook_url_problem",
]
