"""Outcome measures: staff at /patients/{id}/questionnaires/, the patient at /app/."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import QuestionnaireResponse
from clinic.models import AuditEvent
from tests.assessments.conftest import make_response
from tests.conftest import assert_error, staff_client

pytestmark = pytest.mark.django_db

APP_URL = "/api/v1/app/questionnaires/"
LEFS = [str(i) for i in range(1, 21)]


def staff_url(patient_or_id):
    pk = patient_or_id if isinstance(patient_or_id, int) else patient_or_id.pk
    return f"/api/v1/patients/{pk}/questionnaires/"


def lefs(value):
    return dict.fromkeys(LEFS, value)


def post(client, url, body):
    return client.post(url, body, format="json")


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


# --- Staff: recording and reading ----------------------------------------------------------


def test_staff_record_a_lefs(alice_api, alice, pat):
    recorded_at = ago(hours=2)
    response = post(
        alice_api,
        staff_url(pat),
        {"instrument": "lefs", "answers": lefs(3), "recorded_at": recorded_at.isoformat()},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["patient"] == pat.pk
    assert body["instrument"] == "lefs"
    assert body["answers"] == lefs(3)
    assert body["scores"] == {"total": 60}
    assert body["source"] == "staff"
    assert body["recorded_by"] == alice.pk
    assert (body["compared_to"], body["change"], body["mcid_met"]) == (None, None, None)
    row = QuestionnaireResponse.objects.get()
    assert row.clinic_id == pat.clinic_id
    assert row.recorded_at == recorded_at
    event = AuditEvent.objects.get(action="create")
    assert (event.patient_id, event.object_type, event.object_id) == (
        pat.pk,
        "questionnaire_response",
        str(row.pk),
    )


def test_later_responses_show_change_against_the_first_and_the_mcid(alice_api, alice, pat):
    first = make_response(pat, "nprs", {"pain": 7}, by=alice, recorded_at=ago(days=20))
    make_response(pat, "nprs", {"pain": 6}, by=alice, recorded_at=ago(days=10))
    body = post(alice_api, staff_url(pat), {"instrument": "nprs", "answers": {"pain": 5}}).json()
    assert body["scores"] == {"total": 5}
    assert body["compared_to"] == first.pk
    assert body["change"] == {"total": -2}
    assert body["mcid_met"] is True

    listed = alice_api.get(staff_url(pat)).json()["results"]
    assert [(r["scores"]["total"], r["change"], r["mcid_met"]) for r in listed] == [
        (5, {"total": -2}, True),
        (6, {"total": -1}, False),
        (7, None, None),
    ]


def test_lefs_mcid_is_nine_points_up(alice_api, alice, pat):
    make_response(pat, "lefs", lefs(2), by=alice, recorded_at=ago(days=30))  # 40
    eight_up = {**lefs(2), "1": 4, "2": 4, "3": 4, "4": 4}  # 48
    nine_up = {**eight_up, "5": 3}  # 49
    assert (
        post(alice_api, staff_url(pat), {"instrument": "lefs", "answers": eight_up}).json()[
            "mcid_met"
        ]
        is False
    )
    body = post(alice_api, staff_url(pat), {"instrument": "lefs", "answers": nine_up}).json()
    assert (body["change"], body["mcid_met"]) == ({"total": 9}, True)


def test_lefs_with_missing_items_is_prorated_to_a_whole_point_before_the_mcid(
    alice_api, alice, pat
):
    make_response(
        pat, "lefs", {**lefs(2), "1": 3, "2": 3, "3": 3, "4": 3}, recorded_at=ago(days=30)
    )
    # 16 of 20 answered, sum 42: 42 x 20 / 16 = 52.5, rounded half up to 53: 9 up, the MCID.
    sixteen = {item: 3 if int(item) <= 10 else 2 for item in LEFS[:16]}
    body = post(alice_api, staff_url(pat), {"instrument": "lefs", "answers": sixteen}).json()
    assert body["scores"] == {"total": 53}
    assert (body["change"], body["mcid_met"]) == ({"total": 9}, True)
    # Five missing: not scored, so not compared.
    fifteen = dict(list(sixteen.items())[:15])
    body = post(alice_api, staff_url(pat), {"instrument": "lefs", "answers": fifteen}).json()
    assert (body["scores"], body["change"], body["mcid_met"]) == (
        {"total": None},
        {"total": None},
        None,
    )


def test_koos_is_scored_per_subscale_and_has_no_mcid(alice_api, alice, pat):
    full = {
        **{f"P{i}": 2 for i in range(1, 10)},
        **{f"S{i}": 1 for i in range(1, 8)},
        **{f"A{i}": 1 for i in range(1, 18)},
        **{f"SP{i}": 3 for i in range(1, 6)},
        **{f"Q{i}": 2 for i in range(1, 5)},
    }
    first = post(alice_api, staff_url(pat), {"instrument": "koos", "answers": full}).json()
    assert first["scores"] == {
        "pain": 50.0,
        "symptoms": 75.0,
        "adl": 75.0,
        "sport_rec": 25.0,
        "qol": 50.0,
    }
    later_answers = {k: v for k, v in full.items() if not k.startswith("SP")}
    later_answers.update({f"P{i}": 1 for i in range(1, 10)})
    later = post(alice_api, staff_url(pat), {"instrument": "koos", "answers": later_answers}).json()
    assert later["scores"]["sport_rec"] is None
    assert later["change"] == {
        "pain": 25.0,
        "symptoms": 0.0,
        "adl": 0.0,
        "sport_rec": None,
        "qol": 0.0,
    }
    assert later["mcid_met"] is None


def test_koos_pf_shows_its_change_from_the_first_and_no_mcid_verdict(pat, pat_api):
    items = [str(i) for i in range(1, 12)]
    make_response(pat, "koos_pf", dict.fromkeys(items, 2), recorded_at=ago(days=42))  # 50
    body = post(pat_api, APP_URL, {"instrument": "koos_pf", "answers": dict.fromkeys(items, 0)})
    body = body.json()
    assert body["scores"] == {"total": 100.0}
    # A 50-point improvement, yet no verdict: no MCID is agreed for runners.
    assert (body["change"], body["mcid_met"]) == ({"total": 50.0}, None)


def test_each_instrument_is_compared_with_its_own_first(alice_api, alice, pat):
    make_response(pat, "nprs", {"pain": 8}, by=alice, recorded_at=ago(days=5))
    body = post(alice_api, staff_url(pat), {"instrument": "koos_pf", "answers": {"1": 2}}).json()
    assert body["scores"] == {"total": None}  # 1 of 11 answered
    assert body["compared_to"] is None


def test_a_response_entered_late_for_an_earlier_date_becomes_the_reference(alice_api, alice, pat):
    make_response(pat, "nprs", {"pain": 6}, by=alice, recorded_at=ago(days=3))
    older = post(
        alice_api,
        staff_url(pat),
        {"instrument": "nprs", "answers": {"pain": 9}, "recorded_at": ago(days=30).isoformat()},
    ).json()
    assert older["compared_to"] is None
    listed = alice_api.get(staff_url(pat)).json()["results"]
    assert [(r["compared_to"], r["change"]) for r in listed] == [
        (older["id"], {"total": -3}),
        (None, None),
    ]


def test_patients_answers_are_compared_with_staff_ones(alice_api, alice, pat, pat_api):
    make_response(pat, "lefs", lefs(1), by=alice, recorded_at=ago(days=14))  # 20
    body = post(pat_api, APP_URL, {"instrument": "lefs", "answers": lefs(2)}).json()  # 40
    assert (body["change"], body["mcid_met"]) == ({"total": 20}, True)
    listed = alice_api.get(staff_url(pat)).json()["results"]
    assert [r["source"] for r in listed] == ["patient", "staff"]
    assert listed[0]["recorded_by"] is None


def test_list_filters_by_instrument(alice_api, alice, pat):
    make_response(pat, "nprs", {"pain": 3}, by=alice)
    lefs_row = make_response(pat, "lefs", lefs(4), by=alice)
    results = alice_api.get(staff_url(pat), {"instrument": "lefs"}).json()["results"]
    assert [r["id"] for r in results] == [lefs_row.pk]
    assert_error(alice_api.get(staff_url(pat), {"instrument": "sf36"}), 400, attr="instrument")


def test_list_only_holds_the_patients_own_responses_and_is_audited(alice_api, alice, pat, quinn):
    mine = make_response(pat, "nprs", {"pain": 3}, by=alice)
    make_response(quinn, "nprs", {"pain": 4}, by=alice)
    results = alice_api.get(staff_url(pat)).json()["results"]
    assert [r["id"] for r in results] == [mine.pk]
    event = AuditEvent.objects.get(action="list")
    assert (event.patient_id, event.object_type, event.object_id) == (
        pat.pk,
        "questionnaire_response",
        str(mine.pk),
    )


@pytest.mark.parametrize("rows", [2, 10])
def test_staff_list_query_count_does_not_grow_with_rows(
    alice_api, alice, pat, rows, django_assert_num_queries
):
    for day in range(rows):
        make_response(pat, "nprs", {"pain": day % 11}, by=alice, recorded_at=ago(days=day))
    # knox token (2), clinic, patient, page with first-response annotations, audit insert
    with django_assert_num_queries(6):
        response = alice_api.get(staff_url(pat))
    assert len(response.json()["results"]) == rows


# --- Staff: tenancy and authentication -----------------------------------------------------


def test_anonymous_gets_401(api, alice, pat):
    make_response(pat, "nprs", {"pain": 3}, by=alice)
    assert_error(api.get(staff_url(pat)), 401)
    assert_error(post(api, staff_url(pat), {"instrument": "nprs", "answers": {"pain": 1}}), 401)
    assert QuestionnaireResponse.objects.count() == 1


def test_patient_token_gets_401_on_the_staff_route(pat_api, alice, pat):
    make_response(pat, "nprs", {"pain": 3}, by=alice)
    assert_error(pat_api.get(staff_url(pat)), 401)
    assert_error(post(pat_api, staff_url(pat), {"instrument": "nprs", "answers": {"pain": 1}}), 401)
    assert QuestionnaireResponse.objects.count() == 1


def test_another_clinic_gets_404_and_sees_nothing(carol_api, alice, pat):
    make_response(pat, "nprs", {"pain": 3}, by=alice)
    listed = assert_error(carol_api.get(staff_url(pat)), 404, "not_found")
    assert "pain" not in json.dumps(listed)
    created = post(carol_api, staff_url(pat), {"instrument": "nprs", "answers": {"pain": 1}})
    assert_error(created, 404, "not_found")
    assert QuestionnaireResponse.objects.count() == 1
    assert not AuditEvent.objects.exclude(action="create").exists()


def test_a_missing_patient_is_the_same_404(carol_api, alice_api, pat):
    missing = assert_error(alice_api.get(staff_url(999_999)), 404, "not_found")
    foreign = assert_error(carol_api.get(staff_url(pat)), 404, "not_found")
    assert missing == foreign


def test_carol_reads_her_own_patient(carol_api, carol, pat_b):
    make_response(pat_b, "lefs", lefs(4), by=carol)
    assert len(carol_api.get(staff_url(pat_b)).json()["results"]) == 1


# --- Partner app ---------------------------------------------------------------------------


def test_patient_sends_a_questionnaire(pat_api, pat):
    response = post(
        pat_api,
        APP_URL,
        {"instrument": "koos_pf", "answers": dict.fromkeys([str(i) for i in range(1, 12)], 1)},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scores"] == {"total": 75.0}
    assert body["source"] == "patient"
    assert body["patient"] == pat.pk
    assert "recorded_by" not in body
    row = QuestionnaireResponse.objects.get()
    assert (row.patient_id, row.clinic_id, row.recorded_by_id) == (pat.pk, pat.clinic_id, None)


def test_nprs_is_not_sent_from_the_app(pat_api):
    response = post(pat_api, APP_URL, {"instrument": "nprs", "answers": {"pain": 3}})
    assert_error(response, 400, "invalid_choice", "instrument")
    assert not QuestionnaireResponse.objects.exists()


def test_patient_only_sees_their_own(pat_api, quinn_api, alice, pat, quinn):
    own = make_response(pat, "lefs", lefs(2), by=alice)
    theirs = make_response(quinn, "lefs", lefs(3))
    assert [r["id"] for r in pat_api.get(APP_URL).json()["results"]] == [own.pk]
    assert [r["id"] for r in quinn_api.get(APP_URL).json()["results"]] == [theirs.pk]


def test_a_patient_cannot_write_for_someone_else(pat_api, pat, quinn):
    body = {"instrument": "lefs", "answers": lefs(4), "patient": quinn.pk}
    assert post(pat_api, APP_URL, body).status_code == 201
    assert QuestionnaireResponse.objects.get().patient_id == pat.pk
    assert not QuestionnaireResponse.objects.filter(patient=quinn).exists()


def test_app_route_refuses_anonymous_and_staff_tokens(api, alice, pat):
    make_response(pat, "lefs", lefs(2))
    alice_api = staff_client(alice)
    for client in (api, alice_api):
        assert_error(client.get(APP_URL), 401)
        assert_error(post(client, APP_URL, {"instrument": "lefs", "answers": lefs(1)}), 401)
    assert QuestionnaireResponse.objects.count() == 1


@pytest.mark.parametrize("rows", [2, 10])
def test_app_list_query_count_does_not_grow_with_rows(
    pat_api, pat, rows, django_assert_num_queries
):
    for day in range(rows):
        make_response(pat, "lefs", lefs(day % 5), recorded_at=ago(days=day))
    # patient token, page with first-response annotations
    with django_assert_num_queries(2):
        response = pat_api.get(APP_URL)
    assert len(response.json()["results"]) == rows


# --- Bad input (both routes) ---------------------------------------------------------------

BAD_BODIES = [
    ({"instrument": "lefs", "answers": {"21": 2}}, "answers.21"),
    ({"instrument": "lefs", "answers": {"1": 5}}, "answers.1"),
    ({"instrument": "lefs", "answers": {"1": -1}}, "answers.1"),
    ({"instrument": "lefs", "answers": {"1": "3"}}, "answers.1"),
    ({"instrument": "lefs", "answers": {"1": 2.5}}, "answers.1"),
    ({"instrument": "lefs", "answers": {"1": True}}, "answers.1"),
    ({"instrument": "lefs", "answers": {"1": None}}, "answers.1"),
    ({"instrument": "koos", "answers": {"P10": 1}}, "answers.P10"),
    ({"instrument": "koos", "answers": {"p1": 1}}, "answers.p1"),
    ({"instrument": "koos_pf", "answers": {"12": 1}}, "answers.12"),
    ({"instrument": "lefs", "answers": {}}, "answers"),
    ({"instrument": "lefs", "answers": [3, 3]}, "answers"),
    ({"instrument": "sf36", "answers": {"1": 1}}, "instrument"),
    ({"answers": {"1": 1}}, "instrument"),
    ({"instrument": "lefs"}, "answers"),
    (
        {"instrument": "lefs", "answers": {"1": 1}, "recorded_at": "2999-01-01T00:00:00Z"},
        "recorded_at",
    ),
]
STAFF_ONLY_BAD = [
    ({"instrument": "nprs", "answers": {"pain": 11}}, "answers.pain"),
    ({"instrument": "nprs", "answers": {"pain": -1}}, "answers.pain"),
    ({"instrument": "nprs", "answers": {"pain": 6.5}}, "answers.pain"),
    ({"instrument": "nprs", "answers": {"pain": "7"}}, "answers.pain"),
    ({"instrument": "nprs", "answers": {"1": 4}}, "answers.1"),
]


@pytest.mark.parametrize(("body", "attr"), BAD_BODIES + STAFF_ONLY_BAD)
def test_staff_bad_input_gets_400_and_nothing_is_stored(alice_api, pat, body, attr):
    assert_error(post(alice_api, staff_url(pat), body), 400, attr=attr)
    assert not QuestionnaireResponse.objects.exists()


@pytest.mark.parametrize(("body", "attr"), BAD_BODIES)
def test_app_bad_input_gets_400_and_nothing_is_stored(pat_api, body, attr):
    assert_error(post(pat_api, APP_URL, body), 400, attr=attr)
    assert not QuestionnaireResponse.objects.exists()


def test_all_unknown_items_are_named(alice_api, pat):
    body = assert_error(
        post(alice_api, staff_url(pat), {"instrument": "koos", "answers": {"X1": 1, "P1": 9}}),
        400,
    )
    assert sorted(e["attr"] for e in body["errors"]) == ["answers.P1", "answers.X1"]
    assert "not an item of KOOS" in json.dumps(body)


@pytest.mark.parametrize("url", ["staff", "app"])
def test_wrong_content_type_and_huge_body(alice_api, pat_api, pat, url):
    client, target = (alice_api, staff_url(pat)) if url == "staff" else (pat_api, APP_URL)
    raw = json.dumps({"instrument": "lefs", "answers": lefs(3)})
    assert_error(client.post(target, raw, content_type="text/plain"), 415)
    huge = json.dumps({"instrument": "lefs", "answers": lefs(3), "pad": "x" * 1_000_000})
    assert_error(client.post(target, huge, content_type="application/json"), 413)
    assert not QuestionnaireResponse.objects.exists()
