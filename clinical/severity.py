"""Escalation severities, and the one order they are compared in."""

from clinical.codes import Code


class Severity(Code):
    """Highest first, as the console and the schema list them."""

    CRITICAL = "critical", "Critical"
    HIGH = "high", "High"
    MODERATE = "moderate", "Moderate"
    LOW = "low", "Low"


# Lowest first: a severity outranks those before it.
SEVERITY_ORDER: tuple[Severity, ...] = (
    Severity.LOW,
    Severity.MODERATE,
    Severity.HIGH,
    Severity.CRITICAL,
)

# 1 (low) to 4 (critical); 0 stands for no severity where a rank is stored.
SEVERITY_RANK: dict[Severity, int] = {s: rank for rank, s in enumerate(SEVERITY_ORDER, start=1)}
SEVERITY_BY_RANK: dict[int, Severity] = {rank: s for s, rank in SEVERITY_RANK.items()}


def severity_rank(severity: str | None) -> int:
    """0 for no severity, then low 1 < moderate 2 < high 3 < critical 4; ValueError for an
    unknown severity."""
    if severity is None:
        return 0
    try:
        return SEVERITY_RANK[Severity(severity)]
    except ValueError:
        raise ValueError(f"Unknown severity {severity!r}.") from None


# A critical or high escalation pauses running (docs/clinical-rules.md, "Run ladder").
PAUSING_SEVERITIES: frozenset[Severity] = frozenset({Severity.CRITICAL, Severity.HIGH})
