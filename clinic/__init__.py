"""Clinics (tenants), staff and their roles, staff auth, the audit of PHI access."""
