"""What a console page shows of already-loaded rows: plain values for templates, with no
query and no rule of their own (the numbers are the summary's, as the API serves them).
One module per concern; the views use them through this package."""

from console.presenters.caseload import caseload_row, deadline
from console.presenters.charts import pain_chart, sparkline
from console.presenters.monitoring import FOUR_DAYS, ONE_DAY, monitoring_summary
from console.presenters.record import intake_detail, outcome_rows
from console.presenters.words import (
    code_words,
    codes_words,
    duration_words,
    symptoms_words,
    value_words,
)

__all__ = [
    "FOUR_DAYS",
    "ONE_DAY",
    "caseload_row",
    "code_words",
    "codes_words",
    "deadline",
    "duration_words",
    "intake_detail",
    "monitoring_summary",
    "outcome_rows",
    "pain_chart",
    "sparkline",
    "symptoms_words",
    "value_words",
]
