"""The library Stride ships: exercises, program templates for the common patterns, and the
default return-to-run ladder (docs/clinical-rules.md). All rows have clinic NULL (shared, read-only).

The instructions are written for Stride in plain language for runners. The data lives here,
not in app code, so that this migration means the same thing forever.
"""

from django.db import migrations

# code, name, region, kind, focus, (sets, reps, hold seconds, load, days per week), instructions
EXERCISES = [
    # Hip and glute strength
    (
        "clamshell", "Clamshell", "hip", "strength", ["hip_strength"],
        (3, 15, 0, "body weight", 3),
        "Lie on your side with hips and knees bent and your heels together. Keeping the feet "
        "touching and your pelvis still, lift the top knee as far as you can without rolling "
        "backwards, then lower it slowly. You should feel the side of your hip working, not "
        "your back. Add a loop band above the knees when 15 feel easy.",
    ),
    (
        "side_lying_leg_raise", "Side-lying leg raise", "hip", "strength", ["hip_strength"],
        (3, 12, 0, "body weight", 3),
        "Lie on your side with the bottom knee bent for balance and the top leg straight, in "
        "line with your body. Lift the top leg about a foot, leading with the heel and keeping "
        "the toes pointing forward, then lower it over two or three seconds. Do not let the "
        "leg drift forward or your hips roll back.",
    ),
    (
        "glute_bridge", "Glute bridge", "hip", "strength", ["hip_strength", "general"],
        (3, 12, 2, "body weight", 3),
        "Lie on your back with knees bent and feet flat, hip-width apart. Squeeze your "
        "buttocks and lift your hips until shoulders, hips and knees are in a line; hold for "
        "two seconds and lower slowly. Keep your ribs down so the work stays in the hips "
        "rather than the lower back.",
    ),
    (
        "single_leg_bridge", "Single-leg bridge", "hip", "strength", ["hip_strength"],
        (3, 8, 2, "body weight", 3),
        "Set up as for a glute bridge, then straighten one leg so that both thighs stay level. "
        "Push through the heel of the bent leg to lift your hips without letting the pelvis "
        "tip to one side. Lower slowly and finish all repetitions before switching legs.",
    ),
    (
        "banded_side_step", "Side steps with a band", "hip", "strength", ["hip_strength"],
        (3, 10, 0, "light loop band", 3),
        "Put a loop band around your legs just above the ankles. Stand in a half squat with "
        "feet hip-width apart and take ten steps sideways, then ten back, keeping the band "
        "tight the whole time. Keep your toes pointing forward and your knees from falling "
        "inward.",
    ),
    (
        "side_plank", "Side plank", "trunk", "strength", ["hip_strength"],
        (3, 1, 20, "body weight", 3),
        "Lie on your side propped on your forearm, elbow under the shoulder, knees bent. Lift "
        "your hips so your body is a straight line from head to knees and hold. When 30 "
        "seconds is easy, straighten the legs; later, lift the top leg while you hold.",
    ),
    (
        "hip_hitch", "Hip hitch", "hip", "strength", ["hip_strength", "balance_control"],
        (3, 12, 0, "body weight", 3),
        "Stand sideways on a step on one leg, the other foot hanging off the edge. Keeping the "
        "standing knee straight, let the hanging side of the pelvis drop a little, then lift it "
        "back up level using the side of the standing hip. Move slowly, and hold a rail for "
        "balance if you need to.",
    ),
    # Quadriceps
    (
        "wall_sit", "Wall sit", "thigh", "strength", ["quadriceps_strength"],
        (3, 1, 30, "body weight", 4),
        "Lean your back against a wall and slide down until your knees are bent to a depth "
        "that is comfortable, never deeper than a right angle, with your feet about a foot "
        "from the wall. Hold while breathing normally. Knee discomfort up to 3 out of 10 is "
        "acceptable; if it goes higher, come up a little.",
    ),
    (
        "banded_isometric_squat", "Banded isometric squat", "thigh", "strength",
        ["quadriceps_strength"],
        (5, 1, 45, "heavy band or strap", 4),
        "Loop a heavy band or strap around a fixed post and behind both knees. Step back until "
        "it is tight, then sit back into a squat with your shins upright, letting the band "
        "hold your knees. Hold the position. It often eases pain at the tendon below the "
        "kneecap for a while afterwards.",
    ),
    (
        "step_down", "Forward step-down", "thigh", "strength",
        ["quadriceps_strength", "balance_control"],
        (3, 10, 0, "body weight", 3),
        "Stand on one leg on a low step. Slowly bend that knee to lower the other heel toward "
        "the floor in front, touch it lightly, and straighten back up. Keep the standing knee "
        "in line with your middle toes and your pelvis level. Start low and raise the step as "
        "your control improves.",
    ),
    (
        "step_up", "Step-up", "thigh", "strength", ["quadriceps_strength", "general"],
        (3, 10, 0, "body weight", 3),
        "Put one foot on a sturdy step or bench. Push through that foot to stand up tall on "
        "the step without pushing off the back leg, then lower yourself slowly. Choose a "
        "height at which your knee stays in line with your toes.",
    ),
    (
        "split_squat", "Split squat", "thigh", "strength", ["quadriceps_strength"],
        (3, 8, 0, "body weight, then dumbbells", 3),
        "Stand with one foot well in front of the other, back heel lifted. Lower straight "
        "down until the back knee nearly touches the floor, then drive up through the front "
        "foot. Keep your trunk upright. Hold dumbbells once three sets of eight are easy.",
    ),
    (
        "terminal_knee_extension", "Terminal knee extension", "thigh", "strength",
        ["quadriceps_strength"],
        (3, 15, 2, "medium loop band", 3),
        "Anchor a band at knee height and loop it behind one knee, then step back until it "
        "pulls the knee slightly bent. Straighten the knee fully by tightening your thigh, "
        "hold for two seconds, and let it bend again slowly. Keep the heel on the floor.",
    ),
    (
        "decline_squat", "Decline single-leg squat", "thigh", "strength",
        ["quadriceps_strength"],
        (3, 15, 0, "body weight", 3),
        "Stand on one leg on a board tilted so your toes point downhill. Bend the knee slowly, "
        "over three seconds, to about a third of the way down, and use the other leg to help "
        "you back up. This loads the tendon below the kneecap: pain up to 3 out of 10 that "
        "has settled by the next morning is acceptable.",
    ),
    (
        "straight_leg_raise", "Straight-leg raise", "thigh", "strength",
        ["quadriceps_strength", "general"],
        (3, 12, 2, "body weight", 5),
        "Lie on your back with one knee bent and the other leg straight. Tighten the thigh of "
        "the straight leg so the knee locks, lift it to the height of the other knee, hold for "
        "two seconds and lower slowly. A good first exercise while bending the knee under "
        "load still hurts.",
    ),
    # Hamstrings
    (
        "bridge_walkout", "Bridge walk-out", "thigh", "strength", ["general"],
        (3, 6, 0, "body weight", 2),
        "Lift into a glute bridge. Keeping your hips up, take small steps with your heels away "
        "from you, three or four of them, then walk them back in. Stop walking out before your "
        "hips sag or the back of your thigh starts to cramp.",
    ),
    (
        "single_leg_deadlift", "Single-leg Romanian deadlift", "thigh", "strength",
        ["balance_control", "hip_strength", "general"],
        (3, 8, 0, "body weight, then a light weight", 3),
        "Stand on one leg with a soft knee. Hinge forward from the hip, reaching your hands "
        "toward the floor as the free leg goes back, until you feel a stretch in the back of "
        "the standing thigh. Come back up by squeezing the buttock. Keep your hips square to "
        "the floor, and hold a light weight once your balance is steady.",
    ),
    (
        "sliding_leg_curl", "Sliding leg curl", "thigh", "strength", ["general"],
        (3, 8, 0, "towel or sliders", 2),
        "Lie on your back with your heels on a towel on a smooth floor. Lift your hips into a "
        "bridge, slide the heels away until your legs are nearly straight, and pull them back "
        "in, keeping the hips up all the time. Use both legs at first and one leg when that "
        "is easy.",
    ),
    # Calves
    (
        "calf_raise", "Double-leg calf raise", "lower_leg", "strength",
        ["calf_strength", "general"],
        (3, 15, 0, "body weight", 3),
        "Stand with the balls of your feet on the edge of a step, holding a rail. Rise onto "
        "your toes as high as you can, pause, and lower your heels slowly below the step, "
        "taking about three seconds on the way down.",
    ),
    (
        "single_leg_calf_raise", "Single-leg calf raise", "lower_leg", "strength",
        ["calf_strength"],
        (3, 12, 0, "body weight", 3),
        "Do the calf raise on one leg, knee straight, lifting the heel as high as the other "
        "side can. Running asks a lot of the calves: build toward 25 slow repetitions on each "
        "leg, then add a backpack with some weight in it.",
    ),
    (
        "bent_knee_calf_raise", "Bent-knee calf raise", "lower_leg", "strength",
        ["calf_strength"],
        (3, 15, 0, "body weight", 3),
        "Stand with your knees bent a little, as if about to sit, and rise onto your toes "
        "while keeping that bend. This works the deep calf muscle (soleus) that takes much of "
        "the load when you run. Lower slowly.",
    ),
    # Ankle and hip mobility
    (
        "knee_to_wall", "Knee-to-wall ankle mobility", "ankle_foot", "mobility", ["mobility"],
        (2, 10, 0, "", 5),
        "Face a wall with one foot a hand's width from it. Keeping the heel down, push the "
        "knee forward to touch the wall, then back. When that is easy, move the foot a little "
        "further back. Compare both sides: the stiffer ankle needs this most.",
    ),
    (
        "calf_stretch", "Wall calf stretch", "lower_leg", "mobility", ["mobility"],
        (2, 3, 30, "", 5),
        "Stand facing a wall with your hands on it and one foot back. Keep the back heel down "
        "and the back knee straight, and lean in until you feel a stretch in the calf. Hold, "
        "then repeat with the back knee slightly bent to reach lower in the calf.",
    ),
    (
        "hip_flexor_stretch", "Kneeling hip flexor stretch", "hip", "mobility", ["mobility"],
        (2, 3, 30, "", 5),
        "Kneel on one knee with the other foot in front. Tuck your pelvis under by squeezing "
        "the buttock on the kneeling side, then shift forward until you feel a stretch at the "
        "front of that hip. Do not arch your lower back to go further.",
    ),
    (
        "quad_stretch", "Standing thigh stretch", "thigh", "mobility", ["mobility"],
        (2, 3, 30, "", 5),
        "Stand tall holding a wall, bend one knee and hold the ankle behind you. Bring your "
        "knees together and gently push the hip forward until you feel a stretch along the "
        "front of the thigh. If holding the ankle hurts your knee, loop a towel around the "
        "foot instead.",
    ),
    (
        "figure_four_stretch", "Figure-four buttock stretch", "hip", "mobility", ["mobility"],
        (2, 3, 30, "", 5),
        "Lie on your back, cross one ankle over the opposite knee, and pull the lower thigh "
        "toward your chest until you feel a stretch deep in the buttock of the crossed leg. "
        "Keep your head and shoulders relaxed on the floor.",
    ),
    (
        "hip_switches", "Hip switches (90/90)", "hip", "mobility", ["mobility"],
        (2, 8, 0, "", 4),
        "Sit on the floor with both knees bent to a right angle, one leg in front of you and "
        "one to the side. Keeping your feet on the floor, turn both knees over to the other "
        "side and back, slowly, moving from the hips. Sit tall, with your hands behind you "
        "for support if needed.",
    ),
    # Balance and single-leg control
    (
        "single_leg_balance", "Single-leg balance", "whole_leg", "balance",
        ["balance_control", "general"],
        (3, 1, 30, "", 5),
        "Stand on one leg with the knee slightly bent, near a wall or counter in case you need "
        "it. Hold steady without the hip dropping on the free side. Make it harder by closing "
        "your eyes or standing on a cushion.",
    ),
    (
        "single_leg_reach", "Single-leg reach", "whole_leg", "balance", ["balance_control"],
        (3, 6, 0, "", 3),
        "Balance on one leg. With the other foot, reach as far as you can forward, to the side "
        "and behind, tapping the floor lightly each time and coming back to the middle without "
        "putting weight on the reaching foot. Keep the standing knee in line with your middle "
        "toes.",
    ),
    (
        "single_leg_mini_squat", "Single-leg mini squat", "whole_leg", "balance",
        ["balance_control", "quadriceps_strength"],
        (3, 10, 0, "body weight", 3),
        "Stand on one leg facing a mirror. Bend the knee a quarter of the way down and come "
        "back up, watching that the knee stays over your middle toes and the pelvis stays "
        "level. Slow and controlled matters more than depth.",
    ),
]

# code, name, pattern, focus, exercise codes, description, guidance
TEMPLATES = [
    (
        "patellofemoral_pain", "Patellofemoral pain", "patellofemoral_pain",
        ["hip_strength", "quadriceps_strength", "mobility"],
        [
            "clamshell", "side_lying_leg_raise", "glute_bridge", "straight_leg_raise",
            "wall_sit", "step_down", "terminal_knee_extension", "quad_stretch",
        ],
        "Hip and thigh strength for pain around or behind the kneecap.",
        "Ease the loads that aggravate it (downhill running, stairs, deep squats, long sitting) "
        "at first, then build knee bending under load as pain allows. Pair with the "
        "return-to-run ladder.",
    ),
    (
        "iliotibial_band", "Iliotibial band", "iliotibial_band_syndrome",
        ["hip_strength", "balance_control", "mobility", "gait_cadence"],
        [
            "side_lying_leg_raise", "side_plank", "banded_side_step", "hip_hitch",
            "single_leg_deadlift", "single_leg_balance", "hip_flexor_stretch",
            "figure_four_stretch",
        ],
        "Side-of-hip strength and single-leg control for pain on the outside of the knee.",
        "A step rate 5-10 % higher at the same pace often takes load off the outside of the "
        "knee. Keep early runs flat and short; long downhill runs come last.",
    ),
    (
        "patellar_tendon", "Patellar tendon", "patellar_tendinopathy",
        ["quadriceps_strength", "calf_strength"],
        [
            "banded_isometric_squat", "decline_squat", "split_squat", "step_up",
            "single_leg_calf_raise", "quad_stretch",
        ],
        "Progressive loading for pain at the tendon just below the kneecap.",
        "Tendons respond to steady, progressive load: holds first, then slow heavy work, then "
        "faster loading before hills, speed work or jumping. Pain up to 3 out of 10 while "
        "loading that has settled by the next morning is acceptable.",
    ),
    (
        "general_knee", "General knee", "",
        [
            "general", "load_management", "gait_cadence", "footwear_review", "calf_strength",
            "balance_control", "mobility",
        ],
        [
            "glute_bridge", "step_up", "wall_sit", "calf_raise", "bent_knee_calf_raise",
            "bridge_walkout", "single_leg_balance", "knee_to_wall", "calf_stretch",
        ],
        "Whole-leg strength, balance and mobility for runners with knee pain.",
        "Load: follow the return-to-run ladder and keep weekly distance within 30 % of four "
        "weeks ago. Cadence: with fewer than 160 steps a minute or overstriding, try 5-10 % "
        "more steps at the same pace. Footwear: shoes past about 800 km are worth replacing.",
    ),
]

# run minutes, walk minutes, repeats (docs/clinical-rules.md, "Run ladder")
DEFAULT_LADDER = [(1, 2, 6), (2, 2, 5), (3, 1, 5), (5, 1, 4), (8, 1, 3), (12, 1, 2), (20, 0, 1), (30, 0, 1)]


def ship(apps, schema_editor):
    Exercise = apps.get_model("programs", "Exercise")
    ExerciseFocus = apps.get_model("programs", "ExerciseFocus")
    ProgramTemplate = apps.get_model("programs", "ProgramTemplate")
    TemplateFocus = apps.get_model("programs", "TemplateFocus")
    TemplateExercise = apps.get_model("programs", "TemplateExercise")
    RunLadder = apps.get_model("programs", "RunLadder")
    RunLadderLevel = apps.get_model("programs", "RunLadderLevel")

    by_code = {}
    for code, name, region, kind, focus, dose, instructions in EXERCISES:
        sets, reps, hold, load, days = dose
        exercise = Exercise.objects.create(
            clinic=None,
            code=code,
            name=name,
            region=region,
            kind=kind,
            instructions=instructions,
            default_sets=sets,
            default_reps=reps,
            default_hold_seconds=hold,
            default_load=load,
            default_days_per_week=days,
        )
        ExerciseFocus.objects.bulk_create(ExerciseFocus(exercise=exercise, focus=f) for f in focus)
        by_code[code] = exercise

    for code, name, pattern, focus, items, description, guidance in TEMPLATES:
        template = ProgramTemplate.objects.create(
            clinic=None,
            code=code,
            name=name,
            pattern=pattern,
            description=description,
            guidance=guidance,
        )
        TemplateFocus.objects.bulk_create(TemplateFocus(template=template, focus=f) for f in focus)
        TemplateExercise.objects.bulk_create(
            TemplateExercise(
                template=template,
                exercise=by_code[item],
                order=order,
                sets=by_code[item].default_sets,
                reps=by_code[item].default_reps,
                hold_seconds=by_code[item].default_hold_seconds,
                load=by_code[item].default_load,
                days_per_week=by_code[item].default_days_per_week,
            )
            for order, item in enumerate(items, start=1)
        )

    ladder = RunLadder.objects.create(
        clinic=None,
        code="default",
        name="Walk-run ladder",
        description=(
            "Stride's default return-to-run ladder: eight levels from one minute of running "
            "between walks to 30 minutes without stopping."
        ),
    )
    RunLadderLevel.objects.bulk_create(
        RunLadderLevel(ladder=ladder, number=n, run_minutes=run, walk_minutes=walk, repeats=reps)
        for n, (run, walk, reps) in enumerate(DEFAULT_LADDER, start=1)
    )


def unship(apps, schema_editor):
    for model in ("ProgramTemplate", "RunLadder", "Exercise"):
        apps.get_model("programs", model).objects.filter(clinic=None).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(ship, unship)]
