"""What one delivery attempt came to."""

from dataclasses import dataclass

from clinic.models import DeliveryOutcome


@dataclass(frozen=True)
class SendResult:
    outcome: DeliveryOutcome
    http_status: int | None = None
    error: str = ""
