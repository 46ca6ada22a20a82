"""Who may read and change the partner register, and which partners a user sees."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Partner, Representative
from pfp.permissions import ALLOW, Decision


def can_view_register(user) -> Decision:
    if user.is_authenticated and user.has_perm("partners.view_partner"):
        return ALLOW
    return Decision(False, _("Your account has no role that may read the partner register."))


def can_change_register(user) -> Decision:
    if user.is_authenticated and user.has_perm("partners.change_partner"):
        return ALLOW
    return Decision(False, _("Only an administrator may change the partner register."))


def is_representative(user) -> bool:
    """Whether ``user`` holds the partner representative role (its group's permission, read
    with the user's other permissions). The role binds: whatever other group the user is in,
    they see their partner only (and nothing without one). Administrators never hold it."""
    return (
        user.is_authenticated
        and user.is_active
        and not user.is_superuser
        and user.has_perm("partners.represent_partner")
    )


def represented_partner_id(user) -> int | None:
    """The id of the partner ``user`` represents (cached on the user), or None."""
    if not is_representative(user):
        return None
    if not hasattr(user, "_pfp_represented_partner"):
        user._pfp_represented_partner = (
            Representative.objects.filter(user=user).values_list("partner_id", flat=True).first()
        )
    return user._pfp_represented_partner


def visible_partners(user) -> QuerySet[Partner]:
    """The partners this user may see; every page and report starts from here. A partner's
    representative sees that partner alone."""
    if not can_view_register(user):
        return Partner.objects.none()
    if is_representative(user):
        return Partner.objects.filter(pk=represented_partner_id(user))
    return Partner.objects.all()


def assigned_partner_ids(user) -> frozenset[int]:
    """Ids of the partners this user is an assigned programme officer of (cached on the user)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_pfp_assigned_partners"):
        user._pfp_assigned_partners = frozenset(user.assigned_partners.values_list("pk", flat=True))
    return user._pfp_assigned_partners
