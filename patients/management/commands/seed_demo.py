"""`manage.py seed_demo`: a demo clinic to try Stride with; refuses to run with DEBUG off."""

import datetime as dt
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from assessments.services import assessment_create
from clinic.models import Clinic, StaffRole, StaffUser
from clinic.services import staff_create
from patients.models import Patient
from patients.services import enrollment_code_issue, patient_create
from patients.services.check_ins import check_in_submit
from programs.models import ProgramTemplate
from programs.selectors import run_ladder_default
from programs.services import ladder_start, program_prescribe

DEMO_CLINIC = "Stride Demo Clinic"
DEMO_EMAIL = "therapist@demo.stride.test"
DEMO_PASSWORD = "stride-demo"  # noqa: S105 - the documented demo login, DEBUG only

DEMO_PATIENTS = [
    ("Alex", "Moreno", dt.date(1991, 3, 14), "Europe/Berlin"),
    ("Sam", "Okafor", dt.date(1985, 11, 2), "America/Chicago"),
    ("Robin", "Lindqvist", dt.date(1998, 6, 23), "Europe/Berlin"),
    ("Jordan", "Baker", dt.date(1979, 1, 30), "America/New_York"),
    ("Kim", "Nakamura", dt.date(2001, 9, 9), "Europe/London"),
]


DEMO_INTAKE = {
    "location": "anterior",
    "timing": "after_run_only",
    "aggravators": ["stairs", "downhill"],
    "pain_rest": 2,
    "pain_worst_running": 5,
    "weekly_km_now": 32,
    "weekly_km_4_weeks_ago": 22,
    "recent_changes": ["hills"],
    "years_running": 4,
    "cadence_spm": 158,
    "overstriding": True,
    "shoe_km": 650,
    "asymmetry": False,
    "findings": ["hip_abductor_weakness"],
    "symptoms": [],
    "trauma_unable_to_bear_weight": False,
}


class Command(BaseCommand):
    help = "Load a demo clinic, two therapists, a few patients and one enrollment code."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("seed_demo only runs with DJANGO_DEBUG=1: it creates a known login.")
        with transaction.atomic():
            clinic, therapist = self._clinic_and_staff()
            patients = self._patients(clinic, therapist)
            code, expires_at = enrollment_code_issue(patient=patients[0], by=therapist)
        self.stdout.write(f"Demo clinic: {clinic.name}")
        self.stdout.write(f"Console: {settings.STRIDE_PUBLIC_URL.rstrip('/')}/console/")
        self.stdout.write(f"Demo login: {DEMO_EMAIL} / {DEMO_PASSWORD}")
        self.stdout.write(
            f"Enrollment code: {code} (patient {patients[0].pk}, "
            f"expires {expires_at:%Y-%m-%d %H:%M} UTC)"
        )

    def _clinic_and_staff(self) -> tuple[Clinic, StaffUser]:
        clinic = Clinic.objects.filter(name=DEMO_CLINIC).first()
        if clinic is None:
            clinic = Clinic.objects.create(
                name=DEMO_CLINIC,
                timezone="Europe/Berlin",
                contact_line="Questions? Call Stride Demo Clinic on +49 30 0000 0000.",
                oncall_emails=["oncall@demo.stride.test"],
            )
        therapist = StaffUser.objects.filter(email=DEMO_EMAIL).first()
        if therapist is None:
            therapist = staff_create(
                clinic=clinic,
                email=DEMO_EMAIL,
                password=secrets.token_urlsafe(16),
                role=StaffRole.ADMIN,
                first_name="Dana",
                last_name="Demo",
            )
            # The demo password is short by design; set it past the validators.
            therapist.set_password(DEMO_PASSWORD)
            therapist.save(update_fields=["password"])
        if not StaffUser.objects.filter(email="colleague@demo.stride.test").exists():
            staff_create(
                clinic=clinic,
                email="colleague@demo.stride.test",
                password=secrets.token_urlsafe(16),
                first_name="Chris",
                last_name="Colleague",
            )
        return clinic, therapist

    def _patients(self, clinic: Clinic, therapist: StaffUser) -> list[Patient]:
        existing = list(Patient.objects.filter(clinic=clinic).order_by("id"))
        if existing:
            return existing
        patients = [
            patient_create(
                clinic=clinic,
                created_by=therapist,
                data={
                    "first_name": first,
                    "last_name": last,
                    "date_of_birth": born,
                    "timezone": tz,
                    "external_id": f"DEMO-{i + 1:03d}",
                },
            )
            for i, (first, last, born, tz) in enumerate(DEMO_PATIENTS)
        ]
        for patient in patients[1:3]:
            self._care(patient, therapist)
        self._red_flag(patients[1])
        return patients

    def _care(self, patient: Patient, therapist: StaffUser) -> None:
        """An intake, a program from the patellofemoral template, the run ladder, and a
        week of check-ins, so the demo caseload has something to show."""
        assessment_create(patient=patient, by=therapist, data=DEMO_INTAKE)
        template = ProgramTemplate.objects.filter(
            clinic__isnull=True, pattern="patellofemoral_pain"
        ).first()
        if template is not None:
            program_prescribe(patient=patient, by=therapist, data={"template": template})
        ladder_start(patient=patient, by=therapist, ladder=run_ladder_default())
        now = timezone.now()
        for days_ago, pain in ((6, 3), (5, 2), (4, 3), (3, 2), (2, 4), (1, 3)):
            check_in_submit(
                patient=patient,
                data={
                    "recorded_at": now - timedelta(days=days_ago),
                    "pain_rest": pain,
                    "pain_morning": pain,
                },
                idempotency_key=f"seed-{patient.pk}-{days_ago}",
                fingerprint=f"seed-{days_ago}",
            )

    def _red_flag(self, patient: Patient) -> None:
        """An hour ago: a hot, swollen knee with fever, so the console opens on an open
        critical escalation (the emergency advice, and the ladder paused)."""
        check_in_submit(
            patient=patient,
            data={
                "recorded_at": timezone.now() - timedelta(hours=1),
                "pain_rest": 6,
                "pain_morning": 5,
                "symptoms": ["hot_swollen_knee_fever"],
            },
            idempotency_key=f"seed-{patient.pk}-red-flag",
            fingerprint="seed-red-flag",
        )
