"""What a check-in costs the database, counted through the API: one transaction, and a
fixed number of statements whatever the patient's history."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from patients.models import CheckIn, Escalation, IdempotencyKey, PatientSummary
from programs.models import Exercise, PatientLadder, RunLadder
from programs.services import ladder_start, program_prescribe

URL = "/api/v1/app/check-ins/"

pytestmark = pytest.mark.django_db


def _post(client, **fields):
    data = {"recorded_at": (timezone.now() - timedelta(minutes=1)).isoformat(), **fields}
    return client.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))


def _history(client, days: int) -> None:
    for day in range(days, 0, -1):
        at = timezone.now() - timedelta(days=day, hours=2)
        response = client.post(
            URL,
            {"recorded_at": at.isoformat(), "pain_rest": 1},
            format="json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        assert response.status_code == 201, response.content


def _counted(client, **fields):
    # Django's test case wraps each test in a transaction, so the check-in's own transaction
    # shows as SAVEPOINT ... RELEASE SAVEPOINT: its BEGIN and COMMIT.
    with CaptureQueriesContext(connection) as captured:
        response = _post(client, **fields)
    assert response.status_code == 201, response.content
    statements = [query["sql"] for query in captured.captured_queries]
    return response, statements


def _transactions(statements: list[str]) -> int:
    return sum(sql.startswith("SAVEPOINT") for sql in statements)


@pytest.mark.parametrize("days", [1, 12])
def test_a_routine_check_in_is_ten_statements_in_one_transaction(pat, alice, pat_api, days):
    program = program_prescribe(
        patient=pat,
        by=alice,
        # Due every day, so that today's session counts whichever weekday the suite runs on.
        data={
            "items": [
                {
                    "exercise": Exercise.objects.get(code="clamshell", clinic=None),
                    "days_per_week": 7,
                }
            ]
        },
    )
    exercise_ids = [item.pk for item in program.items.all()]
    _history(pat_api, days)
    response, statements = _counted(pat_api, pain_rest=2, exercises_completed=exercise_ids)
    assert response.json()["advice"]["rules"] == []
    # token, the program's exercise ids, BEGIN, the patient (locked) with its intake and
    # whether it is on a ladder, its check-ins, the check-in, the key, the programs, the
    # summary, COMMIT
    assert len(statements) <= 10, "\n".join(statements)
    assert _transactions(statements) == 1
    assert not any(sql.startswith('SELECT "programs_patientladder"') for sql in statements)
    assert not any("\"status\" = 'in_flight'" in sql for sql in statements)
    # What the fewer statements wrote is what the longer way wrote.
    stored = CheckIn.objects.get(pk=response.json()["id"])
    key = IdempotencyKey.objects.get(check_in=stored)
    assert key.status == "done"
    summary = PatientSummary.objects.get(pk=pat.pk)
    assert summary.last_check_in_at == stored.recorded_at and summary.last_peak_pain == 2
    assert summary.adherence_done >= 1


def test_a_check_in_on_a_ladder_reads_and_locks_the_ladder(pat, alice, pat_api):
    ladder_start(
        patient=pat, by=alice, ladder=RunLadder.objects.get(code="default", clinic__isnull=True)
    )
    _history(pat_api, 2)
    _, statements = _counted(pat_api, pain_rest=2)
    assert any(
        sql.startswith('SELECT "programs_patientladder"') and "FOR UPDATE" in sql
        for sql in statements
    )
    assert _transactions(statements) == 1
    assert PatientLadder.objects.get(patient=pat).level == 1


def test_a_red_flag_check_in_stays_in_one_transaction_with_its_escalation(pat, pat_api):
    _history(pat_api, 3)
    ContentType.objects.get_for_model(Escalation)  # cached by every running process
    response, statements = _counted(pat_api, pain_rest=2, symptoms=["calf_pain_swelling"])
    assert "red_flag_emergency" in response.json()["advice"]["rules"]
    # The routine nine (it reports no exercise), plus five: the escalation's INSERT (ON
    # CONFLICT DO NOTHING: no lock read first, no savepoint) and its change-history entry, the
    # evidence, the outbox row (ON CONFLICT DO NOTHING on its dedupe key, no savepoint) and
    # the summary row lock. The therapist comes with the patient's locked row; the escalation
    # recount is part of the summary's UPDATE.
    assert len(statements) <= 14, "\n".join(statements)
    assert _transactions(statements) == 1  # the check-in's, with no savepoint inside it
    assert Escalation.objects.get(patient=pat).status == "open"
    summary = PatientSummary.objects.get(pk=pat.pk)
    assert summary.open_critical == 1


def test_a_check_in_reporting_no_exercise_skips_the_program_check(pat, alice, pat_api):
    program_prescribe(
        patient=pat,
        by=alice,
        data={"items": [{"exercise": Exercise.objects.get(code="clamshell", clinic=None)}]},
    )
    _history(pat_api, 2)
    _, statements = _counted(pat_api, pain_rest=2, exercises_completed=[])
    # Nine: nothing to check against the active program, so its exercise ids are not read.
    assert len(statements) <= 9, "\n".join(statements)
    assert _transactions(statements) == 1


def test_a_key_whose_check_in_is_gone_is_409_not_a_retry_loop(pat, pat_api, settings):
    settings.STRIDE_IDEMPOTENCY_WAIT_SECONDS = 0.2
    data = {"recorded_at": (timezone.now() - timedelta(minutes=1)).isoformat(), "pain_rest": 2}
    first = pat_api.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="gone")
    assert first.status_code == 201
    CheckIn.objects.filter(pk=first.json()["id"]).delete()  # the key keeps no check-in
    IdempotencyKey.objects.filter(key="gone").update(claimed_at=timezone.now() - timedelta(days=1))
    again = pat_api.post(URL, data, format="json", HTTP_IDEMPOTENCY_KEY="gone")
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "idempotency_key_in_flight"
    assert not CheckIn.objects.filter(patient=pat).exists()
