"""``manage.py import_events FILE --user USERNAME [--apply]``: the import of events of the pages.

It calls the same functions as the import pages (``programmes.delivery.importing``): the file is
checked and logged as the user's import; with ``--apply`` a file without errors is applied, all
of it in one transaction or nothing. The user is required: each row is checked against what that
user may record.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from programmes.delivery import importing


class Command(BaseCommand):
    help = (
        "Check a file of events (CSV or .xlsx, the columns of the import page) and log it; with "
        "--apply, record and correct its events in one transaction, or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument(
            "--user", required=True, help="Username of the programme officer who imports."
        )
        parser.add_argument(
            "--apply",
            action="store_true",
            help="Apply the file when it has no errors (without it, only check and log it).",
        )

    def handle(self, *args, file, user, apply, **options):
        actor = self._actor(user)
        try:
            with file.open("rb") as stream:
                # One byte over the limit is enough for the importer to refuse the file.
                content = stream.read(importing.MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        try:
            event_import = importing.preview_import(
                file_name=file.name, content=content, actor=actor
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        preview = importing.stored_preview(event_import)
        for error in preview.row_errors:
            column = error["column"] or "(whole row)"
            self.stderr.write(f"Row {error['row']}, column {column}: {error['message']}")
        self.stdout.write(
            f"Import {event_import.pk}, {event_import.rows} rows: {event_import.created} to "
            f"record, {event_import.updated} to correct, {event_import.unchanged} unchanged, "
            f"{event_import.error_count} errors."
        )
        if event_import.error_count:
            raise CommandError(f"{event_import.error_count} error(s): no event was written.")
        if not apply:
            self.stdout.write("Checked only (no --apply): no event was written.")
            return
        try:
            plan = importing.apply_import(event_import=event_import, actor=actor)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied import {event_import.pk}: {len(plan.created)} recorded, "
                f"{len(plan.updated)} corrected, {plan.unchanged} unchanged."
            )
        )

    def _actor(self, username):
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user is named {username!r}.") from error
