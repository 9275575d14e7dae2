"""Stride's clinical vocabulary, defined once: every code the rules, the models, the API and
the console share, with a readable label for each, and the clinical thresholds.

Pure Python: nothing here imports Django or an app. The models take their `choices` from
here, the serializers their enums (one schema component per concept, named in
`SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]`), and the rules modules compare with these
codes. docs/clinical-rules.md says what each code means.

- `symptoms`: the symptom list, its groups, and what a therapist reads of each symptom.
- `severity`: escalation severities and their order.
- `advice`: the advice levels a check-in gives, and their order.
- `escalations`: the code of every rule, and those that open an escalation.
- `programs`: the program focus of exercises, templates and an intake's factors.
- `patterns`: the knee patterns an intake may suggest.
- `ladder`: what a ladder decision does, and why a ladder is paused.
- `intake`: the intake's answer codes, triage levels and reasons, contributing factors.
- `measures`: the outcome-measure instruments.
- `thresholds`: every clinical threshold with its default, bounds and unit.
"""
