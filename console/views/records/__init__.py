"""The patient record's forms: a new patient, an intake, a program from a template with its
doses, an outcome measure; the patient's status (pause, resume, discharge) and the run
ladder's therapist actions. Each validates through the API's serializer (the same error
texts), calls the API's service, writes the API's audit event, and redirects to the patient's
page; a refused form comes back with the errors next to the fields (422) and nothing saved."""

from console.views.records.intake import intake_new
from console.views.records.ladder import ladder_action
from console.views.records.outcome import outcome_new
from console.views.records.patient import (
    patient_discharge,
    patient_new,
    patient_pause,
    patient_resume,
)
from console.views.records.program import program_new

__all__ = [
    "intake_new",
    "ladder_action",
    "outcome_new",
    "patient_discharge",
    "patient_new",
    "patient_pause",
    "patient_resume",
    "program_new",
]
