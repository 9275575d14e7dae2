"""The Celery application: configured from Django settings (CELERY_*), tasks found per app.

A worker checks at start-up that the database answers, and exits non-zero saying so when it
does not: every task reads or writes it, so a worker without one must not report ready.
"""

import logging
import logging.config
import os
from typing import Any

from celery import Celery
from celery.signals import setup_logging, worker_init
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("stride")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in ("default", "notifications", "reminders")]
app.autodiscover_tasks()


@setup_logging.connect
def use_django_logging(loglevel: Any = None, logfile: Any = None, **kwargs: Any) -> None:
    """Workers and beat log as the web does (JSON lines, settings.LOGGING), not in Celery's
    own format; `--loglevel` still sets the level and `--logfile` where the lines go."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
    root = logging.getLogger()
    if loglevel:
        root.setLevel(loglevel)
    if logfile:
        for handler in list(root.handlers):
            if isinstance(handler, logging.StreamHandler):
                to_file = logging.FileHandler(logfile)
                to_file.setFormatter(handler.formatter)
                for log_filter in handler.filters:
                    to_file.addFilter(log_filter)
                root.removeHandler(handler)
                root.addHandler(to_file)


@worker_init.connect
def require_database(**kwargs: Any) -> None:
    """Start-up check: connect and run `SELECT 1`; exit with status 1 when that fails."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        db = connection.settings_dict
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or '-'}/{db.get('NAME')}"
        logging.getLogger("stride.worker").critical(
            "the database at %s does not answer (%s): the worker does not start",
            where,
            type(exc).__name__,
        )
        raise SystemExit(1) from None
    finally:
        connection.close()
