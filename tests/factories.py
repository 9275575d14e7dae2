"""factory-boy factories for the models the tests build."""

import datetime as dt

import factory

from clinic.models import Clinic, StaffRole, StaffUser
from patients.models import Patient


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")
    timezone = "Europe/Berlin"
    contact_line = factory.LazyAttribute(lambda c: f"Questions? Call {c.name} on 555-0100.")
    oncall_emails = factory.LazyAttribute(lambda c: [f"oncall@{c.name.replace(' ', '')}.test"])


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffUser
        skip_postgeneration_save = True

    clinic = factory.SubFactory(ClinicFactory)
    email = factory.Sequence(lambda n: f"staff{n}@clinic.test")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Staff{n}")
    role = StaffRole.THERAPIST
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    therapist = factory.SubFactory(StaffFactory)
    clinic = factory.SelfAttribute("therapist.clinic")
    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = factory.Sequence(lambda n: f"Runner{n}")
    date_of_birth = dt.date(1990, 5, 17)
    timezone = "Europe/Berlin"
