"""The reads other flows rely on: the latest intake at or before a moment (check-in baseline)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.selectors import latest_intake_at_or_before
from tests.assessments.conftest import make_intake

pytestmark = pytest.mark.django_db


def test_latest_intake_at_or_before_a_moment(alice, pat, quinn):
    now = timezone.now()
    first = make_intake(pat, alice, assessed_at=now - timedelta(days=60), pain_worst_running=8)
    second = make_intake(pat, alice, assessed_at=now - timedelta(days=20), pain_worst_running=6)
    make_intake(pat, alice, assessed_at=now - timedelta(days=1), pain_worst_running=3)
    make_intake(quinn, alice, assessed_at=now - timedelta(days=5))

    assert latest_intake_at_or_before(patient_id=pat.pk, moment=now - timedelta(days=2)) == second
    # At or before: an intake at the very moment is the one in force at that moment ...
    assert latest_intake_at_or_before(patient_id=pat.pk, moment=second.assessed_at) == second
    # ... and a microsecond earlier it was not yet.
    just_before = second.assessed_at - timedelta(microseconds=1)
    assert latest_intake_at_or_before(patient_id=pat.pk, moment=just_before) == first
    assert latest_intake_at_or_before(patient_id=pat.pk, moment=now - timedelta(days=61)) is None
    assert latest_intake_at_or_before(patient_id=quinn.pk, moment=now - timedelta(days=6)) is None


def test_latest_intake_at_or_before_is_one_query(alice, pat, django_assert_num_queries):
    make_intake(pat, alice)
    with django_assert_num_queries(1):
        intake = latest_intake_at_or_before(patient_id=pat.pk, moment=timezone.now())
    assert intake is not None and intake.pain_worst_running == 5
