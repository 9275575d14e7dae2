"""The daily engagement rules (`disengaged`, `no_improvement`), once per patient-local day.

Each patient's next evaluation is a UTC instant in the database (`engagement_due_at`, the next
local midnight). The hourly beat takes the due patients a chunk at a time (SKIP LOCKED, and
pushes their due time an hour on, so a lost chunk comes back next hour) and queues each chunk
for a worker. The worker evaluates each patient whose `engagement_evaluated_on` is not today
(local), raises escalations with their evidence through `escalation_raise`, and sets the next
due time. Inputs are read a chunk at a time; the decisions are in assessments.rules.engagement.
"""

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.rules import engagement as rules
from assessments.selectors import latest_intake_pain_by_patient
from clinical.severity import severity_rank
from common.tasks import publish
from common.time import local_date
from patients.models import CheckIn, EscalationEvidence, Patient, PatientStatus
from patients.rules.reminder_schedule import next_local_midnight
from patients.services.escalations import EvidenceInput, escalation_raise
from programs.rules.adherence import ProgramSpan, adherence
from programs.selectors import active_programs_by_patient

logger = logging.getLogger(__name__)

RETRY_AFTER = timedelta(hours=1)


def engagement_claim_due(*, now: datetime, limit: int) -> list[int]:
    """Take up to `limit` patients whose evaluation is due, moving their due time an hour on."""
    with transaction.atomic():
        ids = list(
            Patient.objects.select_for_update(skip_locked=True)
            .filter(engagement_due_at__lte=now)
            .order_by("engagement_due_at")
            .values_list("pk", flat=True)[:limit]
        )
        if ids:
            Patient.objects.filter(pk__in=ids).update(engagement_due_at=now + RETRY_AFTER)
    return ids


def engagement_dispatch_due(*, now: datetime | None = None) -> int:
    """The hourly beat: queue every due patient for evaluation, a chunk per task."""
    now = now or timezone.now()
    queued = 0
    size = settings.STRIDE_ENGAGEMENT_CHUNK_SIZE
    while ids := engagement_claim_due(now=now, limit=size):
        from patients.tasks import engagement_evaluate_chunk  # the tasks import this module

        exc = publish(engagement_evaluate_chunk, ids)
        if exc is not None:
            logger.warning(
                "engagement chunk not queued (%s); retried in an hour", type(exc).__name__
            )
            break
        queued += len(ids)
    return queued


@dataclass(frozen=True)
class EvaluationResult:
    evaluated: int = 0
    raised: tuple[tuple[str, str], ...] = ()  # (code, severity) per escalation raised


def _raised_in_gap(patient_ids: list[int], gap_starts: dict[int, datetime]) -> dict[int, str]:
    """Highest `disengaged` severity raised for each patient since their gap began."""
    if not patient_ids:
        return {}
    rows = EscalationEvidence.objects.filter(
        escalation__patient_id__in=patient_ids,
        escalation__code=rules.DISENGAGED,
        recorded_at__gte=min(gap_starts.values()),
    ).values_list("escalation__patient_id", "severity", "recorded_at")
    raised: dict[int, str] = {}
    for patient_id, severity, recorded_at in rows:
        if recorded_at < gap_starts[patient_id]:
            continue
        current = raised.get(patient_id)
        if current is None or severity_rank(severity) > severity_rank(current):
            raised[patient_id] = severity
    return raised


def _no_improvement_inputs(
    patients: list[Patient], today: dict[int, date], now: datetime
) -> dict[int, rules.EngagementFinding]:
    """Evaluate `no_improvement` for these patients with a handful of queries in all."""
    programs = active_programs_by_patient(patient_ids=[p.pk for p in patients])
    eligible = [
        p
        for p in patients
        if (program := programs.get(p.pk)) is not None
        and (today[p.pk] - program.start_date).days
        >= p.clinic.clinical_thresholds().no_improvement_program_days
    ]
    if not eligible:
        return {}
    ids = [p.pk for p in eligible]
    intakes = latest_intake_pain_by_patient(patient_ids=ids, moment=now)
    longest = max(p.clinic.clinical_thresholds().no_improvement_program_days for p in eligible)
    check_ins = CheckIn.objects.filter(
        patient_id__in=ids, recorded_at__gt=now - timedelta(days=longest + 2), recorded_at__lte=now
    ).values_list("patient_id", "recorded_at", "peak_pain", "exercises_completed")
    done: dict[int, dict[date, set[int]]] = defaultdict(lambda: defaultdict(set))
    peaks: dict[int, list[int]] = defaultdict(list)
    zones = {p.pk: ZoneInfo(p.timezone) for p in eligible}
    pain_since = now - timedelta(days=rules.PAIN_WINDOW_DAYS)
    for patient_id, recorded_at, peak, exercises in check_ins:
        day = local_date(recorded_at, zones[patient_id])
        done[patient_id][day].update(i for i in exercises or [] if isinstance(i, int))
        if recorded_at > pain_since:
            peaks[patient_id].append(peak)
    recent = set(
        EscalationEvidence.objects.filter(
            escalation__patient_id__in=ids,
            escalation__code=rules.NO_IMPROVEMENT,
            recorded_at__gt=now - timedelta(days=rules.NO_IMPROVEMENT_REPEAT_DAYS),
        ).values_list("escalation__patient_id", flat=True)
    )
    findings: dict[int, rules.EngagementFinding] = {}
    for patient in eligible:
        program = programs[patient.pk]
        thresholds = patient.clinic.clinical_thresholds()
        first, last = rules.adherence_window(today=today[patient.pk], thresholds=thresholds)
        span = ProgramSpan(
            start=program.start_date,
            end=None,
            items=tuple((item.pk, item.days_per_week) for item in program.items.all()),
        )
        counted = adherence(spans=[span], completed=done[patient.pk], first=first, last=last)
        # Compared exactly with the threshold: the caseload's ratio is rounded for display.
        share = Fraction(counted.done, counted.due) if counted.due else None
        finding = rules.no_improvement(
            today=today[patient.pk],
            program_start=program.start_date,
            adherence_share=share,
            peaks_last_7_days=peaks[patient.pk],
            intake_pain_worst_running=intakes.get(patient.pk),
            raised_recently=patient.pk in recent,
            thresholds=thresholds,
        )
        if finding is not None:
            findings[patient.pk] = finding
    return findings


def engagement_evaluate(
    *, patient_ids: Sequence[int], now: datetime | None = None
) -> EvaluationResult:
    """Evaluate the daily rules for each of these patients not yet evaluated today (local).

    One transaction: patients locked (SKIP LOCKED), inputs read per chunk, escalations raised
    with evidence (their outbox rows with them), evaluation date and next due time stored.
    """
    now = now or timezone.now()
    raised: list[tuple[str, str]] = []
    with transaction.atomic():
        patients = list(
            Patient.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("clinic", "therapist")
            .filter(pk__in=list(patient_ids))
            .order_by("pk")
        )
        today = {p.pk: local_date(now, ZoneInfo(p.timezone)) for p in patients}
        todo = [
            p
            for p in patients
            if p.status == PatientStatus.ACTIVE and p.engagement_evaluated_on != today[p.pk]
        ]
        ids = [p.pk for p in todo]
        last_check_ins = dict(
            CheckIn.objects.filter(patient_id__in=ids, recorded_at__lte=now)
            .values("patient_id")
            .annotate(last=Max("recorded_at"))
            .values_list("patient_id", "last")
        )
        gap_starts = {p.pk: last_check_ins.get(p.pk, p.created_at) for p in todo}
        in_gap = _raised_in_gap(ids, gap_starts)
        findings: dict[int, list[rules.EngagementFinding]] = defaultdict(list)
        for patient in todo:
            zone = ZoneInfo(patient.timezone)
            last = last_check_ins.get(patient.pk)
            finding = rules.disengaged(
                today=today[patient.pk],
                last_check_in_on=local_date(last, zone) if last else None,
                registered_on=local_date(patient.created_at, zone),
                weekdays=patient.check_in_weekdays,
                raised_in_gap=in_gap.get(patient.pk),
                thresholds=patient.clinic.clinical_thresholds(),
            )
            if finding is not None:
                findings[patient.pk].append(finding)
        for patient_id, finding in _no_improvement_inputs(todo, today, now).items():
            findings[patient_id].append(finding)
        for patient in todo:
            for finding in findings.get(patient.pk, []):
                escalation_raise(
                    patient=patient,
                    code=finding.code,
                    evidence=EvidenceInput(
                        severity=finding.severity,
                        rationale=finding.rationale,
                        values=finding.values,
                        recorded_at=now,
                    ),
                    now=now,
                )
                raised.append((finding.code, finding.severity))
        for patient in patients:
            if patient.status == PatientStatus.DISCHARGED:
                patient.engagement_due_at = None
            else:
                patient.engagement_due_at = next_local_midnight(now, patient.timezone)
                patient.engagement_evaluated_on = today[patient.pk]
        Patient.objects.bulk_update(patients, ["engagement_due_at", "engagement_evaluated_on"])
    return EvaluationResult(evaluated=len(todo), raised=tuple(raised))


def engagement_run_due(*, now: datetime | None = None) -> EvaluationResult:
    """Claim and evaluate in this process, chunk by chunk (tests, a one-off catch-up)."""
    now = now or timezone.now()
    evaluated = 0
    raised: list[tuple[str, str]] = []
    while ids := engagement_claim_due(now=now, limit=settings.STRIDE_ENGAGEMENT_CHUNK_SIZE):
        result = engagement_evaluate(patient_ids=ids, now=now)
        evaluated += result.evaluated
        raised += result.raised
    return EvaluationResult(evaluated=evaluated, raised=tuple(raised))
