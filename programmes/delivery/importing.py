"""Files of events from the event-management system: reading a CSV or Excel file, checking each
row against the programmes in force, applying it all in one transaction or not at all.

The import pages (``programmes.delivery.views.imports``) and the ``import_events`` command call
``preview_import`` and ``apply_import``. Events are written only through
``programmes.delivery.actions`` (``record_event``, ``update_event``), which lock the programme,
check the actor and write the history rows; the rules an event follows are theirs
(``actions._check_event`` and the model's validators are run on each row at preview, without
writing).

Rules worth knowing:

- Each row names an external reference, unique per partner. A reference already recorded updates
  that event, and only the columns that differ (``update_event``); a new one records an event
  (``record_event``). The same file twice changes nothing.
- A new event delivers a planned activity: the one of the partner's programme in force (agreed)
  whose period holds the first day, with the row's activity code and programme year. A row whose
  activity is not planned there is refused: an unplanned event is recorded on the programme's
  page, where its goal is chosen. An import never moves an event to another activity, year or
  programme.
- Each row is checked with ``can_record_for``: an officer imports the rows of their own partners.
- A file that cannot be read (wrong type, too large, too wide, too long, not text, wrong header)
  is refused and not logged; a readable file with row errors is logged as rejected, its errors
  kept by row and column; it changes no event.
- Applying reads the stored file again under the programmes' locks and does what it does *now*,
  provided each write was in the preview: what another import did meanwhile is no longer to do
  (two imports of one file: one records, the other finds nothing to do); a write the preview
  did not show (an event changed since) makes the import stale, and nothing is written.

Bounded work: at most ``MAX_FILE_BYTES``, ``MAX_COLUMNS`` columns read, ``MAX_ROWS`` rows; the
checks of a whole file take a fixed number of queries.
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
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import Partner
from pfp import spreadsheets
from pfp.permissions import ALLOW, Decision, is_administrator, roles_of
from pfp.roles import Role
from programmes.delivery import actions
from programmes.delivery.models import Event, EventImport, EventStatus
from programmes.delivery.permissions import can_record_for
from programmes.menu.models import Activity
from programmes.models import PlannedActivity, Programme, ProgrammeStatus

# The columns of an events file, in this order in the documentation; a file may order them as it
# likes, and must have all of them (an empty cell empties the field).
COLUMNS = [
    "partner_code",
    "programme_year",
    "activity_code",
    "external_ref",
    "first_day",
    "last_day",
    "place",
    "online",
    "status",
    "cancellation_reason",
    "postponed_to",
    "participants",
    "women",
    "rating",
    "evaluation",
]
REQUIRED = (
    "partner_code",
    "programme_year",
    "activity_code",
    "external_ref",
    "first_day",
    "last_day",
    "status",
)
# Event fields by column, and columns by field (to name the column of an action's refusal).
FIELD_OF = {
    "programme_year": "year",
    "external_ref": "external_ref",
    "first_day": "start_date",
    "last_day": "end_date",
    "place": "place",
    "online": "online",
    "status": "status",
    "cancellation_reason": "cancellation_reason",
    "postponed_to": "postponed_to",
    "participants": "participants",
    "women": "women",
    "rating": "rating",
    "evaluation": "evaluation",
}
COLUMN_OF = {name: column for column, name in FIELD_OF.items()}
# The fields an import may correct on an event it finds (not its year: see the module's rules).
CORRECTED_FIELDS = [FIELD_OF[c] for c in COLUMNS if c in FIELD_OF and c != "programme_year"]
_COLUMN_ORDER = {name: index for index, name in enumerate(COLUMNS)}

EXTENSIONS = spreadsheets.EXTENSIONS
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5_000
# Empty rows are skipped, up to this many rows in all (spreadsheets keep empty rows).
MAX_SHEET_ROWS = 2 * MAX_ROWS + 1
# An .xlsx file is a zip archive that openpyxl unpacks in memory: 5,000 full rows unzip to a few MB.
MAX_UNZIPPED_BYTES = 20 * 1024 * 1024
# A header wider than this is refused before anything else is read; no row is read beyond it.
MAX_COLUMNS = 30
MAX_LISTED_ERRORS = 1_000
MAX_MESSAGE_CHARS = 300

YES = {"yes", "y", "true", "1", "oui", "x"}
NO = {"no", "n", "false", "0", "non", ""}

ROW = "row"
EXTRA = "extra"


def can_import_events(user) -> Decision:
    """Upload files of events: administrators and programme officers (each row is then checked
    with ``can_record_for``: an officer imports the events of their own partners)."""
    if is_administrator(user) or Role.PROGRAMME_OFFICER in roles_of(user):
        return ALLOW
    return Decision(False, gettext_lazy("Only programme officers import events."))


class RowError(NamedTuple):
    row: int  # spreadsheet row number; the header is row 1
    column: str  # a name of COLUMNS, or "" for the row as a whole
    message: str


@dataclass
class NewEvent:
    row: int
    partner: Partner
    planned: PlannedActivity
    programme: Programme
    fields: dict[str, Any]


@dataclass
class Correction:
    row: int
    partner: Partner
    event: Event
    changes: dict[str, tuple[Any, Any]]  # field -> (now, after)


@dataclass
class ImportPlan:
    """What a file would do to the events, and everything wrong with it."""

    row_errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    created: list[NewEvent] = field(default_factory=list)
    updated: list[Correction] = field(default_factory=list)
    unchanged: int = 0

    @property
    def has_errors(self) -> bool:
        return bool(self.row_errors)

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "error_count": len(self.row_errors),
        }

    def writes(self) -> list[str]:
        """A fingerprint of each write, so that applying can tell a write the preview showed."""
        return [_fingerprint(write) for write in [*self.created, *self.updated]]


# Reading files ---------------------------------------------------------------------------------


def _file_error(message: str) -> ValidationError:
    return spreadsheets.file_error(message)


def check_file(file_name: str, size: int) -> None:
    """Refuse a file by its name and size alone, before reading it (the upload form calls this)."""
    spreadsheets.check_file(file_name, size, max_bytes=MAX_FILE_BYTES)


def _too_wide() -> ValidationError:
    return _file_error(
        _(
            "The header row has more than %(limit)s columns; a file of events has these "
            "%(count)s: %(columns)s."
        )
        % {"limit": MAX_COLUMNS, "count": len(COLUMNS), "columns": ", ".join(COLUMNS)}
    )


def _csv_records(content: bytes):
    return spreadsheets.csv_records(content, max_columns=MAX_COLUMNS, too_wide=_too_wide)


def _xlsx_records(content: bytes) -> list[tuple]:
    return spreadsheets.xlsx_records(
        content,
        max_columns=MAX_COLUMNS,
        max_rows=MAX_SHEET_ROWS,
        max_unzipped_bytes=MAX_UNZIPPED_BYTES,
    )


_cell = spreadsheets.cell


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
        errors.append(
            _("Unknown columns: %(columns)s.")
            % {"columns": ", ".join(Truncator(name).chars(40) for name in unknown)}
        )
    if errors:
        errors.append(
            _("The header row must name exactly these columns, in any order: %(columns)s.")
            % {"columns": ", ".join(COLUMNS)}
        )
        raise ValidationError(errors, code="file")


def read_rows(file_name: str, content: bytes) -> list[dict]:
    """The data rows of a file of events, as dictionaries keyed by column name, plus ``ROW`` (the
    spreadsheet row number) and ``EXTRA`` (non-empty cells beyond the header, when any). Blank
    rows are skipped. Raises ``ValidationError`` (code ``"file"``) for a file that cannot be read."""
    check_file(file_name, len(content))
    if Path(file_name).suffix.lower() == ".csv":
        records = iter(_csv_records(content))
    else:
        records = iter(_xlsx_records(content))
    header = [str(_cell(value)).lower() for value in next(records, [])[: MAX_COLUMNS + 1]]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise _file_error(_("The file is empty: its first row must name the columns."))
    if len(header) > MAX_COLUMNS:
        raise _too_wide()
    _check_header(header)
    rows = []
    for number, record in enumerate(records, start=2):
        if number > MAX_SHEET_ROWS:
            raise _file_error(
                _(
                    "The file has more than %(limit)s rows, empty ones included; delete the empty rows."
                )
                % {"limit": MAX_SHEET_ROWS}
            )
        cells = [_cell(value) for value in record[: MAX_COLUMNS + 1]]
        if all(cell == "" for cell in cells):
            continue
        if len(rows) == MAX_ROWS:
            raise _file_error(
                _("The file has more than %(limit)s events; split it into smaller files.")
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
        raise _file_error(_("The file has a header row but no events."))
    return rows


# Checking rows ---------------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return (
            value.date().isoformat() if isinstance(value, datetime.datetime) else value.isoformat()
        )
    return str(value)


def _number(value):
    """An ``int``, ``None`` for an empty cell, or text the model field refuses with its message."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return _text(value)


def _date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return _text(value) or None


class _Planner:
    """Checks rows against the partners, programmes in force, plans and events, loaded once
    (a fixed number of queries whatever the number of rows)."""

    def __init__(self, rows: list[dict], actor, *, today: datetime.date):
        self.actor = actor
        self.today = today
        self.plan = ImportPlan(rows=len(rows))
        codes = {_text(row["partner_code"]).upper() for row in rows}
        self.partners = Partner.objects.in_bulk(codes - {""}, field_name="code")
        self.allowed = {code: can_record_for(actor, p) for code, p in self.partners.items()}
        self.programmes: dict[int, list[Programme]] = {}
        in_force = Programme.objects.filter(
            partner__in=self.partners.values(), status=ProgrammeStatus.AGREED
        ).select_related("partner")
        for programme in in_force.order_by("start_year"):
            self.programmes.setdefault(programme.partner_id, []).append(programme)
        activity_codes = {_text(row["activity_code"]).upper() for row in rows} - {""}
        self.activities = Activity.objects.in_bulk(activity_codes, field_name="code")
        self.planned = {
            (p.programme_id, p.activity.code, p.year): p
            for p in PlannedActivity.objects.filter(
                programme__in=[p for ps in self.programmes.values() for p in ps],
                activity__code__in=activity_codes,
            ).select_related("activity", "goal")
        }
        refs = {_text(row["external_ref"]) for row in rows} - {""}
        self.events = {
            (event.partner_id, event.external_ref): event
            for event in Event.objects.filter(
                partner__in=self.partners.values(), external_ref__in=refs
            ).select_related("activity")
        }
        self.seen: dict[tuple[str, str], int] = {}

    def check(self, row: dict) -> None:
        errors: list[tuple[str, str]] = []
        number = row[ROW]
        if row.get(EXTRA):
            errors.append(("", _("The row has values beyond the named columns.")))
        missing = [column for column in REQUIRED if row[column] == ""]
        errors.extend((column, _("This column is required.")) for column in missing)
        partner = self._partner(row, errors)
        ref = _text(row["external_ref"])
        if partner is not None and ref:
            key = (partner.code, ref)
            if key in self.seen:
                errors.append(
                    (
                        "external_ref",
                        _("The reference %(ref)s of %(partner)s already appears on row %(row)s.")
                        % {
                            "ref": Truncator(ref).chars(40),
                            "partner": partner.code,
                            "row": self.seen[key],
                        },
                    )
                )
            else:
                self.seen[key] = number
        converted = len(errors)
        candidate = self._candidate(row, errors)
        write = None
        # The rules are checked once every cell converted, whatever else is wrong with the row.
        if partner is not None and len(errors) == converted and set(missing) <= {"external_ref"}:
            write = self._match(row, partner, candidate, errors)
        errors.sort(key=lambda error: _COLUMN_ORDER.get(error[0], -1))
        self.plan.row_errors.extend(
            RowError(number, column, Truncator(str(message)).chars(MAX_MESSAGE_CHARS))
            for column, message in dict.fromkeys(errors)
        )
        if errors:
            return
        if isinstance(write, NewEvent):
            self.plan.created.append(write)
        elif isinstance(write, Correction):
            self.plan.updated.append(write)
        else:
            self.plan.unchanged += 1

    def _partner(self, row, errors) -> Partner | None:
        code = _text(row["partner_code"]).upper()
        if not code:
            return None
        partner = self.partners.get(code)
        if partner is None:
            errors.append(
                ("partner_code", _("No partner has the code %(code)s.") % {"code": code[:10]})
            )
            return None
        decision = self.allowed[code]
        if not decision:
            errors.append(("partner_code", str(decision.reason)))
            return None
        return partner

    def _candidate(self, row, errors) -> Event:
        """The event the row describes, its fields converted and checked one by one by the
        model's own fields."""
        online = _text(row["online"]).lower()
        event = Event(
            year=_number(row["programme_year"]),
            external_ref=_text(row["external_ref"]),
            start_date=_date(row["first_day"]),
            end_date=_date(row["last_day"]),
            place=_text(row["place"]),
            online=online in YES,
            status=_text(row["status"]).lower(),
            cancellation_reason=_text(row["cancellation_reason"]),
            postponed_to=_number(row["postponed_to"]),
            participants=_number(row["participants"]),
            women=_number(row["women"]),
            rating=_number(row["rating"]),
            evaluation=_text(row["evaluation"]),
        )
        if online not in YES | NO:
            errors.append(("online", _("Write yes or no (an empty cell means no).")))
        if event.status and event.status not in EventStatus.values:
            errors.append(
                (
                    "status",
                    _("Write one of: %(values)s.") % {"values": ", ".join(EventStatus.values)},
                )
            )
        names = [FIELD_OF[c] for c in COLUMNS if c in FIELD_OF and c not in ("status",)]
        try:
            event.clean_fields(exclude=[f.name for f in Event._meta.fields if f.name not in names])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = COLUMN_OF.get(name, "")
                if row[column] == "" and column in REQUIRED:
                    continue  # already said: required
                errors.extend((column, message) for message in messages)
        return event

    def _match(self, row, partner, candidate: Event, errors) -> NewEvent | Correction | None:
        """The programme in force and the planned activity of the row; the event it updates."""
        code = _text(row["activity_code"]).upper()
        activity = self.activities.get(code)
        if activity is None:
            message = _("No activity of the menu has the code %(code)s.")
            errors.append(("activity_code", message % {"code": code[:20]}))
            return
        programmes = self.programmes.get(partner.pk, [])
        if not programmes:
            message = _(
                "%(partner)s has no programme in force: delivery is recorded only for a programme "
                "the partner agreed to."
            )
            errors.append(("partner_code", message % {"partner": partner}))
            return
        day = candidate.start_date
        programme = next((p for p in programmes if p.start_year <= day.year <= p.end_year), None)
        if programme is None:
            errors.append(
                (
                    "first_day",
                    _(
                        "No programme of %(partner)s in force covers %(year)s (in force: %(periods)s)."
                    )
                    % {
                        "partner": partner,
                        "year": day.year,
                        "periods": ", ".join(p.period for p in programmes),
                    },
                )
            )
            return
        existing = self.events.get((partner.pk, candidate.external_ref))
        if existing is not None:
            return self._correct(row, partner, existing, programme, activity, candidate, errors)
        planned = self.planned.get((programme.pk, activity.code, candidate.year))
        if planned is None:
            errors.append(
                (
                    "activity_code",
                    _(
                        "%(code)s is not planned in year %(year)s of %(partner)s's programme in "
                        "force: an import records only planned activities; record an unplanned "
                        "event on the programme's page."
                    )
                    % {"code": activity.code, "year": candidate.year, "partner": partner},
                )
            )
            return
        candidate.provider = activity.provider
        if self._check_rules(candidate, programme, errors):
            fields = {name: getattr(candidate, name) for name in ("year", *CORRECTED_FIELDS)}
            return NewEvent(row[ROW], partner, planned, programme, fields)
        return None

    def _correct(
        self, row, partner, existing: Event, programme, activity, candidate, errors
    ) -> None:
        moved = (existing.lineage, existing.activity_id, existing.year) != (
            programme.lineage,
            activity.pk,
            candidate.year,
        )
        if moved:
            message = _(
                "The event %(ref)s is recorded for another activity, programme year or programme; "
                "an import does not move an event: correct it on its page."
            )
            errors.append(
                ("external_ref", message % {"ref": Truncator(existing.external_ref).chars(40)})
            )
            return
        candidate.provider_id = existing.provider_id
        if not self._check_rules(candidate, programme, errors):
            return
        changes = {
            name: (getattr(existing, name), getattr(candidate, name))
            for name in CORRECTED_FIELDS
            if getattr(existing, name) != getattr(candidate, name)
        }
        return Correction(row[ROW], partner, existing, changes) if changes else None

    def _check_rules(self, candidate: Event, programme: Programme, errors) -> bool:
        """The rules ``record_event`` and ``update_event`` apply, run on the unsaved event."""
        try:
            actions._check_event(candidate, programme, self.today)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                errors.extend((COLUMN_OF.get(name, ""), message) for message in messages)
            return False
        return True


def _plan_rows(rows: list[dict], actor) -> ImportPlan:
    planner = _Planner(rows, actor, today=timezone.localdate())
    for row in rows:
        planner.check(row)
    return planner.plan


def _shown(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _fingerprint(write: NewEvent | Correction) -> str:
    if isinstance(write, NewEvent):
        what = ["record", str(write.planned.key), {k: _shown(v) for k, v in write.fields.items()}]
    else:
        changes = {name: _shown(new) for name, (_old, new) in write.changes.items()}
        what = ["correct", write.event.pk, write.event.edit_stamp, changes]
    return hashlib.sha256(json.dumps(what, sort_keys=True, default=str).encode()).hexdigest()


def plan_import(file_name: str, content: bytes, actor) -> ImportPlan:
    """Read a file and check it; writes nothing. Raises ``ValidationError`` for a file that cannot
    be read."""
    return _plan_rows(read_rows(file_name, content), actor)


# The preview and applying ----------------------------------------------------------------------


def _row_errors(rows: list[dict], plan: ImportPlan, actor) -> dict[str, list[dict]]:
    """The first MAX_LISTED_ERRORS row errors in each language of the site."""
    by_language = {}
    for language, _name in settings.LANGUAGES:
        if not plan.row_errors:
            errors = []
        elif language == translation.get_language():
            errors = plan.row_errors
        else:
            with translation.override(language):
                errors = _plan_rows(rows, actor).row_errors
        by_language[language] = [error._asdict() for error in errors[:MAX_LISTED_ERRORS]]
    return by_language


def _preview(rows: list[dict], plan: ImportPlan, actor) -> dict:
    return {
        "created": [
            {
                "row": new.row,
                "partner": new.partner.code,
                "activity": new.planned.activity.code,
                **{COLUMN_OF[name]: _shown(value) for name, value in new.fields.items()},
            }
            for new in plan.created
        ],
        "updated": [
            {
                "row": correction.row,
                "partner": correction.partner.code,
                "external_ref": correction.event.external_ref,
                "event": correction.event.pk,
                "changes": {
                    COLUMN_OF[name]: [_shown(old), _shown(new)]
                    for name, (old, new) in correction.changes.items()
                },
            }
            for correction in plan.updated
        ],
        "row_errors": _row_errors(rows, plan, actor),
        "writes": plan.writes(),
    }


def preview_import(*, file_name: str, content: bytes, actor) -> EventImport:
    """Check a file and log it: previewed when it may be applied, rejected when it has row
    errors. A file that cannot be read raises ``ValidationError`` and is not logged. No event
    is written."""
    decision = can_import_events(actor)
    if not decision:
        raise ValidationError(str(decision.reason), code="permission")
    rows = read_rows(file_name, content)
    plan = _plan_rows(rows, actor)
    return EventImport.objects.create(
        file_name=Path(file_name).name[:255],
        content=content,
        uploaded_by=actor,
        status=EventImport.Status.REJECTED if plan.has_errors else EventImport.Status.PREVIEWED,
        preview=_preview(rows, plan, actor),
        **plan.counts(),
    )


@dataclass
class Preview:
    """What the page of a previewed or rejected import shows, as kept at upload."""

    created: list[dict]
    updated: list[dict]
    row_errors: list[dict]  # in the current language; the first MAX_LISTED_ERRORS


def stored_preview(event_import: EventImport) -> Preview:
    kept = event_import.preview or {}
    errors = kept.get("row_errors", {})
    return Preview(
        created=kept.get("created", []),
        updated=kept.get("updated", []),
        row_errors=errors.get(translation.get_language(), errors.get(settings.LANGUAGE_CODE, [])),
    )


def _lock_programmes(rows: list[dict]) -> None:
    """Lock the programmes in force of the file's partners, in one order: two imports (or an
    import and a page) touching them queue here, and the second one checks the rows again
    once the first has committed."""
    codes = {_text(row["partner_code"]).upper() for row in rows}
    list(
        Programme.objects.select_for_update(of=("self",))
        .filter(partner__code__in=codes, status=ProgrammeStatus.AGREED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def apply_import(*, event_import: EventImport, actor) -> ImportPlan:
    """Apply a previewed import, all of it or nothing; returns what was done.

    Refused when the import is not (or no longer) previewed, when another person uploaded it, or
    when the file would now write something its preview did not show.
    """
    with transaction.atomic():
        locked = EventImport.objects.select_for_update().get(pk=event_import.pk)
        if locked.status == EventImport.Status.APPLIED:
            raise ValidationError(_("This import has already been applied."), code="applied")
        if locked.status != EventImport.Status.PREVIEWED:
            raise ValidationError(
                _("This file has errors and cannot be applied: correct it and upload it again."),
                code="rejected",
            )
        if locked.uploaded_by_id != getattr(actor, "pk", None):
            raise ValidationError(
                _("Only the person who uploaded this file may apply it; upload it yourself."),
                code="uploader",
            )
        rows = read_rows(locked.file_name, bytes(locked.content))
        _lock_programmes(rows)
        plan = _plan_rows(rows, actor)
        if plan.has_errors or not set(plan.writes()) <= set(locked.preview.get("writes", [])):
            raise ValidationError(
                _("The events have changed since this file was checked: upload it again."),
                code="stale",
            )
        done = {"created": [], "updated": []}
        for new in plan.created:
            event = actions.record_event(
                actor=actor, programme=new.programme, planned=new.planned, **new.fields
            )
            done["created"].append(_done(event, new.row, new.partner, new.planned.activity))
        for correction in plan.updated:
            event = actions.update_event(
                actor=actor,
                event=correction.event,
                seen_stamp=correction.event.edit_stamp,
                **{name: new for name, (_old, new) in correction.changes.items()},
            )
            done["updated"].append(
                _done(
                    event,
                    correction.row,
                    correction.partner,
                    correction.event.activity,
                    sorted(correction.changes),
                )
            )
        locked.status = EventImport.Status.APPLIED
        locked.applied_at = timezone.now()
        locked.applied_by = actor
        locked.result = done
        for name, value in plan.counts().items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", "applied_at", "applied_by", "result", *plan.counts()])
    event_import.refresh_from_db(
        fields=["status", "applied_at", "applied_by", "result", *plan.counts()]
    )
    return plan


def _done(event: Event, row: int, partner, activity, changed: list[str] | None = None) -> dict:
    done = {
        "row": row,
        "event": event.pk,
        "partner": partner.code,
        "activity": activity.code,
        "external_ref": event.external_ref,
        "first_day": event.start_date.isoformat(),
        "status": event.status,
    }
    if changed is not None:
        done["columns"] = [COLUMN_OF[name] for name in changed]
    return done
