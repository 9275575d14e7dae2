"""The Celery application: configured from Django settings (CELERY_*), tasks found per app."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("stride")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [Queue(name) for name in ("default", "notifications", "reminders")]
app.autodiscover_tasks()
