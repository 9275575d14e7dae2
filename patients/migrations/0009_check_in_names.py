"""One spelling of check-in: `check_in` in field, constraint and evidence names.

The evidence already stored keeps its meaning: its value names (`checkins_last_7_days`,
`weekly_min_checkins`, ...) and the baseline source `checkins` are rewritten the same way, so an
old escalation reads like a new one.
"""

from django.conf import settings
from django.db import migrations, models


def _respell(value, old, new):
    if isinstance(value, dict):
        return {k.replace(old, new): _respell(v, old, new) for k, v in value.items()}
    if value == old + "s":
        return new + "s"
    return value


def _evidence_respelled(apps, old, new):
    evidence = apps.get_model("patients", "EscalationEvidence")
    for row in evidence.objects.only("id", "values").iterator(chunk_size=2000):
        values = _respell(row.values, old, new)
        if values != row.values:
            evidence.objects.filter(pk=row.pk).update(values=values)


def evidence_forwards(apps, schema_editor):
    _evidence_respelled(apps, "checkin", "check_in")


def evidence_backwards(apps, schema_editor):
    _evidence_respelled(apps, "check_in", "checkin")


class Migration(migrations.Migration):

    dependencies = [
        ('clinic', '0004_staffuser_credential'),
        ('patients', '0008_clinical_vocabulary_choices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='checkin',
            name='checkin_pain_0_to_10',
        ),
        migrations.RemoveConstraint(
            model_name='patient',
            name='patient_checkin_weekdays_mask',
        ),
        migrations.RenameField(
            model_name='patient',
            old_name='checkin_time',
            new_name='check_in_time',
        ),
        migrations.RenameField(
            model_name='patient',
            old_name='checkin_weekdays',
            new_name='check_in_weekdays',
        ),
        migrations.RenameField(
            model_name='patientsummary',
            old_name='last_checkin_at',
            new_name='last_check_in_at',
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.CheckConstraint(condition=models.Q(('pain_rest__lte', 10), models.Q(('pain_morning__isnull', True), ('pain_morning__lte', 10), _connector='OR'), models.Q(('pain_during_run__isnull', True), ('pain_during_run__lte', 10), _connector='OR'), models.Q(('pain_after_run__isnull', True), ('pain_after_run__lte', 10), _connector='OR')), name='check_in_pain_0_to_10'),
        ),
        migrations.AddConstraint(
            model_name='patient',
            constraint=models.CheckConstraint(condition=models.Q(('check_in_weekdays__lte', 127)), name='patient_check_in_weekdays_mask'),
        ),
        migrations.RunPython(evidence_forwards, evidence_backwards),
    ]
