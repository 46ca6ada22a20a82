"""Who may read, draft, review and comment on programmes, and which programmes a user sees.

The four-eyes rule (``drafted``, ``can_approve``) lives here; ``programmes.workflow`` asks these
functions before every step, and so do the views, templates and the admin.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from partners.permissions import assigned_partner_ids, visible_partners
from pfp.permissions import ALLOW, Decision, is_administrator, is_approver, roles_of
from pfp.roles import Role
from programmes.models import Programme


def can_view_programmes(user) -> Decision:
    if user.is_authenticated and user.has_perm("programmes.view_programme"):
        return ALLOW
    return Decision(False, _("Your account has no role that may read programmes."))


def visible_programmes(user) -> QuerySet[Programme]:
    """The programmes this user may see: those of the partners the user may see."""
    if can_view_programmes(user):
        return Programme.objects.filter(partner__in=visible_partners(user))
    return Programme.objects.none()


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
