"""Intake assessments and outcome measures."""
