"""The code and identifier systems of the export, stable resource names, and FHIR values."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from clinical.escalations import RuleCode
from clinical.measures import Instrument

FHIR_JSON = "application/fhir+json"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"

PAIN_LOINC = "72514-3"
PAIN_DISPLAY = "Pain severity - 0-10 verbal numeric rating [Score] - Reported"
# (check-in field, Stride code, what the patient was asked about)
PAIN_FIELDS = (
    ("pain_rest", "rest", "Knee pain at rest"),
    ("pain_morning", "morning", "Knee pain or stiffness on waking"),
    ("pain_during_run", "during-run", "Worst knee pain during the run"),
    ("pain_after_run", "after-run", "Knee pain after the run"),
)
INSTRUMENT_NAMES = {instrument.value: instrument.label for instrument in Instrument}
# The red flags exported as FHIR Flags (the record's RED_FLAG_CODES), by their labels.
RED_FLAG_DISPLAY = {
    code.value: code.label
    for code in (
        RuleCode.RED_FLAG_EMERGENCY,
        RuleCode.RED_FLAG_MECHANICAL,
        RuleCode.INTAKE_URGENT_REFERRAL,
    )
}


class Refs:
    """Stable `urn:uuid:` names for the rows of one deployment."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def system(self, path: str) -> str:
        return f"{self.base}/fhir/{path}"

    def urn(self, resource_type: str, resource_id: str) -> str:
        name = f"{self.base}/fhir/{resource_type}/{resource_id}"
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def fhir_instant(moment: datetime) -> str:
    return moment.isoformat()


def fhir_date(value: date) -> str:
    return value.isoformat()


def fhir_number(value: Any) -> Any:
    """A JSON number: whole numbers as ints, others as floats (FHIR decimals)."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
