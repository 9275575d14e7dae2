"""Reads of the monitoring record's rows: the codes in force, episodes, sign-offs, time
entries, and the clinic's patients with a record in a month."""

import calendar
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from clinic.models import Clinic
from monitoring import rules
from monitoring.models import MonitoringEpisode, MonthSignOff, RtmCode, TimeEntry
from patients.models import Patient


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def code_rules(*, on: date) -> list[rules.CodeRule]:
    """The codes table rows in force on a day, as rule values (one query)."""
    rows = RtmCode.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
    )
    return [
        rules.CodeRule(
            code=row.code,
            kind=row.kind,  # type: ignore[arg-type]
            min_days=row.min_days,
            max_days=row.max_days,
            min_minutes=row.min_minutes,
            max_minutes=row.max_minutes,
            unit_minutes=row.unit_minutes,
            requires_interactive=row.requires_interactive,
            with_code=row.with_code,
            excludes=tuple(row.excludes or ()),
        )
        for row in rows
    ]


def open_episode(*, patient: Patient) -> MonitoringEpisode | None:
    return MonitoringEpisode.objects.filter(patient=patient, ended_at__isnull=True).first()


def episode_covering(*, patient: Patient, day: date) -> MonitoringEpisode | None:
    return (
        MonitoringEpisode.objects.filter(patient=patient, started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=day))
        .first()
    )


def signed_off(*, patient_id: int, month: date) -> MonthSignOff | None:
    return MonthSignOff.objects.filter(patient_id=patient_id, month=month.replace(day=1)).first()


def time_entry_list(*, patient_id: int) -> QuerySet[TimeEntry]:
    return TimeEntry.objects.filter(patient_id=patient_id).select_related("staff", "reversed_by")


def overlapping(first: date, last: date) -> Q:
    """Episodes overlapping the days first..last."""
    return Q(started_on__lte=last) & (Q(ended_on__isnull=True) | Q(ended_on__gte=first))


# What a month's record shows of the patient (and the statement's order): nothing more is read.
STATEMENT_PATIENT_FIELDS = ("id", "clinic_id", "first_name", "last_name", "external_id", "timezone")


def statement_patients(*, clinic: Clinic, month: date) -> QuerySet[Patient]:
    """The clinic's patients with a monitoring record in the month: an episode overlapping it
    (so every device period ending in it), or a time entry dated in it."""
    first, last = month_bounds(month)
    episodes = MonitoringEpisode.objects.filter(overlapping(first, last), patient_id=OuterRef("pk"))
    entries = TimeEntry.objects.filter(
        patient_id=OuterRef("pk"), performed_on__gte=first, performed_on__lte=last
    )
    return (
        Patient.objects.filter(clinic=clinic)
        .filter(Exists(episodes) | Exists(entries))
        .only(*STATEMENT_PATIENT_FIELDS)
    )
