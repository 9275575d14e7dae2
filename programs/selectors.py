"""Reads for the programs app, with the relations each view needs loaded up front.

The check-in flow reads through here: `active_program_exercise_ids` to validate
`exercises_completed`; `ladder_state`, `ladder_run`, `ladder_history` and `ladder_levels` are
the inputs of the ladder rules. The intake flow maps focus codes with `templates_for_focus` and
`exercises_for_focus`.
"""

import functools
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connections
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from clinic.models import Clinic
from common.db import select_rows
from common.relations import clinic_or_shared
from common.time import local_date
from patients.models import CheckIn, Patient, PatientStatus
from programs import rules
from programs.models import (
    Exercise,
    ExerciseFocus,
    LadderEvent,
    LadderEventKind,
    Muscle,
    PatientLadder,
    PatientProgram,
    ProgramExercise,
    ProgramTemplate,
    RunLadder,
    TemplateExercise,
    TemplateFocus,
)
from programs.rules.adherence import Adherence, ProgramSpan, adherence, exercise_weekdays

# The history the weekly limits and the 30-day longest run look at, either side of a day.
HISTORY_DAYS_BEFORE = 37
HISTORY_DAYS_AFTER = 7
RECENT_EVENTS = 20


def exercise_list(*, clinic: Clinic) -> QuerySet[Exercise]:
    """The shipped library and the clinic's own exercises."""
    return Exercise.objects.filter(clinic_or_shared(clinic)).prefetch_related("focus_links")


def training_any(muscles: list[str]) -> Q:
    """Exercises that train any of these muscle groups. `muscles` is a JSON list of codes; a
    code matched with its quotes is a whole element on PostgreSQL and SQLite alike."""
    match = Q(pk__in=[])
    for code in muscles:
        match |= Q(muscles__icontains=f'"{code}"')
    return match


def exercise_search(
    *, clinic: Clinic, query: str = "", region: str = "", muscle: str = ""
) -> QuerySet[Exercise]:
    """The library (shipped and the clinic's own, active first) narrowed by region, a muscle
    group, and a search: every word must match the name or a muscle group it trains (its code
    or its name, so "hamstring" finds the exercises that train the hamstrings)."""
    exercises = exercise_list(clinic=clinic)
    if region:
        exercises = exercises.filter(region=region)
    if muscle:
        exercises = exercises.filter(training_any([muscle]))
    for word in query.lower().split():
        muscles = [code for code, label in Muscle.choices if word in code or word in label.lower()]
        exercises = exercises.filter(Q(name__icontains=word) | training_any(muscles))
    return exercises.order_by("-is_active", "name", "id")


def exercises_prescribable(*, clinic: Clinic) -> QuerySet[Exercise]:
    return Exercise.objects.filter(clinic_or_shared(clinic), is_active=True)


def template_list(*, clinic: Clinic) -> QuerySet[ProgramTemplate]:
    items = TemplateExercise.objects.select_related("exercise")
    return ProgramTemplate.objects.filter(clinic_or_shared(clinic)).prefetch_related(
        "focus_links", Prefetch("items", queryset=items)
    )


def templates_for_focus(*, clinic: Clinic, focus: Iterable[str]) -> QuerySet[ProgramTemplate]:
    """The templates (shipped and the clinic's) serving any of an intake's focus codes."""
    links = TemplateFocus.objects.filter(template=OuterRef("pk"), focus__in=list(focus))
    return template_list(clinic=clinic).filter(Exists(links)).order_by("name", "id")


def exercises_for_focus(*, clinic: Clinic, focus: Iterable[str]) -> QuerySet[Exercise]:
    """The active exercises (shipped and the clinic's) serving any of the focus codes."""
    links = ExerciseFocus.objects.filter(exercise=OuterRef("pk"), focus__in=list(focus))
    return exercise_list(clinic=clinic).filter(Exists(links), is_active=True).order_by("name", "id")


def run_ladder_list(*, clinic: Clinic) -> QuerySet[RunLadder]:
    return RunLadder.objects.filter(clinic_or_shared(clinic)).prefetch_related("levels")


def run_ladder_default() -> RunLadder:
    return RunLadder.objects.get(clinic__isnull=True, code="default")


def program_list(*, clinic: Clinic) -> QuerySet[PatientProgram]:
    items = ProgramExercise.objects.select_related("exercise")
    return PatientProgram.objects.filter(clinic=clinic).prefetch_related(
        Prefetch("items", queryset=items)
    )


def active_program(*, patient: Patient) -> PatientProgram | None:
    items = ProgramExercise.objects.select_related("exercise")
    return (
        PatientProgram.objects.filter(patient=patient, is_active=True)
        .prefetch_related(Prefetch("items", queryset=items))
        .first()
    )


def active_programs_by_patient(*, patient_ids: Iterable[int]) -> dict[int, PatientProgram]:
    """The active program of each of these patients that has one, items loaded: two queries."""
    programs = PatientProgram.objects.filter(
        patient_id__in=list(patient_ids), is_active=True
    ).prefetch_related("items")
    return {program.patient_id: program for program in programs}


def active_program_exercise_ids(*, patient_id: int) -> set[int]:
    """Ids of the patient's active program exercises: what `exercises_completed` may name."""
    return set(
        ProgramExercise.objects.filter(
            program__patient_id=patient_id, program__is_active=True
        ).values_list("id", flat=True)
    )


def patient_ladder_list(*, clinic: Clinic) -> QuerySet[PatientLadder]:
    return (
        PatientLadder.objects.filter(clinic=clinic)
        .select_related("ladder", "pending_run", "patient")
        .prefetch_related("ladder__levels")
    )


def ladder_recent_events(*, patient_ladder: PatientLadder) -> list[LadderEvent]:
    return list(
        LadderEvent.objects.filter(patient_ladder=patient_ladder).order_by("-recorded_at", "-id")[
            :RECENT_EVENTS
        ]
    )


# --- Inputs of the ladder rules -----------------------------------------------------------


def ladder_levels(*, ladder: RunLadder) -> rules.Ladder:
    """The ladder's levels as rule values (uses prefetched `levels` when present)."""
    return tuple(
        rules.LadderLevel(
            number=level.number,
            run_minutes=level.run_minutes,
            walk_minutes=level.walk_minutes,
            repeats=level.repeats,
        )
        for level in sorted(ladder.levels.all(), key=lambda level: level.number)
    )


# A therapist's change restarts the count: a run recorded before it no longer counts.
RESTART_KINDS = (LadderEventKind.SET_LEVEL, LadderEventKind.RESUME)


def _run_record(event: LadderEvent, *, restarted: bool = False) -> rules.RunRecord:
    return rules.RunRecord(
        recorded_at=event.recorded_at,
        day=event.day,
        level=event.level_before,
        target_minutes=event.target_minutes_before,
        qualifies=bool(event.qualifies),
        check_in_id=event.check_in_id,
        settled=event.settled,
        counted=event.counted,
        restarted=restarted,
        event_id=event.pk,
    )


def ladder_state(*, patient_ladder: PatientLadder) -> rules.LadderState:
    run = patient_ladder.pending_run
    return rules.LadderState(
        level=patient_ladder.level,
        completions=patient_ladder.completions,
        paused=patient_ladder.paused,
        pause_reason=patient_ladder.pause_reason,
        target_minutes=patient_ladder.target_minutes,
        pending=_run_record(run) if run is not None else None,
    )


def ladder_run(*, patient_ladder: PatientLadder, check_in_id: int) -> rules.RunRecord | None:
    """The ladder's record of the run reported by check-in `check_in_id` (one query), with
    whether a therapist restarted the count after it was recorded; None if never recorded."""
    restarted = LadderEvent.objects.filter(
        patient_ladder=patient_ladder, kind__in=RESTART_KINDS, pk__gt=OuterRef("pk")
    )
    event = (
        LadderEvent.objects.filter(
            patient_ladder=patient_ladder, kind=LadderEventKind.RUN, check_in_id=check_in_id
        )
        .annotate(restarted=Exists(restarted))
        .order_by("-id")
        .first()
    )
    if event is None:
        return None
    return _run_record(event, restarted=bool(getattr(event, "restarted", False)))


def ladder_history(*, patient_ladder: PatientLadder, around: date) -> rules.LadderHistory:
    """Runs, level ups and variable changes from 37 days before `around` to 7 days after."""
    events = LadderEvent.objects.filter(
        patient_ladder=patient_ladder,
        day__gte=around - timedelta(days=HISTORY_DAYS_BEFORE),
        day__lte=around + timedelta(days=HISTORY_DAYS_AFTER),
    ).filter(Q(kind=LadderEventKind.RUN) | Q(levels_up__gt=0) | ~Q(variable_change=""))
    runs: list[rules.RunDay] = []
    ups: list[rules.LevelUp] = []
    changes: list[rules.VariableChange] = []
    for event in events.order_by("recorded_at", "id"):
        if event.kind == LadderEventKind.RUN:
            runs.append(
                rules.RunDay(day=event.day, level=event.level_before, minutes=event.run_minutes)
            )
        if event.levels_up > 0:
            automatic = event.kind != LadderEventKind.SET_LEVEL
            ups.append(rules.LevelUp(day=event.day, levels=event.levels_up, automatic=automatic))
        if event.variable_change:
            changes.append(rules.VariableChange(day=event.day, variable=event.variable_change))
    return rules.LadderHistory(
        runs=tuple(runs), level_ups=tuple(ups), variable_changes=tuple(changes)
    )


# --- Today's plan for the partner app -----------------------------------------------------


@dataclass(frozen=True)
class TodayPlan:
    day: date
    program: PatientProgram | None
    exercises: list[ProgramExercise]
    run: rules.RunPlan
    ladder: PatientLadder | None


def program_today(*, patient: Patient, now: datetime) -> TodayPlan:
    """Today's exercises and run plan, `today` being the date in the patient's time zone.

    An exercise is due on the weekdays of `exercise_weekdays`; none before the program's start
    date. A discharged patient has no plan.
    """
    today = local_date(now, patient.timezone)
    if patient.status == PatientStatus.DISCHARGED:
        return TodayPlan(
            day=today,
            program=None,
            exercises=[],
            run=rules.RunPlan(
                status="not_started",
                reasons=(rules.Reason("discharged", "You have been discharged."),),
            ),
            ladder=None,
        )
    program = active_program(patient=patient)
    exercises: list[ProgramExercise] = []
    if program is not None and program.start_date <= today:
        exercises = [
            item
            for item in program.items.all()
            if today.weekday() in exercise_weekdays(item.days_per_week)
        ]
    row = (
        PatientLadder.objects.filter(patient=patient)
        .select_related("ladder")
        .prefetch_related("ladder__levels")
        .first()
    )
    if row is None:
        plan = rules.run_plan(
            state=None,
            history=rules.LadderHistory(),
            ladder=(),
            thresholds=patient.clinic.clinical_thresholds(),
            today=today,
        )
    else:
        plan = rules.run_plan(
            state=rules.LadderState(
                level=row.level,
                completions=row.completions,
                paused=row.paused,
                target_minutes=row.target_minutes,
            ),
            history=ladder_history(patient_ladder=row, around=today),
            ladder=ladder_levels(ladder=row.ladder),
            thresholds=patient.clinic.clinical_thresholds(),
            today=today,
        )
    return TodayPlan(day=today, program=program, exercises=exercises, run=plan, ladder=row)


# --- Adherence (programs.rules.adherence): the program versions and check-ins it counts ----------


def local_day_bounds(first: date, last: date, tz_name: str) -> tuple[datetime, datetime]:
    """[start, end) instants of the local days `first`..`last` in the time zone `tz_name`."""
    tz = zoneinfo.ZoneInfo(tz_name)
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return start, end


@functools.cache
def _program_spans_sql() -> str:
    item, program = ProgramExercise._meta, PatientProgram._meta
    # Table and column names come from the models; every value is a parameter.
    return (
        'SELECT i."program_id", p."start_date", p."ended_at", i."id", i."days_per_week" '  # noqa: S608
        f'FROM "{item.db_table}" i INNER JOIN "{program.db_table}" p ON p."id" = i."program_id" '
        'WHERE p."patient_id" = %s AND p."start_date" <= %s '
        'AND (p."ended_at" IS NULL OR p."ended_at" >= %s) '
        'ORDER BY i."program_id", i."id"'
    )


def program_spans(*, patient_id: int, tz_name: str, first: date, last: date) -> list[ProgramSpan]:
    """The patient's program versions in force on any local day of `first`..`last` (one query,
    written once per process: it is read on every check-in, and the ORM took longer to build it
    than the database to answer it)."""
    connection = connections[PatientProgram.objects.db]
    item, program = ProgramExercise._meta, PatientProgram._meta
    rows = select_rows(
        _program_spans_sql(),
        [
            patient_id,
            connection.ops.adapt_datefield_value(last),
            connection.ops.adapt_datetimefield_value(local_day_bounds(first, first, tz_name)[0]),
        ],
        [
            item.get_field("program"),
            program.get_field("start_date"),
            program.get_field("ended_at"),
            item.get_field("id"),
            item.get_field("days_per_week"),
        ],
        using=connection.alias,
    )
    spans: dict[int, tuple[date, date | None, list[tuple[int, int]]]] = {}
    for program_id, start, ended_at, item_id, days_per_week in rows:
        end = local_date(ended_at, tz_name) if ended_at is not None else None
        spans.setdefault(program_id, (start, end, []))[2].append((item_id, days_per_week))
    return [ProgramSpan(start=s, end=e, items=tuple(items)) for s, e, items in spans.values()]


def completed_by_day(
    rows: Iterable[tuple[datetime, Iterable[int]]], tz_name: str
) -> dict[date, set[int]]:
    """(recorded_at, exercises_completed) pairs as the ids done per local day."""
    done: dict[date, set[int]] = {}
    for recorded_at, ids in rows:
        done.setdefault(local_date(recorded_at, tz_name), set()).update(ids or ())
    return done


def patient_adherence(*, patient: Patient, first: date, last: date) -> Adherence:
    """The patient's adherence over the local days `first`..`last` (two queries)."""
    start, end = local_day_bounds(first, last, patient.timezone)
    rows = CheckIn.objects.filter(
        patient_id=patient.pk, recorded_at__gte=start, recorded_at__lt=end
    ).values_list("recorded_at", "exercises_completed")
    return adherence(
        spans=program_spans(
            patient_id=patient.pk, tz_name=patient.timezone, first=first, last=last
        ),
        completed=completed_by_day(rows, patient.timezone),
        first=first,
        last=last,
    )
