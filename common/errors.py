"""The API's exception handler: drf-standardized-errors' own (the one error shape), with a
database that cannot be reached answered 503 with `Retry-After` rather than 500.

Its own module: common.api is loaded while logging is configured (through the middleware's
request-id filter), before the apps, and drf-standardized-errors' handler needs them.
"""

from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import status
from rest_framework.exceptions import APIException

from common.api import (
    DATABASE_RETRY_AFTER_SECONDS,
    DATABASE_UNAVAILABLE_DETAIL,
    database_unavailable,
)


class DatabaseUnavailable(APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = DATABASE_UNAVAILABLE_DETAIL
    default_code = "service_unavailable"
    wait = DATABASE_RETRY_AFTER_SECONDS  # sent as Retry-After


class StrideExceptionHandler(ExceptionHandler):
    """DRF_STANDARDIZED_ERRORS["EXCEPTION_HANDLER_CLASS"]: the request may well succeed in a
    moment when the database is back, so it is a 503 the client can retry, not a 500."""

    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if database_unavailable(exc):
            return DatabaseUnavailable()
        return super().convert_known_exceptions(exc)
