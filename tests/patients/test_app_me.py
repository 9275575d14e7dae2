"""The partner app's own profile: GET and PATCH /api/v1/app/me/."""

import pytest

from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

ME = "/api/v1/app/me/"


def test_me_shows_only_the_callers_profile(pat, pat_api, quinn, quinn_api):
    body = pat_api.get(ME).json()
    assert body["id"] == pat.pk
    assert body["first_name"] == "Pat"
    assert body["clinic_contact"] == pat.clinic.contact_line
    # Nothing of the staff-only record leaks to the app.
    assert not {"date_of_birth", "external_id", "therapist", "email", "phone"} & set(body)
    assert quinn_api.get(ME).json()["id"] == quinn.pk


def test_patient_changes_schedule_and_time_zone(pat, pat_api):
    response = pat_api.patch(
        ME,
        {
            "check_in_days": ["mon", "wed", "fri"],
            "check_in_time": "18:30",
            "timezone": "America/Chicago",
        },
    )
    assert response.status_code == 200, response.content
    pat.refresh_from_db()
    assert pat.check_in_days == ["mon", "wed", "fri"]
    assert str(pat.check_in_time) == "18:30:00"
    assert pat.timezone == "America/Chicago"


def test_patient_cannot_change_identity_fields(pat, pat_api):
    response = pat_api.patch(ME, {"first_name": "Mallory", "status": "discharged"})
    assert response.status_code == 200
    pat.refresh_from_db()
    assert (pat.first_name, pat.status) == ("Pat", "active")


@pytest.mark.parametrize(
    ("body", "attr"),
    [
        ({"timezone": "Europe/Atlantis"}, "timezone"),
        ({"check_in_days": "mon"}, "check_in_days"),
        ({"check_in_days": ["mon", "funday"]}, "check_in_days.1"),
        ({"check_in_time": "7pm"}, "check_in_time"),
        ({"quiet_start": 2100}, "quiet_start"),
    ],
)
def test_bad_schedule_is_refused_and_nothing_changes(pat, pat_api, body, attr):
    assert_error(pat_api.patch(ME, body), 400, attr=attr)
    pat.refresh_from_db()
    assert pat.timezone == "Europe/Berlin"
    assert pat.check_in_weekdays == 0b1111111


def test_discharged_patient_can_neither_read_nor_change_schedule(pat, pat_api, alice_api):
    # Discharge ends the app's access (it used to keep reading): 401 saying why.
    alice_api.post(f"/api/v1/patients/{pat.pk}/discharge/")
    pat.refresh_from_db()
    before = pat.check_in_time
    assert_error(pat_api.get(ME), 401, "patient_discharged")
    assert_error(pat_api.patch(ME, {"check_in_time": "08:00"}), 401, "patient_discharged")
    pat.refresh_from_db()
    assert pat.check_in_time == before


def test_staff_token_does_not_open_the_app_api(alice_api):
    assert_error(alice_api.get(ME), 401)


def test_anonymous_gets_401(api):
    assert_error(api.get(ME), 401)
    assert_error(api.patch(ME, {"check_in_time": "08:00"}), 401)


def test_an_app_still_sending_the_old_names_is_told_the_new_ones(pat, pat_api):
    """`checkin_time` became `check_in_time`: an app not yet updated gets a 400 naming the new
    field, not a 200 that leaves the reminder where it was."""
    body = assert_error(
        pat_api.patch(ME, {"checkin_time": "06:30", "checkin_days": ["sat"]}), 400, "renamed"
    )
    details = {e["attr"]: e["detail"] for e in body["errors"]}
    assert details == {
        "checkin_time": "Renamed: send `check_in_time` instead.",
        "checkin_days": "Renamed: send `check_in_days` instead.",
    }
    pat.refresh_from_db()
    assert (str(pat.check_in_time), pat.check_in_weekdays) == ("19:00:00", 0b1111111)
