"""Who may do what: the one place that decides.

Views (through ``pfp.views.PermissionMixin``), templates (through the ``navigation`` context
processor) and the admin ask these functions; none of them checks a group or a permission by
itself. Each rule returns a ``Decision`` that is truthy when allowed and carries the reason when
it is not, so a refusal can be explained to the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from programmes.models import Programme

from .roles import Role


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True)


def roles_of(user) -> set[str]:
    """The user's role names (``Role`` values); administrators are superusers, not a group."""
    if not user.is_authenticated or not user.is_active:
        return set()
    if not hasattr(user, "_pfp_roles"):
        user._pfp_roles = set(user.groups.values_list("name", flat=True)) & set(Role.values)
    return user._pfp_roles


def is_administrator(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


def can_view_register(user) -> Decision:
    if user.is_authenticated and user.has_perm("partners.view_partner"):
        return ALLOW
    return Decision(False, _("Your account has no role that may read the partner register."))


def can_change_register(user) -> Decision:
    if user.is_authenticated and user.has_perm("partners.change_partner"):
        return ALLOW
    return Decision(False, _("Only an administrator may change the partner register."))


def can_use_admin_site(user) -> Decision:
    if is_administrator(user) and user.is_staff:
        return ALLOW
    return Decision(False, _("Only administrators use the admin site."))


def can_view_menu(user) -> Decision:
    if user.is_authenticated and user.has_perm("programmes.view_activity"):
        return ALLOW
    return Decision(False, _("Your account has no role that may read the cooperation menu."))


def can_edit_menu(user) -> Decision:
    """Create, edit, retire and import activities: menu managers and administrators."""
    if user.is_authenticated and user.has_perms(
        ["programmes.add_activity", "programmes.change_activity", "programmes.add_menuimport"]
    ):
        return ALLOW
    return Decision(False, _("Only menu managers may change the cooperation menu."))


def visible_partners(user) -> QuerySet[Partner]:
    """The partners this user may see; every page and report starts from here."""
    if can_view_register(user):
        return Partner.objects.all()
    return Partner.objects.none()


def can_view_programmes(user) -> Decision:
    if user.is_authenticated and user.has_perm("programmes.view_programme"):
        return ALLOW
    return Decision(False, _("Your account has no role that may read programmes."))


def visible_programmes(user) -> QuerySet[Programme]:
    """The programmes this user may see: those of the partners the user may see."""
    if can_view_programmes(user):
        return Programme.objects.filter(partner__in=visible_partners(user))
    return Programme.objects.none()


def assigned_partner_ids(user) -> frozenset[int]:
    """Ids of the partners this user is an assigned programme officer of (cached on the user)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_pfp_assigned_partners"):
        user._pfp_assigned_partners = frozenset(user.assigned_partners.values_list("pk", flat=True))
    return user._pfp_assigned_partners


def is_approver(user) -> bool:
    return is_administrator(user) or Role.APPROVER in roles_of(user)


def can_draft_for(user, partner: Partner) -> Decision:
    """Draft, edit, submit, revise and withdraw programmes of ``partner``."""
    if is_administrator(user):
        return ALLOW
    if Role.PROGRAMME_OFFICER not in roles_of(user):
        return Decision(False, _("Only programme officers draft programmes."))
    if partner.pk not in assigned_partner_ids(user):
        return Decision(
            False,
            _("You are not an assigned programme officer of %(partner)s.") % {"partner": partner},
        )
    return ALLOW


def can_draft_any(user) -> Decision:
    """Whether the user may start a programme for at least one partner."""
    if is_administrator(user) or (
        Role.PROGRAMME_OFFICER in roles_of(user) and assigned_partner_ids(user)
    ):
        return ALLOW
    return Decision(False, _("You are not an assigned programme officer of any partner."))


def draftable_partners(user) -> QuerySet[Partner]:
    if is_administrator(user):
        return Partner.objects.all()
    if Role.PROGRAMME_OFFICER in roles_of(user):
        return Partner.objects.filter(pk__in=assigned_partner_ids(user))
    return Partner.objects.none()


def can_review(user) -> Decision:
    """Return, approve, record agreements and close: approvers (and administrators)."""
    if is_approver(user):
        return ALLOW
    return Decision(False, _("Only approvers review programmes."))


def drafted(user, programme: Programme) -> bool:
    """Whether ``user`` created, edited or submitted this version (the four-eyes rule)."""
    if user.pk in (programme.created_by_id, programme.submitted_by_id):
        return True
    return programme.editors.filter(pk=user.pk).exists()


def can_approve(user, programme: Programme) -> Decision:
    decision = can_review(user)
    if not decision:
        return decision
    if drafted(user, programme):
        return Decision(
            False,
            _("You created, edited or submitted this version: another approver must approve it."),
        )
    return ALLOW


def can_comment(user, programme: Programme) -> Decision:
    if can_draft_for(user, programme.partner) or is_approver(user):
        return ALLOW
    return Decision(
        False, _("Only the partner's programme officers and approvers comment on programmes.")
    )


def navigation_for(user) -> dict[str, bool]:
    """What the navigation bar offers this user."""
    return {
        "partners": bool(can_view_register(user)),
        "menu": bool(can_view_menu(user)),
        "menu_edit": bool(can_edit_menu(user)),
        "programmes": bool(can_view_programmes(user)),
        "review": bool(can_review(user)),
        "admin_site": bool(can_use_admin_site(user)),
    }
