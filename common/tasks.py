"""Publishing a Celery task: one message to the broker, by the task itself rather than its name.

`publish` tries once, without retrying (the broker transport's own retries are off too), and
answers the error instead of raising it: a publisher that fails leaves the work to what comes
next (the next beat, the outbox's re-drive), and says so in its own log line.
"""

from typing import Any, Protocol

from config.celery import app as celery_app


class NamedTask(Protocol):
    """A Celery task (`@shared_task`): what `publish` needs of it is its registered name."""

    @property
    def name(self) -> str: ...


def publish(task: NamedTask, *args: Any) -> Exception | None:
    """Queue `task(*args)` once, without retrying; the error, or None when it is queued."""
    try:
        celery_app.send_task(task.name, args=list(args), retry=False)
    except Exception as exc:
        return exc
    return None
