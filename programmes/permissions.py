"""Who may read, draft, review and comment on programmes, and which programmes a user sees.

The four-eyes rule (``drafted``, ``can_approve``) lives here; ``programmes.workflow`` asks these
functions before every step, and so do the views, templates and the admin.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from partners.permissions import (
    assigned_partner_ids,
    is_representative,
    represented_partner_id,
    visible_partners,
)
from pfp.permissions import ALLOW, Decision, is_administrator, is_approver, roles_of
from pfp.roles import Role
from programmes.models import Comment, Document, Programme


def can_view_programmes(user) -> Decision:
    if user.is_authenticated and user.has_perm("programmes.view_programme"):
        return ALLOW
    return Decision(False, _("Your account has no role that may read programmes."))


def can_view_across_partners(user) -> Decision:
    """Pages about many partners at once (the reports across partners, the imports of events):
    NATO staff who read programmes, never a partner's representative."""
    if is_representative(user):
        return Decision(
            False, _("A partner's representative reads the pages of their own partner only.")
        )
    return can_view_programmes(user)


def visible_programmes(user) -> QuerySet[Programme]:
    """The programmes this user may see: those of the partners the user may see; for a
    partner's representative, only the versions shared with the partner (submitted onward, or
    drafts an officer shared)."""
    if not can_view_programmes(user):
        return Programme.objects.none()
    programmes = Programme.objects.filter(partner__in=visible_partners(user))
    if is_representative(user):
        programmes = programmes.shared_with_partner()
    return programmes


def visible_comments(user) -> QuerySet[Comment]:
    """The comments this user reads, on the programmes they see: all of them for NATO staff,
    the shared ones for the partner's representatives."""
    comments = Comment.objects.filter(programme__in=visible_programmes(user))
    if is_representative(user):
        return comments.shared()
    return comments


def represents(user, partner: Partner) -> bool:
    """Whether ``user`` is a representative of ``partner``."""
    return partner.pk is not None and represented_partner_id(user) == partner.pk


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
    if represents(user, programme.partner) and programme.shared_with_partner:
        return ALLOW
    return Decision(
        False,
        _(
            "Only the partner's programme officers, its representatives and approvers comment "
            "on programmes."
        ),
    )


def comment_audience_chosen(user, programme: Programme) -> bool:
    """Whether ``user`` chooses who reads a comment on ``programme``: NATO staff, on a version
    the partner has been shown (a representative's comments are always shared; on a version
    not shared yet, comments are internal)."""
    return programme.shared_with_partner and not is_representative(user)


def can_share(user, programme: Programme) -> Decision:
    """Share a draft with the partner's representatives before it is submitted: its drafters."""
    return can_draft_for(user, programme.partner)


def can_accept(user, programme: Programme) -> Decision:
    """Accept or decline, for the partner, a version NATO approved: a representative of that
    partner (never NATO staff: their side is the approval)."""
    if not is_representative(user):
        return Decision(False, _("Only the partner's representatives accept for the partner."))
    if not represents(user, programme.partner):
        return Decision(
            False,
            _("You are not a representative of %(partner)s.") % {"partner": programme.partner},
        )
    return ALLOW


def visible_documents(user) -> QuerySet[Document]:
    """The documents this user may read (and download): those of the versions they see; for a
    partner's representatives, the shared ones only."""
    documents = Document.objects.filter(programme__in=visible_programmes(user))
    if is_representative(user):
        return documents.shared()
    return documents


def can_attach(user, programme: Programme) -> Decision:
    """Attach a document to a version (or supersede one): its drafters, approvers, and the
    partner's representatives on a version shared with them."""
    if can_draft_for(user, programme.partner) or is_approver(user):
        return ALLOW
    if represents(user, programme.partner) and programme.shared_with_partner:
        return ALLOW
    return Decision(
        False,
        _(
            "Only the partner's programme officers, its representatives and approvers attach "
            "documents."
        ),
    )
