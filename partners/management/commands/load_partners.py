from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partners.loading import DATA_FILE, load_partners


class Command(BaseCommand):
    help = "Load the partner countries and their status events from the project's data file."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="Another data file.")

    def handle(self, *args, file, **options):
        try:
            result = load_partners(path=file)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            f"Partners: {result.partners_created} created, {result.partners_updated} updated; "
            f"status events: {result.events_added} added."
        )
