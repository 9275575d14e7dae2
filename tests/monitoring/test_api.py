"""The monitoring API: episodes, time entries (append-only, reversals, sign-off), a patient's
month and the clinic's statement (JSON and CSV), tenancy, audit and query counts."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.utils import timezone

from clinic.models import AuditEvent
from common.time import local_date
from monitoring.models import MonitoringEpisode, MonthSignOff, TimeEntry
from tests.conftest import assert_error, staff_client
from tests.factories import PatientFactory
from tests.monitoring.conftest import check_in, start_episode

pytestmark = pytest.mark.django_db


def _time_url(patient):
    return f"/api/v1/patients/{patient.pk}/monitoring/time/"


def _entry(client, patient, minutes, *, day="2026-03-10", activity="data_review", **extra):
    body = {"date": day, "minutes": minutes, "activity": activity, **extra}
    return client.post(_time_url(patient), body, format="json")


@pytest.fixture
def episode(pat, alice):
    return start_episode(pat, alice, "2026-03-01T09:00:00+01:00")


# -- episodes ---------------------------------------------------------------------------------


def test_a_therapist_records_consent_and_setup_which_starts_the_episode(alice_api, pat, alice):
    url = f"/api/v1/patients/{pat.pk}/monitoring/episodes/"
    body = {"consent_at": "2026-03-01T23:10:00+00:00", "setup_at": "2026-03-01T23:30:00+00:00"}
    response = alice_api.post(url, body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    # 23:30 UTC is already 2 March in Berlin: the periods run from the patient's local date.
    assert data["started_on"] == "2026-03-02"
    assert data["setup_by"] == alice.pk and data["consent_recorded_by"] == alice.pk
    assert data["ended_on"] is None
    assert AuditEvent.objects.filter(
        patient_id=pat.pk, object_type="monitoring_episode", action="create"
    ).exists()
    # A second open episode is refused, and nothing is stored.
    assert_error(alice_api.post(url, body, format="json"), 409, code="episode_open")
    assert MonitoringEpisode.objects.filter(patient=pat).count() == 1


def test_episode_input_is_checked(alice_api, pat, carol):
    url = f"/api/v1/patients/{pat.pk}/monitoring/episodes/"
    later = (timezone.now() + timedelta(days=1)).isoformat()
    assert_error(
        alice_api.post(
            url,
            {"consent_at": "2026-03-02T10:00:00Z", "setup_at": "2026-03-02T09:00:00Z"},
            format="json",
        ),
        400,
        attr="consent_at",
    )
    assert_error(
        alice_api.post(url, {"consent_at": later, "setup_at": later}, format="json"),
        400,
        attr="consent_at",
    )
    # Another clinic's staff member as the one who did the set-up: not found.
    assert_error(
        alice_api.post(
            url,
            {
                "consent_at": "2026-03-02T09:00:00Z",
                "setup_at": "2026-03-02T09:00:00Z",
                "setup_by": carol.pk,
            },
            format="json",
        ),
        400,
        attr="setup_by",
    )
    assert not MonitoringEpisode.objects.exists()


def test_discharge_ends_the_open_episode(alice_api, pat, episode):
    response = alice_api.post(f"/api/v1/patients/{pat.pk}/discharge/")
    assert response.status_code == 200
    episode.refresh_from_db()
    assert episode.ended_at is not None
    pat.refresh_from_db()
    assert episode.ended_at == pat.discharged_at
    assert episode.ended_on == local_date(pat.discharged_at, pat.timezone)
    # A discharged patient gets no new episode.
    response = alice_api.post(
        f"/api/v1/patients/{pat.pk}/monitoring/episodes/",
        {"consent_at": "2026-03-02T09:00:00Z", "setup_at": "2026-03-02T09:00:00Z"},
        format="json",
    )
    assert_error(response, 409, code="patient_discharged")


def test_discharge_that_fails_leaves_the_episode_open(pat, alice, episode, monkeypatch):
    """The episode ends in the discharge's transaction: a discharge that fails after it
    leaves both the patient and the episode as they were."""
    from patients.services import records

    def boom(**kwargs):
        raise RuntimeError("after the episode ended")

    monkeypatch.setattr(records, "episode_end_open", _then(records.episode_end_open, boom))
    with pytest.raises(RuntimeError):
        records.patient_discharge(patient=pat, by=alice)
    episode.refresh_from_db()
    pat.refresh_from_db()
    assert episode.ended_at is None and pat.status == "active"


def _then(first, second):
    def both(**kwargs):
        first(**kwargs)
        second(**kwargs)

    return both


# -- staff credentials ------------------------------------------------------------------------


def test_admins_set_a_staff_credential_through_the_staff_api(ada_api, alice, alice_api):
    response = ada_api.patch(f"/api/v1/staff/{alice.pk}/", {"credential": "PTA"}, format="json")
    assert response.status_code == 200
    assert response.json()["credential"] == "PTA"
    alice.refresh_from_db()
    assert alice.credential == "PTA"
    assert_error(
        ada_api.patch(f"/api/v1/staff/{alice.pk}/", {"credential": "MD"}, format="json"),
        400,
        attr="credential",
    )
    created = ada_api.post(
        "/api/v1/staff/",
        {
            "email": "ola@a.test",
            "password": "a-long-first-passphrase",
            "credential": "OTA",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["credential"] == "OTA"
    # Not for therapists.
    assert_error(
        alice_api.patch(f"/api/v1/staff/{alice.pk}/", {"credential": "PT"}, format="json"), 403
    )


# -- time entries -----------------------------------------------------------------------------


def test_time_entries_are_recorded_and_listed(alice_api, alice, pat, episode):
    response = _entry(alice_api, pat, 12, activity="call", interactive=True, note="Weekly call")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["minutes"], data["staff"], data["recorded_by"], data["interactive"]) == (
        12,
        alice.pk,
        alice.pk,
        True,
    )
    listed = alice_api.get(_time_url(pat)).json()["results"]
    assert [e["id"] for e in listed] == [data["id"]]


def test_time_entry_input_is_checked(alice_api, pat, episode):
    assert_error(
        _entry(alice_api, pat, 5, activity="message", interactive=True), 400, attr="interactive"
    )
    assert_error(_entry(alice_api, pat, 0), 400, attr="minutes")
    assert_error(_entry(alice_api, pat, "5"), 400, attr="minutes")
    assert_error(_entry(alice_api, pat, 5, activity="coffee"), 400, attr="activity")
    future = (timezone.now() + timedelta(days=3)).date().isoformat()
    assert_error(_entry(alice_api, pat, 5, day=future), 400, attr="date")
    assert_error(alice_api.post(_time_url(pat), {"minutes": 5}, format="json"), 400, attr="date")
    # Before the episode: there is nothing to manage.
    assert_error(_entry(alice_api, pat, 5, day="2026-02-27"), 409, code="no_episode")
    assert not TimeEntry.objects.exists()


def test_an_entry_by_another_clinics_staff_is_a_404(carol_api, pat, episode):
    assert_error(_entry(carol_api, pat, 20, activity="call", interactive=True), 404)
    assert_error(carol_api.get(_time_url(pat)), 404)
    assert not TimeEntry.objects.exists()


def test_a_reversing_entry_undoes_an_entry_and_both_are_kept(alice_api, month_of, pat, episode):
    call = _entry(alice_api, pat, 12, activity="call", interactive=True).json()
    _entry(alice_api, pat, 10)
    assert month_of(pat, "2026-03")["management"]["code"] == "98980"
    response = alice_api.post(
        _time_url(pat), {"reverses": call["id"], "reason": "Entered twice."}, format="json"
    )
    assert response.status_code == 201, response.content
    reversal = response.json()
    assert (reversal["minutes"], reversal["reverses"], reversal["date"]) == (
        -12,
        call["id"],
        "2026-03-10",
    )
    assert TimeEntry.objects.count() == 3
    management = month_of(pat, "2026-03")["management"]
    assert (management["minutes"], management["interactive_count"], management["code"]) == (
        10,
        0,
        None,
    )
    # Once only; a reversal is not reversed; minutes are not given with `reverses`.
    again = alice_api.post(_time_url(pat), {"reverses": call["id"]}, format="json")
    assert_error(again, 409, code="already_reversed")
    assert_error(
        alice_api.post(_time_url(pat), {"reverses": reversal["id"]}, format="json"),
        400,
        attr="reverses",
    )
    assert_error(
        alice_api.post(_time_url(pat), {"reverses": call["id"], "minutes": 3}, format="json"),
        400,
        attr="minutes",
    )
    listed = {e["id"]: e for e in alice_api.get(_time_url(pat)).json()["results"]}
    assert listed[call["id"]]["reversed_by"] == reversal["id"]


def test_sign_off_freezes_the_month(alice_api, bob, month_of, pat, episode):
    first = _entry(alice_api, pat, 25, activity="call", interactive=True).json()
    response = alice_api.post(
        f"/api/v1/patients/{pat.pk}/monitoring/sign-off/", {"month": "2026-03"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["month"] == "2026-03"
    assert month_of(pat, "2026-03")["signed_off"]["by"] == pat.therapist_id

    frozen = _entry(alice_api, pat, 5, day="2026-03-20")
    body = assert_error(frozen, 409, code="month_signed_off")
    assert "2026-03" in body["errors"][0]["detail"]
    # A reversal of the frozen month's entry goes in a later month, with a reason.
    no_reason = alice_api.post(
        _time_url(pat), {"reverses": first["id"], "date": "2026-04-02"}, format="json"
    )
    assert_error(no_reason, 400, attr="reason")
    same_month = alice_api.post(
        _time_url(pat),
        {"reverses": first["id"], "date": "2026-03-31", "reason": "Wrong patient."},
        format="json",
    )
    assert_error(same_month, 400, attr="date")
    assert TimeEntry.objects.count() == 1
    correction = alice_api.post(
        _time_url(pat),
        {"reverses": first["id"], "date": "2026-04-02", "reason": "Wrong patient."},
        format="json",
    )
    assert correction.status_code == 201, correction.content
    # March stays as signed off; April lists the correction without subtracting it.
    assert month_of(pat, "2026-03")["management"]["minutes"] == 25
    april = month_of(pat, "2026-04")["management"]
    assert april["minutes"] == 0
    assert april["corrections"] == [
        {
            "entry": correction.json()["id"],
            "reverses": first["id"],
            "corrects_month": "2026-03",
            "minutes": -25,
            "reason": "Wrong patient.",
        }
    ]
    # Signed off once; assistants do not sign off; the future cannot be signed off.
    url = f"/api/v1/patients/{pat.pk}/monitoring/sign-off/"
    assert_error(alice_api.post(url, {"month": "2026-03"}, format="json"), 409)
    assert_error(alice_api.post(url, {"month": "2999-01"}, format="json"), 400, attr="month")
    assert_error(alice_api.post(url, {"month": "2026-3"}, format="json"), 400, attr="month")
    bob.credential = "PTA"
    bob.save(update_fields=["credential"])
    assert_error(staff_client(bob).post(url, {"month": "2026-04"}, format="json"), 403)
    assert MonthSignOff.objects.count() == 1


@pytest.mark.parametrize(
    ("minutes", "call", "codes"),
    [
        (9, True, []),
        (10, True, [("98979", 1)]),
        (19, True, [("98979", 1)]),
        (20, True, [("98980", 1)]),
        (39, True, [("98980", 1)]),
        (40, True, [("98980", 1), ("98981", 1)]),
        (60, True, [("98980", 1), ("98981", 2)]),
        (10, False, []),
        (20, False, []),
        (60, False, []),
    ],
)
def test_management_codes_through_the_api(alice_api, month_of, pat, episode, minutes, call, codes):
    _entry(alice_api, pat, 5, activity="call" if call else "message", interactive=call)
    _entry(alice_api, pat, minutes - 5, day="2026-03-20")
    body = month_of(pat, "2026-03")
    assert body["management"]["minutes"] == minutes
    assert body["management"]["interactive_count"] == (1 if call else 0)
    reached = [(c["code"], c["units"]) for c in body["codes"] if c["code"] != "98975"]
    assert reached == codes


def test_assistant_time_is_marked_for_the_modifier(alice_api, bob, month_of, pat, episode):
    bob.credential = "PTA"
    bob.last_name = "Assist"
    bob.save(update_fields=["credential", "last_name"])
    _entry(alice_api, pat, 15, activity="call", interactive=True)
    entry = _entry(staff_client(bob), pat, 10, activity="program_change").json()
    assert (entry["credential"], entry["assistant"], entry["modifier"]) == ("PTA", True, "CQ")
    body = month_of(pat, "2026-03")
    management = body["management"]
    assert (management["assistant_minutes"], management["modifiers"]) == (10, ["CQ"])
    assert {(r["name"], r["minutes"], r["modifier"]) for r in management["recorded_by"]} == {
        ("Alice " + pat.therapist.last_name, 15, None),
        ("Bob Assist", 10, "CQ"),
    }
    assert [c["modifiers"] for c in body["codes"] if c["code"] == "98980"] == [["CQ"]]


def test_the_month_read_is_audited_and_checked(alice_api, pat, episode):
    response = alice_api.get(f"/api/v1/patients/{pat.pk}/monitoring/?month=2026-03")
    assert response.status_code == 200
    event = AuditEvent.objects.get(object_type="monitoring_month")
    assert (event.patient_id, event.object_id, event.action) == (pat.pk, "2026-03", "view")
    assert "Pat" not in str(event.__dict__)
    url = f"/api/v1/patients/{pat.pk}/monitoring/"
    assert_error(alice_api.get(url + "?month=2026-13"), 400, attr="month")
    assert_error(alice_api.get(url + "?month="), 400, attr="month")
    # No codes in force before 2026: said, not an empty answer that looks like "nothing".
    assert_error(alice_api.get(url + "?month=2025-06"), 400, attr="month")


@pytest.mark.parametrize("month", ["0980-03", "1899-12", "3000-01", "12026-03"])
def test_a_month_outside_1900_to_2999_is_refused_and_nothing_is_signed_off(
    alice_api, pat, episode, month
):
    # A year before 1000 was signed off and answered as "980-03", which no client can parse.
    response = alice_api.post(
        f"/api/v1/patients/{pat.pk}/monitoring/sign-off/", {"month": month}, format="json"
    )
    body = assert_error(response, 400, attr="month")
    assert "1900 to 2999" in body["errors"][0]["detail"]
    assert not MonthSignOff.objects.exists()


# -- the clinic's statement -------------------------------------------------------------------


def _patients_with_records(alice, n):
    patients = []
    for i in range(n):
        patient = PatientFactory(therapist=alice, last_name=f"Stmt{i:03d}")
        start_episode(patient, alice, "2026-03-01T09:00:00+01:00")
        for day in range(1, 4 + i % 20):
            check_in(patient, f"2026-03-{day:02d}T18:00:00+01:00")
        TimeEntry.objects.create(
            clinic=patient.clinic,
            patient=patient,
            staff=alice,
            recorded_by=alice,
            performed_on=date(2026, 3, 5),
            minutes=22,
            activity="call",
            interactive=True,
        )
        patients.append(patient)
    return patients


def test_the_statement_lists_each_patient_once_with_their_codes(alice, alice_api, quinn, bob):
    patients = _patients_with_records(alice, 3)
    response = alice_api.get("/api/v1/monitoring/statements/?month=2026-03")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [r["patient"] for r in results] == [p.pk for p in patients]  # quinn has no record
    assert [c["code"] for c in results[0]["codes"]] == ["98975", "98985", "98980"]
    assert AuditEvent.objects.filter(object_type="monitoring_statement").count() == 3
    page = alice_api.get("/api/v1/monitoring/statements/?month=2026-03&page_size=2").json()
    assert len(page["results"]) == 2 and page["next"]
    rest = alice_api.get(page["next"]).json()
    assert [r["patient"] for r in rest["results"]] == [patients[2].pk]


def test_the_statement_as_csv_has_one_row_per_patient_and_code(alice, alice_api, pat):
    patients = _patients_with_records(alice, 2)
    start_episode(pat, alice, "2026-03-25T09:00:00+01:00")  # set-up only: one code
    for response in (
        alice_api.get("/api/v1/monitoring/statements/?month=2026-03&format=csv"),
        alice_api.get("/api/v1/monitoring/statements/?month=2026-03", HTTP_ACCEPT="text/csv"),
    ):
        assert response.status_code == 200, response.content
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode())))
        by_patient = {}
        for row in rows:
            by_patient.setdefault(int(row["patient"]), []).append(row["code"])
        assert by_patient == {
            patients[0].pk: ["98975", "98985", "98980"],
            patients[1].pk: ["98975", "98985", "98980"],
            pat.pk: ["98975"],
        }
        device = next(r for r in rows if r["code"] == "98985")
        assert (device["first_day"], device["last_day"], device["data_days"]) == (
            "2026-03-01",
            "2026-03-30",
            "3",
        )
    # An error is still JSON in the one error shape.
    bad = alice_api.get("/api/v1/monitoring/statements/?month=March&format=csv")
    assert_error(bad, 400, attr="month")


def test_the_statement_never_shows_another_clinic(carol_api, alice):
    _patients_with_records(alice, 2)
    body = carol_api.get("/api/v1/monitoring/statements/?month=2026-03").json()
    assert body["results"] == []
    text = carol_api.get("/api/v1/monitoring/statements/?month=2026-03&format=csv").content
    assert text.decode().strip().count("\n") == 0  # the header only


@pytest.mark.parametrize("path", ["statements", "csv"])
def test_statement_query_count_does_not_grow_with_patients(
    alice, alice_api, django_assert_num_queries, path
):
    url = "/api/v1/monitoring/statements/?month=2026-03" + ("&format=csv" if path == "csv" else "")
    _patients_with_records(alice, 2)
    with django_assert_num_queries(10) as small:
        assert alice_api.get(url).status_code == 200
    _patients_with_records(alice, 10)
    with django_assert_num_queries(10) as large:
        assert alice_api.get(url).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_time_list_query_count_does_not_grow_with_entries(
    alice, alice_api, pat, episode, django_assert_num_queries
):
    for _ in range(2):
        _entry(alice_api, pat, 5)
    with django_assert_num_queries(6):
        alice_api.get(_time_url(pat))
    for _ in range(10):
        _entry(alice_api, pat, 5)
    with django_assert_num_queries(6):
        alice_api.get(_time_url(pat))


@pytest.mark.parametrize("path", ["", "episodes/", "sign-off/", "time/"])
def test_options_describes_each_patient_endpoint(alice_api, pat, path):
    response = alice_api.options(f"/api/v1/patients/{pat.pk}/monitoring/{path}")
    assert response.status_code == 200, response.content


def test_options_describes_the_statements(alice_api):
    assert alice_api.options("/api/v1/monitoring/statements/").status_code == 200
