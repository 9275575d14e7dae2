"""Pure decision logic of the patients app; imports no Django and no models.

- `reminder_schedule`: the reminder slots in the patient's local time;
- `reminder_decision`: a due slot sent, skipped (and why) or postponed past quiet hours.
"""
