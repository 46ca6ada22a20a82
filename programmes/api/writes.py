"""The API's one write: an event by the event-management system's reference, created or
corrected (``PUT /api/v1/partners/<code>/events/<ref>/``).

It is the import of events for one row: the same checks (``importing``'s planner: the programme
in force whose years hold the first day, the activity planned in that programme year, the
actions' own rules on the unsaved event), the same writes (``actions.record_event`` for a new
reference, ``actions.update_event`` for the columns that differ), under the same locks (the
partner's programmes in force, taken before the checks). So it is idempotent: the same request
twice records one event, and the second changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import Partner
from programmes.delivery import actions, importing
from programmes.delivery.models import Event

MAX_REFERENCE_CHARS = Event._meta.get_field("external_ref").max_length


@dataclass(frozen=True)
class Written:
    event: Event
    created: bool
    changed: list[str]  # the input's names of the fields corrected


def check_reference(ref: str) -> None:
    if not ref or ref != ref.strip() or len(ref) > MAX_REFERENCE_CHARS:
        raise ValidationError(
            {
                "external_ref": _(
                    "Give the reference as the event-management system writes it: 1 to "
                    "%(max)s characters, without spaces around it."
                )
                % {"max": MAX_REFERENCE_CHARS}
            }
        )
    if any(not character.isprintable() for character in ref):
        raise ValidationError(
            {"external_ref": _("The reference has characters that cannot print.")}
        )


def _row(partner: Partner, ref: str, data: dict) -> dict:
    """The row of an events file that says what ``data`` says."""
    row = dict.fromkeys(importing.COLUMNS, "")
    row.update(
        {
            "partner_code": partner.code,
            "external_ref": ref,
            "online": "yes" if data["online"] else "no",
            **{
                name: ("" if value is None else value)
                for name, value in data.items()
                if name in importing.COLUMNS and name != "online"
            },
        }
    )
    row[importing.ROW] = 1
    return row


def _refusal(plan) -> ValidationError:
    errors: dict[str, list[str]] = {}
    for error in plan.row_errors:
        errors.setdefault(error.column or "non_field_errors", []).append(error.message)
    return ValidationError(errors)


def put_event(*, actor, partner: Partner, ref: str, data: dict) -> Written:
    """Record the event ``ref`` of ``partner``, or correct it to ``data`` (the input of
    ``serializers.EventInputSerializer``). Refusals are ``ValidationError``s naming the input's
    fields, or the actions' ``WorkflowError``s."""
    check_reference(ref)
    row = _row(partner, ref, data)
    with transaction.atomic():
        importing._lock_programmes([row])
        plan = importing._plan_rows([row], actor)
        if plan.has_errors:
            raise _refusal(plan)
        for new in plan.created:
            event = actions.record_event(
                actor=actor, programme=new.programme, planned=new.planned, **new.fields
            )
            return Written(event, created=True, changed=[])
        for correction in plan.updated:
            event = actions.update_event(
                actor=actor,
                event=correction.event,
                seen_stamp=correction.event.edit_stamp,
                **{name: new for name, (_old, new) in correction.changes.items()},
            )
            changed = sorted(importing.COLUMN_OF[name] for name in correction.changes)
            return Written(event, created=False, changed=changed)
    return Written(actions.find_by_reference(partner.pk, ref), created=False, changed=[])
