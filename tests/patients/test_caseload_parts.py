"""The caseload's page is taken from four parts of the clinic (patients.selectors.caseload_first):
whatever the mix of patients, every page is the page the plain priority order gives."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.models import StaffUser
from console.selectors import caseload_page
from patients import selectors
from patients.models import Patient, PatientStatus, PatientSummary
from tests.factories import PatientFactory
from tests.patients.conftest import walk_pages

pytestmark = pytest.mark.django_db

URL = "/api/v1/caseload/"


def _clinic_of_every_kind(therapists: list[StaffUser], seed: int, count: int = 45) -> None:
    """Patients of every part: escalated (overdue or not), rising, calm with and without a
    check-in, without a summary row; several statuses and therapists; ties on the instant."""
    rng = random.Random(seed)
    now = timezone.now()
    instants = [now - timedelta(hours=rng.randint(1, 400)) for _ in range(12)]
    for i in range(count):
        patient = PatientFactory(
            therapist=therapists[i % len(therapists)],
            status=rng.choice([PatientStatus.ACTIVE] * 4 + [PatientStatus.PAUSED]),
        )
        Patient.objects.filter(pk=patient.pk).update(created_at=rng.choice(instants))
        kind = rng.choice(["escalated", "rising", "calm", "calm", "unseen", "missing"])
        if kind == "missing":
            continue
        rank = rng.randint(1, 4) if kind == "escalated" else 0
        PatientSummary.objects.create(
            patient=patient,
            clinic=patient.clinic,
            max_severity_rank=rank,
            open_critical=int(rank == 4),
            open_high=int(rank == 3),
            open_moderate=int(rank == 2),
            open_low=int(rank == 1),
            earliest_open_deadline=(
                rng.choice([None, now - timedelta(hours=1), now + timedelta(hours=3)])
                if rank
                else None
            ),
            pain_rising=kind == "rising" or (kind == "escalated" and rng.random() < 0.5),
            last_check_in_at=None if kind == "unseen" else rng.choice(instants),
        )


@pytest.fixture
def mixed(alice, bob, carol) -> None:
    _clinic_of_every_kind([alice, bob], seed=11)
    _clinic_of_every_kind([carol], seed=12, count=8)  # another clinic's, never shown


def _plain(alice, **filters) -> list[int]:
    queryset = selectors.caseload(clinic=alice.clinic, now=timezone.now()).filter(**filters)
    return list(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize("count", [1, 17, 200])
@pytest.mark.parametrize(
    "filters",
    [
        {"status": PatientStatus.ACTIVE},
        {"status": PatientStatus.PAUSED},
        {"status": PatientStatus.ACTIVE, "summary__open_high__gt": 0},
    ],
)
def test_the_first_rows_are_the_plain_orders_both_ways(alice, mixed, count, filters):
    now = timezone.now()
    queryset = selectors.caseload(clinic=alice.clinic, now=now).filter(**filters)
    plain = list(queryset.values_list("pk", flat=True))
    first = selectors.caseload_first(queryset, clinic=alice.clinic, count=count)
    assert list(first.values_list("pk", flat=True)[:count]) == plain[:count]
    backwards = queryset.order_by(*selectors.CASELOAD_ORDER_REVERSED)
    last = selectors.caseload_first(backwards, clinic=alice.clinic, count=count, reverse=True)
    assert list(last.values_list("pk", flat=True)[:count]) == plain[::-1][:count]


def test_the_apis_pages_walk_the_plain_order_there_and_back(alice_api, alice, mixed):
    expected = _plain(alice, status=PatientStatus.ACTIVE)
    assert len(expected) > 21  # several pages of 7
    pages = walk_pages(alice_api, f"{URL}?page_size=7")
    assert [entry["id"] for page in pages for entry in page["results"]] == expected
    back = alice_api.get(pages[-1]["previous"]).json()
    assert [entry["id"] for entry in back["results"]] == [e["id"] for e in pages[-2]["results"]]


def test_mine_is_filtered_before_the_page_is_taken(alice_api, alice, mixed):
    expected = _plain(alice, status=PatientStatus.ACTIVE, therapist=alice)
    body = alice_api.get(f"{URL}?mine=true&page_size=200").json()
    assert [entry["id"] for entry in body["results"]] == expected


def test_the_consoles_pages_are_the_plain_order(alice, mixed):
    expected = _plain(alice, status=PatientStatus.ACTIVE)
    shown: list[int] = []
    offset = 0
    while True:
        page = caseload_page(
            staff=alice, clinic=alice.clinic, now=timezone.now(), offset=offset, size=9
        )
        shown += [patient.pk for patient in page.patients]
        if not page.has_next:
            break
        offset += 9
    assert shown == expected


def test_a_patient_without_a_summary_row_is_still_found(alice_api, alice):
    """The part without a summary row is sought only when the clinic's counts differ: a
    missing row is still found, and ranks by registration with the calm."""
    for _ in range(3):
        patient = PatientFactory(therapist=alice)
        PatientSummary.objects.create(
            patient=patient, clinic=patient.clinic, last_check_in_at=timezone.now()
        )
    lost = PatientFactory(therapist=alice)
    Patient.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert not PatientSummary.objects.filter(pk=lost.pk).exists()
    ids = [entry["id"] for entry in alice_api.get(f"{URL}?page_size=1").json()["results"]]
    assert ids == [lost.pk]
