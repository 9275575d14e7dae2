"""Patients: the record, partner-app enrollment and tokens, escalations, and (later) check-ins."""
