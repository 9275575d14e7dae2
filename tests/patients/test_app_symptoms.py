"""GET /api/v1/app/symptoms/: the symptom list and the clinic's advice texts, for the partner
app to cache and give the red-flag advice offline, word for word what a check-in would say."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import patient_client
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/app/symptoms/"


def cached(client):
    response = client.get(URL)
    assert response.status_code == 200, response.content
    return response.json()


def check_in(client, **data):
    data = {"recorded_at": (timezone.now() - timedelta(minutes=1)).isoformat(), **data}
    response = client.post(
        "/api/v1/app/check-ins/", data, format="json", HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_every_symptom_with_its_group_and_advice_level(pat_api):
    body = cached(pat_api)
    assert set(body) == {"symptoms", "advice"}
    assert body["symptoms"] == [
        {"symptom": "cannot_bear_weight", "group": "emergency", "advice_level": "seek_urgent_care"},
        {
            "symptom": "hot_swollen_knee_fever",
            "group": "emergency",
            "advice_level": "seek_urgent_care",
        },
        {"symptom": "calf_pain_swelling", "group": "emergency", "advice_level": "seek_urgent_care"},
        {"symptom": "numbness_tingling", "group": "emergency", "advice_level": "seek_urgent_care"},
        {"symptom": "locking", "group": "mechanical", "advice_level": "stop_and_contact"},
        {"symptom": "giving_way", "group": "mechanical", "advice_level": "stop_and_contact"},
        {"symptom": "swelling", "group": "mechanical", "advice_level": "stop_and_contact"},
        {"symptom": "catching", "group": "mechanical", "advice_level": "stop_and_contact"},
        {"symptom": "night_pain", "group": "mechanical", "advice_level": "stop_and_contact"},
        {"symptom": "sharp_pain", "group": "mechanical", "advice_level": "stop_and_contact"},
        {"symptom": "limping", "group": "load", "advice_level": "reduce"},
    ]


def test_advice_texts_are_the_clinics_one_per_level_lowest_first(pat, pat_api):
    advice = cached(pat_api)["advice"]
    assert [a["level"] for a in advice] == [
        "continue",
        "reduce",
        "stop_and_contact",
        "seek_urgent_care",
    ]
    for entry in advice:
        assert entry["message"].endswith(pat.clinic.contact_line)
        assert "not a diagnosis" in entry["message"]
    urgent = advice[-1]["message"]
    assert "call your local emergency number now" in urgent


@pytest.mark.parametrize(
    ("symptoms", "level"),
    [
        ([], "continue"),
        (["limping"], "reduce"),
        (["locking"], "stop_and_contact"),
        (["calf_pain_swelling"], "seek_urgent_care"),
        (["limping", "giving_way", "numbness_tingling"], "seek_urgent_care"),
    ],
)
def test_a_real_check_in_says_word_for_word_what_the_app_cached(pat_api, symptoms, level):
    body = cached(pat_api)
    texts = {a["level"]: a["message"] for a in body["advice"]}
    published = {s["symptom"]: s["advice_level"] for s in body["symptoms"]}
    # The app's offline choice: the highest level of the symptoms ticked.
    order = [a["level"] for a in body["advice"]]
    offline = max((published[s] for s in symptoms), key=order.index, default="continue")
    assert offline == level

    advice = check_in(pat_api, pain_rest=0, symptoms=symptoms)["advice"]
    assert advice["level"] == level
    assert advice["message"] == texts[level]


def test_each_patient_gets_their_own_clinics_contact_line(pat, pat_api, carol):
    other = PatientFactory(therapist=carol)
    pat.clinic.contact_line = "Call Clinic A on 030 1234, weekdays 8-18."
    pat.clinic.save(update_fields=["contact_line"])
    mine = cached(pat_api)["advice"]
    theirs = cached(patient_client(other))["advice"]
    assert all(a["message"].endswith("Call Clinic A on 030 1234, weekdays 8-18.") for a in mine)
    assert all(a["message"].endswith(other.clinic.contact_line) for a in theirs)
    assert "Clinic A" not in str(theirs)


def test_one_query_whatever_the_clinic(pat_api, django_assert_num_queries):
    # The patient token lookup brings the patient and the clinic; the rest is the rule table.
    with django_assert_num_queries(1):
        response = pat_api.get(URL)
    assert response.status_code == 200
