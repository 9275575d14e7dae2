"""Writes for the run ladder: start, therapist changes, and applying a check-in.

The check-in flow calls `ladder_apply_check_in` inside its own transaction, with the check-in
and the check-in rules' judgement of it.
"""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessments.rules.check_in import CheckInFacts, Judgement
from clinic.models import StaffUser
from clinical.ladder import PauseReason
from common.time import local_date
from patients.models import Escalation, EscalationStatus, Patient, PatientStatus
from programs import rules, selectors
from programs.models import (
    LadderEvent,
    LadderEventKind,
    PatientLadder,
    RunLadder,
)
from programs.services.errors import LadderStateError


def _locked_ladder(patient: Patient) -> PatientLadder:
    row = (
        PatientLadder.objects.select_for_update(of=("self",))
        .select_related("ladder", "pending_run", "patient")
        .filter(patient=patient)
        .first()
    )
    if row is None:
        raise LadderStateError("This patient has not started a run ladder.")
    return row


def _event(
    row: PatientLadder,
    *,
    kind: str,
    recorded_at: datetime,
    before: rules.LadderState,
    after: rules.LadderState,
    action: str = "",
    reasons: Iterable[rules.Reason] = (),
    by: StaffUser | None = None,
    **fields: Any,
) -> LadderEvent:
    return LadderEvent.objects.create(
        clinic_id=row.clinic_id,
        patient_id=row.patient_id,
        patient_ladder=row,
        kind=kind,
        action=action,
        day=local_date(recorded_at, row.patient.timezone),
        recorded_at=recorded_at,
        level_before=before.level,
        level_after=after.level,
        target_minutes_before=before.target_minutes,
        target_minutes_after=after.target_minutes,
        completions_after=after.completions,
        reasons=[{"code": r.code, "detail": r.detail} for r in reasons],
        by=by,
        **fields,
    )


def _store_state(
    row: PatientLadder,
    state: rules.LadderState,
    *,
    now: datetime,
    run: LadderEvent | None = None,
    pause_note: str = "",
) -> None:
    if state.paused and not row.paused:
        row.paused_at = now
        row.pause_note = pause_note[:300]
    if not state.paused:
        row.paused_at = None
        row.pause_note = ""
    row.level = state.level
    row.completions = state.completions
    row.target_minutes = state.target_minutes
    row.paused = state.paused
    row.pause_reason = state.pause_reason
    if state.pending is None:
        row.pending_run = None
    elif state.pending.event_id is None:
        row.pending_run = run
    row.save(
        update_fields=[
            "level",
            "completions",
            "target_minutes",
            "paused",
            "pause_reason",
            "pause_note",
            "paused_at",
            "pending_run",
            "updated_at",
        ]
    )


@transaction.atomic
def ladder_start(
    *, patient: Patient, by: StaffUser, ladder: RunLadder, level: int = 1
) -> PatientLadder:
    """Start the patient on `ladder` at `level`. A patient has one ladder; a second start is
    refused (change it with `ladder_set_level`)."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if patient.status == PatientStatus.DISCHARGED:
        raise LadderStateError("The patient is discharged.")
    if ladder.clinic_id not in (None, patient.clinic_id):
        raise ValueError("A ladder of another clinic cannot be used.")
    if PatientLadder.objects.filter(patient=patient).exists():
        raise LadderStateError("This patient is already on a run ladder; set its level instead.")
    levels = selectors.ladder_levels(ladder=ladder)
    start = rules.state_with_level(rules.LadderState(level=1), level=level, ladder=levels)
    row = PatientLadder.objects.create(
        clinic_id=patient.clinic_id, patient=patient, ladder=ladder, level=start.level
    )
    now = timezone.now()
    _event(
        row,
        kind=LadderEventKind.START,
        recorded_at=now,
        before=start,
        after=start,
        by=by,
        reasons=[rules.Reason("ladder_started", f"Started at level {start.level}.")],
    )
    return row


@transaction.atomic
def ladder_set_level(
    *,
    patient: Patient,
    by: StaffUser,
    level: int,
    note: str,
    ladder: RunLadder | None = None,
) -> PatientLadder:
    """The therapist sets the level (optionally on another ladder), at any time, saying why
    (`note`, required). The count restarts and runs recorded before no longer count; a paused
    ladder stays paused. It is a clinical decision: the levels gained are recorded but do not
    count toward the weekly limit of automatic progressions."""
    if not note.strip():
        raise ValueError("A level change needs a reason.")
    row = _locked_ladder(patient)
    if ladder is not None and ladder.clinic_id not in (None, row.clinic_id):
        raise ValueError("A ladder of another clinic cannot be used.")
    if ladder is not None and ladder.pk != row.ladder_id:
        row.ladder = ladder
        row.save(update_fields=["ladder", "updated_at"])
    levels = selectors.ladder_levels(ladder=row.ladder)
    before = selectors.ladder_state(patient_ladder=row)
    after = rules.state_with_level(before, level=level, ladder=levels)
    now = timezone.now()
    gained = after.level - before.level if before.target_minutes is None else 0
    detail = f"Level set to {after.level} by the therapist. {note.strip()}"
    _event(
        row,
        kind=LadderEventKind.SET_LEVEL,
        recorded_at=now,
        before=before,
        after=after,
        by=by,
        levels_up=max(0, gained),
        reasons=[rules.Reason("ladder_level_set", detail[:300])],
    )
    _store_state(row, after, now=now)
    return row


def _blocking_escalation(patient: Patient) -> bool:
    return (
        Escalation.objects.filter(patient=patient, severity__in=rules.PAUSING_SEVERITIES)
        .exclude(status=EscalationStatus.RESOLVED)
        .exists()
    )


@transaction.atomic
def ladder_resume(*, patient: Patient, by: StaffUser, note: str = "") -> PatientLadder:
    """The therapist resumes a paused ladder at its level, counting completions from zero.

    Refused while the patient has an unresolved critical or high escalation. Resolving the
    escalation does not resume running by itself: a pause lasts until the escalation is
    resolved and a therapist resumes."""
    row = _locked_ladder(patient)
    if not row.paused:
        raise LadderStateError("The run ladder is not paused.")
    if _blocking_escalation(patient):
        raise LadderStateError(
            "A critical or high escalation is unresolved; resolve it before resuming running."
        )
    before = selectors.ladder_state(patient_ladder=row)
    after = rules.state_resumed(before)
    now = timezone.now()
    detail = f"Resumed at level {after.level} by the therapist." + (f" {note}" if note else "")
    _event(
        row,
        kind=LadderEventKind.RESUME,
        recorded_at=now,
        before=before,
        after=after,
        by=by,
        reasons=[rules.Reason("ladder_resumed", detail[:300])],
    )
    _store_state(row, after, now=now)
    return row


@transaction.atomic
def ladder_pause(
    *,
    patient: Patient,
    reason: str,
    by: StaffUser | None = None,
    note: str = "",
) -> PatientLadder:
    """Pause running (`reason` "therapist" for the therapist's pause; a check-in's pause is
    `ladder_apply_check_in`'s). An already paused ladder raises LadderStateError."""
    if reason not in PauseReason.values:
        raise ValueError(f"Unknown pause reason {reason!r}.")
    row = _locked_ladder(patient)
    before = selectors.ladder_state(patient_ladder=row)
    try:
        after = rules.state_paused(before, reason=reason)
    except ValueError as exc:
        raise LadderStateError("The run ladder is already paused.") from exc
    now = timezone.now()
    detail = "Running paused." + (f" {note}" if note else "")
    _event(
        row,
        kind=LadderEventKind.PAUSE,
        recorded_at=now,
        before=before,
        after=after,
        action=rules.Action.PAUSE,
        by=by,
        reasons=[rules.Reason(reason, detail[:300])],
    )
    _store_state(row, after, now=now, pause_note=note)
    return row


def ladder_apply_check_in(
    *, patient: Patient, facts: CheckInFacts, judgement: Judgement
) -> list[LadderEvent]:
    """Apply one stored check-in, as the check-in rules judged it, to the patient's ladder;
    returns the events it recorded.

    Must run inside the check-in flow's transaction (the ladder row is locked). `facts` is the
    stored check-in (with its id) and `judgement` the rules' judgement of it: settling, red
    flags, pain above the acceptable, a limp and pain that built during the run are taken from
    it, never judged again (see `programs.rules.ladder`). A critical or high finding pauses
    running. A patient with no ladder: nothing happens, [].
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ladder_apply_check_in must run inside a transaction")
    row = (
        PatientLadder.objects.select_for_update(of=("self",))
        .select_related("ladder", "pending_run", "patient", "patient__clinic")
        .filter(patient=patient)
        .first()
    )
    if row is None:
        return []
    recorded_at = facts.recorded_at
    day = local_date(recorded_at, row.patient.timezone)
    judged_run_id = (
        judgement.not_settled_run_id if judgement.pain_not_settled else judgement.settled_run_id
    )
    settling = (
        selectors.ladder_run(patient_ladder=row, check_in_id=judged_run_id)
        if judged_run_id is not None
        else None
    )
    decisions = rules.ladder_on_check_in(
        state=selectors.ladder_state(patient_ladder=row),
        check_in=facts,
        judgement=judgement,
        day=day,
        settling=settling,
        history=selectors.ladder_history(patient_ladder=row, around=day),
        ladder=selectors.ladder_levels(ladder=row.ladder),
        thresholds=row.patient.clinic.clinical_thresholds(),
    )
    events: list[LadderEvent] = []
    run_event: LadderEvent | None = None
    for decision in decisions:
        is_run = decision.step == rules.Step.RUN
        pending = decision.state.pending
        event = _event(
            row,
            kind=decision.step.value,
            recorded_at=recorded_at,
            before=decision.before,
            after=decision.state,
            action=decision.action.value,
            reasons=decision.reasons,
            levels_up=decision.levels_up,
            variable_change=decision.variable_change or "",
            run_minutes=facts.run_minutes if is_run else None,
            qualifies=pending.qualifies if is_run and pending is not None else None,
            settled=decision.settled,
            counted=decision.counted,
            check_in_id=facts.check_in_id,
        )
        judged = decision.settled_run
        if judged is not None and judged.event_id is not None:
            # The run's own event shows what became of it: settled or not, counted or not.
            LadderEvent.objects.filter(pk=judged.event_id).update(
                settled=judged.settled, counted=judged.counted
            )
        if is_run:
            run_event = event
        events.append(event)
    if decisions:
        _store_state(row, decisions[-1].state, now=timezone.now(), run=run_event)
    return events
