"""Reminders to the programme officers, run by the worker when the schedule says
(``PFP_SCHEDULE``): agreed programmes of their partners that end within twelve months with no
successor (monthly), their partners' events past their last day with no outcome recorded, the
years of their programmes in force that are over without an annual review (monthly), and the
versions NATO approved that have awaited the partner's acceptance for more than
``AWAITING_PARTNER_DAYS`` days (once per approval).

Each reminder is a message of the outbox whose key names its occasion: a programme once per
month while it stays without a successor, a review due once a month, an event once. A reminder's task run again, or by two
schedulers, writes nothing more. Each officer reads it in their language, at once or in their
digest, as they chose (``pfp.outbox.preferences``: kinds ``reminder.ending``,
``reminder.outcome``, ``reminder.awaiting``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from partners.permissions import assigned_partner_ids
from pfp.middleware import saved_language
from pfp.outbox import sending as outbox
from pfp.outbox.models import Message
from pfp.roles import Role
from programmes.dashboard import awaiting_agreement, ending_without_successor
from programmes.delivery.queries import events_without_outcome, reviews_due_for

# After how many days a version approved by NATO and not yet accepted by the partner is reminded.
AWAITING_PARTNER_DAYS = 14


def officers():
    """The active programme officers with an address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.PROGRAMME_OFFICER)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )


def _remind(officer, *, key: str, kind: str, subject: str, template: str, context: dict) -> bool:
    """Write the reminder unless its occasion was reminded of already; say whether it was."""
    if Message.objects.filter(key=key).exists():
        return False
    language = saved_language(officer) or settings.LANGUAGE_CODE
    with translation.override(language):
        text = _(subject) % context["subject_values"]
        body = render_to_string(template, context)
    message = outbox.queue(
        key=key,
        kind=kind,
        recipient=officer,
        address=officer.email,
        language=language,
        subject=text,
        body=body,
    )
    return message is not None


def _officers_with_partners():
    """Each active officer with an address who is assigned partners, with their ids."""
    for officer in officers():
        partners = assigned_partner_ids(officer)
        if partners:
            yield officer, partners


def _about(programme, **values) -> dict:
    """A reminder's context about ``programme``: its page and its name in the subject (with the
    subject's other ``values``)."""
    return {
        "programme": programme,
        "url": settings.SITE_URL + programme.get_absolute_url(),
        "subject_values": {"programme": f"{programme.partner} {programme.period}", **values},
    }


def remind_ending_programmes(*, today: datetime.date | None = None) -> int:
    """Each officer, of each agreed programme of their partners ending within twelve months
    with no successor: once a month."""
    today = today or timezone.localdate()
    month = today.strftime("%Y-%m")
    written = 0
    for officer, partners in _officers_with_partners():
        for programme in ending_without_successor(officer, today).filter(partner__in=partners):
            written += _remind(
                officer,
                key=f"reminder.ending:{programme.pk}:{officer.pk}:{month}",
                kind="reminder.ending",
                subject=gettext_noop("[PFP] Ends within a year with no successor: %(programme)s"),
                template="email/reminder_ending.txt",
                context=_about(programme),
            )
    return written


def remind_events_without_outcome(*, today: datetime.date | None = None) -> int:
    """Each officer, of each event of their partners whose last day is past and whose outcome
    nobody recorded: once per event."""
    today = today or timezone.localdate()
    written = 0
    for officer in officers():
        for event in events_without_outcome(officer, today):
            written += _remind(
                officer,
                key=f"reminder.outcome:{event.pk}:{officer.pk}",
                kind="reminder.outcome",
                subject=gettext_noop("[PFP] What happened at %(event)s?"),
                template="email/reminder_outcome.txt",
                context={
                    "event": event,
                    "url": settings.SITE_URL
                    + reverse("programmes:event_detail", kwargs={"pk": event.pk}),
                    "subject_values": {"event": f"{event.activity} ({event.partner})"},
                },
            )
    return written


def remind_reviews_due(*, today: datetime.date | None = None) -> int:
    """Each officer, of each year of their partners' programmes in force that is over without a
    submitted or acknowledged annual review: once a month while it is due."""
    today = today or timezone.localdate()
    month = today.strftime("%Y-%m")
    written = 0
    for officer in officers():
        for due in reviews_due_for(officer, today):
            programme = due.programme
            written += _remind(
                officer,
                key=f"reminder.review:{programme.lineage}:{due.year}:{officer.pk}:{month}",
                kind="reminder.review",
                subject=gettext_noop("[PFP] Annual review due: %(programme)s, %(year)s"),
                template="email/reminder_review.txt",
                context={**_about(programme, year=due.calendar_year), "due": due},
            )
    return written


def remind_awaiting_partner(*, today: datetime.date | None = None) -> int:
    """Each officer, of each version of their partners that NATO approved more than
    ``AWAITING_PARTNER_DAYS`` days ago and the partner has neither accepted nor declined: once
    per approval (approved again after a decline, it is a new occasion)."""
    today = today or timezone.localdate()
    approved_before = timezone.make_aware(
        datetime.datetime.combine(
            today - datetime.timedelta(days=AWAITING_PARTNER_DAYS), datetime.time()
        )
    )
    written = 0
    for officer, partners in _officers_with_partners():
        waiting = awaiting_agreement(officer).filter(
            partner__in=partners, approved_at__lt=approved_before
        )
        for programme in waiting:
            days = (today - timezone.localtime(programme.approved_at).date()).days
            written += _remind(
                officer,
                key=(
                    f"reminder.awaiting:{programme.pk}:"
                    f"{programme.approved_at.isoformat(timespec='seconds')}:{officer.pk}"
                ),
                kind="reminder.awaiting",
                subject=gettext_noop("[PFP] Awaiting the partner's acceptance: %(programme)s"),
                template="email/reminder_awaiting.txt",
                context={**_about(programme), "days": days},
            )
    return written


@task
def send_awaiting_reminders() -> int:
    return remind_awaiting_partner()


@task
def send_review_reminders() -> int:
    return remind_reviews_due()


@task
def send_ending_reminders() -> int:
    return remind_ending_programmes()


@task
def send_outcome_reminders() -> int:
    return remind_events_without_outcome()
