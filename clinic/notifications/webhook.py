"""The webhook channel: Standard Webhooks-signed HTTP POSTs to a clinic's endpoint.

`send_webhook` returns a `SendResult` that says whether a failure is worth retrying: a
receiver's 4xx (but 408 and 429) is permanent, a 5xx, timeout or network error transient.

A webhook attempt has a total deadline (STRIDE_WEBHOOK_DEADLINE_SECONDS) besides the socket
timeout of each read: a receiver that trickles its answer a line at a time is cut off when the
deadline passes, and the attempt counts as a transient failure like any timeout. Redirects are
not followed: a 3xx is a permanent failure that names the `Location`, since following it would
re-send the POST as a bodiless GET (or to an address the clinic never configured).
"""

import contextlib
import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from clinic.models import (
    Clinic,
    DeliveryOutcome,
    Notification,
    NotificationChannel,
    NotificationTarget,
    StaffUser,
)
from clinic.notifications.outbox import notification_enqueue
from clinic.notifications.results import SendResult
from clinic.notifications.signing import webhook_body, webhook_headers

USER_AGENT = "Stride-Webhooks/1.0"

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


def _classify_status(status: int) -> DeliveryOutcome:
    if 200 <= status < 300:
        return DeliveryOutcome.SUCCESS
    if status in (408, 429) or status >= 500:
        return DeliveryOutcome.TRANSIENT
    return DeliveryOutcome.PERMANENT


class _Deadline:
    """The connections of one webhook attempt; `cut` shuts them when the deadline passes, so a
    read blocked on a receiver that answers a byte at a time returns at once."""

    def __init__(self) -> None:
        self.connections: list[http.client.HTTPConnection] = []
        self.expired = False

    def factory(self, cls: type[http.client.HTTPConnection]) -> Callable[..., Any]:
        def make(*args: Any, **kwargs: Any) -> http.client.HTTPConnection:
            connection = cls(*args, **kwargs)
            self.connections.append(connection)
            return connection

        return make

    def cut(self) -> None:
        self.expired = True
        for connection in self.connections:
            if connection.sock is not None:
                # The plain socket's shutdown: an SSL socket's own would drop its SSL
                # object under the reading thread.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(connection.sock, socket.SHUT_RDWR)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    context = ssl.create_default_context()

    class Http(urllib.request.HTTPHandler):
        def http_open(self, req: Any) -> Any:
            return self.do_open(deadline.factory(http.client.HTTPConnection), req)

    class Https(urllib.request.HTTPSHandler):
        def https_open(self, req: Any) -> Any:
            return self.do_open(deadline.factory(http.client.HTTPSConnection), req, context=context)

    opener = urllib.request.OpenerDirector()
    # http and https only (no file:, ftp: or data:), through a proxy when the environment
    # names one, and no redirect handler: a 3xx is raised as an HTTPError, recorded as it is.
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        Http(),
        Https(context=context),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _post(url: str, *, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST once, following no redirect, within the deadline; the status and `Location`."""
    request = urllib.request.Request(  # noqa: S310 - the clinic's configured endpoint
        url, data=body, method="POST", headers=headers
    )
    deadline = _Deadline()
    timer = threading.Timer(settings.STRIDE_WEBHOOK_DEADLINE_SECONDS, deadline.cut)
    timer.daemon = True
    timer.start()
    try:
        try:
            with _opener(deadline).open(
                request, timeout=settings.STRIDE_WEBHOOK_TIMEOUT_SECONDS
            ) as response:
                status, location = response.status, response.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            status, location = exc.code, exc.headers.get("Location", "") if exc.headers else ""
            exc.close()
        except OSError:
            if deadline.expired:
                raise _DeadlineExceeded from None
            raise
    finally:
        timer.cancel()
    if deadline.expired:  # cut mid-headers: what was read is not an answer
        raise _DeadlineExceeded
    return status, location


class _DeadlineExceeded(Exception):
    pass


def send_webhook(notification: Notification, *, secret: str) -> SendResult:
    if not secret:
        return SendResult(DeliveryOutcome.PERMANENT, error="No webhook secret is configured.")
    body = webhook_body(notification)
    headers = webhook_headers(
        secret=secret, webhook_id=notification.webhook_id, body=body, now=datetime.now(UTC)
    )
    try:
        status, location = _post(
            notification.recipient,
            body=body.encode(),
            headers={**headers, "Content-Type": "application/json", "User-Agent": USER_AGENT},
        )
    except _DeadlineExceeded:
        limit = settings.STRIDE_WEBHOOK_DEADLINE_SECONDS
        return SendResult(
            DeliveryOutcome.TRANSIENT, error=f"Deadline: no complete answer within {limit:g} s"
        )
    except ValueError as exc:  # not a URL at all: trying again will not help
        return SendResult(DeliveryOutcome.PERMANENT, error=f"Invalid URL: {exc}"[:300])
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return SendResult(DeliveryOutcome.TRANSIENT, error=f"{type(exc).__name__}: {reason}"[:300])
    if 300 <= status < 400:
        error = f"HTTP {status}: redirect not followed (Location: {location or 'none'})"
        return SendResult(DeliveryOutcome.PERMANENT, http_status=status, error=error[:300])
    outcome = _classify_status(status)
    error = "" if outcome == DeliveryOutcome.SUCCESS else f"HTTP {status}"
    return SendResult(outcome, http_status=status, error=error)


WEBHOOK_TEST_EVENT = "webhook.test"


class WebhookTestRefused(ValueError):
    """There is no endpoint (or no secret) to send a test event to."""


def webhook_test_send(*, clinic: Clinic, target: str, by: StaffUser) -> Notification:
    """Queue a signed `webhook.test` event to the clinic's endpoint (`target` "clinic") or its
    partner-app backend ("partner") through the outbox, like any other event: it is delivered,
    retried and logged the same way. The body names the clinic, the target and who asked, by
    id; no patient data."""
    if target not in (NotificationTarget.CLINIC, NotificationTarget.PARTNER):
        raise WebhookTestRefused("A test event goes to the clinic endpoint or the partner backend.")
    url, secret = (
        (clinic.partner_webhook_url, clinic.partner_webhook_secret)
        if target == NotificationTarget.PARTNER
        else (clinic.webhook_url, clinic.webhook_secret)
    )
    if not url or not secret:
        raise WebhookTestRefused("Set this endpoint's URL before sending a test event.")
    notification = notification_enqueue(
        clinic=clinic,
        channel=NotificationChannel.WEBHOOK,
        target=target,
        event_type=WEBHOOK_TEST_EVENT,
        recipient=url,
        payload={
            "event": WEBHOOK_TEST_EVENT,
            "clinic_id": clinic.pk,
            "target": target,
            "requested_by": by.pk,
        },
    )
    assert notification is not None  # no dedupe key: always a new row
    return notification
