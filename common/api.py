"""API conventions shared by every app: body limit, JSON parsing, pagination, 4xx types, and
503 for responses made outside DRF when the database cannot be reached."""

import io
import logging
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError, models
from django.http import JsonResponse
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.parsers import JSONParser

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait when the database does not answer.
DATABASE_RETRY_AFTER_SECONDS = 10


def error_body(kind: str, code: str, detail: str) -> dict[str, Any]:
    """The one error shape, for responses made outside DRF's exception handler."""
    return {"type": kind, "errors": [{"code": code, "detail": detail, "attr": None}]}


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` says the database cannot be reached (refused, gone away, shutting down,
    not accepting connections), as opposed to a query that failed."""
    if isinstance(exc, InterfaceError):
        return True  # the connection is closed
    if not isinstance(exc, OperationalError):
        return False
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    # No SQLSTATE: the connection could not be made at all (or SQLite is locked). 08: a
    # connection exception; 57P: the server is shutting down or cannot connect yet.
    return sqlstate is None or str(sqlstate).startswith(("08", "57P"))


DATABASE_UNAVAILABLE_DETAIL = "The service is unavailable for a moment. Try again shortly."


def database_unavailable_response() -> JsonResponse:
    """The same 503 for responses made outside DRF (Django's own views, middleware)."""
    logger.warning("database unavailable: answered 503")
    body = error_body("server_error", "service_unavailable", DATABASE_UNAVAILABLE_DETAIL)
    response = JsonResponse(body, status=503)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER_SECONDS)
    return response


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


def page_size_param(request: Any, *, name: str, default: int, maximum: int) -> int:
    """`?page_size=`: a whole number from 1 to `maximum`; anything else is a 400, not quietly
    the default page."""
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise ValidationError({name: [f"A whole number from 1 to {maximum}."]}, code="invalid")
    return int(raw)


def page_size_schema(*, default: int, maximum: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": 1, "maximum": maximum, "default": default}


def cursor_page_schema(results: dict[str, Any], *, cursor_param: str) -> dict[str, Any]:
    """A page of a cursor-paginated list: `next` and `previous` are always there, null at either
    end, and are followed as they are (absolute URLs that keep the query)."""
    example = f"https://stride.example.org/api/v1/patients/?{cursor_param}="
    return {
        "type": "object",
        "required": ["next", "previous", "results"],
        "properties": {
            "next": {
                "type": "string",
                "nullable": True,
                "format": "uri",
                "description": "The next page; null on the last one.",
                "example": example + "cD0yMDI2LTA0LTEy",
            },
            "previous": {
                "type": "string",
                "nullable": True,
                "format": "uri",
                "description": "The previous page; null on the first one.",
                "example": example + "cj0xJnA9MjAyNi0wNC0xMg%3D%3D",
            },
            "results": results,
        },
    }


CURSOR_PARAM = "cursor"
# The largest whole number a cursor may carry (an id, an offset): PostgreSQL's bigint.
CURSOR_MAX_INT = 2**63 - 1


def invalid_cursor(param: str = CURSOR_PARAM) -> ValidationError:
    """A cursor the list did not hand out: a 400 naming the parameter (never a 404 or a 500)."""
    return ValidationError(
        {param: ["Not a cursor of this list: follow `next` or `previous` as given."]},
        code="invalid",
    )


def cursor_time(value: Any, *, param: str = CURSOR_PARAM) -> datetime:
    """A time read back from a cursor, in UTC: ISO 8601 with an offset, and one PostgreSQL can
    compare (an offset of -23:59 on 0001-01-01 parses in Python and is refused by the
    database; the same instant in UTC is not)."""
    try:
        parsed = datetime.fromisoformat(value)
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            raise ValueError("no offset")
        return parsed.astimezone(UTC)
    except (TypeError, ValueError, OverflowError) as exc:
        raise invalid_cursor(param) from exc


def cursor_int(value: Any, *, param: str = CURSOR_PARAM) -> int:
    """A whole number read back from a cursor, 0 to PostgreSQL's largest bigint."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= CURSOR_MAX_INT:
        raise invalid_cursor(param)
    return value


class CreatedCursorPagination(CursorPagination):
    """Cursor pagination, newest first; views may set `ordering` to another unique-ish key.

    `?page_size=` must be a whole number from 1 to 200: anything else is a 400, not quietly
    the default page. A cursor the list did not hand out (not base64, a position that is not a
    value of the ordering field, a time out of range) is a 400 naming `cursor`.
    """

    ordering: tuple[str, ...] = ("-created_at", "-id")
    page_size_query_param = "page_size"
    cursor_query_param = CURSOR_PARAM
    max_page_size = 200
    _model: type[models.Model] | None = None

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Any) -> Cursor | None:
        try:
            cursor = super().decode_cursor(request)
        except (NotFound, UnicodeError) as exc:
            raise invalid_cursor(self.cursor_query_param) from exc
        if cursor is None or cursor.position is None:
            return cursor
        # DRF's stubs call the position an int; it is the text the cursor carried.
        position = self._position(str(cursor.position))
        return cursor._replace(position=position)  # type: ignore[arg-type]

    def _position(self, position: str) -> str:
        """The position as the ordering field's value, refused when it cannot be one."""
        if "\x00" in position:
            raise invalid_cursor(self.cursor_query_param)
        if self._model is None:
            return position
        field = self._model._meta.get_field(self.ordering[0].lstrip("-"))
        if isinstance(field, models.DateTimeField):
            return cursor_time(position, param=self.cursor_query_param).isoformat()
        if isinstance(field, models.IntegerField):
            number = int(position) if position.isdigit() else -1
            return str(cursor_int(number, param=self.cursor_query_param))
        return position

    def get_page_size(self, request: Any) -> int:
        return page_size_param(
            request,
            name=self.page_size_query_param,
            default=int(self.page_size or 50),
            maximum=self.max_page_size,
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return cursor_page_schema(schema, cursor_param=self.cursor_query_param)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = page_size_schema(
                    default=int(self.page_size or 50), maximum=self.max_page_size
                )
        return parameters


class Conflict(APIException):
    """The request is well formed but the target's state forbids it (409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"
