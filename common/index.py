"""`GET /api/v1/`: what the API offers, where its schema and docs are; no data, no sign-in."""

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

# The collections a client starts from, by audience; each item's own URLs are in the schema.
STAFF = {
    "login": "auth/login/",
    "clinic": "clinic/",
    "staff": "staff/",
    "audit_events": "audit-events/",
    "patients": "patients/",
    "caseload": "caseload/",
    "escalations": "escalations/",
    "assessments": "assessments/",
    "exercises": "exercises/",
    "program_templates": "program-templates/",
    "programs": "programs/",
    "run_ladders": "run-ladders/",
}
PARTNER_APP = {
    "enroll": "app/enroll/",
    "me": "app/me/",
    "program": "app/program/",
    "check_ins": "app/check-ins/",
    "questionnaires": "app/questionnaires/",
}

API_INDEX = inline_serializer(
    "ApiIndex",
    {
        "name": serializers.CharField(),
        "version": serializers.CharField(),
        "schema": serializers.URLField(),
        "docs": serializers.URLField(),
        "staff": serializers.DictField(child=serializers.URLField()),
        "partner_app": serializers.DictField(child=serializers.URLField()),
    },
)


class ApiIndexView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    schema_tags = ["health"]

    @extend_schema(
        operation_id="api_index",
        summary="What the API offers: its collections, schema and docs",
        responses={200: API_INDEX},
    )
    def get(self, request: Request) -> Response:
        base = request.build_absolute_uri("/api/v1/")
        return Response(
            {
                "name": "Stride API",
                "version": "v1",
                "schema": request.build_absolute_uri("/api/schema/"),
                "docs": request.build_absolute_uri("/api/docs/"),
                "staff": {name: base + path for name, path in STAFF.items()},
                "partner_app": {name: base + path for name, path in PARTNER_APP.items()},
            }
        )
