"""What schemathesis found, pinned: JSON types, query strings and page sizes are read strictly.

Each of these was answered 200 or 201 before, with the value quietly coerced or ignored.
"""

import pytest

from clinic.models import StaffUser
from patients.models import Patient
from tests.conftest import assert_error

pytestmark = pytest.mark.django_db

PATIENT = {"first_name": "A", "last_name": "B", "date_of_birth": "1990-01-01", "timezone": "UTC"}


@pytest.mark.parametrize(
    ("field", "value"),
    [("external_id", 0), ("first_name", 12.5), ("last_name", True), ("email", 7)],
)
def test_a_string_field_refuses_a_number_or_a_boolean(alice_api, field, value):
    response = alice_api.post("/api/v1/patients/", {**PATIENT, field: value})
    assert_error(response, 400, "not_a_string", attr=field)
    assert not Patient.objects.exists()


@pytest.mark.parametrize("value", [0, 1, "false", "no", None])
def test_a_boolean_field_takes_only_true_or_false(ada_api, alice, value):
    response = ada_api.patch(f"/api/v1/staff/{alice.pk}/", {"is_active": value})
    assert_error(response, 400, attr="is_active")
    alice.refresh_from_db()
    assert alice.is_active


@pytest.mark.parametrize("value", ["3", True, 2.5])
def test_a_number_field_refuses_strings_booleans_and_fractions(alice_api, pat, value):
    response = alice_api.post(f"/api/v1/patients/{pat.pk}/ladder/", {"level": value})
    assert_error(response, 400, attr="level")


def test_a_reference_must_be_an_integer_id(alice_api, pat):
    body = {"patient": str(pat.pk), "exercises": []}
    assert_error(alice_api.post("/api/v1/programs/", body), 400, "not_an_integer", attr="patient")


@pytest.mark.parametrize("value", ["19:00+01:00", "7pm", "19:00:00Z", "25:00"])
def test_a_local_time_of_day_has_no_offset(pat_api, pat, value):
    assert_error(pat_api.patch("/api/v1/app/me/", {"check_in_time": value}), 400)
    pat.refresh_from_db()
    assert str(pat.check_in_time) == "19:00:00"


@pytest.mark.parametrize("value", ["06:30", "06:30:00", "6:30"])
def test_a_local_time_of_day_is_hh_mm_with_optional_seconds(pat_api, value):
    response = pat_api.patch("/api/v1/app/me/", {"check_in_time": value})
    assert response.status_code == 200, response.content
    assert response.json()["check_in_time"] == "06:30:00"


@pytest.mark.parametrize("query", ["page_size=0", "page_size=201", "page_size=x", "page_size="])
def test_a_page_size_out_of_range_is_400_not_the_default(alice_api, pat, query):
    assert_error(alice_api.get(f"/api/v1/patients/?{query}"), 400, attr="page_size")


def test_a_page_size_in_range_is_used(alice_api, pat, quinn):
    body = alice_api.get("/api/v1/patients/?page_size=1").json()
    assert len(body["results"]) == 1 and body["next"]


@pytest.mark.parametrize(
    ("url", "attr"),
    [
        ("/api/v1/patients/?status=", "status"),
        ("/api/v1/patients/?mine=yes", "mine"),
        ("/api/v1/patients/?mine=null", "mine"),
        ("/api/v1/patients/?therapist=1.5", "therapist"),
        ("/api/v1/escalations/?patient=abc", "patient"),
        ("/api/v1/exercises/?shipped=1", "shipped"),
        ("/api/v1/audit-events/?since=", "since"),
    ],
)
def test_a_filter_it_cannot_read_is_400_not_ignored(ada_api, pat, url, attr):
    assert_error(ada_api.get(url), 400, attr=attr)


def test_filters_that_read_still_filter(alice_api, pat, quinn):
    ids = [p["id"] for p in alice_api.get("/api/v1/patients/?mine=true").json()["results"]]
    assert ids == [pat.pk]
    ids = [p["id"] for p in alice_api.get("/api/v1/patients/?mine=false").json()["results"]]
    assert sorted(ids) == sorted([pat.pk, quinn.pk])


def test_an_admin_cannot_deactivate_or_demote_themselves(ada, ada_api):
    assert_error(ada_api.patch(f"/api/v1/staff/{ada.pk}/", {"is_active": False}), 409)
    assert_error(ada_api.patch(f"/api/v1/staff/{ada.pk}/", {"role": "therapist"}), 409)
    ada.refresh_from_db()
    assert ada.is_active and ada.role == "admin"
    # Their own name they may change; another admin may still deactivate them.
    assert ada_api.patch(f"/api/v1/staff/{ada.pk}/", {"first_name": "Ada"}).status_code == 200


def test_another_admin_can_deactivate_an_admin(ada, ada_api, clinic_a, as_staff):
    from tests.factories import StaffFactory

    other = StaffFactory(clinic=clinic_a, email="other-admin@a.test", role="admin", is_staff=True)
    response = as_staff(other).patch(f"/api/v1/staff/{ada.pk}/", {"is_active": False})
    assert response.status_code == 200, response.content
    assert not StaffUser.objects.get(pk=ada.pk).is_active


def test_a_serializer_reading_a_query_string_still_reads_numbers_and_booleans():
    from django.http import QueryDict
    from rest_framework import serializers

    from common.fields import StrictBooleanField, StrictIntegerField

    class Query(serializers.Serializer):
        days = StrictIntegerField()
        mine = StrictBooleanField()

    from_query = Query(data=QueryDict("days=30&mine=true"))
    assert from_query.is_valid(), from_query.errors
    assert from_query.validated_data == {"days": 30, "mine": True}
    from_json = Query(data={"days": "30", "mine": "true"})
    assert not from_json.is_valid()
    assert set(from_json.errors) == {"days", "mine"}


def test_each_serializer_gets_its_own_copy_of_a_strict_field():
    """A strict field is copied attribute by attribute for each serializer (not rebuilt): the
    copies must still be separate, and a list's child must belong to its own list."""
    from django.http import QueryDict
    from rest_framework import serializers

    from common.fields import StrictChoiceField, StrictIntegerField, StrictListField

    class Body(serializers.Serializer):
        pain = StrictIntegerField(min_value=0, max_value=10)
        days = StrictListField(child=StrictChoiceField(choices=["mon", "tue"]), max_length=2)

    first, second = Body(data={"pain": 11, "days": ["mon"]}), Body(data={"pain": 3, "days": []})
    first.fields["pain"].error_messages["not_an_integer"] = "Changed for this one only."
    first.fields["pain"].validators.clear()
    assert first.fields["pain"] is not second.fields["pain"]
    assert second.fields["days"].child.parent is second.fields["days"]
    assert second.fields["days"].child.root is second
    assert first.is_valid(), first.errors  # its validators were cleared
    too_high = Body(data={"pain": 11, "days": ["mon", "tue", "mon"]})
    assert not too_high.is_valid()
    assert str(too_high.errors["pain"][0]) == "Ensure this value is less than or equal to 10."
    assert too_high.errors["days"][0].code == "max_length"
    assert not Body(data={"pain": 1, "days": ["sun"]}).is_valid()
    a_string = Body(data={"pain": "7", "days": []})
    assert not a_string.is_valid()
    assert str(a_string.errors["pain"][0]) != "Changed for this one only."

    # A list's child reads a query string as one: its root is the serializer it is in.
    class Query(serializers.Serializer):
        ids = StrictListField(child=StrictIntegerField())

    query = Query(data=QueryDict("ids=1&ids=2"))
    assert query.is_valid(), query.errors
    assert query.validated_data == {"ids": [1, 2]}
