"""Load the project's partner data file into the register, idempotently.

The file (``partners/data/partners.json``) is built from the public record. Loading creates the
partners it does not find, brings their name and framework in line with the file, gives a French
name to those that have none, and adds the status events they lack, all through
``partners.actions`` and in one transaction: a file that would make an impossible history writes
nothing. A French name corrected in the admin stays: the admin is where staff correct it, and
reloading must not undo that. Existing databases get their French names from here (``make run``
loads the file every time) rather than from a data migration, which would copy the names into a
second place that the file and the admin could then contradict.

Where the rows come from is the file's own business (its ``provenance`` key), not the register's:
nothing of it is copied into a partner, whose notes are for staff. Partners loaded before that
had "Source: …" written into their notes by this loader; loading clears exactly that text, and
leaves any other note alone.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners import actions
from partners.models import Partner

DATA_FILE = Path(__file__).resolve().parent / "data" / "partners.json"


@dataclass
class LoadResult:
    partners_created: int = 0
    partners_updated: int = 0
    events_added: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.partners_created or self.partners_updated or self.events_added)


def _parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _former_source_notes(code: str, provenance: dict) -> set[str]:
    """The notes this loader used to write for partner ``code`` ("Source: <source>", in English
    or French), which loading now clears."""
    source = provenance.get("remarks_by_code", {}).get(code, "public record")
    return {f"Source: {source}", f"Source\u00a0: {source}", f"Source : {source}"}


def load_partners(*, path: Path = DATA_FILE, actor=None) -> LoadResult:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        rows = data["partners"]
        provenance = data.get("provenance") or {}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(
            _("Cannot read the partner file %(path)s: %(error)s")
            % {
                "path": path,
                "error": error,
            }
        ) from error

    result = LoadResult()
    with transaction.atomic():
        existing = {p.code: p for p in Partner.objects.prefetch_related("status_events")}
        for row in rows:
            try:
                partner = existing.get(row["code"])
                if partner is None:
                    partner = actions.create_partner(
                        name=row["name"],
                        name_fr=row.get("name_fr", ""),
                        code=row["code"],
                        framework=row["framework"],
                        actor=actor,
                    )
                    known = set()
                    result.partners_created += 1
                else:
                    before = (partner.name, partner.name_fr, partner.framework, partner.notes)
                    notes = partner.notes
                    if notes.strip() in _former_source_notes(row["code"], provenance):
                        notes = ""
                    partner = actions.update_partner(
                        partner=partner,
                        actor=actor,
                        name=row["name"],
                        name_fr=partner.name_fr or row.get("name_fr", ""),
                        framework=row["framework"],
                        notes=notes,
                    )
                    result.partners_updated += before != (
                        partner.name,
                        partner.name_fr,
                        partner.framework,
                        partner.notes,
                    )
                    known = {(e.kind, e.on) for e in partner.status_events.all()}
                for event in row["events"]:
                    on = _parse_date(event.get("on"))
                    if (event["kind"], on) in known:
                        continue
                    actions.record_status_event(
                        partner=partner,
                        kind=event["kind"],
                        on=on,
                        year_only=bool(event.get("year_only")),
                        note=event.get("note", ""),
                        actor=actor,
                    )
                    result.events_added += 1
            except ValidationError as error:
                raise ValidationError(
                    _("Partner %(code)s: %(errors)s")
                    % {"code": row.get("code", "?"), "errors": "; ".join(error.messages)}
                ) from error
            except (KeyError, ValueError, TypeError) as error:
                raise ValidationError(
                    _("Partner %(code)s: malformed entry (%(error)s).")
                    % {
                        "code": row.get("code", "?") if isinstance(row, dict) else "?",
                        "error": error,
                    }
                ) from error
    return result
