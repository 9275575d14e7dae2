"""The RTM codes of the CY2026 Medicare Physician Fee Schedule, effective 2026-01-01.

A new year is a migration like this one: close these rows (`effective_to`) and add the new
year's rows; the rules read whatever rows are effective in the month they count.
"""

import datetime as dt

from django.db import migrations

EFFECTIVE_FROM = dt.date(2026, 1, 1)

CODES_2026 = [
    {
        "code": "98975",
        "kind": "setup",
        "description": "Remote therapeutic monitoring: set-up and patient education, once per "
        "episode of care",
    },
    {
        "code": "98977",
        "kind": "device",
        "description": "Device supply, musculoskeletal, 16-30 days of data in a 30-day period",
        "min_days": 16,
        "max_days": 30,
        "excludes": ["98985"],
    },
    {
        "code": "98985",
        "kind": "device",
        "description": "Device supply, musculoskeletal, 2-15 days of data in a 30-day period",
        "min_days": 2,
        "max_days": 15,
        "excludes": ["98977"],
    },
    {
        "code": "98979",
        "kind": "management",
        "description": "Treatment management, first 10 minutes in a calendar month, with an "
        "interactive communication",
        "min_minutes": 10,
        "max_minutes": 19,
        "requires_interactive": True,
        "excludes": ["98980"],
    },
    {
        "code": "98980",
        "kind": "management",
        "description": "Treatment management, first 20 minutes in a calendar month, with an "
        "interactive communication",
        "min_minutes": 20,
        "requires_interactive": True,
        "excludes": ["98979"],
    },
    {
        "code": "98981",
        "kind": "add_on",
        "description": "Treatment management, each additional 20 minutes",
        "min_minutes": 40,
        "unit_minutes": 20,
        "with_code": "98980",
    },
]


def load(apps, schema_editor):
    RtmCode = apps.get_model("monitoring", "RtmCode")
    for row in CODES_2026:
        RtmCode.objects.update_or_create(
            code=row["code"],
            effective_from=EFFECTIVE_FROM,
            defaults={k: v for k, v in row.items() if k != "code"},
        )


def unload(apps, schema_editor):
    apps.get_model("monitoring", "RtmCode").objects.filter(effective_from=EFFECTIVE_FROM).delete()


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_monitoring_record")]

    operations = [migrations.RunPython(load, unload)]
