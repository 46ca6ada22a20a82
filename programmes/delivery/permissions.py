"""Who records delivery and reviews, who acknowledges reviews, and what each user sees of them.

Recording follows drafting: the partner's assigned programme officers (and administrators);
acknowledging follows approving: an approver who did not write or submit the review. Reading
follows the programmes: whoever may see a partner's programmes sees their delivery.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from partners.permissions import assigned_partner_ids, visible_partners
from pfp.permissions import ALLOW, Decision, is_administrator, is_approver, roles_of
from pfp.roles import Role
from programmes.delivery.models import AnnualReview, Event
from programmes.permissions import can_view_programmes


def visible_events(user) -> QuerySet[Event]:
    if can_view_programmes(user):
        return Event.objects.filter(partner__in=visible_partners(user))
    return Event.objects.none()


def visible_reviews(user) -> QuerySet[AnnualReview]:
    if can_view_programmes(user):
        return AnnualReview.objects.filter(partner__in=visible_partners(user))
    return AnnualReview.objects.none()


def can_record_for(user, partner: Partner) -> Decision:
    """Record and correct events, and write and submit annual reviews, for ``partner``."""
    if is_administrator(user):
        return ALLOW
    if Role.PROGRAMME_OFFICER not in roles_of(user):
        return Decision(False, _("Only programme officers record delivery."))
    if partner.pk not in assigned_partner_ids(user):
        return Decision(
            False,
            _("You are not an assigned programme officer of %(partner)s.") % {"partner": partner},
        )
    return ALLOW


def wrote(user, review: AnnualReview) -> bool:
    """Whether ``user`` created, edited or submitted this review (the four-eyes rule)."""
    if user.pk in (review.created_by_id, review.submitted_by_id):
        return True
    # From the writers prefetched, when they are (``acknowledge_reviews``).
    return any(writer.pk == user.pk for writer in review.writers.all())


def can_acknowledge(user, review: AnnualReview) -> Decision:
    """Acknowledge or return a submitted review: an approver who did not write it."""
    if not is_approver(user):
        return Decision(False, _("Only approvers acknowledge annual reviews."))
    if wrote(user, review):
        return Decision(
            False,
            _("You wrote or submitted this review: another approver must acknowledge it."),
        )
    return ALLOW
