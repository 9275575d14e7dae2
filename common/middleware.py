"""Request ids (one per request, echoed in `X-Request-ID`, stamped on every log line), the
request log, security headers for API responses, and the body-size limit."""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from common.api import error_body

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_logger = logging.getLogger("stride.request")


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            _log_request(request, response.status_code, started)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _log_request(request: HttpRequest, status: int, started: float) -> None:
    """One line per request: method, path (ids only; never the query string, where search
    terms are, nor headers or body), the matched route, status and duration."""
    match = getattr(request, "resolver_match", None)
    request_logger.info(
        "%s %s %s",
        request.method,
        request.path[:200],
        status,
        extra={
            "method": request.method,
            "path": request.path[:200],
            "route": match.route if match else None,
            "status": status,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        },
    )


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class BodySizeLimitMiddleware:
    """Refuse a declared body over STRIDE_MAX_BODY_BYTES with 413 before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        if declared.isdigit() and int(declared) > settings.STRIDE_MAX_BODY_BYTES:
            body = error_body("client_error", "request_too_large", "The request body is too large.")
            return JsonResponse(body, status=413)
        return self.get_response(request)


# The API serves JSON only: nothing in it may load, run or frame anything. The docs page
# (Swagger UI, from its CDN) and the admin are pages for people and keep Django's defaults.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Headers SecurityMiddleware does not set: a Content-Security-Policy and no caching for
    the API (its bodies hold PHI and tokens), and a Permissions-Policy everywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(("/api/v1/", "/api/schema/", "/health/")):
            response.setdefault("Content-Security-Policy", API_CSP)
            response.setdefault("Cache-Control", "no-store")
        return response
