"""The muscle groups each shipped exercise trains, main ones first (the library's search and
`?muscle=` filter). The data lives here, not in app code, so this migration means the same
thing forever."""

from typing import Any

from django.db import migrations

MUSCLES = {
    "clamshell": ["hip_abductors", "glutes"],
    "side_lying_leg_raise": ["hip_abductors"],
    "glute_bridge": ["glutes", "hamstrings", "core"],
    "single_leg_bridge": ["glutes", "hamstrings", "core"],
    "banded_side_step": ["hip_abductors", "glutes"],
    "side_plank": ["core", "hip_abductors"],
    "hip_hitch": ["hip_abductors"],
    "wall_sit": ["quadriceps", "glutes"],
    "banded_isometric_squat": ["quadriceps"],
    "step_down": ["quadriceps", "glutes", "hip_abductors"],
    "step_up": ["quadriceps", "glutes"],
    "split_squat": ["quadriceps", "glutes", "hip_adductors"],
    "terminal_knee_extension": ["quadriceps"],
    "decline_squat": ["quadriceps"],
    "straight_leg_raise": ["quadriceps", "hip_flexors"],
    "bridge_walkout": ["hamstrings", "glutes", "core"],
    "single_leg_deadlift": ["hamstrings", "glutes", "core"],
    "sliding_leg_curl": ["hamstrings", "glutes"],
    "calf_raise": ["calves"],
    "single_leg_calf_raise": ["calves", "ankle_foot"],
    "bent_knee_calf_raise": ["calves"],
    "knee_to_wall": ["calves", "ankle_foot"],
    "calf_stretch": ["calves"],
    "hip_flexor_stretch": ["hip_flexors", "quadriceps"],
    "quad_stretch": ["quadriceps", "hip_flexors"],
    "figure_four_stretch": ["glutes"],
    "hip_switches": ["glutes", "hip_abductors", "hip_adductors"],
    "single_leg_balance": ["ankle_foot", "hip_abductors", "core"],
    "single_leg_reach": ["glutes", "hip_abductors", "core", "ankle_foot"],
    "single_leg_mini_squat": ["quadriceps", "glutes", "hip_abductors"],
}


def fill(apps: Any, schema_editor: Any) -> None:
    Exercise = apps.get_model("programs", "Exercise")
    for code, muscles in MUSCLES.items():
        Exercise.objects.filter(clinic__isnull=True, code=code).update(muscles=muscles)


def empty(apps: Any, schema_editor: Any) -> None:
    Exercise = apps.get_model("programs", "Exercise")
    Exercise.objects.filter(clinic__isnull=True, code__in=list(MUSCLES)).update(muscles=[])


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_exercise_muscles")]

    operations = [migrations.RunPython(fill, empty)]
