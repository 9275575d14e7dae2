"""Writes of the monitoring record: start and end an episode, record and reverse management
time, sign a month off. Time entries are append-only and a signed-off month is frozen."""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from clinic.models import ASSISTANT_CREDENTIALS, StaffUser
from common.time import local_date
from monitoring import selectors
from monitoring.models import Activity, MonitoringEpisode, MonthSignOff, TimeEntry
from patients.models import Patient, PatientStatus

# A device clock a little ahead of the server's is not "the future".
CLOCK_SKEW = timedelta(minutes=5)


class MonitoringConflict(Exception):
    """The record's state forbids the change (409); `code` says which state."""

    def __init__(self, detail: str, *, code: str = "conflict") -> None:
        super().__init__(detail)
        self.code = code


class MonitoringInvalid(Exception):
    """The input cannot be recorded as given (400); `attr` names the field."""

    def __init__(self, detail: str, *, attr: str) -> None:
        super().__init__(detail)
        self.attr = attr


class MonitoringForbidden(Exception):
    """The staff member may not do this (403)."""


def _lock_patient(patient: Patient) -> Patient:
    """Serialises a patient's entries with their month's sign-off (and with discharge)."""
    return Patient.objects.select_for_update(of=("self",)).get(pk=patient.pk)


def _month_frozen(patient_id: int, day: date) -> MonitoringConflict | None:
    sign_off = selectors.signed_off(patient_id=patient_id, month=day)
    if sign_off is None:
        return None
    return MonitoringConflict(
        f"{day:%Y-%m} was signed off on {sign_off.signed_at:%Y-%m-%d}; its entries cannot "
        "change. Record a correction in a later month, with a reason.",
        code="month_signed_off",
    )


@transaction.atomic
def episode_start(
    *,
    patient: Patient,
    by: StaffUser,
    consent_at: datetime,
    setup_at: datetime,
    setup_by: StaffUser | None = None,
) -> MonitoringEpisode:
    """Record consent and the set-up and education (98975): the episode starts on the set-up's
    local date in the patient's time zone."""
    patient = _lock_patient(patient)
    now = timezone.now()
    if patient.status == PatientStatus.DISCHARGED:
        raise MonitoringConflict(
            "The patient is discharged; a new episode needs an active patient.",
            code="patient_discharged",
        )
    if consent_at > now + CLOCK_SKEW:
        raise MonitoringInvalid("Consent cannot be in the future.", attr="consent_at")
    if setup_at > now + CLOCK_SKEW:
        raise MonitoringInvalid("The set-up cannot be in the future.", attr="setup_at")
    if consent_at > setup_at:
        raise MonitoringInvalid(
            "Consent must come before (or with) the set-up and education.", attr="consent_at"
        )
    if selectors.open_episode(patient=patient) is not None:
        raise MonitoringConflict(
            "The patient already has an open monitoring episode; it ends at discharge.",
            code="episode_open",
        )
    episode = MonitoringEpisode(
        clinic_id=patient.clinic_id,
        patient=patient,
        consent_at=consent_at,
        consent_recorded_by=by,
        setup_at=setup_at,
        setup_by=setup_by or by,
        started_on=local_date(setup_at, patient.timezone),
    )
    try:
        with transaction.atomic():
            episode.save()
    except IntegrityError as exc:  # another request opened one first
        raise MonitoringConflict(
            "The patient already has an open monitoring episode.", code="episode_open"
        ) from exc
    return episode


def episode_end_open(*, patient: Patient, at: datetime) -> MonitoringEpisode | None:
    """End the patient's open episode (at discharge, in the discharge's transaction)."""
    episode = (
        MonitoringEpisode.objects.select_for_update()
        .filter(patient=patient, ended_at__isnull=True)
        .first()
    )
    if episode is None:
        return None
    episode.ended_at = at
    episode.ended_on = max(episode.started_on, local_date(at, patient.timezone))
    episode.save(update_fields=["ended_at", "ended_on"])
    return episode


def _clinic_today(patient: Patient) -> date:
    return local_date(timezone.now(), patient.clinic.timezone)


@transaction.atomic
def time_entry_record(
    *,
    patient: Patient,
    by: StaffUser,
    performed_on: date,
    minutes: int,
    activity: str,
    interactive: bool,
    note: str = "",
) -> TimeEntry:
    """Record minutes `by` spent on the patient's remote care on a day (clinic time zone)."""
    if minutes <= 0:
        raise MonitoringInvalid("Minutes are a whole number above 0.", attr="minutes")
    if activity == Activity.MESSAGE and interactive:
        raise MonitoringInvalid(
            "Messages are never a real-time interactive communication.", attr="interactive"
        )
    if performed_on > _clinic_today(patient):
        raise MonitoringInvalid("The day cannot be in the future.", attr="date")
    patient = _lock_patient(patient)
    frozen = _month_frozen(patient.pk, performed_on)
    if frozen is not None:
        raise frozen
    if selectors.episode_covering(patient=patient, day=performed_on) is None:
        raise MonitoringConflict(
            f"The patient has no monitoring episode on {performed_on}: record the consent and "
            "set-up first.",
            code="no_episode",
        )
    return TimeEntry.objects.create(
        clinic_id=patient.clinic_id,
        patient=patient,
        staff=by,
        credential=by.credential,
        recorded_by=by,
        performed_on=performed_on,
        minutes=minutes,
        activity=activity,
        interactive=interactive,
        note=note,
    )


@transaction.atomic
def time_entry_reverse(
    *,
    entry: TimeEntry,
    by: StaffUser,
    performed_on: date | None = None,
    reason: str = "",
    note: str = "",
) -> TimeEntry:
    """Undo an entry with its negative; both are kept.

    An entry of an open month is reversed on its own day. An entry of a signed-off month
    stays in that month's record; its reversal is a correction dated in a later month that is
    not signed off (today by default), and needs a reason.
    """
    patient = _lock_patient(entry.patient)
    if entry.reverses_id is not None:
        raise MonitoringInvalid("A reversing entry cannot itself be reversed.", attr="reverses")
    if TimeEntry.objects.filter(reverses=entry).exists():
        raise MonitoringConflict("This entry is already reversed.", code="already_reversed")
    original_month = entry.performed_on.replace(day=1)
    if _month_frozen(patient.pk, entry.performed_on) is None:
        if performed_on is not None and performed_on != entry.performed_on:
            raise MonitoringInvalid(
                "An entry of a month not signed off is reversed on its own day.", attr="date"
            )
        performed_on = entry.performed_on
    else:
        if not reason.strip():
            raise MonitoringInvalid(
                "A correction of a signed-off month needs a reason.", attr="reason"
            )
        performed_on = performed_on or _clinic_today(patient)
        if performed_on.replace(day=1) <= original_month:
            raise MonitoringInvalid(
                f"A correction of {original_month:%Y-%m} is dated in a later month.", attr="date"
            )
        if performed_on > _clinic_today(patient):
            raise MonitoringInvalid("The day cannot be in the future.", attr="date")
        frozen = _month_frozen(patient.pk, performed_on)
        if frozen is not None:
            raise frozen
    try:
        with transaction.atomic():
            return TimeEntry.objects.create(
                clinic_id=patient.clinic_id,
                patient=patient,
                staff_id=entry.staff_id,
                credential=entry.credential,
                recorded_by=by,
                performed_on=performed_on,
                minutes=-entry.minutes,
                activity=entry.activity,
                interactive=entry.interactive,
                note=note,
                reverses=entry,
                reason=reason.strip(),
            )
    except IntegrityError as exc:
        raise MonitoringConflict(
            "This entry is already reversed.", code="already_reversed"
        ) from exc


@transaction.atomic
def month_sign_off(*, patient: Patient, by: StaffUser, month: date) -> MonthSignOff:
    """Freeze a patient's month: its entries cannot change afterwards. Assistants (PTA, OTA)
    cannot sign off; a month still to come cannot be signed off."""
    if by.credential in ASSISTANT_CREDENTIALS:
        raise MonitoringForbidden("An assistant cannot sign off a month; a therapist signs off.")
    month = month.replace(day=1)
    if month > _clinic_today(patient).replace(day=1):
        raise MonitoringInvalid("A month still to come cannot be signed off.", attr="month")
    patient = _lock_patient(patient)
    if selectors.signed_off(patient_id=patient.pk, month=month) is not None:
        raise MonitoringConflict(f"{month:%Y-%m} is already signed off.", code="month_signed_off")
    return MonthSignOff.objects.create(
        clinic_id=patient.clinic_id, patient=patient, month=month, signed_by=by
    )
