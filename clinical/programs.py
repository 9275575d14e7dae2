"""Program focus: what an exercise or a template serves, and what an intake's contributing
factor points the program to. One list; `general` is the focus of exercises and templates
that serve the knee in general, and no contributing factor points to it
(docs/decisions.md, "One program focus")."""

from clinical.codes import Code


class ProgramFocus(Code):
    LOAD_MANAGEMENT = "load_management", "Load management"
    GAIT_CADENCE = "gait_cadence", "Gait and cadence"
    FOOTWEAR_REVIEW = "footwear_review", "Footwear review"
    HIP_STRENGTH = "hip_strength", "Hip strength"
    QUADRICEPS_STRENGTH = "quadriceps_strength", "Quadriceps strength"
    CALF_STRENGTH = "calf_strength", "Calf strength"
    MOBILITY = "mobility", "Mobility"
    BALANCE_CONTROL = "balance_control", "Balance and single-leg control"
    GENERAL = "general", "General knee"


# The foci a contributing factor may point to: all but `general`.
FACTOR_FOCI: tuple[ProgramFocus, ...] = tuple(f for f in ProgramFocus if f != ProgramFocus.GENERAL)
