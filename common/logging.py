"""Structured logs: one JSON object per line, with the request id, and nothing else.

The formatter writes an allow-list of fields, never the whole log record: Django's request
logger attaches the request object (whose repr holds the query string, where search terms
are), so "everything on the record" would leak. Exceptions are written as their type and
stack only: a message may quote a value (a database error names the duplicate email).
"""

import json
import logging
import traceback
from datetime import UTC, datetime
from typing import Any

# Extra fields a log call may attach (`logger.info(..., extra={...})`) that are written out.
EXTRA_FIELDS = ("method", "path", "route", "status", "duration_ms", "task", "task_id")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _, tb = record.exc_info
            entry["exception"] = {
                "type": f"{exc_type.__module__}.{exc_type.__qualname__}",
                "stack": "".join(traceback.format_tb(tb)),
            }
        return json.dumps(entry, default=str, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """For a person at a terminal (STRIDE_LOG_FORMAT=plain); the same fields, one line."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")

    def formatException(self, ei: Any) -> str:
        exc_type, _, tb = ei
        return f"{exc_type.__qualname__} (message withheld)\n" + "".join(traceback.format_tb(tb))
