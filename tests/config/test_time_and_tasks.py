"""common.time and common.tasks: a moment's local date, and publishing a task once."""

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from clinic.tasks import deliver_notification
from common.tasks import publish
from common.time import local_date
from tests.processes import broker

LATE_EVENING_IN_CALIFORNIA = datetime(2026, 3, 2, 3, 30, tzinfo=UTC)


def test_the_local_date_is_the_date_on_the_wall_clock_there():
    assert local_date(LATE_EVENING_IN_CALIFORNIA, "America/Los_Angeles") == date(2026, 3, 1)
    assert local_date(LATE_EVENING_IN_CALIFORNIA, "Europe/Berlin") == date(2026, 3, 2)
    assert local_date(LATE_EVENING_IN_CALIFORNIA, ZoneInfo("Pacific/Auckland")) == date(2026, 3, 2)


def test_a_refused_publish_answers_the_error_at_once_instead_of_raising():
    with broker("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        started = time.monotonic()
        error = publish(deliver_notification, 1)
        took = time.monotonic() - started
    assert isinstance(error, Exception)
    assert took < 5, f"publishing to a refused broker took {took:.1f} s"
