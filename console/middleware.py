"""Signs a console session out after STRIDE_CONSOLE_IDLE_SECONDS without the therapist's own
requests; the caseload's automatic refresh (header `X-Console-Poll`) does not count.

The last-seen time is written at most every tenth of the timeout (a minute at most), so most
requests do not rewrite the session row."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_SEEN_KEY = "console_last_seen"
POLL_HEADER = "X-Console-Poll"
IDLE_MESSAGE = "You were signed out for inactivity: {span} without use. Sign in again to go on."


def touch(request: HttpRequest) -> None:
    """Record the therapist's activity now (sign-in, or any request of their own)."""
    request.session[LAST_SEEN_KEY] = int(time.time())


class ConsoleIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith("/console/") and request.user.is_authenticated:
            idle = settings.STRIDE_CONSOLE_IDLE_SECONDS
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and time.time() - last_seen > idle:
                logout(request)
                minutes = max(1, round(idle / 60))
                span = f"{minutes} minute{'s' if minutes != 1 else ''}"
                messages.warning(request, IDLE_MESSAGE.format(span=span))
            elif last_seen is None or (
                not request.headers.get(POLL_HEADER)
                and time.time() - last_seen >= min(60, idle / 10)
            ):
                touch(request)
        return self.get_response(request)
