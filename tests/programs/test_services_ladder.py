"""programs.services.ladder_apply_check_in: what the check-in flow calls, against the database.

Check-ins go through the check-in service (`check_in_submit`), so that the ladder gets the
check-in rules' judgement of each, as it does in production."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from assessments.rules.check_in import CheckInFacts, judge_check_in
from clinical.thresholds import DEFAULTS
from patients.services.check_ins import check_in_submit
from programs import services
from programs.models import LadderEvent, PatientLadder
from programs.selectors import ladder_history, ladder_state

pytestmark = pytest.mark.django_db
UTC = dt.UTC


# Check-ins from tomorrow on, so that a therapist's change made now comes before them.
BASE = timezone.now().astimezone(UTC).date() + dt.timedelta(days=1)


def at(offset, hour, minute=0):
    """A moment `offset` days after BASE (UTC); the patient lives in Europe/Berlin."""
    return dt.datetime.combine(BASE + dt.timedelta(days=offset), dt.time(hour, minute), tzinfo=UTC)


def local(offset):
    return BASE + dt.timedelta(days=offset)


def check_in(patient, moment, **fields):
    """Submit a check-in; returns the ladder events it recorded."""
    fields.setdefault("pain_rest", 1)
    key = str(uuid.uuid4())
    result = check_in_submit(
        patient=patient,
        data={"recorded_at": moment, **fields},
        idempotency_key=key,
        fingerprint=key,
    )
    return list(LadderEvent.objects.filter(check_in_id=result.check_in.pk).order_by("id"))


def run(patient, moment, minutes=6, during=1, after=1, **fields):
    return check_in(
        patient,
        moment,
        ran=True,
        run_minutes=minutes,
        pain_during_run=during,
        pain_after_run=after,
        **fields,
    )


def morning(patient, moment, pain=1, **fields):
    return check_in(patient, moment, pain_morning=pain, **fields)


def row(patient):
    return PatientLadder.objects.get(patient=patient)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_must_run_inside_the_check_in_transaction(pat, pat_ladder):
    facts = CheckInFacts(recorded_at=at(0, 17), pain_rest=1)
    judgement = judge_check_in(
        check_in=facts, history=[], intake_pain_worst_running=None, thresholds=DEFAULTS
    )
    with pytest.raises(RuntimeError):
        services.ladder_apply_check_in(patient=pat, facts=facts, judgement=judgement)


def test_a_patient_without_a_ladder_is_left_alone(pat):
    assert run(pat, at(0, 17)) == []
    assert not LadderEvent.objects.exists()


def test_two_settled_completions_move_the_patient_up_one_level(pat, pat_ladder):
    (event,) = run(pat, at(0, 17))
    assert (event.kind, event.action, event.qualifies) == ("run", "hold", True)
    assert event.check_in_id is not None
    assert event.day == local(0)
    assert row(pat).pending_run == event

    (settle,) = morning(pat, at(1, 6))
    assert (settle.kind, settle.action, settle.settled, settle.counted) == (
        "settle",
        "hold",
        True,
        True,
    )
    state = row(pat)
    assert state.completions == 1 and state.pending_run is None
    event.refresh_from_db()
    assert (event.settled, event.counted) == (True, True)  # the run shows what became of it

    run(pat, at(2, 17))
    (settle,) = morning(pat, at(3, 6))
    assert settle.action == "progress" and settle.levels_up == 1
    state = row(pat)
    assert (state.level, state.completions) == (2, 0)
    assert [r["code"] for r in settle.reasons] == ["ladder_progress"]


def test_a_run_on_consecutive_days_at_level_1_does_not_count(pat, pat_ladder):
    run(pat, at(0, 17))
    morning(pat, at(1, 6))
    (event,) = run(pat, at(1, 17))
    assert event.qualifies is False
    assert "ladder_no_consecutive_days" in [r["code"] for r in event.reasons]
    morning(pat, at(2, 6))
    assert row(pat).completions == 1  # only Monday's run counted


def test_a_morning_that_has_not_settled_steps_back(pat, pat_ladder, alice):
    services.ladder_set_level(patient=pat, by=alice, level=4, note="Seen in clinic.")
    run(pat, at(0, 17), minutes=20, pain_morning=2)
    (event,) = morning(pat, at(1, 6), pain=3)
    assert (event.action, event.settled, event.level_after) == ("step_back", False, 3)
    assert event.reasons[0]["code"] == "pain_not_settled"


def test_a_red_flag_pauses_the_ladder(pat, pat_ladder):
    (event,) = morning(pat, at(0, 7), symptoms=["giving_way"])
    assert (event.kind, event.action) == ("symptoms", "pause")
    state = row(pat)
    assert state.paused and state.pause_reason == "red_flag_mechanical" and state.paused_at


def test_the_local_day_is_the_patients(pat, pat_ladder):
    (event,) = run(pat, at(0, 23, 30))  # 00:30 the next day in Berlin
    assert event.day == local(1)


def test_history_and_state_round_trip_through_the_database(pat, pat_ladder, alice):
    services.ladder_set_level(patient=pat, by=alice, level=5, note="Seen in clinic.")
    run(pat, at(0, 17), minutes=24)
    state = ladder_state(patient_ladder=row(pat))
    assert state.level == 5 and state.pending is not None and state.pending.qualifies
    history = ladder_history(patient_ladder=row(pat), around=local(0))
    assert [(r.day, r.level, r.minutes) for r in history.runs] == [(local(0), 5, 24)]
    assert [(u.levels, u.automatic) for u in history.level_ups] == [(4, False)]


def test_a_therapist_jump_does_not_hold_automatic_progress(pat, pat_ladder, alice):
    # Changed: the therapist's +5 used to count toward "2 levels up in
    # 7 days" and held this progression for a week; it is a clinical decision and does not.
    services.ladder_set_level(patient=pat, by=alice, level=6, note="Seen in clinic.")
    jump = LadderEvent.objects.get(patient=pat, kind="set_level")
    assert (jump.by, jump.levels_up) == (alice, 5)
    assert "Seen in clinic." in jump.reasons[0]["detail"]
    for offset in (0, 2):
        run(pat, at(offset, 17), minutes=24)
        (settle,) = morning(pat, at(offset + 1, 6))
    assert settle.action == "progress" and settle.reasons[0]["code"] == "ladder_progress"
    assert row(pat).level == 7


def test_automatic_progress_still_stops_at_two_levels_in_7_days(pat, pat_ladder, alice):
    pat.clinic.thresholds = {"ladder_completions_to_progress": 1}
    pat.clinic.save(update_fields=["thresholds"])
    services.ladder_set_level(patient=pat, by=alice, level=5, note="Seen in clinic.")
    codes = []
    for offset in (0, 2, 4):
        run(pat, at(offset, 17), minutes=30)
        (settle,) = morning(pat, at(offset + 1, 6))
        codes.append(settle.reasons[0]["code"])
    assert codes == ["ladder_progress", "ladder_progress", "ladder_weekly_level_limit"]
    assert row(pat).level == 7


def test_a_therapist_may_set_the_level_while_paused_and_needs_a_reason(pat, pat_ladder, alice):
    services.ladder_pause(patient=pat, reason="therapist", by=alice)
    services.ladder_set_level(patient=pat, by=alice, level=3, note="Reviewed after the scan.")
    assert (row(pat).level, row(pat).paused) == (3, True)
    with pytest.raises(ValueError):
        services.ladder_set_level(patient=pat, by=alice, level=2, note="  ")
    assert row(pat).level == 3


def test_pause_for_an_escalation_and_its_rules(pat, pat_ladder):
    state = services.ladder_pause(patient=pat, reason="escalation")
    assert state.paused and state.pause_reason == "escalation"
    with pytest.raises(services.LadderStateError):
        services.ladder_pause(patient=pat, reason="escalation")
    with pytest.raises(ValueError):
        services.ladder_pause(patient=pat, reason="bored")
