"""`manage.py summaries_rebuild [PATIENT_ID ...]`: rebuild caseload summaries from their sources.

The backfill after migrating a database with patients in it, and a repair tool: it is safe to
run at any time, beside live traffic (each patient in its own short transaction).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from patients.services import summaries_rebuild


class Command(BaseCommand):
    help = "Rebuild the caseload summaries of the given patients, or of every patient."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("patient_ids", nargs="*", type=int, help="Patient ids (default all).")

    def handle(self, *args: Any, **options: Any) -> None:
        ids = options["patient_ids"] or None
        count = summaries_rebuild(patient_ids=ids)
        self.stdout.write(f"Rebuilt {count} patient summaries.")
