"""The code of every rule (docs/clinical-rules.md), and those that open an escalation.

An escalation's code is the code of the rule that raised it: a per-check-in rule, a daily
engagement rule, or an intake's urgent referral.
"""

from clinical.codes import Code, choices


class RuleCode(Code):
    # The per-check-in rules, in the order of the check-in rules table.
    RED_FLAG_EMERGENCY = "red_flag_emergency", "Red-flag symptom (emergency)"
    RED_FLAG_MECHANICAL = "red_flag_mechanical", "Red-flag symptom (mechanical)"
    PAIN_SEVERE = "pain_severe", "Severe pain"
    PAIN_RISING = "pain_rising", "Pain rising"
    PAIN_ABOVE_ACCEPTABLE = "pain_above_acceptable", "Pain above acceptable"
    PAIN_WORSENED_DURING_RUN = "pain_worsened_during_run", "Pain worsened during the run"
    STRIDE_CHANGE = "stride_change", "Stride change"
    PAIN_NOT_SETTLED = "pain_not_settled", "Pain not settled by the next morning"
    WEEKLY_PAIN_INCREASE = "weekly_pain_increase", "Weekly pain increase"
    RUN_SPIKE = "run_spike", "Run spike"
    # The daily engagement rules.
    DISENGAGED = "disengaged", "Disengaged"
    NO_IMPROVEMENT = "no_improvement", "No improvement"
    # An intake whose triage is an urgent referral.
    INTAKE_URGENT_REFERRAL = "intake_urgent_referral", "Intake triage: urgent referral"


# The per-check-in rules, in the order of the check-in rules table; findings keep this order.
CHECK_IN_RULES: tuple[RuleCode, ...] = (
    RuleCode.RED_FLAG_EMERGENCY,
    RuleCode.RED_FLAG_MECHANICAL,
    RuleCode.PAIN_SEVERE,
    RuleCode.PAIN_RISING,
    RuleCode.PAIN_ABOVE_ACCEPTABLE,
    RuleCode.PAIN_WORSENED_DURING_RUN,
    RuleCode.STRIDE_CHANGE,
    RuleCode.PAIN_NOT_SETTLED,
    RuleCode.WEEKLY_PAIN_INCREASE,
    RuleCode.RUN_SPIKE,
)

# The daily rules (assessments' engagement rules).
ENGAGEMENT_RULES: tuple[RuleCode, ...] = (RuleCode.DISENGAGED, RuleCode.NO_IMPROVEMENT)

# Rules that only ever advise: they never open an escalation.
ADVICE_ONLY_RULES: frozenset[RuleCode] = frozenset({RuleCode.RUN_SPIKE})

# Every code an escalation may carry (`Escalation.code`), in the order above.
ESCALATION_CODES: tuple[RuleCode, ...] = tuple(c for c in RuleCode if c not in ADVICE_ONLY_RULES)

# The red flags: a symptom rule that fires pauses the ladder with its own reason.
RED_FLAG_RULES: tuple[RuleCode, ...] = (RuleCode.RED_FLAG_EMERGENCY, RuleCode.RED_FLAG_MECHANICAL)

# As Django/DRF choices, (code, label).
CHECK_IN_RULE_CHOICES = choices(CHECK_IN_RULES)
ESCALATION_CODE_CHOICES = choices(ESCALATION_CODES)
