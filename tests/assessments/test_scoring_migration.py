"""The migration that rescored stored LEFS totals to whole points (a database test)."""

import pytest

LEFS_ITEMS = [str(i) for i in range(1, 21)]
PF_ITEMS = [str(i) for i in range(1, 12)]


@pytest.mark.django_db
def test_stored_lefs_totals_are_rescored_to_whole_points(alice, pat):
    from importlib import import_module

    from django.apps import apps

    from assessments.models import QuestionnaireResponse
    from tests.assessments.conftest import make_response

    migration = import_module("assessments.migrations.0002_lefs_prorated_whole_points")
    prorated = make_response(pat, "lefs", dict.fromkeys(LEFS_ITEMS[:16], 3) | {"1": 2, "2": 2})
    complete = make_response(pat, "lefs", dict.fromkeys(LEFS_ITEMS, 2))
    koos_pf = make_response(pat, "koos_pf", dict.fromkeys(PF_ITEMS[:6], 1))
    # As the one-decimal scoring stored them: 46 x 20 / 16 = 57.5, and 40.0.
    QuestionnaireResponse.objects.filter(pk=prorated.pk).update(scores={"total": 57.5})
    QuestionnaireResponse.objects.filter(pk=complete.pk).update(scores={"total": 40.0})
    migration.rescore_lefs(apps, None)
    scores = dict(QuestionnaireResponse.objects.values_list("pk", "scores"))
    assert scores[prorated.pk] == {"total": 58}
    assert type(scores[complete.pk]["total"]) is int and scores[complete.pk] == {"total": 40}
    assert scores[koos_pf.pk] == {"total": 75.0}
