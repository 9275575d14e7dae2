"""Local dates: the calendar date a moment falls on in a patient's or clinic's time zone.

Pure (no Django): `local_date(timezone.now(), patient.timezone)` is that person's today.
"""

from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo


def local_date(moment: datetime, zone: str | tzinfo) -> date:
    """The date `moment` (timezone-aware) falls on in `zone` (an IANA name or a tzinfo)."""
    return moment.astimezone(ZoneInfo(zone) if isinstance(zone, str) else zone).date()
