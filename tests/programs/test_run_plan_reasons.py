"""Today's run plan names its reasons with the codes the schema lists, and no others."""

import pytest

from programs import rules

pytestmark = pytest.mark.pure


def test_a_run_plan_refuses_a_reason_code_the_schema_does_not_list():
    with pytest.raises(ValueError, match="Unknown run plan reason"):
        rules.RunPlan(status="rest", reasons=(rules.Reason("ladder_tired", "Tired."),))
    plan = rules.RunPlan(status="paused", reasons=(rules.Reason("ladder_paused", "Paused."),))
    assert plan.reasons[0].code in rules.RUN_PLAN_REASON_CODES
