"""The FHIR R4 Bundle of a patient's record, built from plain model rows without queries.

A `collection` Bundle (a set of resources, not a search result nor a signed document):

- Patient: name, birth date, telecom, and identifiers (Stride's id; the clinic's record
  number, `external_id`, typed MR);
- Observation per pain value of each check-in: LOINC 72514-3 "Pain severity - 0-10 verbal
  numeric rating [Score] - Reported", `valueInteger`, with a Stride coding saying which pain
  (at rest, on waking, during or after the run);
- Observation per run: LOINC 73985-4 "Exercise activity" (running), with components LOINC
  55411-3 "Exercise duration" (min) and 55412-1 "Exercise distance unspecified time" (km),
  as the HL7 Physical Activity implementation guide does;
- QuestionnaireResponse per outcome measure (NPRS, LEFS, KOOS, KOOS-PF): one item per answer,
  and a `scores` group with the scores as stored;
- CarePlan for the active program: one activity per prescribed exercise (dose and days a
  week), and one for the run ladder's current level;
- Flag per unresolved red-flag escalation (`red_flag_emergency`, `red_flag_mechanical`,
  `intake_urgent_referral`).

References between entries use `urn:uuid:` full URLs, stable for a given deployment and row,
so a second export of the same record names the same resources. Identifier and code systems
are URLs under STRIDE_PUBLIC_URL. Free-text check-in notes are not exported: they are the
patient's unreviewed words, not clinical observations.
"""

import uuid
from datetime import datetime
from typing import Any

from patients.fhir.observations import pain_observations, questionnaire_response, run_observation
from patients.fhir.record import FhirRecord
from patients.fhir.resources import care_plan, flag_resource, patient_resource
from patients.fhir.terms import FHIR_JSON, Refs, fhir_instant

__all__ = ["FHIR_JSON", "build_bundle"]


def build_bundle(record: FhirRecord, *, base_url: str, now: datetime) -> dict[str, Any]:
    refs = Refs(base_url)
    patient_id = f"patient-{record.patient.pk}"
    subject = {"reference": refs.urn("Patient", patient_id)}
    entries: list[tuple[str, str, dict[str, Any]]] = [
        ("Patient", patient_id, patient_resource(record, refs, patient_id))
    ]
    for check_in in record.check_ins:
        for resource_id, resource in pain_observations(check_in, refs, subject):
            entries.append(("Observation", resource_id, resource))
        if check_in.ran:
            resource_id = f"check-in-{check_in.pk}-run"
            entries.append(("Observation", resource_id, run_observation(check_in, refs, subject)))
    for response in record.questionnaires:
        resource_id = f"questionnaire-response-{response.pk}"
        entries.append(
            ("QuestionnaireResponse", resource_id, questionnaire_response(response, refs, subject))
        )
    if record.program is not None:
        resource_id = f"program-{record.program.pk}"
        entries.append(("CarePlan", resource_id, care_plan(record, refs, subject)))
    for escalation in record.red_flags:
        resource_id = f"escalation-{escalation.pk}"
        entries.append(("Flag", resource_id, flag_resource(escalation, refs, subject)))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": fhir_instant(now),
        "identifier": {
            "system": refs.system("identifiers/export"),
            "value": str(uuid.uuid4()),
        },
        "entry": [
            {
                "fullUrl": refs.urn(resource_type, resource_id),
                "resource": {"resourceType": resource_type, "id": resource_id, **resource},
            }
            for resource_type, resource_id, resource in entries
        ],
    }
