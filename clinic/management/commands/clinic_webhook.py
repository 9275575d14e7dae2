"""`manage.py clinic_webhook CLINIC_ID --url URL [--partner]`: where a clinic's signed webhooks
go, with a new signing secret printed once (see README "Webhooks for partners")."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinic.channels import webhook_secret_generate
from clinic.models import Clinic


class Command(BaseCommand):
    help = (
        "Set the clinic's webhook endpoint (escalation events) or, with --partner, the partner "
        "app backend's (reminder events), with a new signing secret that is printed once. "
        "--url '' turns the webhooks off."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("clinic_id", type=int)
        parser.add_argument("--url", required=True, help="https://... , or '' to turn off")
        parser.add_argument("--partner", action="store_true", help="the partner app's backend")

    def handle(self, *args: Any, **options: Any) -> None:
        clinic = Clinic.objects.filter(pk=options["clinic_id"]).first()
        if clinic is None:
            raise CommandError(f"There is no clinic {options['clinic_id']}.")
        url_field, secret_field = (
            ("partner_webhook_url", "partner_webhook_secret")
            if options["partner"]
            else ("webhook_url", "webhook_secret")
        )
        url = options["url"].strip()
        secret = webhook_secret_generate() if url else ""
        setattr(clinic, url_field, url)
        setattr(clinic, secret_field, secret)
        try:
            clinic.full_clean()
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        clinic.save(update_fields=[url_field, secret_field])
        if not url:
            self.stdout.write(f"Webhooks ({url_field}) of clinic {clinic.pk} are off.")
            return
        self.stdout.write(f"Clinic {clinic.pk} sends its webhooks ({url_field}) to {url}.")
        self.stdout.write(f"Signing secret (shown once, give it to the receiver): {secret}")
