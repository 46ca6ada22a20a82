"""Who may read and change the partner register, and which partners a user sees."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from pfp.permissions import ALLOW, Decision


def can_view_register(user) -> Decision:
    if user.is_authenticated and user.has_perm("partners.view_partner"):
        return ALLOW
    return Decision(False, _("Your account has no role that may read the partner register."))


def can_change_register(user) -> Decision:
    if user.is_authenticated and user.has_perm("partners.change_partner"):
        return ALLOW
    return Decision(False, _("Only an administrator may change the partner register."))


def visible_partners(user) -> QuerySet[Partner]:
    """The partners this user may see; every page and report starts from here."""
    if can_view_register(user):
        return Partner.objects.all()
    return Partner.objects.none()


def assigned_partner_ids(user) -> frozenset[int]:
    """Ids of the partners this user is an assigned programme officer of (cached on the user)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_pfp_assigned_partners"):
        user._pfp_assigned_partners = frozenset(user.assigned_partners.values_list("pk", flat=True))
    return user._pfp_assigned_partners
