"""`manage.py clinic_webhook CLINIC --url URL [--partner]`: where a clinic's signed webhooks go,
with a new signing secret printed once (docs/deployment.md, "Secrets"). CLINIC is the clinic's
name or id; admins can do the same through `PATCH /api/v1/clinic/`."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinic.models import Clinic
from clinic.services import WebhookChangeRefused, clinic_webhooks_set


def clinic_named(identifier: str) -> Clinic:
    """The clinic with this id or this name (case-insensitive); CommandError naming the
    clinics there are when there is no such clinic or the name is ambiguous."""
    identifier = identifier.strip()
    if identifier.isdigit():
        by_id = Clinic.objects.filter(pk=int(identifier)).first()
        if by_id is not None:
            return by_id
    matches = list(Clinic.objects.filter(name__iexact=identifier)[:5])
    if len(matches) == 1:
        return matches[0]
    clinics = ", ".join(f"{c.pk} ({c.name})" for c in Clinic.objects.order_by("pk")[:20])
    if matches:
        ids = ", ".join(str(c.pk) for c in matches)
        raise CommandError(f"Several clinics are called {identifier!r} (ids {ids}): give the id.")
    raise CommandError(f"There is no clinic {identifier!r}. Clinics: {clinics or 'none'}.")


class Command(BaseCommand):
    help = (
        "Set the clinic's webhook endpoint (escalation events) or, with --partner, the partner "
        "app backend's (reminder events), with a new signing secret that is printed once. "
        "--url '' turns the webhooks off. https:// only (http:// for localhost)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("clinic", help="the clinic's name or id")
        parser.add_argument("--url", required=True, help="https://... , or '' to turn off")
        parser.add_argument("--partner", action="store_true", help="the partner app's backend")

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = clinic_named(options["clinic"])
        url = options["url"].strip()
        kind = "partner_webhook" if options["partner"] else "webhook"
        try:
            secrets = clinic_webhooks_set(
                clinic=clinic, **{f"{kind}_url": url, f"rotate_{kind}_secret": bool(url)}
            )
        except WebhookChangeRefused as exc:
            raise CommandError(str(exc)) from exc
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        label = f"clinic {clinic.pk} ({clinic.name})"
        if not url:
            self.stdout.write(f"Webhooks ({kind}_url) of {label} are off.")
            return
        secret = getattr(secrets, f"{kind}_secret")
        self.stdout.write(f"{label.capitalize()} sends its webhooks ({kind}_url) to {url}.")
        self.stdout.write(f"Signing secret (shown once, give it to the receiver): {secret}")
