"""Clinic settings in the console: admins only (a therapist and another clinic get the 404
page), every form checked by the API's serializer and saved by its service, nothing half-saved."""

import pytest
from django.test import Client

from clinic.models import AuditEvent, Clinic, DeliveryAttempt, Notification, StaffUser
from clinic.services import audit_record_many
from patients.models import Patient
from tests.console.conftest import session_client
from tests.factories import PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db

PAGES = [
    "/console/settings/",
    "/console/settings/on-call/",
    "/console/settings/thresholds/",
    "/console/settings/webhooks/",
    "/console/settings/audit/",
]


@pytest.fixture
def ada_console(ada: StaffUser) -> Client:
    return session_client(ada)


def test_admins_see_every_settings_page_and_the_nav_link(ada_console):
    for url in PAGES:
        response = ada_console.get(url)
        assert response.status_code == 200, url
        assert b">Settings</a>" in response.content


def test_a_therapist_gets_the_not_found_page_and_no_link(alice_console, alice):
    for url in [*PAGES, f"/console/settings/staff/{alice.pk}/"]:
        response = alice_console.get(url)
        assert response.status_code == 404, url
        assert b"Not found" in response.content
    assert b">Settings</a>" not in alice_console.get("/console/").content
    before = Clinic.objects.get(pk=alice.clinic_id).oncall_emails
    posted = alice_console.post("/console/settings/on-call/", {"oncall_emails": "x@a.test"})
    assert posted.status_code == 404
    assert Clinic.objects.get(pk=alice.clinic_id).oncall_emails == before


def test_anonymous_visitors_get_the_sign_in_page(visitor):
    for url in PAGES:
        response = visitor.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/console/sign-in/?next=")


def test_another_clinics_staff_member_is_not_found(carol, alice):
    carol_console = session_client(carol)
    assert carol_console.get(f"/console/settings/staff/{alice.pk}/").status_code == 404
    response = carol_console.post(
        f"/console/settings/staff/{alice.pk}/deactivate/", {"reassign_to": ""}
    )
    assert response.status_code == 404
    alice.refresh_from_db()
    assert alice.is_active
    listed = carol_console.get("/console/settings/")
    assert b"alice@a.test" not in listed.content


# --- Staff ---------------------------------------------------------------------------------


def test_staff_list_shows_each_members_patient_count(ada_console, alice, bob, pat, quinn):
    page = ada_console.get("/console/settings/")
    html = page.content.decode()
    assert "alice@a.test" in html and "bob@a.test" in html and "ada@a.test" in html
    assert page.context["members"][0].patient_count is not None
    counts = {m.email: m.patient_count for m in page.context["members"]}
    assert counts == {"alice@a.test": 1, "bob@a.test": 1, "ada@a.test": 0}


def test_staff_list_queries_do_not_grow_with_the_staff(ada, django_assert_max_num_queries):
    client = session_client(ada)
    client.get("/console/settings/")
    for _ in range(30):
        StaffFactory(clinic=ada.clinic)
    with django_assert_max_num_queries(4):
        response = client.get("/console/settings/")
    assert response.content.count(b"Change<span") == 31


def test_inviting_staff_adds_them_with_role_and_credential(ada_console, ada):
    response = ada_console.post(
        "/console/settings/staff/",
        {
            "email": " Sam@A.test ",
            "first_name": "Sam",
            "last_name": "Okafor",
            "role": "therapist",
            "credential": "PTA",
            "password": "a-long-first-passphrase",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert b"Added sam@a.test" in response.content
    sam = StaffUser.objects.get(email="sam@a.test")
    assert (sam.clinic_id, sam.role, sam.credential) == (ada.clinic_id, "therapist", "PTA")


def test_inviting_refuses_in_the_apis_words_and_saves_nothing(ada_console, alice):
    response = ada_console.post(
        "/console/settings/staff/",
        {"email": "not-an-email", "role": "therapist", "password": "short"},
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert "Ensure this field has at least 10 characters." in html
    assert "Nothing was saved" in html
    taken = ada_console.post(
        "/console/settings/staff/",
        {"email": "alice@a.test", "role": "therapist", "password": "a-long-first-passphrase"},
    )
    assert taken.status_code == 422
    assert b"A staff member of your clinic has this email." in taken.content
    assert StaffUser.objects.count() == 2


def test_an_address_of_another_clinic_answers_as_a_new_account(ada_console, carol):
    response = ada_console.post(
        "/console/settings/staff/",
        {"email": carol.email, "role": "therapist", "password": "a-long-first-passphrase"},
        follow=True,
    )
    assert b"Added carol@b.test" in response.content
    carol.refresh_from_db()
    assert carol.clinic_id != response.context["user"].clinic_id
    assert StaffUser.objects.filter(email=carol.email).count() == 1


def test_role_and_credential_change(ada_console, alice):
    response = ada_console.post(
        f"/console/settings/staff/{alice.pk}/change/",
        {"first_name": "Alice", "last_name": "Avery", "role": "admin", "credential": "OT"},
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.role, alice.credential, alice.last_name, alice.is_staff) == (
        "admin",
        "OT",
        "Avery",
        True,
    )


def test_an_unknown_credential_is_refused_and_nothing_changes(ada_console, alice):
    response = ada_console.post(
        f"/console/settings/staff/{alice.pk}/change/",
        {"first_name": "Changed", "role": "admin", "credential": "MD"},
    )
    assert response.status_code == 422
    assert b"Select a valid choice" in response.content
    alice.refresh_from_db()
    assert (alice.first_name, alice.role) == ("Alice", "therapist")


def test_an_admin_cannot_demote_themselves(ada_console, ada):
    response = ada_console.post(
        f"/console/settings/staff/{ada.pk}/change/", {"role": "therapist", "credential": ""}
    )
    assert response.status_code == 422
    assert b"You cannot change your own role; ask another admin." in response.content
    ada.refresh_from_db()
    assert ada.role == "admin"


def test_deactivating_a_therapist_with_patients_needs_a_successor(ada_console, alice, bob, pat):
    second = PatientFactory(therapist=alice)
    refused = ada_console.post(f"/console/settings/staff/{alice.pk}/deactivate/", {})
    assert refused.status_code == 422
    assert b"2 patients are assigned to Alice" in refused.content
    alice.refresh_from_db()
    assert alice.is_active
    done = ada_console.post(
        f"/console/settings/staff/{alice.pk}/deactivate/", {"reassign_to": str(bob.pk)}
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active
    assert set(
        Patient.objects.filter(pk__in=[pat.pk, second.pk]).values_list("therapist", flat=True)
    ) == {bob.pk}


def test_reassigning_to_another_clinics_staff_is_refused(ada_console, alice, carol, pat):
    response = ada_console.post(
        f"/console/settings/staff/{alice.pk}/deactivate/", {"reassign_to": str(carol.pk)}
    )
    assert response.status_code == 422
    assert b"Select a valid choice" in response.content
    alice.refresh_from_db()
    assert alice.is_active


# --- On-call -------------------------------------------------------------------------------


def test_oncall_contacts_saved_one_a_line(ada_console, clinic_a):
    response = ada_console.post(
        "/console/settings/on-call/", {"oncall_emails": "lead@a.test\n\n second@a.test "}
    )
    assert response.status_code == 302
    clinic_a.refresh_from_db()
    assert clinic_a.oncall_emails == ["lead@a.test", "second@a.test"]


def test_a_bad_oncall_address_is_named_and_nothing_saved(ada_console, clinic_a):
    clinic_a.oncall_emails = ["lead@a.test"]
    clinic_a.save()
    response = ada_console.post(
        "/console/settings/on-call/", {"oncall_emails": "new@a.test\nnobody-at-all"}
    )
    assert response.status_code == 422
    assert b"nobody-at-all: Enter a valid email address." in response.content
    clinic_a.refresh_from_db()
    assert clinic_a.oncall_emails == ["lead@a.test"]


def test_oncall_cannot_be_emptied_while_a_patient_has_an_inactive_therapist(
    ada_console, clinic_a, alice, pat
):
    clinic_a.oncall_emails = ["lead@a.test"]
    clinic_a.save()
    StaffUser.objects.filter(pk=alice.pk).update(is_active=False)
    response = ada_console.post("/console/settings/on-call/", {"oncall_emails": ""})
    assert response.status_code == 422
    assert b"1 patient(s) have an inactive therapist" in response.content
    clinic_a.refresh_from_db()
    assert clinic_a.oncall_emails == ["lead@a.test"]


# --- Thresholds ----------------------------------------------------------------------------


def test_thresholds_page_lists_every_threshold_with_bounds(ada_console):
    from clinical.thresholds import BOUNDS

    html = ada_console.get("/console/settings/thresholds/").content.decode()
    for name, bound in BOUNDS.items():
        assert f'name="{name}"' in html
        assert bound.governs.replace("`", "").replace("'", "&#x27;") in html


def test_thresholds_saved_as_overrides_blank_keeps_the_default(ada_console, clinic_a):
    response = ada_console.post(
        "/console/settings/thresholds/", {"pain_mcid": "3", "run_spike_factor": "1.5"}
    )
    assert response.status_code == 302
    clinic_a.refresh_from_db()
    assert clinic_a.thresholds == {"pain_mcid": 3, "run_spike_factor": 1.5}


def test_a_threshold_outside_its_bounds_is_refused_in_the_apis_words(ada_console, clinic_a):
    response = ada_console.post(
        "/console/settings/thresholds/", {"pain_mcid": "3", "pain_severe": "9"}
    )
    assert response.status_code == 422
    assert (
        b"Threshold &#x27;pain_severe&#x27; must be from 5 to 8 (NPRS); 9 is outside."
        in response.content
    )
    clinic_a.refresh_from_db()
    assert clinic_a.thresholds == {}
    words = ada_console.post("/console/settings/thresholds/", {"pain_mcid": "two"})
    assert b"Threshold &#x27;pain_mcid&#x27; must be a number." in words.content
    half = ada_console.post("/console/settings/thresholds/", {"pain_mcid": "2.5"})
    assert b"must be a whole number" in half.content


# --- Webhooks ------------------------------------------------------------------------------


def test_setting_a_webhook_url_shows_its_secret_once(ada_console, clinic_a):
    response = ada_console.post(
        "/console/settings/webhooks/webhook/",
        {"url": "https://hooks.a.test/stride", "action": "save"},
    )
    assert response.status_code == 200
    clinic_a.refresh_from_db()
    assert clinic_a.webhook_url == "https://hooks.a.test/stride"
    assert clinic_a.webhook_secret.encode() in response.content
    again = ada_console.get("/console/settings/webhooks/")
    assert clinic_a.webhook_secret.encode() not in again.content
    rotated = ada_console.post("/console/settings/webhooks/webhook/", {"action": "rotate"})
    old = clinic_a.webhook_secret
    clinic_a.refresh_from_db()
    assert clinic_a.webhook_secret != old
    assert clinic_a.webhook_secret.encode() in rotated.content
    off = ada_console.post("/console/settings/webhooks/webhook/", {"url": "", "action": "save"})
    assert off.status_code == 302
    clinic_a.refresh_from_db()
    assert (clinic_a.webhook_url, clinic_a.webhook_secret) == ("", "")


def test_a_plain_http_webhook_url_is_refused(ada_console, clinic_a):
    response = ada_console.post(
        "/console/settings/webhooks/partner_webhook/",
        {"url": "http://hooks.a.test/", "action": "save"},
    )
    assert response.status_code == 422
    assert (
        b"A webhook URL must start with https:// (http:// only for localhost)." in response.content
    )
    clinic_a.refresh_from_db()
    assert clinic_a.partner_webhook_url == ""


def test_send_test_event_queues_a_webhook_test_row(ada_console, ada, clinic_a):
    ada_console.post(
        "/console/settings/webhooks/webhook/", {"url": "https://h.a.test/", "action": "save"}
    )
    response = ada_console.post("/console/settings/webhooks/webhook/test/", follow=True)
    assert b"a test event is on its way" in response.content
    row = Notification.objects.get(event_type="webhook.test")
    assert (row.clinic_id, row.target, row.recipient) == (
        clinic_a.pk,
        "clinic",
        "https://h.a.test/",
    )
    assert row.payload == {
        "event": "webhook.test",
        "clinic_id": clinic_a.pk,
        "target": "clinic",
        "requested_by": ada.pk,
    }
    assert b"webhook.test" in response.content  # in the delivery log


def test_no_test_event_without_an_endpoint(ada_console):
    response = ada_console.post("/console/settings/webhooks/partner_webhook/test/", follow=True)
    assert b"Set this endpoint&#x27;s URL before sending a test event." in response.content
    assert not Notification.objects.exists()


def _log_rows(clinic: Clinic, n: int) -> None:
    from django.utils import timezone

    for i in range(n):
        row = Notification.objects.create(
            clinic=clinic,
            channel="webhook",
            target="clinic",
            event_type="escalation.opened",
            recipient="https://h.test/",
            webhook_id=f"msg_{clinic.pk}_{i}",
            attempts=1,
            failed_at=timezone.now(),
            last_error="HTTP 301: redirect not followed (Location: https://elsewhere.test/)",
        )
        DeliveryAttempt.objects.create(
            notification=row,
            number=1,
            started_at=timezone.now(),
            finished_at=timezone.now(),
            outcome="permanent",
            http_status=301,
            error=row.last_error,
        )


def test_delivery_log_is_the_clinics_own_with_attempts_and_redirects(
    ada_console, clinic_a, clinic_b
):
    _log_rows(clinic_a, 2)
    _log_rows(clinic_b, 1)
    html = ada_console.get("/console/settings/webhooks/").content.decode()
    assert html.count("escalation.opened") == 2
    assert f"msg_{clinic_b.pk}_0" not in html
    assert "HTTP 301" in html and "Location: https://elsewhere.test/" in html
    assert "Failed, stopped" in html


def test_delivery_log_queries_do_not_grow(ada, clinic_a, django_assert_max_num_queries):
    client = session_client(ada)
    client.get("/console/settings/webhooks/")  # the first request after sign-in writes the session
    _log_rows(clinic_a, 40)
    with django_assert_max_num_queries(5):
        response = client.get("/console/settings/webhooks/")
    assert response.content.decode().count("escalation.opened") == 40


# --- Audit trail ---------------------------------------------------------------------------


def test_audit_trail_filters_by_staff_and_patient_and_pages(
    ada, alice, bob, pat, quinn, clinic_b, carol
):
    audit_record_many(
        actor=alice,
        action="retrieve",
        object_type="patient",
        objects=[(pat.pk, str(pat.pk))] * 60,
        ip_address="10.0.0.7",
    )
    audit_record_many(
        actor=bob,
        action="list",
        object_type="caseload",
        objects=[(quinn.pk, str(quinn.pk))],
        ip_address="10.0.0.8",
    )
    audit_record_many(
        actor=carol,
        action="list",
        object_type="caseload",
        objects=[(None, "x")],
        ip_address="10.9.9.9",
    )
    client = session_client(ada)
    first = client.get("/console/settings/audit/")
    html = first.content.decode()
    assert "Page 1 of 2" in html and "10.0.0.8" in html and "10.9.9.9" not in html
    by_bob = client.get(f"/console/settings/audit/?actor={bob.pk}").content.decode()
    assert "10.0.0.7" not in by_bob and "10.0.0.8" in by_bob and "Page 1 of 1" in by_bob
    by_pat = client.get(f"/console/settings/audit/?patient={pat.pk}&page=2").content.decode()
    assert "Page 2 of 2" in by_pat and "10.0.0.8" not in by_pat
    assert (
        f"actor=&amp;patient={pat.pk}&amp;page=1" in by_pat
        or f"patient={pat.pk}&amp;page=1" in by_pat
    )


def test_audit_trail_queries_do_not_grow(ada, alice, pat, django_assert_max_num_queries):
    client = session_client(ada)
    client.get("/console/settings/audit/")  # the first request after sign-in writes the session
    audit_record_many(
        actor=alice,
        action="retrieve",
        object_type="patient",
        objects=[(pat.pk, str(pat.pk))] * 80,
        ip_address="10.0.0.7",
    )
    with django_assert_max_num_queries(6):
        response = client.get("/console/settings/audit/")
    assert response.content.decode().count("10.0.0.7") == 50
    assert AuditEvent.objects.filter(actor=ada).count() == 0  # ids only: no patient data shown
