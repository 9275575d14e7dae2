"""Writes for intakes and outcome measures: store, judge with the pure rules, escalate."""

from typing import Any

from django.db import transaction

from assessments.models import Assessment, QuestionnaireResponse, QuestionnaireSource
from assessments.rules import scoring
from assessments.rules import triage as rules
from clinic.models import StaffUser
from clinical.escalations import RuleCode
from clinical.intake import TriageLevel
from clinical.severity import Severity
from clinical.symptoms import EMERGENCY_SYMPTOMS, Symptom
from patients.models import Patient
from patients.services import EvidenceInput, escalation_raise

INTAKE_URGENT_REFERRAL = RuleCode.INTAKE_URGENT_REFERRAL

_LIST_FIELDS = ("aggravators", "recent_changes", "findings", "symptoms")


def intake_facts(data: dict[str, Any]) -> rules.IntakeFacts:
    """The rules' input from validated intake fields."""
    return rules.IntakeFacts(
        location=data["location"],
        timing=data["timing"],
        pain_rest=data["pain_rest"],
        pain_worst_running=data["pain_worst_running"],
        aggravators=frozenset(data.get("aggravators") or ()),
        symptoms=frozenset(data.get("symptoms") or ()),
        trauma_unable_to_bear_weight=bool(data.get("trauma_unable_to_bear_weight", False)),
        weekly_km_now=data.get("weekly_km_now"),
        weekly_km_4_weeks_ago=data.get("weekly_km_4_weeks_ago"),
        recent_changes=frozenset(data.get("recent_changes") or ()),
        years_running=data.get("years_running"),
        cadence_spm=data.get("cadence_spm"),
        overstriding=data.get("overstriding"),
        shoe_km=data.get("shoe_km"),
        asymmetry=data.get("asymmetry"),
        findings=frozenset(data.get("findings") or ()),
    )


def _urgent_referral_evidence(assessment: Assessment) -> EvidenceInput:
    reasons = [r for r in assessment.triage["reasons"] if r["level"] == TriageLevel.URGENT_REFERRAL]
    emergency = [s for s in assessment.symptoms if Symptom(s) in EMERGENCY_SYMPTOMS]
    rationale = f"Intake {assessment.pk}: urgent referral: " + "; ".join(
        r["detail"] for r in reasons
    )
    return EvidenceInput(
        severity=Severity.CRITICAL,
        rationale=rationale,
        values={
            "triage": TriageLevel.URGENT_REFERRAL.value,
            "reasons": [r["code"] for r in reasons],
            "emergency_symptoms": emergency,
            "trauma_unable_to_bear_weight": assessment.trauma_unable_to_bear_weight,
            "pain_rest": assessment.pain_rest,
            "pain_worst_running": assessment.pain_worst_running,
        },
        assessment_id=assessment.pk,
    )


@transaction.atomic
def assessment_create(*, patient: Patient, by: StaffUser, data: dict[str, Any]) -> Assessment:
    """Store an intake with its triage, patterns and factors (clinic thresholds).

    An urgent referral opens (or adds to) the patient's critical `intake_urgent_referral`
    escalation in the same transaction, so the intake never exists without it.
    """
    if by.clinic_id != patient.clinic_id:
        raise ValueError("Staff can only assess their own clinic's patients.")
    data = {name: value for name, value in data.items() if name != "patient"}
    evaluation = rules.evaluate_intake(intake_facts(data), patient.clinic.clinical_thresholds())
    result = evaluation.as_json()
    for name in _LIST_FIELDS:
        data[name] = list(data.get(name) or [])
    assessment = Assessment.objects.create(
        clinic_id=patient.clinic_id,
        patient=patient,
        created_by=by,
        triage_level=result["triage"]["level"],
        **result,
        **data,
    )
    if assessment.triage_level == TriageLevel.URGENT_REFERRAL:
        escalation_raise(
            patient=patient,
            code=INTAKE_URGENT_REFERRAL,
            evidence=_urgent_referral_evidence(assessment),
        )
    return assessment


def questionnaire_record(
    *, patient: Patient, data: dict[str, Any], by: StaffUser | None = None
) -> QuestionnaireResponse:
    """Store an outcome-measure response with its scores; `by` is None when the patient sent it.

    The answers must already be valid for the instrument (see `scoring.answer_errors`).
    """
    if by is not None and by.clinic_id != patient.clinic_id:
        raise ValueError("Staff can only record their own clinic's patients.")
    instrument, answers = data["instrument"], dict(data["answers"])
    if scoring.answer_errors(instrument, answers):
        raise ValueError("The answers do not fit the instrument.")
    extra = {"recorded_at": data["recorded_at"]} if data.get("recorded_at") else {}
    return QuestionnaireResponse.objects.create(
        clinic_id=patient.clinic_id,
        patient=patient,
        instrument=instrument,
        answers=answers,
        scores=scoring.score(instrument, answers),
        source=QuestionnaireSource.STAFF if by is not None else QuestionnaireSource.PATIENT,
        recorded_by=by,
        **extra,
    )
