"""Personas shared by every test: alice and bob (clinic A), carol (clinic B), pat (a patient).

- alice: therapist at clinic A; ada: admin at clinic A; bob: alice's colleague at clinic A.
- carol: therapist at clinic B: must see nothing of clinic A.
- pat: alice's patient, with a partner-app token (`pat_api`); quinn: another patient of
  clinic A with a token of their own (`quinn_api`).
"""

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from hypothesis import settings
from knox.models import AuthToken
from rest_framework.test import APIClient

from clinic.models import StaffRole, StaffUser
from patients.auth import token_digest, token_generate
from patients.models import Patient, PatientToken
from tests.factories import ClinicFactory, PatientFactory, StaffFactory

# No example database: a run starts from nothing, as on a fresh clone, and Hypothesis does not
# keep a Pareto front of every example for it (half the time of the property tests). A failing
# example is printed in full, with the seed to reproduce it.
settings.register_profile("stride", database=None, print_blob=True)
settings.load_profile("stride")


@pytest.fixture(scope="session")
def api_schema(django_db_blocker: Any) -> dict[str, Any]:
    """The public OpenAPI schema as drf-spectacular generates it, built once for the tests
    that read it (they only read it)."""
    from drf_spectacular.generators import SchemaGenerator

    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _fresh_cache(request: pytest.FixtureRequest) -> None:
    """Throttle counters live in Redis: every test starts with none, and with Redis trusted
    again after a test that made it fail (as a new request would). A pure test (marker
    `pure`) touches no cache and needs no Redis."""
    if request.node.get_closest_marker("pure") is not None:
        return
    from clinic.notifications import broker_outage_forget
    from common.cache import cache_outage_forget

    cache_outage_forget()
    broker_outage_forget()
    cache.clear()


@pytest.fixture
def clinic_a(db: None) -> Any:
    return ClinicFactory(name="Clinic A")


@pytest.fixture
def clinic_b(db: None) -> Any:
    return ClinicFactory(name="Clinic B")


@pytest.fixture
def alice(clinic_a: Any) -> StaffUser:
    return StaffFactory(clinic=clinic_a, email="alice@a.test", first_name="Alice")


@pytest.fixture
def bob(clinic_a: Any) -> StaffUser:
    return StaffFactory(clinic=clinic_a, email="bob@a.test", first_name="Bob")


@pytest.fixture
def ada(clinic_a: Any) -> StaffUser:
    return StaffFactory(
        clinic=clinic_a, email="ada@a.test", first_name="Ada", role=StaffRole.ADMIN, is_staff=True
    )


@pytest.fixture
def carol(clinic_b: Any) -> StaffUser:
    return StaffFactory(
        clinic=clinic_b,
        email="carol@b.test",
        first_name="Carol",
        role=StaffRole.ADMIN,
        is_staff=True,
    )


@pytest.fixture
def pat(alice: StaffUser) -> Patient:
    return PatientFactory(therapist=alice, first_name="Pat", last_name="Pending")


@pytest.fixture
def quinn(bob: StaffUser) -> Patient:
    return PatientFactory(therapist=bob, first_name="Quinn", last_name="Quick")


def staff_client(user: StaffUser) -> APIClient:
    client = APIClient()
    _, token = AuthToken.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def patient_token(patient: Patient) -> str:
    """A new partner-app token of the patient's, valid 30 days: the bearer value."""
    from datetime import timedelta

    from django.utils import timezone

    token = token_generate()
    PatientToken.objects.create(
        clinic=patient.clinic,
        patient=patient,
        digest=token_digest(token),
        prefix=token[:8],
        expires_at=timezone.now() + timedelta(days=30),
    )
    return token


def patient_client(patient: Patient) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {patient_token(patient)}")
    return client


@pytest.fixture
def api() -> APIClient:
    """Anonymous client."""
    return APIClient()


@pytest.fixture
def as_staff() -> Callable[[StaffUser], APIClient]:
    return staff_client


@pytest.fixture
def alice_api(alice: StaffUser) -> APIClient:
    return staff_client(alice)


@pytest.fixture
def ada_api(ada: StaffUser) -> APIClient:
    return staff_client(ada)


@pytest.fixture
def carol_api(carol: StaffUser) -> APIClient:
    return staff_client(carol)


@pytest.fixture
def pat_api(pat: Patient) -> APIClient:
    return patient_client(pat)


@pytest.fixture
def quinn_api(quinn: Patient) -> APIClient:
    return patient_client(quinn)


def assert_error(
    response: Any, status: int, code: str | None = None, attr: str | None = None
) -> dict[str, Any]:
    """The one error shape: {"type", "errors": [{"code", "detail", "attr"}]}."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"type", "errors"}, body
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}, error
    if code is not None:
        assert code in [e["code"] for e in body["errors"]], body
    if attr is not None:
        assert attr in [e["attr"] for e in body["errors"]], body
    return body


@pytest.fixture
def receiver() -> Any:
    """A local webhook receiver (a real HTTP server on 127.0.0.1)."""
    from tests.receiver import WebhookReceiver, start_receiver

    yield from start_receiver(WebhookReceiver())


@pytest.fixture
def clinic_a_webhook(clinic_a: Any, receiver: Any) -> Any:
    """Clinic A sends its escalation webhooks to the local receiver."""
    from clinic.notifications import webhook_secret_generate

    clinic_a.webhook_url = receiver.url
    clinic_a.webhook_secret = webhook_secret_generate()
    clinic_a.save(update_fields=["webhook_url", "webhook_secret"])
    return clinic_a
