"""`manage.py create_clinic NAME --admin-email EMAIL`: how a real clinic starts."""

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinic.services import clinic_create


class Command(BaseCommand):
    help = (
        "Create a clinic and its first admin. The password comes from STRIDE_ADMIN_PASSWORD "
        "or is asked for."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--timezone", default="UTC")
        parser.add_argument("--contact-line", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = os.environ.get("STRIDE_ADMIN_PASSWORD") or ""
        if not password:
            if not os.isatty(0):
                raise CommandError("Set STRIDE_ADMIN_PASSWORD or run interactively.")
            password = getpass.getpass("Password for the clinic's admin: ")
        try:
            clinic, admin = clinic_create(
                name=options["name"],
                admin_email=options["admin_email"],
                admin_password=password,
                timezone=options["timezone"],
                contact_line=options["contact_line"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"Created clinic {clinic.pk} ({clinic.name}); admin {admin.email}.")
