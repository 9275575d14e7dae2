"""Check-in submission: idempotency, the rules engine, escalations and the ladder, in one
transaction (DESIGN.md, "Data flow of a check-in")."""

import hashlib
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments import checkin_rules
from assessments.selectors import latest_intake_at_or_before
from clinic.thresholds import ClinicalThresholds
from patients.models import (
    CheckIn,
    IdempotencyKey,
    IdempotencyStatus,
    Patient,
    PatientStatus,
)
from patients.services.escalations import EvidenceInput, escalation_raise
from patients.services.summaries import summary_refresh
from programs import services as program_services


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


def idempotency_claim(*, patient: Patient, key: str, fingerprint: str) -> IdempotencyKey | CheckIn:
    """Claim `key` for this patient, or return the check-in a finished request with it made."""
    claim, done = idempotency_claim_row(patient=patient, key=key, fingerprint=fingerprint)
    if not done:
        return claim
    if claim.check_in is None:  # the key made a message
        raise IdempotencyKeyReused()
    return claim.check_in


def idempotency_claim_row(
    *, patient: Patient, key: str, fingerprint: str
) -> tuple[IdempotencyKey, bool]:
    """Claim `key` for this patient: the row and whether a finished request already made it
    (then its `check_in` or `message` is the answer to replay).

    The claim commits at once (its own transaction), so a concurrent request sees it: the same
    body waits for the first to finish and gets its check-in; another body gets
    IdempotencyKeyReused; a claim still in flight after the wait gets IdempotencyKeyInFlight.
    A claim older than STRIDE_IDEMPOTENCY_STALE_SECONDS was abandoned and is taken over.
    """
    deadline = time.monotonic() + settings.STRIDE_IDEMPOTENCY_WAIT_SECONDS
    while True:
        try:
            with transaction.atomic():
                claim = IdempotencyKey.objects.create(
                    patient=patient,
                    key=key,
                    request_hash=fingerprint,
                    status=IdempotencyStatus.IN_FLIGHT,
                )
                return claim, False
        except IntegrityError:
            pass
        row = (
            IdempotencyKey.objects.select_related("check_in", "message")
            .filter(patient=patient, key=key)
            .first()
        )
        if row is None:
            continue  # released by a failed first request: claim it ourselves
        if row.request_hash != fingerprint:
            raise IdempotencyKeyReused()
        if row.status == IdempotencyStatus.DONE and (
            row.check_in is not None or row.message is not None
        ):
            return row, True
        now = timezone.now()
        stale_before = now - timedelta(seconds=settings.STRIDE_IDEMPOTENCY_STALE_SECONDS)
        if row.claimed_at < stale_before:
            taken = IdempotencyKey.objects.filter(
                pk=row.pk, status=IdempotencyStatus.IN_FLIGHT, claimed_at=row.claimed_at
            ).update(claimed_at=now)
            if taken == 1:
                row.claimed_at = now
                return row, False
        if time.monotonic() >= deadline:
            raise IdempotencyKeyInFlight()
        time.sleep(0.05)


def _facts(check_in: CheckIn) -> checkin_rules.CheckInFacts:
    return checkin_rules.CheckInFacts(
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


def checkin_history(
    *, patient: Patient, before: datetime, thresholds: ClinicalThresholds
) -> list[CheckIn]:
    """The patient's check-ins recorded in the window the rules look back over, before `before`."""
    since = before - checkin_rules.history_window(thresholds)
    return list(
        CheckIn.objects.filter(
            patient=patient, recorded_at__gte=since, recorded_at__lt=before
        ).order_by("recorded_at", "id")
    )


def checkin_submit(
    *, patient: Patient, data: Mapping[str, Any], idempotency_key: str, fingerprint: str
) -> CheckInResult:
    """Store a check-in and act on it, once per idempotency key.

    In one transaction: the check-in is stored, judged by the rules against the check-ins
    recorded before it, escalations are opened or grown (their outbox rows with them), the
    run ladder takes its decision, the patient's caseload summary is rebuilt, and the key is
    marked done with the check-in.
    """
    claim = idempotency_claim(patient=patient, key=idempotency_key, fingerprint=fingerprint)
    if isinstance(claim, CheckIn):
        return CheckInResult(check_in=claim, replayed=True)
    try:
        with transaction.atomic():
            check_in = _checkin_store_and_judge(patient=patient, data=data)
            claim.status = IdempotencyStatus.DONE
            claim.check_in = check_in
            claim.save(update_fields=["status", "check_in"])
    except BaseException:
        IdempotencyKey.objects.filter(pk=claim.pk, status=IdempotencyStatus.IN_FLIGHT).delete()
        raise
    return CheckInResult(check_in=check_in, replayed=False)


def _checkin_store_and_judge(*, patient: Patient, data: Mapping[str, Any]) -> CheckIn:
    # One check-in of a patient at a time: judgement, escalations and ladder see one history.
    # Lock the patient row only (`of`): with select_related a bare FOR UPDATE would lock the
    # clinic row too and serialise every check-in of the clinic behind one lock.
    patient = (
        Patient.objects.select_for_update(of=("self",)).select_related("clinic").get(pk=patient.pk)
    )
    if patient.status == PatientStatus.DISCHARGED:
        raise CheckInRefused("You have been discharged; check-ins are closed.")
    clinic = patient.clinic
    thresholds = clinic.clinical_thresholds()
    check_in = CheckIn(clinic_id=patient.clinic_id, patient=patient, **data)
    if check_in.run_km is not None:
        check_in.run_km = Decimal(str(check_in.run_km)).quantize(Decimal("0.01"))
    history = checkin_history(patient=patient, before=check_in.recorded_at, thresholds=thresholds)
    intake = latest_intake_at_or_before(patient_id=patient.pk, moment=check_in.recorded_at)
    facts = _facts(check_in)
    judgement = checkin_rules.judge_checkin(
        checkin=facts,
        history=[_facts(past) for past in history],
        intake_pain_worst_running=intake.pain_worst_running if intake else None,
        thresholds=thresholds,
    )
    check_in.peak_pain = judgement.peak_pain
    check_in.advice_level = judgement.advice_level
    check_in.advice_rules = [finding.code for finding in judgement.findings]
    check_in.advice_message = checkin_rules.advice_message(
        level=judgement.advice_level, contact_line=clinic.contact_line
    )
    check_in.save()
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
    program_services.ladder_apply_check_in(
        patient=patient, facts=replace(facts, check_in_id=check_in.pk), judgement=judgement
    )
    # Last, after every escalation lock: the caseload's view of this patient. Escalations are
    # recounted only when this check-in raised one; every other change recounts them itself.
    summary_refresh(patient=patient, escalations=raised)
    return check_in


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Forget keys older than STRIDE_IDEMPOTENCY_KEEP_DAYS (at least the 7 days promised)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.STRIDE_IDEMPOTENCY_KEEP_DAYS)
    deleted, _ = IdempotencyKey.objects.filter(claimed_at__lt=cutoff).delete()
    return deleted
