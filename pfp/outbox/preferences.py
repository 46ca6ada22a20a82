"""Which messages a user receives, and how: at once, in a daily or weekly digest, or never.

``KINDS`` names each kind of message the site sends, what it is about (in the user's words) and
the roles that receive it: the account page offers a user the kinds of their roles. Without a
saved ``Preference``, a workflow message comes at once (someone waits for it) and a reminder in
the daily digest (a first run may find many); a kind not listed here (a new one) comes at once.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from pfp.permissions import roles_of
from pfp.roles import Role

from .models import Delivery, Preference

OFFICER, APPROVER = Role.PROGRAMME_OFFICER, Role.APPROVER

KINDS = {
    "programme.submitted": (_("A programme awaits your approval"), {APPROVER}),
    "programme.returned": (_("A programme you drafted is returned"), {OFFICER, APPROVER}),
    "programme.approved": (_("A programme you drafted is approved"), {OFFICER, APPROVER}),
    "programme.agreed": (_("The partner's agreement is recorded"), {OFFICER, APPROVER}),
    "programme.closed": (_("A programme you drafted is closed"), {OFFICER, APPROVER}),
    "programme.withdrawn": (_("A programme you drafted is withdrawn"), {OFFICER, APPROVER}),
    "reminder.ending": (
        _("Reminder: a programme of your partners ends within a year with no successor"),
        {OFFICER},
    ),
    "reminder.review": (
        _("Reminder: annual reviews of your partners' programmes that are due"),
        {OFFICER},
    ),
    "reminder.outcome": (
        _("Reminder: events of your partners past their date with no outcome"),
        {OFFICER},
    ),
    "reminder.awaiting": (
        _("Reminder: versions of your partners awaiting the partner's acceptance for two weeks"),
        {OFFICER},
    ),
}


def kinds_for(user) -> list[tuple[str, str]]:
    """The kinds of message ``user``'s roles receive, in ``KINDS``' order."""
    roles = roles_of(user)
    return [(kind, label) for kind, (label, receivers) in KINDS.items() if roles & receivers]


def default(kind: str) -> str:
    return Delivery.DAILY if kind.startswith("reminder.") else Delivery.AT_ONCE


def chosen(user) -> dict[str, str]:
    """``user``'s choice for each kind of their roles."""
    saved = dict(user.message_preferences.values_list("kind", "delivery"))
    return {kind: saved.get(kind, default(kind)) for kind, _label in kinds_for(user)}


def delivery_for(user, kind: str) -> str:
    if user is None:
        return Delivery.AT_ONCE
    saved = Preference.objects.filter(user=user, kind=kind).values_list("delivery", flat=True)
    return saved.first() or default(kind)


def save(*, actor, choices: dict[str, str]) -> None:
    """Keep ``actor``'s choices for the kinds of their roles (others are ignored)."""
    allowed = {kind for kind, _label in kinds_for(actor)}
    with transaction.atomic():
        for kind, delivery in choices.items():
            if kind in allowed and delivery in Delivery.values:
                Preference.objects.update_or_create(
                    user=actor, kind=kind, defaults={"delivery": delivery}
                )
