"""One spelling of check-in: the stored threshold overrides `baseline_min_checkins` and
`weekly_min_checkins` are now `baseline_min_check_ins` and `weekly_min_check_ins`. Without this a
clinic's override would be dropped as an unknown name and the default would apply."""

from django.db import migrations

RENAMED = {"baseline_min_checkins": "baseline_min_check_ins", "weekly_min_checkins": "weekly_min_check_ins"}


def _respell(apps, names):
    clinic = apps.get_model("clinic", "Clinic")
    for row in clinic.objects.only("id", "thresholds"):
        if not isinstance(row.thresholds, dict) or not names.keys() & row.thresholds.keys():
            continue
        thresholds = {names.get(k, k): v for k, v in row.thresholds.items()}
        clinic.objects.filter(pk=row.pk).update(thresholds=thresholds)


def forwards(apps, schema_editor):
    _respell(apps, RENAMED)


def backwards(apps, schema_editor):
    _respell(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("clinic", "0004_staffuser_credential")]

    operations = [migrations.RunPython(forwards, backwards)]
