"""What one delivery attempt came to: its outcome, the HTTP status if any, the error."""

from dataclasses import dataclass

from clinic.models import DeliveryOutcome


@dataclass(frozen=True)
class AttemptResult:
    outcome: DeliveryOutcome
    http_status: int | None = None
    error: str = ""
