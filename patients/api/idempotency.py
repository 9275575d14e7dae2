"""The partner app's `Idempotency-Key`: its header parameters in the schema, reading it, the
errors of a reused or still-running key, and the replay header, for every POST that takes one
(check-ins, messages)."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from common.api import Conflict
from patients.services.check_ins import IdempotencyKeyInFlight, IdempotencyKeyReused

IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


class Unprocessable(APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "This Idempotency-Key was used with a different request."
    default_code = "idempotency_key_reused"


def idempotency_parameters(what: str) -> list[OpenApiParameter]:
    """The request's `Idempotency-Key` and the response's `Idempotent-Replayed`."""
    return [
        OpenApiParameter(
            "Idempotency-Key",
            {"type": "string", "pattern": IDEMPOTENCY_KEY.pattern},
            OpenApiParameter.HEADER,
            required=True,
            description=f"1-255 printable ASCII characters, unique per {what}.",
        ),
        OpenApiParameter(
            "Idempotent-Replayed",
            {"type": "string", "enum": ["true"]},
            OpenApiParameter.HEADER,
            response=[201],
            description="Present when this is the stored answer to an earlier request.",
        ),
    ]


def idempotency_key(request: Request, what: str) -> str:
    """The request's key, or a 400 naming the header."""
    key = request.headers.get("Idempotency-Key", "")
    if not IDEMPOTENCY_KEY.match(key):
        raise ValidationError(
            {
                "Idempotency-Key": [
                    "Send a header Idempotency-Key of 1-255 printable ASCII characters, "
                    f"unique per {what}."
                ]
            }
        )
    return key


@contextmanager
def idempotency_errors(what: str) -> Iterator[None]:
    """A key used with another body is a 422; one whose first request is still running after
    the wait is a 409."""
    try:
        yield
    except IdempotencyKeyReused as exc:
        raise Unprocessable() from exc
    except IdempotencyKeyInFlight as exc:
        raise Conflict(
            f"A {what} with this Idempotency-Key is still being processed; retry shortly.",
            code="idempotency_key_in_flight",
        ) from exc


def created(data: Any, *, replayed: bool) -> Response:
    """201 with the stored answer, marked when it answers an earlier request."""
    response = Response(data, status=status.HTTP_201_CREATED)
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response
