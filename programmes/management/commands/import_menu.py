"""``manage.py import_menu FILE [--dry-run] [--user USERNAME]``: the menu import of the pages.

It calls the same functions as the import pages (``programmes.menu.importing``); a file with any
error writes nothing, not even a log row.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from programmes.menu import importing


class Command(BaseCommand):
    help = (
        "Check a menu file (CSV or .xlsx, the columns of the menu export) and apply it: "
        "activities are added, changed and retired in one transaction, or not at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what it would do; write nothing at all.",
        )
        parser.add_argument(
            "--user",
            help="Username of the menu manager recorded as the importer (default: none).",
        )

    def handle(self, *args, file, dry_run, user, **options):
        actor = self._actor(user)
        try:
            with file.open("rb") as stream:
                # One byte over the limit is enough for the importer to refuse the file.
                content = stream.read(importing.MAX_FILE_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error

        plan = importing.plan_import(file.name, content)
        self._report(plan)
        if plan.has_errors:
            raise CommandError(f"{plan.error_count} error(s): nothing was written.")
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            menu_import = importing.preview_import(
                file_name=file.name, content=content, actor=actor
            )
            plan = importing.apply_import(menu_import=menu_import, actor=actor)
        except (ValidationError, PermissionDenied) as error:
            messages = error.messages if isinstance(error, ValidationError) else [str(error)]
            raise CommandError("; ".join(messages)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Applied as import {menu_import.pk}: {len(plan.added)} added, "
                f"{len(plan.changed)} changed, {len(plan.retired)} retired."
            )
        )

    def _actor(self, username):
        if username is None:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user is named {username!r}.") from error

    def _report(self, plan):
        for message in plan.file_errors:
            self.stderr.write(f"File: {message}")
        for error in plan.row_errors:
            column = error.column or "(whole row)"
            self.stderr.write(f"Row {error.row}, column {column}: {error.message}")
        if not plan.file_errors:
            self.stdout.write(
                f"{plan.rows} rows: {len(plan.added)} to add, {len(plan.changed)} to change, "
                f"{len(plan.retired)} to retire, {plan.unchanged} unchanged, "
                f"{len(plan.row_errors)} errors."
            )
