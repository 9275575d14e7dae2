"""What only the benchmark's settings serve: the floor endpoint and a query counter.

The floor endpoint is the least a check-in POST can cost on this stack: the same middleware,
DRF's JSON parsing, and one INSERT of the same row, with no authentication, idempotency,
rules, escalations, ladder or summary.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from patients.models import CheckIn


class FloorCheckInView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []

    def post(self, request: Request, clinic_id: int, patient_id: int) -> Response:
        data = request.data
        pain_rest = int(data["pain_rest"])
        row = CheckIn.objects.create(
            clinic_id=clinic_id,
            patient_id=patient_id,
            recorded_at=datetime.fromisoformat(data["recorded_at"]),
            pain_rest=pain_rest,
            pain_morning=data.get("pain_morning"),
            symptoms=data.get("symptoms", []),
            exercises_completed=data.get("exercises_completed", []),
            note=data.get("note", ""),
            peak_pain=pain_rest,
            advice_level="continue",
            advice_message="",
        )
        return Response({"id": row.pk}, status=201)


class QueryCountMiddleware:
    """Counts the SQL statements a request runs: `X-Query-Count` on the response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response
