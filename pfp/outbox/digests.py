"""Daily and weekly digests: the messages each user chose to receive in one (held in the
outbox, ``Message.Status.HELD``) gathered into one e-mail per user, in the user's language,
at the time the schedule says (``PFP_SCHEDULE``). A digest's key names its occasion (the day or
the ISO week), so it is written once however often the task runs."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from pfp.middleware import saved_language

from . import sending
from .models import Delivery, Message
from .schedule import occasion

S = Message.Status


def send_digests(period: str, *, now: datetime.datetime | None = None) -> int:
    """Write one digest per user with messages held for ``period`` (daily or weekly)."""
    now = now or timezone.now()
    when = occasion("day" if period == Delivery.DAILY else "week", "", now)
    held = Message.objects.filter(status=S.HELD, digest=period, created_at__lte=now)
    written = 0
    for user_id in held.order_by().values_list("recipient", flat=True).distinct():
        if _digest_for(user_id, period, when, held):
            written += 1
    return written


def _digest_for(user_id, period: str, when: str, held) -> bool:
    key = f"digest.{period}:{user_id}:{when}"
    with transaction.atomic():
        gathered = list(
            held.filter(recipient_id=user_id)
            .select_for_update()
            .select_related("recipient")
            .order_by("created_at", "pk")
        )
        if not gathered or Message.objects.filter(key=key).exists():
            return False  # gathered by another run, or this occasion's digest is written
        user = gathered[0].recipient
        ids = [message.pk for message in gathered]
        if user is None or not user.is_active or not user.email:
            Message.objects.filter(pk__in=ids).update(
                status=S.FAILED, last_error="The recipient has left or has no address."
            )
            return False
        language = saved_language(user) or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = (
                ngettext(
                    "[PFP] Your daily summary: %(count)d message",
                    "[PFP] Your daily summary: %(count)d messages",
                    len(gathered),
                )
                if period == Delivery.DAILY
                else ngettext(
                    "[PFP] Your weekly summary: %(count)d message",
                    "[PFP] Your weekly summary: %(count)d messages",
                    len(gathered),
                )
            ) % {"count": len(gathered)}
            body = render_to_string(
                "email/digest.txt",
                {
                    "period": period,
                    "messages": gathered,
                    "account_url": settings.SITE_URL + reverse("account"),
                },
            )
        digest = sending.queue(
            key=key,
            kind="digest",
            recipient=user,
            address=user.email,
            language=language,
            subject=subject,
            body=body,
        )
        Message.objects.filter(pk__in=ids).update(
            status=S.SENT, sent_at=timezone.now(), in_digest=digest
        )
    return True
