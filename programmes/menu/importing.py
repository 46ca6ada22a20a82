"""Menu files: reading a CSV or Excel file of activities, checking it against the menu, applying it.

The import pages (``programmes.import_views``) and the ``import_menu`` command call
``plan_import``, ``preview_import`` and ``apply_import``; the menu export uses ``COLUMNS`` and
``activity_to_row`` so that an exported file imports again as "no changes". Activities are
written only through ``programmes.menu``, which checks the actor and writes the history rows.

Rules worth knowing:

- A file that cannot be read as a menu (empty, binary, not UTF-8, wrong columns, too large) is a
  *file error*: nothing is written, not even a log row.
- A readable file whose rows break the rules is stored as a rejected import so that its page can
  list every error; it changes no activity.
- An import never reinstates a retired activity: a row with an empty ``retired_in`` for an
  activity the menu has retired is a row error. Reinstating is a decision for the activity page.
- Activities missing from the file are left alone; a file retires an activity only through its
  ``retired_in`` column.
- ``MenuImport.digest`` is the SHA-256 of what the file would do, not of its bytes: applying checks
  the stored file again and refuses when the menu has changed so that it would now do otherwise.
- ``MenuImport.preview`` keeps what the page of an import shows, made at upload (its row errors in
  every language of the site): the page never reads the file again. Only applying does.
- The history rows an import writes carry the change reason ``menu import <pk>: <action>``; that
  is how the page of an applied import lists what it did.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Count, Max, Subquery
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from pfp import spreadsheets
from programmes.menu import actions
from programmes.menu.models import Activity, Area, MenuImport, Provider

# The columns of a menu file, in the order the export writes them: the code, then every field
# programmes.menu may change. Import accepts any order.
COLUMNS = ["code", *actions.EDITABLE_FIELDS]
NUMBER_COLUMNS = ("length_days", "first_offered", "retired_in")
TEXT_COLUMNS = ("code", "title_en", "title_fr", "description_en", "description_fr")
EXTENSIONS = spreadsheets.EXTENSIONS
_COLUMN_ORDER = {name: index for index, name in enumerate(COLUMNS)}

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An .xlsx file is a zip archive: a small file may unpack to something enormous, which openpyxl
# holds in memory (a 95 MB cell took 190 MB to read). The export of a menu of 1,400 activities
# unzips to 1.5 MB, and to 12.5 MB with every description at its 4,000-character maximum.
MAX_UNZIPPED_BYTES = 25 * 1024 * 1024
# Columns a menu file may have (it needs len(COLUMNS)); a wider header row is refused before
# anything else is read, and no row is read beyond it: a sheet claiming 16,384 columns, or a CSV
# line of a million commas, is not read cell by cell.
MAX_COLUMNS = 50

# Keys of the dictionaries ``read_rows`` returns, besides the column names.
ROW = "row"  # the spreadsheet row number (the header is row 1)
EXTRA = "extra"  # how many non-empty cells the row has beyond the header's columns

HISTORY_ACTIONS = ("added", "changed", "retired")

# What an import's page lists of its row errors, and the characters of one message (a message
# may quote a cell, and a cell may be as long as the file).
MAX_LISTED_ERRORS = 1_000
MAX_MESSAGE_CHARS = 300


def activity_to_row(activity: Activity) -> list:
    """One activity's values in ``COLUMNS`` order (select ``area`` and ``provider`` with it)."""
    return [
        activity.code,
        activity.title_en,
        activity.title_fr,
        activity.description_en,
        activity.description_fr,
        activity.area.code,
        activity.type,
        activity.provider.name,
        activity.delivery_mode,
        activity.length_days,
        activity.first_offered,
        activity.retired_in,
    ]


class RowError(NamedTuple):
    row: int  # spreadsheet row number; the header is row 1
    column: str  # a name of COLUMNS, or "" for the row as a whole
    message: str


class ActivityChange(NamedTuple):
    code: str
    fields: dict[str, tuple[Any, Any]]  # field name -> (old value, new value)


@dataclass
class ImportPlan:
    """What a file would do to the menu, and everything wrong with it."""

    file_errors: list[str] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    # Field values for ``actions.create_activity``, the code included.
    added: list[dict[str, Any]] = field(default_factory=list)
    changed: list[ActivityChange] = field(default_factory=list)
    # Activities the file retires; their ``fields`` hold ``retired_in`` and any other change.
    retired: list[ActivityChange] = field(default_factory=list)
    unchanged: int = 0
    digest: str = ""
    # The menu's activities the file names, by code, for applying the plan.
    existing: dict[str, Activity] = field(default_factory=dict, repr=False)

    @property
    def has_errors(self) -> bool:
        return bool(self.file_errors or self.row_errors)

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + len(self.row_errors)

    @property
    def retired_codes(self) -> list[str]:
        return [change.code for change in self.retired]

    def counts(self) -> dict[str, int]:
        """The counts ``MenuImport`` records."""
        return {
            "rows": self.rows,
            "added": len(self.added),
            "changed": len(self.changed),
            "retired": len(self.retired),
            "unchanged": self.unchanged,
            "error_count": self.error_count,
        }


# Reading files ---------------------------------------------------------------------------------


def _file_error(message: str) -> ValidationError:
    return spreadsheets.file_error(message)


def check_file(file_name: str, size: int) -> None:
    """Refuse a file by its name and size alone, before reading it (the upload form calls this)."""
    spreadsheets.check_file(file_name, size, max_bytes=MAX_FILE_BYTES)


def _too_wide() -> ValidationError:
    return _file_error(
        _(
            "The header row has more than %(limit)s columns; a menu file has these %(count)s: "
            "%(columns)s."
        )
        % {"limit": MAX_COLUMNS, "count": len(COLUMNS), "columns": ", ".join(COLUMNS)}
    )


def _csv_records(content: bytes):
    # A header wider than a menu file is refused before the CSV is parsed at all.
    return spreadsheets.csv_records(content, max_columns=MAX_COLUMNS, too_wide=_too_wide)


def _max_sheet_rows() -> int:
    """Rows read at most, the header and empty rows included (spreadsheets keep empty rows)."""
    return 2 * MAX_ROWS + 1


def _xlsx_records(content: bytes) -> list[tuple]:
    return spreadsheets.xlsx_records(
        content,
        max_columns=MAX_COLUMNS,
        max_rows=_max_sheet_rows(),
        max_unzipped_bytes=MAX_UNZIPPED_BYTES,
    )


def _cell(value):
    """A cell as the importer uses it: text stripped and un-neutralised, numbers kept as numbers."""
    return spreadsheets.cell(value)


def read_rows(file_name: str, content: bytes) -> list[dict]:
    """The data rows of a menu file, as dictionaries keyed by column name (plus ``ROW``).

    Each dictionary has every name of ``COLUMNS`` (an empty cell is ``""``; Excel numbers stay
    ``int`` or ``float``), ``ROW`` (the spreadsheet row number) and, when the row has non-empty
    cells beyond the header, ``EXTRA`` (how many). Blank rows are skipped. Raises
    ``ValidationError`` (code ``"file"``) for a file that cannot be read as a menu.
    """
    check_file(file_name, len(content))
    if Path(file_name).suffix.lower() == ".csv":
        records = _csv_records(content)
    else:
        records = _xlsx_records(content)
    records = iter(records)
    # Cells beyond MAX_COLUMNS + 1 are never read, in a CSV file as in a workbook.
    header = [str(_cell(value)) for value in next(records, [])[: MAX_COLUMNS + 1]]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise _file_error(_("The file is empty: its first row must name the columns."))
    if len(header) > MAX_COLUMNS:
        raise _too_wide()
    _check_header(header)

    rows = []
    for number, record in enumerate(records, start=2):
        if number > _max_sheet_rows():
            raise _file_error(
                _(
                    "The file has more than %(limit)s rows, empty ones included; delete the empty rows."
                )
                % {"limit": _max_sheet_rows()}
            )
        cells = [_cell(value) for value in record[: MAX_COLUMNS + 1]]
        if not any(cell != "" for cell in cells):
            continue
        if len(rows) == MAX_ROWS:
            raise _file_error(
                _("The file has more than %(limit)s activities; split it into smaller files.")
                % {"limit": MAX_ROWS}
            )
        row = dict.fromkeys(COLUMNS, "")
        row.update(zip(header, cells, strict=False))
        row[ROW] = number
        extra = sum(1 for cell in cells[len(header) :] if cell != "")
        if extra:
            row[EXTRA] = extra
        rows.append(row)
    if not rows:
        raise _file_error(_("The file has a header row but no activities."))
    return rows


def _check_header(header: list[str]) -> None:
    errors = []
    if "" in header:
        errors.append(
            _("Column %(number)s of the header row has no name.") % {"number": header.index("") + 1}
        )
    duplicates = sorted(name for name, count in Counter(header).items() if name and count > 1)
    if duplicates:
        errors.append(
            _("These columns appear more than once: %(columns)s.")
            % {"columns": ", ".join(duplicates)}
        )
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        errors.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    unknown = [name for name in header if name and name not in _COLUMN_ORDER]
    if unknown:
        errors.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if errors:
        errors.append(
            _("The header row must name exactly these columns, in any order: %(columns)s.")
            % {"columns": ", ".join(COLUMNS)}
        )
        raise ValidationError(errors, code="file")


# Checking rows against the menu ----------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value)


def _number(value):
    """What the model field should check: ``int``, or text its own validation will refuse."""
    if value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else str(value)
    return value if isinstance(value, int) else _text(value)


def _retired_before_first_offer_message() -> str:
    # The model's own constraint holds the rule's message; reuse it rather than rewrite it.
    constraint = next(
        c for c in Activity._meta.constraints if c.name == "activity_retired_after_first_offer"
    )
    return str(constraint.violation_error_message)


class _Planner:
    """Checks rows one by one against the menu as loaded once at the start."""

    def __init__(self, *, lock: bool):
        self.areas = {area.code: area for area in Area.objects.all()}
        self.areas_by_id = {area.pk: area for area in self.areas.values()}
        self.providers = {provider.name: provider for provider in Provider.objects.all()}
        self.providers_by_id = {provider.pk: provider for provider in self.providers.values()}
        activities = Activity.objects.order_by("pk")
        if lock:
            activities = activities.select_for_update()
        self.activities = {activity.code: activity for activity in activities}
        self.seen: dict[str, int] = {}
        self.plan = ImportPlan()

    def check(self, row: dict) -> None:
        errors: list[tuple[str, str]] = []  # (column, message) for this row
        if row.get(EXTRA):
            errors.append(("", _("This row has more cells than the header has columns.")))

        values = {name: _text(row[name]) for name in (*TEXT_COLUMNS, "type", "delivery_mode")}
        values.update({name: _number(row[name]) for name in NUMBER_COLUMNS})
        # Areas and providers are looked up here, not by the model (a query per row).
        skip = {"area", "provider"}
        for name, value in values.items():
            if value in ("", None) and not Activity._meta.get_field(name).blank:
                errors.append((name, _("A value is required.")))
                skip.add(name)
        area = self.areas.get(_text(row["area"]))
        if row["area"] == "":
            errors.append(("area", _("A value is required.")))
        elif area is None:
            errors.append(
                (
                    "area",
                    _("No area of cooperation has the code “%(value)s”.") % {"value": row["area"]},
                )
            )
        provider = self.providers.get(_text(row["provider"]))
        if row["provider"] == "":
            errors.append(("provider", _("A value is required.")))
        elif provider is None:
            errors.append(
                (
                    "provider",
                    _("No provider is named “%(value)s”: add the provider first.")
                    % {"value": row["provider"]},
                )
            )

        activity = Activity(**values)
        try:
            activity.full_clean(exclude=skip, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors.extend(
                (name, message)
                for name, messages in error.message_dict.items()
                for message in messages
            )
        # A TextField does not enforce its max_length, but the model declares one.
        for name in ("description_en", "description_fr"):
            try:
                MaxLengthValidator(Activity._meta.get_field(name).max_length)(values[name])
            except ValidationError as error:
                errors.extend((name, message) for message in error.messages)
        failed = {name for name, _message in errors}
        if (
            not failed & {"first_offered", "retired_in"}
            and activity.retired_in is not None
            and activity.retired_in < activity.first_offered
        ):
            errors.append(("retired_in", _retired_before_first_offer_message()))

        code = values["code"]
        if "code" not in failed:
            if code in self.seen:
                errors.append(
                    (
                        "code",
                        _("The code %(code)s already appears on row %(row)s.")
                        % {"code": code, "row": self.seen[code]},
                    )
                )
            else:
                self.seen[code] = row[ROW]

        errors.sort(key=lambda error: _COLUMN_ORDER.get(error[0], -1))
        self.plan.row_errors.extend(
            RowError(row[ROW], column, Truncator(str(message)).chars(MAX_MESSAGE_CHARS))
            for column, message in errors
        )
        if not errors:
            activity.area = area
            activity.provider = provider
            self.compare(row, activity)

    def compare(self, row: dict, new: Activity) -> None:
        existing = self.activities.get(new.code)
        if existing is None:
            self.plan.added.append(
                {"code": new.code} | {name: getattr(new, name) for name in actions.EDITABLE_FIELDS}
            )
            return
        self.plan.existing[new.code] = existing
        if existing.retired_in is not None and new.retired_in is None:
            message = _(
                "%(code)s was retired in %(year)s and an import does not reinstate activities: "
                "keep %(year)s in this column."
            ) % {"code": new.code, "year": existing.retired_in}
            self.plan.row_errors.append(RowError(row[ROW], "retired_in", message))
            return
        changes = {}
        for name in actions.EDITABLE_FIELDS:
            if name == "area":
                old = self.areas_by_id[existing.area_id]
            elif name == "provider":
                old = self.providers_by_id[existing.provider_id]
            else:
                old = getattr(existing, name)
            if old != getattr(new, name):
                changes[name] = (old, getattr(new, name))
        if existing.retired_in is None and new.retired_in is not None:
            self.plan.retired.append(ActivityChange(new.code, changes))
        elif changes:
            self.plan.changed.append(ActivityChange(new.code, changes))
        else:
            self.plan.unchanged += 1


def _canonical(value):
    if isinstance(value, Area):
        return f"area:{value.code}"
    if isinstance(value, Provider):
        return f"provider:{value.name}"
    return value


def _digest(plan: ImportPlan) -> str:
    """A fingerprint of what the plan would write; it changes when the menu changes under it."""
    actions = {
        "added": [{k: _canonical(v) for k, v in fields.items()} for fields in plan.added],
        "changed": [
            [code, {k: [_canonical(old), _canonical(new)] for k, (old, new) in fields.items()}]
            for code, fields in plan.changed
        ],
        "retired": [
            [code, {k: [_canonical(old), _canonical(new)] for k, (old, new) in fields.items()}]
            for code, fields in plan.retired
        ],
    }
    return hashlib.sha256(json.dumps(actions, sort_keys=True).encode()).hexdigest()


def _plan_rows(rows: list[dict], *, lock: bool = False) -> ImportPlan:
    planner = _Planner(lock=lock)
    for row in rows:
        planner.check(row)
    plan = planner.plan
    plan.rows = len(rows)
    plan.digest = _digest(plan)
    return plan


def plan_import(file_name: str, content: bytes) -> ImportPlan:
    """Check a file and compare it with the menu; writes nothing. Three queries, whatever the size."""
    try:
        rows = read_rows(file_name, content)
    except ValidationError as error:
        return ImportPlan(file_errors=error.messages)
    return _plan_rows(rows)


# Writing ---------------------------------------------------------------------------------------


def menu_state() -> list[int]:
    """A mark of the menu as it stands, in three queries: how many history rows its activities,
    areas and providers have, and the newest one's id. Every change of the menu writes one."""
    state = []
    for model in (Activity, Area, Provider):
        found = model.history.aggregate(rows=Count("history_id"), last=Max("history_id"))
        state += [found["rows"], found["last"] or 0]
    return state


def _shown(value):
    """A value as the preview keeps it: an area by its code and a provider by its name, as in
    the file."""
    if isinstance(value, Area):
        return value.code
    if isinstance(value, Provider):
        return value.name
    return value


def _changes(changes: list[ActivityChange]) -> list[dict]:
    return [
        {
            "code": change.code,
            "fields": {
                name: [_shown(old), _shown(new)] for name, (old, new) in change.fields.items()
            },
        }
        for change in changes
    ]


def _row_errors(rows: list[dict], plan: ImportPlan) -> dict[str, list[dict]]:
    """The first MAX_LISTED_ERRORS row errors in each language of the site (the rows are checked
    again in each language other than the current one: a tenth of a second for 1,400 rows)."""
    by_language = {}
    for language, _name in settings.LANGUAGES:
        if not plan.row_errors:
            errors = []
        elif language == translation.get_language():
            errors = plan.row_errors
        else:
            with translation.override(language):
                errors = _plan_rows(rows).row_errors
        by_language[language] = [error._asdict() for error in errors[:MAX_LISTED_ERRORS]]
    return by_language


def _preview(rows: list[dict], plan: ImportPlan, state: list[int]) -> dict:
    """What the page of an import shows: ``MenuImport.preview``."""
    return {
        "menu_state": state,
        "added": [{name: _shown(value) for name, value in fields.items()} for fields in plan.added],
        "changed": _changes(plan.changed),
        "retired": _changes(plan.retired),
        "row_errors": _row_errors(rows, plan),
    }


def preview_import(*, file_name: str, content: bytes, actor) -> MenuImport:
    """Check a file and log it: previewed when it may be applied, rejected when it has row errors.

    A file that cannot be read at all raises ``ValidationError`` and is not logged. No activity
    is written. What the page shows is kept with the import (``MenuImport.preview``).
    """
    actions._check_actor(actor)
    # Before the rows are checked: a change of the menu meanwhile makes the preview stale.
    state = menu_state()
    rows = read_rows(file_name, content)
    plan = _plan_rows(rows)
    return MenuImport.objects.create(
        file_name=Path(file_name).name[:255],
        content=content,
        digest=plan.digest,
        uploaded_by=actor,
        status=MenuImport.Status.REJECTED if plan.has_errors else MenuImport.Status.PREVIEWED,
        preview=_preview(rows, plan, state),
        **plan.counts(),
    )


@dataclass
class Preview:
    """What the page of a previewed or rejected import shows, as kept at upload."""

    added: list[dict]
    changed: list[dict]
    retired: list[dict]
    row_errors: list[dict]  # in the current language; the first MAX_LISTED_ERRORS
    stale: bool  # the menu has changed since the file was checked (a previewed import)


def stored_preview(menu_import: MenuImport) -> Preview | None:
    """The import's preview, without reading its file; ``None`` for an import checked before
    previews were kept. Three queries for a previewed import (is it stale?), none otherwise."""
    kept = menu_import.preview
    if kept is None:
        return None
    errors = kept["row_errors"]
    language = translation.get_language()
    return Preview(
        added=kept["added"],
        changed=kept["changed"],
        retired=kept["retired"],
        row_errors=errors.get(language, errors.get(settings.LANGUAGE_CODE, [])),
        stale=(
            menu_import.status == MenuImport.Status.PREVIEWED and kept["menu_state"] != menu_state()
        ),
    )


def history_reason(menu_import: MenuImport, action: str) -> str:
    """The change reason on the history rows an import writes, so its page can list them."""
    return f"menu import {menu_import.pk}: {action}"


def _tag_latest_history(activity: Activity, reason: str) -> None:
    latest = Activity.history.filter(id=activity.pk).order_by("-history_id").values("history_id")
    Activity.history.filter(history_id=Subquery(latest[:1])).update(history_change_reason=reason)


def apply_import(*, menu_import: MenuImport, actor) -> ImportPlan:
    """Apply a previewed import, all of it or nothing; returns what was done.

    Refused when the import is not (or no longer) previewed, when another person uploaded it,
    or when the menu has changed since the preview so that the file would now do something else.
    """
    actions._check_actor(actor)
    with transaction.atomic():
        locked = MenuImport.objects.select_for_update().defer("preview").get(pk=menu_import.pk)
        if locked.status == MenuImport.Status.APPLIED:
            raise ValidationError(_("This import has already been applied."), code="applied")
        if locked.status != MenuImport.Status.PREVIEWED:
            raise ValidationError(
                _("This file has errors and cannot be applied: correct it and upload it again."),
                code="rejected",
            )
        if locked.uploaded_by_id != getattr(actor, "pk", None):
            raise ValidationError(
                _("Only the person who uploaded this file may apply it; upload it yourself."),
                code="uploader",
            )
        plan = _plan_rows(read_rows(locked.file_name, bytes(locked.content)), lock=True)
        if plan.has_errors or plan.digest != locked.digest:
            raise ValidationError(
                _("The menu has changed since this file was checked: upload it again."),
                code="stale",
            )
        for fields in plan.added:
            activity = actions.create_activity(actor=actor, **fields)
            _tag_latest_history(activity, history_reason(locked, "added"))
        for code, fields in plan.changed:
            activity = actions.update_activity(
                activity=plan.existing[code],
                actor=actor,
                **{name: new for name, (_old, new) in fields.items()},
            )
            _tag_latest_history(activity, history_reason(locked, "changed"))
        for code, fields in plan.retired:
            activity = plan.existing[code]
            others = {name: new for name, (_old, new) in fields.items() if name != "retired_in"}
            if others:
                activity = actions.update_activity(activity=activity, actor=actor, **others)
                _tag_latest_history(activity, history_reason(locked, "retired"))
            activity = actions.retire_activity(
                activity=activity, year=fields["retired_in"][1], actor=actor
            )
            _tag_latest_history(activity, history_reason(locked, "retired"))
        locked.status = MenuImport.Status.APPLIED
        locked.applied_at = timezone.now()
        for name, value in plan.counts().items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", "applied_at", *plan.counts()])
    menu_import.refresh_from_db(fields=["status", "applied_at", *plan.counts()])
    return plan


def import_history(menu_import: MenuImport) -> dict[str, list]:
    """What an applied import did: the history rows it wrote, by action, one per activity."""
    reasons = {history_reason(menu_import, action): action for action in HISTORY_ACTIONS}
    done: dict[str, dict] = {action: {} for action in HISTORY_ACTIONS}
    records = Activity.history.filter(history_change_reason__in=reasons).order_by(
        "code", "history_id"
    )
    for record in records:
        done[reasons[record.history_change_reason]][record.code] = record
    return {action: list(by_code.values()) for action, by_code in done.items()}
