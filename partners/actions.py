"""Every change to the partner register goes through these functions.

Views, admin actions and management commands call them; each is atomic, takes the acting user
explicitly, locks the partner against concurrent change, checks the history rules and leaves a
history row (django-simple-history) naming the actor. They never take a ``request``.
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction

from partners.models import EventFacts, Framework, Partner, StatusEvent, status_history_errors
from partners.signals import status_event_recorded

logger = logging.getLogger(__name__)


def _locked(partner: Partner) -> Partner:
    return Partner.objects.select_for_update().get(pk=partner.pk)


def record_status_event(
    *,
    partner: Partner,
    kind: str,
    on: datetime.date | None,
    actor,
    year_only: bool = False,
    note: str = "",
) -> StatusEvent:
    """Add one dated event to a partner's history, refusing an impossible history.

    Receivers of ``partners.signals.status_event_recorded`` act on it in the same transaction
    (the programmes app closes the agreed programmes of a suspended partner or a new NATO member).
    """
    with transaction.atomic():
        partner = _locked(partner)
        existing = [event.facts() for event in partner.status_events.all()]
        errors = status_history_errors([*existing, EventFacts(kind=kind, on=on)])
        if errors:
            raise ValidationError(errors)
        event = StatusEvent(partner=partner, kind=kind, on=on, year_only=year_only, note=note)
        event._history_user = actor
        event.full_clean()
        event.save()
        # In this same transaction: the event and what it causes (the programmes app closes
        # agreed programmes) are recorded together or not at all.
        status_event_recorded.send(
            sender=StatusEvent, partner=partner, kind=kind, on=on, actor=actor
        )
    logger.debug("Status event %s recorded for %s by %s", kind, partner.code, actor)
    return event


def create_partner(
    *, name: str, code: str, framework: str, actor, notes: str = "", name_fr: str = ""
) -> Partner:
    with transaction.atomic():
        partner = Partner(
            name=name, name_fr=name_fr, code=code, framework=Framework(framework), notes=notes
        )
        partner._history_user = actor
        partner.full_clean()
        partner.save()
    return partner


def update_partner(*, partner: Partner, actor, **changes) -> Partner:
    """Change a partner's own fields; saves (and writes history) only when something changed."""
    with transaction.atomic():
        partner = _locked(partner)
        changed = {k: v for k, v in changes.items() if getattr(partner, k) != v}
        if not changed:
            return partner
        for field, value in changed.items():
            setattr(partner, field, value)
        partner._history_user = actor
        partner.full_clean()
        partner.save(update_fields=list(changed))
    return partner


def assign_officer(*, partner: Partner, officer, actor) -> None:
    """Make ``officer`` one of the programme officers assigned to ``partner``."""
    with transaction.atomic():
        partner = _locked(partner)
        partner._history_user = actor
        partner.officers.add(officer)
