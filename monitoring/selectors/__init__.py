"""Reads of the monitoring record: the codes in force, data days per device period (in SQL),
time entries, and a month's record for one patient or a whole clinic in a fixed number of
queries. One module per concern; this package holds them all under one name."""

from monitoring.selectors.data_days import DATA_DAYS_SQL, _data_days_python, data_days_by_period
from monitoring.selectors.month import PatientMonth, month_records
from monitoring.selectors.nearness import CASELOAD_NEARNESS_SQL, caseload_nearness
from monitoring.selectors.records import (
    STATEMENT_PATIENT_FIELDS,
    code_rules,
    episode_covering,
    month_bounds,
    open_episode,
    signed_off,
    statement_patients,
    time_entry_list,
)

__all__ = [
    "CASELOAD_NEARNESS_SQL",
    "DATA_DAYS_SQL",
    "STATEMENT_PATIENT_FIELDS",
    "PatientMonth",
    "_data_days_python",
    "caseload_nearness",
    "code_rules",
    "data_days_by_period",
    "episode_covering",
    "month_bounds",
    "month_records",
    "open_episode",
    "signed_off",
    "statement_patients",
    "time_entry_list",
]
