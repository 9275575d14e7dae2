"""The check-in rules engine: pure functions that judge a check-in against its own past.

Imports no Django and no models: the check-in service builds `CheckInFacts` from its rows,
passes `history_window(thresholds)` of history, and stores the `Judgement` it gets back
(escalations from the findings with a severity, the patient's advice, the settling for
the run ladder). The rules are those of docs/clinical-rules.md, "Check-in rules", per check-in only;
the daily ones (`disengaged`, `no_improvement`) live with the scheduler.
"""

from assessments.rules.check_in.advice import (
    AdviceText,
    OfflineAdvice,
    SymptomAdvice,
    advice_message,
    offline_advice,
)
from assessments.rules.check_in.engine import history_window, judge_check_in
from assessments.rules.check_in.facts import (
    ADVICE_ORDER,
    RULE_CODES,
    SEVERITY_ORDER,
    SYMPTOM_GROUP_RULES,
    SYMPTOM_GROUPS,
    CheckInFacts,
    Judgement,
    RuleFinding,
    SymptomRule,
    symptom_advice_level,
)

__all__ = [
    "ADVICE_ORDER",
    "RULE_CODES",
    "SEVERITY_ORDER",
    "SYMPTOM_GROUPS",
    "SYMPTOM_GROUP_RULES",
    "AdviceText",
    "CheckInFacts",
    "Judgement",
    "OfflineAdvice",
    "RuleFinding",
    "SymptomAdvice",
    "SymptomRule",
    "advice_message",
    "history_window",
    "judge_check_in",
    "offline_advice",
    "symptom_advice_level",
]
