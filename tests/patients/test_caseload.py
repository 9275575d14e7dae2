"""GET /api/v1/caseload/: order by priority, every field, filters, pages, query count, audit;
and the status summary behind it staying current as check-ins and escalations change."""

import uuid
import zoneinfo
from datetime import date, datetime, time, timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from clinic.models import AuditEvent
from patients.models import Escalation, Patient, PatientStatus, PatientSummary
from patients.services import (
    EvidenceInput,
    escalation_raise,
    escalation_resolve,
    patient_discharge,
    summaries_rebuild,
    summaries_refresh_stale,
)
from patients.services.check_ins import check_in_submit
from programs import services as program_services
from programs.models import RunLadder
from tests.conftest import assert_error
from tests.factories import PatientFactory
from tests.patients.conftest import walk_pages
from tests.programs.conftest import prescribe

pytestmark = pytest.mark.django_db

URL = "/api/v1/caseload/"
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def today() -> date:
    return timezone.now().astimezone(BERLIN).date()


def local(days_ago: int, hour: int = 12) -> datetime:
    return datetime.combine(today() - timedelta(days=days_ago), time(hour), tzinfo=BERLIN)


def check_in(patient: Patient, when: datetime, **fields):
    data = {"recorded_at": when, "pain_rest": 2, **fields}
    key = str(uuid.uuid4())
    return check_in_submit(patient=patient, data=data, idempotency_key=key, fingerprint=key)


def raise_escalation(patient: Patient, severity: str, code: str, at: datetime | None = None):
    with transaction.atomic():
        return escalation_raise(
            patient=patient,
            code=code,
            evidence=EvidenceInput(severity=severity, rationale="test"),
            now=at,
        ).escalation


def entries(client, query: str = "") -> list[dict]:
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def by_id(client, patient: Patient, query: str = "") -> dict:
    return next(e for e in entries(client, query) if e["id"] == patient.pk)


def test_order_severity_then_overdue_then_rising_then_days_since(alice_api, alice, bob):
    now = timezone.now()
    make = lambda name: PatientFactory(therapist=alice, first_name=name)  # noqa: E731
    quiet_new, never, quiet_old, rising = make("new"), make("never"), make("old"), make("rising")
    mod_overdue, high, high_overdue, crit = make("mo"), make("h"), make("ho"), make("c")

    check_in(quiet_new, now - timedelta(hours=1), pain_rest=1)
    Patient.objects.filter(pk=never.pk).update(created_at=now - timedelta(days=2))
    check_in(quiet_old, now - timedelta(days=5), pain_rest=1)
    for days_ago in (3, 2, 1):
        check_in(rising, now - timedelta(days=days_ago), pain_rest=2)
    check_in(rising, now - timedelta(minutes=5), pain_rest=5)  # +3 over the baseline of 2
    rising_escalation = Escalation.objects.get(patient=rising, code="pain_rising")
    escalation_resolve(escalation=rising_escalation, by=alice, note="called; settled")
    raise_escalation(mod_overdue, "moderate", "stride_change", at=now - timedelta(days=3))
    raise_escalation(high, "high", "pain_severe")
    raise_escalation(high_overdue, "high", "pain_severe", at=now - timedelta(hours=5))
    check_in(crit, now - timedelta(hours=2), symptoms=["calf_pain_swelling"])
    gone = make("gone")
    patient_discharge(patient=gone, by=alice)

    names = [e["first_name"] for e in entries(alice_api)]
    assert names == ["c", "ho", "h", "mo", "rising", "old", "never", "new"]
    rows = {e["first_name"]: e for e in entries(alice_api)}
    assert rows["c"]["highest_severity"] == "critical" and not rows["c"]["overdue"]
    assert rows["ho"]["overdue"] and rows["mo"]["overdue"] and not rows["h"]["overdue"]
    assert rows["rising"]["pain_rising"] and rows["rising"]["highest_severity"] is None
    assert rows["never"]["last_check_in_at"] is None
    assert rows["never"]["days_since_last_check_in"] is None
    assert (
        rows["old"]["days_since_last_check_in"] == 5 or rows["old"]["days_since_last_check_in"] == 6
    )


def test_every_field_of_an_entry(alice_api, alice, pat):
    program = prescribe(
        pat,
        alice,
        "clamshell",
        "wall_sit",
        dose={"days_per_week": 7},
        start_date=today() - timedelta(days=20),
    )
    first_item, second_item = (item.pk for item in program.items.order_by("order"))
    check_in(pat, local(10), pain_rest=3)
    check_in(pat, local(3, 9), pain_rest=2)
    check_in(pat, local(3, 20), pain_rest=4, pain_morning=1)
    check_in(pat, local(1), pain_rest=3, exercises_completed=[first_item, second_item])
    latest_at = timezone.now()
    check_in(pat, latest_at, pain_rest=2, exercises_completed=[first_item])
    program_services.ladder_start(
        patient=pat, by=alice, ladder=RunLadder.objects.get(code="default", clinic=None), level=3
    )

    entry = by_id(alice_api, pat)
    sparkline = [None] * 14
    sparkline[3], sparkline[10], sparkline[12], sparkline[13] = 3, 4, 3, 2
    assert entry == {
        "id": pat.pk,
        "first_name": "Pat",
        "last_name": "Pending",
        "external_id": "",
        "therapist": alice.pk,
        "status": "active",
        "today": today().isoformat(),
        "last_check_in_at": entry["last_check_in_at"],
        "last_peak_pain": 2,
        "days_since_last_check_in": 0,
        "daily_peak_pain": sparkline,
        "adherence_7d": {
            "first": (today() - timedelta(days=6)).isoformat(),
            "last": today().isoformat(),
            "done": 3,  # both on day -1, the first today
            "due": 14,  # two daily exercises, 7 days
            "ratio": 0.21,
        },
        "pain_rising": False,
        "overdue": False,
        "highest_severity": None,
        "escalations": {"critical": 0, "high": 0, "moderate": 0, "low": 0},
        "ladder": {"level": 3, "paused": False},
        "unread_messages": 0,
    }
    assert datetime.fromisoformat(entry["last_check_in_at"]) == latest_at

    # An offline check-in from five days ago arrives last: it fills its day of the
    # sparkline but is not the latest check-in.
    check_in(pat, local(5), pain_rest=6)
    entry = by_id(alice_api, pat)
    assert entry["daily_peak_pain"][8] == 6
    assert entry["last_peak_pain"] == 2 and entry["days_since_last_check_in"] == 0

    program_services.ladder_pause(patient=pat, reason="therapist", by=alice)
    assert by_id(alice_api, pat)["ladder"] == {"level": 3, "paused": True}


def test_days_since_and_adherence_before_todays_check_in(alice_api, alice, pat):
    prescribe(
        pat, alice, "clamshell", dose={"days_per_week": 7}, start_date=today() - timedelta(days=30)
    )
    check_in(pat, local(4), pain_rest=1)
    entry = by_id(alice_api, pat)
    assert entry["days_since_last_check_in"] == 4
    # Not yet checked in today: the window ends yesterday; nothing was done in it.
    assert entry["adherence_7d"]["last"] == (today() - timedelta(days=1)).isoformat()
    assert (entry["adherence_7d"]["done"], entry["adherence_7d"]["due"]) == (0, 7)


def test_escalation_lifecycle_moves_the_entry(alice_api, alice, pat):
    now = timezone.now()
    high = raise_escalation(pat, "high", "pain_severe")
    late = raise_escalation(pat, "moderate", "stride_change", at=now - timedelta(days=3))
    entry = by_id(alice_api, pat)
    assert entry["escalations"] == {"critical": 0, "high": 1, "moderate": 1, "low": 0}
    assert entry["highest_severity"] == "high" and entry["overdue"] is True

    assert alice_api.post(f"/api/v1/escalations/{late.pk}/acknowledge/").status_code == 200
    entry = by_id(alice_api, pat)
    assert entry["overdue"] is False  # acknowledged: the clock stopped
    assert entry["escalations"]["moderate"] == 1  # still unresolved

    response = alice_api.post(f"/api/v1/escalations/{high.pk}/resolve/", {"note": "seen"})
    assert response.status_code == 200
    entry = by_id(alice_api, pat)
    assert entry["highest_severity"] == "moderate"
    assert entry["escalations"] == {"critical": 0, "high": 0, "moderate": 1, "low": 0}

    # A higher severity of the same code upgrades and re-opens it, with a new deadline.
    raise_escalation(pat, "critical", "stride_change")
    entry = by_id(alice_api, pat)
    assert entry["highest_severity"] == "critical"
    assert entry["escalations"] == {"critical": 1, "high": 0, "moderate": 0, "low": 0}


def test_filters_mine_status_severity(alice_api, alice, bob, pat, quinn):
    raise_escalation(quinn, "high", "pain_severe")
    paused = PatientFactory(therapist=alice, first_name="Paused", status=PatientStatus.PAUSED)
    gone = PatientFactory(therapist=alice, first_name="Gone")
    patient_discharge(patient=gone, by=alice)

    assert {e["id"] for e in entries(alice_api)} == {pat.pk, quinn.pk}
    assert {e["id"] for e in entries(alice_api, "?mine=true")} == {pat.pk}
    assert {e["id"] for e in entries(alice_api, "?severity=high")} == {quinn.pk}
    assert entries(alice_api, "?severity=critical") == []
    assert {e["id"] for e in entries(alice_api, "?status=paused")} == {paused.pk}
    assert {e["id"] for e in entries(alice_api, "?status=discharged")} == {gone.pk}
    assert entries(alice_api, "?mine=true&severity=high") == []


@pytest.mark.parametrize("query", ["?severity=urgent", "?status=gone"])
def test_bad_filters_get_400(alice_api, pat, query):
    assert_error(alice_api.get(f"{URL}{query}"), 400)


def test_pages_follow_the_priority_without_gaps_or_repeats(alice_api, alice):
    patients = [PatientFactory(therapist=alice) for _ in range(7)]
    for i, patient in enumerate(patients):
        check_in(patient, timezone.now() - timedelta(hours=i + 1))
    raise_escalation(patients[0], "low", "disengaged")
    expected = [e["id"] for e in entries(alice_api, "?page_size=200")]
    pages = walk_pages(alice_api, f"{URL}?page_size=3")
    assert [e["id"] for page in pages for e in page["results"]] == expected and len(pages) == 3
    assert pages[0]["previous"] is None
    back = alice_api.get(pages[2]["previous"]).json()
    assert [e["id"] for e in back["results"]] == [e["id"] for e in pages[1]["results"]]
    assert_error(alice_api.get(f"{URL}?cursor=not-a-cursor"), 400, attr="cursor")


@pytest.mark.parametrize("rows", [10, 500])
def test_query_count_does_not_grow(alice_api, alice, rows, django_assert_num_queries):
    made = Patient.objects.bulk_create(
        Patient(
            clinic=alice.clinic,
            therapist=alice,
            first_name=f"P{i}",
            last_name="Bulk",
            date_of_birth=date(1990, 1, 1),
            timezone="Europe/Berlin",
        )
        for i in range(rows)
    )
    PatientSummary.objects.bulk_create(
        PatientSummary(
            patient=p,
            clinic=alice.clinic,
            last_check_in_at=timezone.now() - timedelta(hours=i),
            max_severity_rank=i % 4,
            open_low=1,
            daily_peaks={today().isoformat(): i % 10},
        )
        for i, p in enumerate(made)
    )
    ladder = RunLadder.objects.get(code="default", clinic=None)
    for patient in made[:3]:
        program_services.ladder_start(patient=patient, by=alice, ladder=ladder)
    # token + user, knox's sweep of expired tokens, the clinic, the page (patients, summaries
    # and ladders joined), one INSERT of the audit events
    with django_assert_num_queries(5):
        response = alice_api.get(f"{URL}?page_size=200")
    assert len(response.json()["results"]) == min(rows, 200)


def test_listing_audits_each_patient_shown(alice_api, alice, pat, quinn):
    entries(alice_api)
    events = AuditEvent.objects.filter(object_type="caseload", actor=alice)
    assert {e.patient_id for e in events} == {pat.pk, quinn.pk}


def test_a_patient_without_a_summary_row_shows_then_rebuilds(alice_api, alice):
    patient = PatientFactory(therapist=alice)  # made directly: no summary row yet
    check_in(patient, timezone.now() - timedelta(hours=1), pain_rest=4)
    PatientSummary.objects.filter(pk=patient.pk).delete()
    entry = by_id(alice_api, patient)
    assert entry["last_check_in_at"] is None and entry["daily_peak_pain"] == [None] * 14
    assert summaries_rebuild(patient_ids=[patient.pk]) == 1
    assert by_id(alice_api, patient)["last_peak_pain"] == 4


def test_the_daily_refresh_moves_adherence_with_the_date(alice, pat):
    prescribe(
        pat, alice, "clamshell", dose={"days_per_week": 7}, start_date=today() - timedelta(days=30)
    )
    summary = PatientSummary.objects.get(pk=pat.pk)
    assert summary.computed_for == today()
    assert summaries_refresh_stale() == 0  # nothing stale today
    tomorrow = timezone.now() + timedelta(days=1)
    assert summaries_refresh_stale(now=tomorrow) == 1
    summary.refresh_from_db()
    assert summary.computed_for == today() + timedelta(days=1)
    assert summary.adherence_last == today()


@pytest.mark.django_db
@pytest.mark.parametrize("size", ["null", "0", "201", "-1", "ten", "5.5"])
def test_caseload_page_size_must_be_a_whole_number_in_range(alice_api, size):
    """Found by schemathesis: an unreadable page size was quietly the default page."""
    response = alice_api.get(f"/api/v1/caseload/?page_size={size}")
    assert_error(response, 400, attr="page_size")
