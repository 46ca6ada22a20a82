"""E-mails about programmes: to approvers on submission, to the drafters on return, approval
and agreement. Each recipient reads it in the language they chose for the pages
(``User.language``), else in the site's (``LANGUAGE_CODE``), whoever took the step.

Only ``programmes.workflow`` calls these, inside the step's transaction: each writes its
messages to the outbox (``pfp.outbox``), which the worker sends after the commit, retrying while
the mail server is down; a step rolled back leaves no message. Nobody waits for the mail server.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pfp.middleware import saved_language
from pfp.outbox import sending as outbox
from pfp.roles import Role
from programmes.models import Comment, Programme

logger = logging.getLogger(__name__)


def approvers_for(programme: Programme):
    """The active approvers with an address who may approve this version (not its drafters)."""
    drafters = {programme.created_by_id, programme.submitted_by_id}
    drafters |= set(programme.editors.values_list("pk", flat=True))
    users = (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.APPROVER)
        .exclude(email="")
        .exclude(pk__in=[pk for pk in drafters if pk])
        .order_by("pk")
        .distinct()
    )
    return list(users)


def drafters_of(programme: Programme):
    """Those with an address who created, edited or submitted this version."""
    ids = {programme.created_by_id, programme.submitted_by_id}
    ids |= set(programme.editors.values_list("pk", flat=True))
    users = (
        get_user_model()
        .objects.filter(is_active=True, pk__in=[pk for pk in ids if pk])
        .exclude(email="")
        .order_by("pk")
    )
    return list(users)


def _send(programme_pk: int, template: str, subject: str, recipients_for) -> int:
    """Write one message per recipient to the outbox (so addresses are not disclosed to one
    another), in the caller's transaction; the worker sends them after the commit. Each
    message's key names the step (the programme's latest history row), the recipient and what
    the message says (two comments on one version are two messages), so the same step written
    twice leaves one message each."""
    programme = Programme.objects.select_related(
        "partner", "created_by", "submitted_by", "approved_by"
    ).get(pk=programme_pk)
    recipients = recipients_for(programme)
    if not recipients:
        return 0
    step = programme.history.order_by("-history_id").values_list("history_id", flat=True).first()
    context = {
        "programme": programme,
        "url": settings.SITE_URL + programme.get_absolute_url(),
        "return_comment": programme.comments.filter(kind=Comment.Kind.RETURN)
        .order_by("-created_at", "-pk")
        .first(),
    }
    written = {}  # language -> (subject, body), each written once
    for user in recipients:
        language = saved_language(user) or settings.LANGUAGE_CODE
        if language not in written:
            with translation.override(language):
                written[language] = (
                    subject % {"partner": programme.partner, "period": programme.period},
                    render_to_string(f"programmes/email/{template}.txt", context),
                )
        text, body = written[language]
        outbox.queue(
            key=f"programme.{template}:{programme_pk}:{step}:{user.pk}:{_digest(body)}",
            kind=f"programme.{template}",
            recipient=user,
            address=user.email,
            language=language,
            subject=text,
            body=body,
        )
    return len(recipients)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def submitted(programme_pk: int) -> int:
    return _send(
        programme_pk,
        "submitted",
        _("[PFP] Programme awaiting approval: %(partner)s %(period)s"),
        approvers_for,
    )


def returned(programme_pk: int) -> int:
    return _send(
        programme_pk,
        "returned",
        _("[PFP] Programme returned: %(partner)s %(period)s"),
        drafters_of,
    )


def approved(programme_pk: int) -> int:
    return _send(
        programme_pk,
        "approved",
        _("[PFP] Programme approved: %(partner)s %(period)s"),
        drafters_of,
    )


def agreed(programme_pk: int) -> int:
    return _send(
        programme_pk,
        "agreed",
        _("[PFP] Partner's agreement recorded: %(partner)s %(period)s"),
        drafters_of,
    )


# --- The partner's side ---------------------------------------------------------------------
# Representatives get the messages about what they may read: a version shared with them,
# offered for their acceptance, a comment shared with them; never an internal comment (their
# templates carry no comment text but a shared one's).


def representatives_of(programme: Programme):
    """The partner's active representatives with an address."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.PARTNER_REPRESENTATIVE,
            representative__partner_id=programme.partner_id,
        )
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )
    return list(users)


def drafters_and_approver_of(programme: Programme):
    """The drafters of the version, and the approver who approved it (NATO staff)."""
    users = drafters_of(programme)
    approver = programme.approved_by
    if approver and approver.is_active and approver.email and approver not in users:
        users.append(approver)
    return users


def shared(programme_pk: int) -> int:
    return _send(
        programme_pk,
        "shared",
        _("[PFP] A draft programme shared with you: %(partner)s %(period)s"),
        representatives_of,
    )


def offered(programme_pk: int) -> int:
    return _send(
        programme_pk,
        "offered",
        _("[PFP] Programme awaiting your acceptance: %(partner)s %(period)s"),
        representatives_of,
    )


def accepted(programme_pk: int) -> int:
    return _send(
        programme_pk,
        "accepted",
        _("[PFP] The partner accepted the programme: %(partner)s %(period)s"),
        lambda programme: drafters_and_approver_of(programme) + representatives_of(programme),
    )


def declined(programme_pk: int) -> int:
    return _send(
        programme_pk,
        "declined",
        _("[PFP] The partner declined the programme: %(partner)s %(period)s"),
        drafters_of,
    )


def comment_shared(programme_pk: int, comment_pk: int) -> int:
    """A shared comment, to the other side: the representatives when NATO staff wrote it, the
    drafters when a representative did."""

    def recipients(programme):
        comment = Comment.objects.filter(
            pk=comment_pk, programme=programme, audience=Comment.Audience.SHARED
        ).first()
        if comment is None:
            return []
        if comment.author.groups.filter(name=Role.PARTNER_REPRESENTATIVE).exists():
            return drafters_of(programme)
        return representatives_of(programme)

    return _send(
        programme_pk,
        "comment_shared",
        _("[PFP] A comment on the programme: %(partner)s %(period)s"),
        recipients,
    )


def closed(programme_pk: int) -> int:
    return _send(
        programme_pk,
        "closed",
        _("[PFP] Programme closed: %(partner)s %(period)s"),
        drafters_of,
    )


def withdrawn(programme_pk: int) -> int:
    return _send(
        programme_pk,
        "withdrawn",
        _("[PFP] Programme withdrawn: %(partner)s %(period)s"),
        drafters_of,
    )
