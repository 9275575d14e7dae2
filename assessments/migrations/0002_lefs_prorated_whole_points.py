# LEFS with 1-4 items missing is prorated and rounded to a whole point, a half up.

import math
from fractions import Fraction

from django.db import migrations

LEFS_ITEMS = [str(i) for i in range(1, 21)]


def lefs_total(answers):
    answered = [answers[item] for item in LEFS_ITEMS if item in answers]
    if len(LEFS_ITEMS) - len(answered) > 4:
        return None
    return math.floor(Fraction(sum(answered) * len(LEFS_ITEMS), len(answered)) + Fraction(1, 2))


def rescore_lefs(apps, schema_editor):
    """Stored LEFS totals were kept to one decimal (56.3, and 40.0 for a complete one)."""
    QuestionnaireResponse = apps.get_model("assessments", "QuestionnaireResponse")
    for response in QuestionnaireResponse.objects.filter(instrument="lefs").iterator():
        total, stored = lefs_total(response.answers), response.scores.get("total")
        if stored != total or type(stored) is not type(total):
            response.scores = {**response.scores, "total": total}
            response.save(update_fields=["scores"])


class Migration(migrations.Migration):

    dependencies = [
        ("assessments", "0001_initial"),
    ]

    operations = [migrations.RunPython(rescore_lefs, migrations.RunPython.noop)]
