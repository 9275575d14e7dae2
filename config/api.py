"""API conventions shared by every app: body limit, JSON parsing, pagination, 4xx types."""

import io
from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser


def error_body(kind: str, code: str, detail: str) -> dict[str, Any]:
    """The one error shape, for responses made outside DRF's exception handler."""
    return {"type": kind, "errors": [{"code": code, "detail": detail, "attr": None}]}


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "request_too_large"


class LimitedJSONParser(JSONParser):
    """JSON parser that refuses bodies over STRIDE_MAX_BODY_BYTES before decoding them."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        # A declared Content-Length over the limit never gets here (BodySizeLimitMiddleware);
        # this bounds what is read from a body of unknown length.
        limit = settings.STRIDE_MAX_BODY_BYTES
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise RequestTooLarge()
        return super().parse(io.BytesIO(raw), media_type, parser_context)


class CreatedCursorPagination(CursorPagination):
    """Cursor pagination, newest first; views may set `ordering` to another unique-ish key."""

    ordering: tuple[str, ...] = ("-created_at", "-id")
    page_size_query_param = "page_size"
    max_page_size = 200


class Conflict(APIException):
    """The request is well formed but the target's state forbids it (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"
