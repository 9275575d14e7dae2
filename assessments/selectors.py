"""Reads of intakes and outcome measures, with what each view needs loaded up front."""

from collections.abc import Iterable
from datetime import datetime

from django.db.models import JSONField, OuterRef, QuerySet, Subquery

from assessments.models import Assessment, QuestionnaireResponse
from clinic.models import Clinic
from patients.models import Patient


def assessment_list(*, clinic: Clinic) -> QuerySet[Assessment]:
    """The clinic's intakes, newest first; the serializer reads only local columns."""
    return Assessment.objects.filter(clinic=clinic)


def latest_intake_at_or_before(*, patient_id: int, moment: datetime) -> Assessment | None:
    """The patient's latest intake assessed at or before `moment` (for the check-in rules).

    An intake assessed at the very instant a check-in was recorded is the one in force for
    it: unlike a check-in at the same instant, which is not part of the check-in's past.
    """
    return (
        Assessment.objects.filter(patient_id=patient_id, assessed_at__lte=moment)
        .order_by("-assessed_at", "-id")
        .first()
    )


def latest_intake_pain_by_patient(
    *, patient_ids: Iterable[int], moment: datetime
) -> dict[int, int]:
    """`pain_worst_running` of each patient's latest intake at or before `moment`, in one
    query; patients without an intake are left out."""
    latest = Assessment.objects.filter(patient_id=OuterRef("pk"), assessed_at__lte=moment).order_by(
        "-assessed_at", "-id"
    )
    rows = (
        Patient.objects.filter(pk__in=list(patient_ids))
        .annotate(intake_pain=Subquery(latest.values("pain_worst_running")[:1]))
        .values_list("pk", "intake_pain")
    )
    return {pk: pain for pk, pain in rows if pain is not None}


def _with_first_response(
    queryset: QuerySet[QuestionnaireResponse],
) -> QuerySet[QuestionnaireResponse]:
    """Annotate each response with the id and scores of the patient's first of its instrument.

    "First" is by `recorded_at` (then id), so a response entered late for an earlier date
    becomes the reference; the comparison is made when read, from the stored scores.
    """
    first = QuestionnaireResponse.objects.filter(
        patient_id=OuterRef("patient_id"), instrument=OuterRef("instrument")
    ).order_by("recorded_at", "id")
    return queryset.annotate(
        first_id=Subquery(first.values("id")[:1]),
        first_scores=Subquery(first.values("scores")[:1], output_field=JSONField()),
    )


def questionnaire_list(*, patient: Patient) -> QuerySet[QuestionnaireResponse]:
    return _with_first_response(QuestionnaireResponse.objects.filter(patient=patient))


def questionnaire_get(*, response_id: int) -> QuestionnaireResponse:
    return _with_first_response(QuestionnaireResponse.objects.filter(pk=response_id)).get()
