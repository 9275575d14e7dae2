"""Intake assessments, outcome measures and triage, and the check-in rules engine."""
