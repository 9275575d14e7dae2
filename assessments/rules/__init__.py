"""Pure decision logic of the assessments app; imports no Django and no models.

- `triage`: the intake's triage, patterns and contributing factors;
- `scoring`: the outcome measures' scores and their comparison;
- `check_in`: the per-check-in rules and the advice texts;
- `engagement`: the daily engagement rules.
"""
