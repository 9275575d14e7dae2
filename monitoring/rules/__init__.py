"""Pure decision logic of remote monitoring: which RTM codes a patient's month reaches.

Imports no Django. `monitoring.selectors` loads the codes table (`CodeRule`), the episodes
(`EpisodeFact`), the data days per device period (counted in SQL) and the time entries
(`TimeFact`) and calls `month_record`.
"""

from monitoring.rules.device import (
    device_code,
    device_period,
    period_bounds,
    period_number,
    periods_ending_in,
)
from monitoring.rules.management import add_on_units, management_code, management_month
from monitoring.rules.nearness import Nearness, nearness
from monitoring.rules.statement import month_periods, month_record
from monitoring.rules.types import (
    ASSISTANT_MODIFIERS,
    PERIOD_DAYS,
    CodeReached,
    CodeRule,
    Correction,
    DevicePeriod,
    EpisodeFact,
    Management,
    MonthRecord,
    Recorder,
    TimeFact,
)

__all__ = [
    "ASSISTANT_MODIFIERS",
    "PERIOD_DAYS",
    "CodeReached",
    "CodeRule",
    "Correction",
    "DevicePeriod",
    "EpisodeFact",
    "Management",
    "MonthRecord",
    "Nearness",
    "Recorder",
    "TimeFact",
    "add_on_units",
    "device_code",
    "device_period",
    "management_code",
    "management_month",
    "month_periods",
    "month_record",
    "nearness",
    "period_bounds",
    "period_number",
    "periods_ending_in",
]
