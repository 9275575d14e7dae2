"""Durations, codes and evidence values in words."""

from datetime import datetime, timedelta
from typing import Any

from clinical.symptoms import symptom_label


def duration_words(delta: timedelta) -> str:
    """'45 s', '12 min', '3 h 20 min', '2 days'."""
    seconds = int(abs(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes and hours < 10 else f"{hours} h"
    days = hours // 24
    return f"{days} days"


def ago(moment: datetime, now: datetime) -> str:
    if now - moment < timedelta(minutes=1):
        return "just now"
    return f"{duration_words(now - moment)} ago"


def code_words(code: str) -> str:
    """`red_flag_emergency` -> 'Red flag emergency'."""
    return code.replace("_", " ").capitalize()


def codes_words(items: list[Any]) -> list[str]:
    """An intake's patterns or factors (codes, or objects with a `code`) in words."""
    return [
        code_words(str(item.get("code", "")) if isinstance(item, dict) else str(item))
        for item in items
    ]


def symptoms_words(codes: list[str]) -> str:
    """A check-in's symptoms as the list names them: 'Hot, swollen knee with fever; Locking',
    or 'none'."""
    return "; ".join(symptom_label(code) for code in codes) or "none"


def value_words(values: dict[str, Any]) -> str:
    """An evidence item's values, each named: 'peak pain 7, baseline 3, delta 4'."""
    parts = []
    for name, value in values.items():
        if name == "symptoms" and isinstance(value, list):
            value = f"({symptoms_words(value)})" if value else "none"
        elif isinstance(value, list):
            value = ", ".join(str(v).replace("_", " ") for v in value) or "none"
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        parts.append(f"{name.replace('_', ' ')} {value}")
    return "; ".join(parts)
