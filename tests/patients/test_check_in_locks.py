"""Check-ins lock their patient, not the clinic: one patient's check-in in flight never
stalls another patient's of the same clinic."""

import threading
import time
import uuid

import pytest
from django.db import connection, transaction
from django.utils import timezone

from patients.models import CheckIn, PatientSummary
from patients.services.check_ins import _check_in_store_and_judge
from tests.conftest import patient_client


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_another_patients_check_in_in_flight_does_not_block(pat, quinn):
    assert pat.clinic_id == quinn.clinic_id
    locked, release = threading.Event(), threading.Event()

    def pat_checks_in_slowly() -> None:
        # Pat's check-in, stopped just before its commit: every lock it takes is held.
        try:
            with transaction.atomic():
                _check_in_store_and_judge(
                    patient=pat, data={"recorded_at": timezone.now(), "pain_rest": 3}
                )
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=pat_checks_in_slowly)
    holder.start()
    try:
        assert locked.wait(5)
        started = time.monotonic()
        response = patient_client(quinn).post(
            "/api/v1/app/check-ins/",
            {"recorded_at": timezone.now().isoformat(), "pain_rest": 2},
            format="json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        took = time.monotonic() - started
    finally:
        release.set()
        holder.join(10)
    assert response.status_code == 201, response.content
    assert took < 2, f"quinn's check-in waited {took:.1f} s behind pat's"
    assert CheckIn.objects.filter(patient__in=[pat, quinn]).count() == 2
    assert PatientSummary.objects.get(pk=quinn.pk).last_peak_pain == 2
