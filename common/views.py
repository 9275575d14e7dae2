"""Plain views of the service: JSON error pages outside DRF, and the health check."""

import logging
import sys
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import database_unavailable, database_unavailable_response, error_body
from config.celery import app as celery_app
from patients.selectors import undeliverable_unacknowledged_exists

logger = logging.getLogger(__name__)


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("client_error", "not_found", "Not found."), status=404)


def server_error(request: HttpRequest) -> JsonResponse:
    # Called while the exception is being handled: one raised outside the API views (in a
    # middleware) because the database is unreachable is a 503 too.
    if database_unavailable(sys.exc_info()[1]):
        return database_unavailable_response()
    return JsonResponse(error_body("server_error", "error", "A server error occurred."), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("client_error", "bad_request", "Bad request."), status=400)


def _check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.warning("health: database unreachable", exc_info=True)
        return False


def _check_broker() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
        return True
    except Exception:
        logger.warning("health: broker unreachable", exc_info=True)
        return False


def _check_notifications() -> bool | None:
    """False while an escalation event found no person to tell and nobody has acknowledged
    its escalation (within STRIDE_UNDELIVERABLE_WINDOW_HOURS); None when it cannot be read."""
    since = timezone.now() - timedelta(hours=settings.STRIDE_UNDELIVERABLE_WINDOW_HOURS)
    try:
        return not undeliverable_unacknowledged_exists(since=since)
    except Exception:
        logger.warning("health: notifications check failed", exc_info=True)
        return None


HEALTH = inline_serializer(
    "Health",
    {
        "status": serializers.ChoiceField(["ok", "degraded"]),
        "database": serializers.ChoiceField(["ok", "unavailable"]),
        "broker": serializers.ChoiceField(["ok", "unavailable"]),
        "notifications": serializers.ChoiceField(
            ["ok", "undeliverable", "unknown"],
            help_text=(
                "`undeliverable` while an escalation event of the last "
                "STRIDE_UNDELIVERABLE_WINDOW_HOURS (72) found no person to tell (no active "
                "therapist, no on-call contact) and its escalation is still open."
            ),
        ),
    },
)


class HealthView(APIView):
    """Reports whether the database and the Celery broker answer (503 when either does not)
    and whether every recent escalation event found someone to tell.

    Undeliverable notifications make the status `degraded` but keep the answer 200: the
    service itself works, and a 503 would take out of rotation the very service that gives
    patients their red-flag advice. The container probe (`common.healthcheck`) reads the body
    and fails on any `degraded`, so the operator sees it.
    """

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    schema_tags = ["health"]

    @extend_schema(
        operation_id="health",
        summary=(
            "Whether the database and the broker answer (503 when one does not) and every "
            "recent escalation found someone to tell (degraded, 200, when not)"
        ),
        responses={200: HEALTH, 503: HEALTH},
    )
    def get(self, request: Request) -> Response:
        database, broker = _check_database(), _check_broker()
        notifications = _check_notifications() if database else None
        body = {
            "status": "ok" if database and broker and notifications else "degraded",
            "database": "ok" if database else "unavailable",
            "broker": "ok" if broker else "unavailable",
            "notifications": {True: "ok", False: "undeliverable", None: "unknown"}[notifications],
        }
        return Response(body, status=200 if database and broker else 503)
