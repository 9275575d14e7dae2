"""Data days: local days in the patient's zone with a check-in or an outcome measure the patient
sent, per 30-day device period, counted in one SQL statement (PostgreSQL) for any number of
patients; the Python path SQLite uses gives the same counts."""

from datetime import date

import pytest
from django.db import connection

from monitoring import selectors
from tests.monitoring.conftest import check_in, questionnaire, start_episode

pytestmark = pytest.mark.django_db


def _periods(body):
    return [
        (p["number"], p["first"], p["last"], p["data_days"], p["code"]) for p in body["periods"]
    ]


def _both_paths(patient, first, last):
    sql = selectors.data_days_by_period(
        clinic_id=patient.clinic_id, patient_ids=[patient.pk], first=first, last=last
    )
    python = selectors._data_days_python(
        clinic_id=patient.clinic_id, patient_ids=[patient.pk], first=first, last=last
    )
    assert sql == python
    return sql


@pytest.mark.parametrize(("days", "code"), [(1, None), (2, "98985"), (15, "98985"), (16, "98977")])
def test_data_day_boundaries(pat, alice, month_of, days, code):
    start_episode(pat, alice, "2026-03-01T09:00:00+01:00")
    for day in range(1, days + 1):
        check_in(pat, f"2026-03-{day:02d}T18:00:00+01:00")
    body = month_of(pat, "2026-03")
    assert _periods(body) == [(1, "2026-03-01", "2026-03-30", days, code)]
    assert ({"code": code} in [{"code": c["code"]} for c in body["codes"]]) == (code is not None)


def test_two_check_ins_and_a_questionnaire_on_one_local_day_are_one_data_day(pat, alice, month_of):
    start_episode(pat, alice, "2026-03-01T09:00:00+01:00")
    check_in(pat, "2026-03-05T07:00:00+01:00")
    check_in(pat, "2026-03-05T21:00:00+01:00")
    questionnaire(pat, "2026-03-05T12:00:00+01:00")
    questionnaire(pat, "2026-03-06T12:00:00+01:00")  # a second day, from the patient
    questionnaire(pat, "2026-03-07T12:00:00+01:00", by=alice)  # staff-entered: not the patient's
    assert _periods(month_of(pat, "2026-03"))[0][3] == 2
    assert _both_paths(pat, date(2026, 3, 1), date(2026, 3, 31)) == {(_episode_id(pat), 1): 2}


def _episode_id(patient):
    return patient.monitoring_episodes.get().pk


def test_a_day_is_the_patients_local_day_across_midnight_utc(pat, alice, month_of):
    pat.timezone = "America/Chicago"
    pat.save(update_fields=["timezone"])
    start_episode(pat, alice, "2026-03-01T15:00:00+00:00")
    # 20:00 UTC on 9 March and 03:00 UTC on 10 March are 15:00 and 22:00 on 9 March in Chicago
    # (CDT from the 8th): one local day, though two UTC dates. 23:30 UTC on 10 March is the
    # 10th in Chicago, and 05:30 UTC on 11 March still the 10th.
    check_in(pat, "2026-03-09T20:00:00+00:00")
    check_in(pat, "2026-03-10T03:00:00+00:00")
    check_in(pat, "2026-03-10T23:30:00+00:00")
    check_in(pat, "2026-03-11T04:30:00+00:00")
    days = _both_paths(pat, date(2026, 3, 1), date(2026, 3, 31))
    assert days == {(_episode_id(pat), 1): 2}


def test_days_across_the_dst_change(pat, alice, month_of):
    # Berlin moves to summer time at 01:00 UTC on 29 March 2026. 23:30 local on the 28th is
    # 22:30 UTC; 00:30 local on the 29th is 23:30 UTC on the 28th; 23:30 local on the 29th is
    # 21:30 UTC; 00:30 local on the 30th is 22:30 UTC on the 29th.
    start_episode(pat, alice, "2026-03-20T09:00:00+01:00")
    check_in(pat, "2026-03-28T22:30:00+00:00")  # 28th
    check_in(pat, "2026-03-28T23:30:00+00:00")  # 29th (winter time)
    check_in(pat, "2026-03-29T21:30:00+00:00")  # 29th (summer time)
    check_in(pat, "2026-03-29T22:30:00+00:00")  # 30th
    days = _both_paths(pat, date(2026, 3, 1), date(2026, 4, 30))
    assert days == {(_episode_id(pat), 1): 3}


def test_a_late_offline_check_in_counts_for_the_day_it_was_recorded(pat, alice, month_of):
    start_episode(pat, alice, "2026-03-01T09:00:00+01:00")
    check_in(pat, "2026-03-30T20:00:00+02:00", received="2026-04-02T08:00:00+02:00")
    check_in(pat, "2026-03-29T20:00:00+02:00")
    body = month_of(pat, "2026-03")
    assert _periods(body) == [(1, "2026-03-01", "2026-03-30", 2, "98985")]


def test_a_period_that_straddles_a_month_is_counted_in_the_month_it_ends(pat, alice, month_of):
    start_episode(pat, alice, "2026-03-20T09:00:00+01:00")  # period 1: 20 March - 18 April
    for day in range(20, 32):
        check_in(pat, f"2026-03-{day:02d}T18:00:00+01:00")
    for day in range(1, 5):
        check_in(pat, f"2026-04-{day:02d}T18:00:00+02:00")
    march = month_of(pat, "2026-03")
    assert march["periods"] == []
    assert [c["code"] for c in march["codes"]] == ["98975"]
    april = month_of(pat, "2026-04")
    assert _periods(april) == [(1, "2026-03-20", "2026-04-18", 16, "98977")]
    assert [c["code"] for c in april["codes"]] == ["98977"]


def test_days_after_discharge_do_not_count(pat, alice, alice_api, month_of):
    from monitoring.models import MonitoringEpisode

    episode = start_episode(pat, alice, "2026-03-01T09:00:00+01:00")
    MonitoringEpisode.objects.filter(pk=episode.pk).update(
        ended_on=date(2026, 3, 10), ended_at="2026-03-10T12:00:00+01:00"
    )
    for day in range(1, 21):
        check_in(pat, f"2026-03-{day:02d}T18:00:00+01:00")
    body = month_of(pat, "2026-03")
    assert _periods(body) == [(1, "2026-03-01", "2026-03-10", 10, "98985")]


def test_one_statement_counts_every_patient(pat, quinn, alice, bob, django_assert_num_queries):
    start_episode(pat, alice, "2026-03-01T09:00:00+01:00")
    start_episode(quinn, bob, "2026-03-03T09:00:00+01:00")
    check_in(pat, "2026-03-02T18:00:00+01:00")
    check_in(quinn, "2026-03-04T18:00:00+01:00")
    check_in(quinn, "2026-03-05T18:00:00+01:00")
    assert connection.vendor == "postgresql"
    with django_assert_num_queries(1):
        days = selectors.data_days_by_period(
            clinic_id=pat.clinic_id,
            patient_ids=[pat.pk, quinn.pk],
            first=date(2026, 2, 1),
            last=date(2026, 3, 31),
        )
    assert sorted(days.values()) == [1, 2]
