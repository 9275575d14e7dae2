"""Check-in submission: idempotency, the rules engine, escalations and the ladder, in one
transaction: store, judge, escalate, move the ladder, rebuild the summary."""

import functools
import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connections, transaction
from django.utils import timezone

from assessments.models import Assessment
from assessments.rules import check_in as check_in_rules
from clinic.models import StaffUser
from common.db import insert_row, select_rows
from patients.models import (
    CheckIn,
    IdempotencyKey,
    IdempotencyStatus,
    Message,
    Patient,
    PatientStatus,
)
from patients.services.escalations import EvidenceInput, escalation_raise
from patients.services.summaries import summary_refresh, summary_window_start
from programs import services as program_services
from programs.models import PatientLadder


class IdempotencyKeyReused(Exception):
    """The key was used before with another body (422)."""


class IdempotencyKeyInFlight(Exception):
    """The first request with this key has not finished (409)."""


class CheckInRefused(Exception):
    """The patient's status does not take check-ins (409)."""


@dataclass(frozen=True)
class CheckInResult:
    check_in: CheckIn
    replayed: bool


def request_fingerprint(data: Mapping[str, Any]) -> str:
    """A stable hash of a request body, to tell a replay from a different request."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class IdempotencyKeyTaken(Exception):
    """The patient's key is stored already: the transaction that tried to store it again was
    rolled back, and the stored key says what to answer."""


def idempotency_stored(*, patient: Patient, key: str, fingerprint: str) -> IdempotencyKey | None:
    """The patient's stored key, done, with the check-in or message it made; None while there
    is none to answer with.

    Raises IdempotencyKeyReused for another body. Polls a key still `in_flight` (a claim
    written by an earlier release, which claimed keys in a transaction of their own) for
    STRIDE_IDEMPOTENCY_WAIT_SECONDS, then raises IdempotencyKeyInFlight; such a claim older
    than STRIDE_IDEMPOTENCY_STALE_SECONDS was abandoned and is removed (None: try again).
    """
    deadline = time.monotonic() + settings.STRIDE_IDEMPOTENCY_WAIT_SECONDS
    while True:
        row = (
            IdempotencyKey.objects.select_related("check_in", "message")
            .filter(patient=patient, key=key)
            .first()
        )
        if row is None:
            return None  # gone since (purged, or an abandoned claim removed): store ours
        if row.request_hash != fingerprint:
            raise IdempotencyKeyReused()
        if row.status == IdempotencyStatus.DONE and (
            row.check_in is not None or row.message is not None
        ):
            return row
        stale_before = timezone.now() - timedelta(seconds=settings.STRIDE_IDEMPOTENCY_STALE_SECONDS)
        if row.status == IdempotencyStatus.IN_FLIGHT and row.claimed_at < stale_before:
            IdempotencyKey.objects.filter(
                pk=row.pk, status=IdempotencyStatus.IN_FLIGHT, claimed_at=row.claimed_at
            ).delete()
            return None
        if time.monotonic() >= deadline:
            raise IdempotencyKeyInFlight()
        time.sleep(0.05)


def idempotency_store(
    *,
    patient: Patient,
    key: str,
    fingerprint: str,
    check_in: CheckIn | None = None,
    message: Message | None = None,
) -> None:
    """Store the key, done, with what it made, inside the caller's transaction. A second
    request with the same key waits on the unique index until the first commits, then gets
    IdempotencyKeyTaken (its transaction rolls back and it answers from the stored key)."""
    row = {
        "patient_id": patient.pk,
        "key": key,
        "request_hash": fingerprint,
        "status": IdempotencyStatus.DONE,
        "claimed_at": timezone.now(),
        "check_in_id": check_in.pk if check_in else None,
        "message_id": message.pk if message else None,
    }
    try:
        insert_row(IdempotencyKey, row)
    except IntegrityError as exc:
        raise IdempotencyKeyTaken() from exc


def _stored_check_in(*, patient: Patient, key: str, fingerprint: str) -> CheckIn | None:
    stored = idempotency_stored(patient=patient, key=key, fingerprint=fingerprint)
    if stored is None:
        return None
    if stored.check_in is None:  # the key made a message
        raise IdempotencyKeyReused()
    return stored.check_in


def _facts(check_in: "CheckIn | _Past") -> check_in_rules.CheckInFacts:
    return check_in_rules.CheckInFacts(
        recorded_at=check_in.recorded_at,
        pain_rest=check_in.pain_rest,
        pain_morning=check_in.pain_morning,
        ran=check_in.ran,
        run_minutes=check_in.run_minutes,
        run_km=float(check_in.run_km) if check_in.run_km is not None else None,
        pain_during_run=check_in.pain_during_run,
        pain_after_run=check_in.pain_after_run,
        pain_worsened_during_run=check_in.pain_worsened_during_run,
        symptoms=frozenset(check_in.symptoms),
        check_in_id=check_in.pk,
    )


def check_in_submit(
    *, patient: Patient, data: Mapping[str, Any], idempotency_key: str, fingerprint: str
) -> CheckInResult:
    """Store a check-in and act on it, once per idempotency key.

    In one transaction: the check-in is stored with its key, judged by the rules against the
    check-ins recorded before it, escalations are opened or grown (their outbox rows with
    them), the run ladder takes its decision and the patient's caseload summary is rebuilt.

    The key is written in that transaction, under the patient's row lock, so of two requests
    with one key the second finds the first's key once it has committed: its own transaction
    is rolled back, and it answers with the first's check-in (the same body) or
    IdempotencyKeyReused (another body). A refused request (validation, a discharged
    patient) stores no key.
    """
    while True:
        try:
            with transaction.atomic():
                check_in = _check_in_store_and_judge(
                    patient=patient,
                    data=data,
                    idempotency_key=idempotency_key,
                    fingerprint=fingerprint,
                )
            return CheckInResult(check_in=check_in, replayed=False)
        except IdempotencyKeyTaken:
            pass
        except CheckInRefused:
            # A retry of a check-in stored before the discharge still gets its answer.
            stored = _stored_check_in(patient=patient, key=idempotency_key, fingerprint=fingerprint)
            if stored is not None:
                return CheckInResult(check_in=stored, replayed=True)
            raise
        stored = _stored_check_in(patient=patient, key=idempotency_key, fingerprint=fingerprint)
        if stored is not None:
            return CheckInResult(check_in=stored, replayed=True)


_LOCK_SQL: dict[str, str] = {}


def _patient_lock_sql(connection: Any) -> str:
    """The patient row, locked (the patient's row only, `OF`), with the intake in force at a
    moment, whether the patient is on a run ladder and what an escalation's email needs of the
    therapist: one statement, written once per process. Built by the ORM it took longer to
    compile on every check-in than the rest of the check-in's queries together."""
    sql = _LOCK_SQL.get(connection.alias)
    if sql is None:
        patient, staff = Patient._meta, StaffUser._meta
        columns = ", ".join(f'p."{f.column}"' for f in patient.concrete_fields)
        therapist = ", ".join(f't."{f.column}"' for f in _therapist_fields())
        lock = ""
        if connection.features.has_select_for_update_of:
            lock = " FOR UPDATE OF p"
        elif connection.features.has_select_for_update:
            lock = " FOR UPDATE"
        # Table and column names come from the models; the values are parameters.
        sql = (
            f"SELECT {columns}, "  # noqa: S608
            f'(SELECT a."pain_worst_running" FROM "{Assessment._meta.db_table}" a '
            f'WHERE a."patient_id" = p."id" AND a."assessed_at" <= %s '
            f'ORDER BY a."assessed_at" DESC, a."id" DESC LIMIT 1) AS intake_pain_worst_running, '
            f'EXISTS (SELECT 1 FROM "{PatientLadder._meta.db_table}" l '
            f'WHERE l."patient_id" = p."id") AS on_ladder, '
            f"{therapist} "
            f'FROM "{patient.db_table}" p INNER JOIN "{staff.db_table}" t '
            f'ON t."{staff.pk.column}" = p."therapist_id" '
            f'WHERE p."id" = %s{lock}'
        )
        _LOCK_SQL[connection.alias] = sql
    return sql


@functools.cache
def _therapist_fields() -> tuple[Any, ...]:
    """What an escalation's email needs of the therapist, in the model's field order (the
    order `from_db` takes values in), after the id."""
    wanted = {"email", "is_active", "clinic_id"}
    return tuple(f for f in StaffUser._meta.concrete_fields if f.attname in wanted)


@dataclass(frozen=True)
class _Locked:
    patient: Patient  # its therapist: id, email, active and clinic read, the rest deferred
    intake_pain_worst_running: int | None
    on_ladder: bool


def _patient_locked(*, patient: Patient, recorded_at: datetime) -> _Locked:
    """The patient's row read again under its lock, with the intake in force at
    `recorded_at`, whether the patient is on a run ladder, and the therapist."""
    connection = connections[Patient.objects.db]
    at = connection.ops.adapt_datetimefield_value(recorded_at)
    fields = Patient._meta.concrete_fields
    rows = select_rows(
        _patient_lock_sql(connection),
        [at, patient.pk],
        [*fields, None, None, *_therapist_fields()],
        using=connection.alias,
    )
    if not rows:
        raise Patient.DoesNotExist()
    values = rows[0]
    count = len(fields)
    locked = Patient.from_db(connection.alias, [f.attname for f in fields], values[:count])
    intake, on_ladder, *therapist = values[count:]
    locked.therapist = StaffUser.from_db(
        connection.alias,
        ["id", *(f.attname for f in _therapist_fields())],
        [locked.therapist_id, *therapist],
    )
    return _Locked(patient=locked, intake_pain_worst_running=intake, on_ladder=bool(on_ladder))


class _Past(NamedTuple):
    """One of the patient's earlier check-ins: what the rules and the summary read of it."""

    pk: int
    recorded_at: datetime
    pain_rest: int
    pain_morning: int | None
    ran: bool
    run_minutes: int | None
    run_km: Decimal | None
    pain_during_run: int | None
    pain_after_run: int | None
    pain_worsened_during_run: bool
    symptoms: list[str]
    peak_pain: int
    advice_rules: list[str]
    exercises_completed: list[int]


@functools.cache
def _check_ins_since_sql() -> str:
    columns = ", ".join(f'"{field.column}"' for field in _past_fields())
    # Table and column names come from the model; the values are parameters.
    return (
        f'SELECT {columns} FROM "{CheckIn._meta.db_table}" '  # noqa: S608
        'WHERE "patient_id" = %s AND "recorded_at" >= %s ORDER BY "recorded_at", "id"'
    )


@functools.cache
def _past_fields() -> tuple[Any, ...]:
    return tuple(CheckIn._meta.get_field("id" if name == "pk" else name) for name in _Past._fields)


def _check_ins_since(*, patient_id: int, since: datetime) -> list[_Past]:
    """The patient's check-ins recorded from `since` on, oldest first, as rows."""
    connection = connections[CheckIn.objects.db]
    rows = select_rows(
        _check_ins_since_sql(),
        [patient_id, connection.ops.adapt_datetimefield_value(since)],
        _past_fields(),
        using=connection.alias,
    )
    return [_Past(*row) for row in rows]


def _check_in_store_and_judge(
    *,
    patient: Patient,
    data: Mapping[str, Any],
    idempotency_key: str | None = None,
    fingerprint: str = "",
) -> CheckIn:
    # One check-in of a patient at a time: judgement, escalations and ladder see one history.
    # Lock the patient row only (`of`): a FOR UPDATE over a join would lock the clinic row
    # too and serialise every check-in of the clinic behind one lock; the clinic comes from
    # the token's read instead (joining it again costs CPU on every check-in). The same
    # statement reads the intake in force at the check-in, whether the patient is on a
    # run ladder and the therapist an escalation is emailed to.
    now = timezone.now()
    recorded_at: datetime = data["recorded_at"]
    clinic = patient.clinic  # read with the token; the clinic row is not locked either way
    locked = _patient_locked(patient=patient, recorded_at=recorded_at)
    patient = locked.patient
    if patient.status == PatientStatus.DISCHARGED:
        raise CheckInRefused("You have been discharged; check-ins are closed.")
    patient.clinic = clinic
    thresholds = clinic.clinical_thresholds()
    check_in = CheckIn(clinic_id=patient.clinic_id, patient=patient, **data)
    if check_in.run_km is not None:
        check_in.run_km = Decimal(str(check_in.run_km)).quantize(Decimal("0.01"))
    # One read of the patient's check-ins serves the rules (the window before this one) and
    # the caseload summary (the last 14 local days, later ones included); as rows, not models.
    since = recorded_at - check_in_rules.history_window(thresholds)
    summary_since = summary_window_start(patient=patient, now=now)
    nearby = _check_ins_since(patient_id=patient.pk, since=min(since, summary_since))
    history = [past for past in nearby if since <= past.recorded_at < recorded_at]
    facts = _facts(check_in)
    judgement = check_in_rules.judge_check_in(
        check_in=facts,
        history=[_facts(past) for past in history],
        intake_pain_worst_running=locked.intake_pain_worst_running,
        thresholds=thresholds,
    )
    check_in.peak_pain = judgement.peak_pain
    check_in.advice_level = judgement.advice_level
    check_in.advice_rules = [finding.code for finding in judgement.findings]
    check_in.advice_message = check_in_rules.advice_message(
        level=judgement.advice_level, contact_line=clinic.contact_line
    )
    check_in.save()
    if idempotency_key is not None:
        idempotency_store(
            patient=patient, key=idempotency_key, fingerprint=fingerprint, check_in=check_in
        )
    raised = False
    for finding in judgement.findings:
        if finding.severity is None:
            continue  # advice only (pain_not_settled once, run_spike)
        raised = True
        escalation_raise(
            patient=patient,
            code=finding.code,
            evidence=EvidenceInput(
                severity=finding.severity,
                rationale=finding.rationale,
                values=finding.values,
                check_in_id=check_in.pk,
                recorded_at=check_in.recorded_at,
                received_at=check_in.received_at,
            ),
            refresh_summary=False,
        )
    # The ladder takes the rules' judgement as it is (settling, red flags, pain, a limp), so
    # that the advice and the ladder agree; a critical or high finding pauses running there.
    # Its row is read (and locked) only for a patient on a ladder.
    if locked.on_ladder:
        program_services.ladder_apply_check_in(
            patient=patient, facts=replace(facts, check_in_id=check_in.pk), judgement=judgement
        )
    # Last, after every escalation lock: the caseload's view of this patient. Escalations are
    # recounted only when this check-in raised one; every other change recounts them itself.
    summary_refresh(patient=patient, now=now, escalations=raised, check_ins=[*nearby, check_in])
    return check_in


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Forget keys older than STRIDE_IDEMPOTENCY_KEEP_DAYS (at least the 7 days promised)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.STRIDE_IDEMPOTENCY_KEEP_DAYS)
    deleted, _ = IdempotencyKey.objects.filter(claimed_at__lt=cutoff).delete()
    return deleted
