"""Every change to the partner register goes through these functions.

Views, admin actions and management commands call them; each is atomic, takes the acting user
explicitly, locks the partner against concurrent change, checks the history rules and leaves a
history row (django-simple-history) naming the actor. They never take a ``request``.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from partners.models import (
    EventFacts,
    Framework,
    Partner,
    Representative,
    StatusEvent,
    status_history_errors,
)
from partners.signals import status_event_recorded
from pfp.roles import Role

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


def appoint_representative(*, actor, user, partner: Partner, position: str = "") -> Representative:
    """Bind ``user`` to ``partner`` as one of its representatives (or move them to ``partner``),
    in the partner representative role. Refused for a member of NATO staff's roles, an
    administrator or a user with access to the admin site: a representative is that alone."""
    with transaction.atomic():
        partner = _locked(partner)
        user = type(user)._default_manager.select_for_update().get(pk=user.pk)
        problems = representative_problems(user)
        if problems:
            raise ValidationError(problems)
        representative = Representative.objects.filter(user=user).first() or Representative(
            user=user
        )
        representative.partner = partner
        representative.position = (position or "").strip()
        representative._history_user = actor
        representative.full_clean()
        representative.save()
        user._history_user = actor  # the user's history of groups names who gave the role
        user.groups.add(Group.objects.get(name=Role.PARTNER_REPRESENTATIVE))
        logger.info("User %s represents partner %s", user.pk, partner.code)
    return representative


def representative_problems(user) -> list[str]:
    """Why ``user`` cannot be a partner's representative (empty when they can)."""
    problems = []
    if user.is_superuser or user.is_staff:
        problems.append(
            _("An administrator (or a user of the admin site) cannot represent a partner.")
        )
    other_roles = set(
        user.groups.exclude(name=Role.PARTNER_REPRESENTATIVE).values_list("name", flat=True)
    ) & set(Role.values)
    if other_roles:
        problems.append(
            _("%(user)s holds a NATO staff role (%(roles)s): a representative holds no other.")
            % {"user": user.get_username(), "roles": ", ".join(sorted(other_roles))}
        )
    if user.assigned_partners.exists():
        problems.append(_("A programme officer assigned to partners cannot represent one."))
    return problems
