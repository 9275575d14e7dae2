"""The Django admin: a clinic's admin sees and changes only their own clinic's staff."""

import pytest

from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_clinic_admin_sees_only_their_staff(client, ada, alice, carol):
    client.force_login(ada)
    page = client.get("/admin/clinic/staffuser/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "alice@a.test" in text
    assert "carol@b.test" not in text
    assert client.get(f"/admin/clinic/staffuser/{carol.pk}/change/").status_code in (302, 404)
    # Clinics themselves are the platform's business, not a clinic admin's.
    assert client.get("/admin/clinic/clinic/").status_code == 403


def test_therapist_cannot_use_the_admin(client, clinic_a):
    therapist = StaffFactory(clinic=clinic_a, is_staff=True)
    client.force_login(therapist)
    assert client.get("/admin/clinic/staffuser/").status_code == 403
