"""The texts of the patients app's emails, registered with the email channel when the app is
ready (`PatientsConfig.ready`): the outbox sends them as written here.

Staff emails about an escalation carry ids, codes and the link to its console page; the
patient's reminder is a nudge to open the app. Neither holds clinical details or names.
"""

from clinic.models import Notification
from clinic.notifications.email import email_renderer, staff_email
from patients.services.escalations import escalation_console_url

ESCALATION_SUBJECTS = {
    "escalation.opened": "[Stride] New {severity} escalation: {code}",
    "escalation.upgraded": "[Stride] Escalation raised to {severity}: {code}",
    "escalation.overdue": "[Stride] Unacknowledged {severity} escalation: {code}",
}
REMINDER_DUE = "reminder.due"


@email_renderer(*ESCALATION_SUBJECTS)
def escalation_email(notification: Notification) -> tuple[str, str]:
    """The staff email of an escalation event, linking to the escalation's console page (rows
    queued before the link was in the payload build it)."""
    payload = notification.payload
    subject = ESCALATION_SUBJECTS[notification.event_type].format_map(payload)
    link = payload.get("url") or escalation_console_url(payload["escalation_id"])
    return staff_email(subject=subject, payload=payload, link=link)


@email_renderer(REMINDER_DUE)
def reminder_email(notification: Notification) -> tuple[str, str]:
    """The patient's reminder email: a nudge to open the app, no clinical details, no names."""
    text = (
        "It is time for your check-in. Open the app to tell your therapist how it is going.\n\n"
        f"{notification.clinic.contact_line}"
    )
    return "Time for your check-in", text
