"""Writing e-mails to the outbox and sending them, at most one worker per message.

``queue`` writes a message in the caller's transaction and enqueues its sending for after the
commit (``pfp.outbox.tasks.send_message``): a step rolled back leaves no message and sends
nothing. ``deliver`` claims the row with one conditional ``UPDATE`` (*pending* and due →
*sending*: of several workers given the same message, one wins and the others do nothing),
hands it to the relay, then marks it *sent*; when the relay fails, the message goes back to
*pending* with the error and a later attempt (doubling from ``OUTBOX_RETRY_AFTER``), and to
*failed* after ``OUTBOX_MAX_TRIES``, where an administrator may retry it (``retry``).

``sweep`` (every minute, from the schedule) sends what no task is coming for: messages whose
enqueueing was lost, and messages left *sending* by a worker that died, once
``OUTBOX_CLAIM_TIMEOUT`` has passed (longer than the relay's own timeout, so a slow relay is
never mistaken for a dead worker). Such a message is sent again: the relay had not accepted it
unless the worker died in the instant between the relay's answer and the ``UPDATE`` that follows
it, and then the copy carries the same ``Message-ID`` (derived from the key), which mail clients
recognise as the same message.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import preferences
from .models import Delivery, Message

logger = logging.getLogger(__name__)

S = Message.Status


def queue(
    *, key: str, kind: str, recipient, address: str, language: str, subject: str, body: str
) -> Message | None:
    """The message with this ``key``, written now unless it already was; sent after the commit,
    or held for the recipient's digest, or not written at all, as the recipient chose for its
    kind (``pfp.outbox.preferences``)."""
    delivery = preferences.delivery_for(recipient, kind)
    if delivery == Delivery.NEVER:
        return None
    held = delivery in {Delivery.DAILY, Delivery.WEEKLY}
    message, created = Message.objects.get_or_create(
        key=key[:200],
        defaults={
            "kind": kind,
            "recipient": recipient,
            "address": address,
            "language": language,
            "subject": subject[:300],
            "body": body,
            "status": S.HELD if held else S.PENDING,
            "digest": delivery if held else "",
        },
    )
    if created and not held:
        transaction.on_commit(partial(enqueue, message.pk), robust=True)
    return message


def enqueue(message_id: int, run_after: datetime | None = None) -> None:
    """Give the message to the task queue (a backend without ``run_after`` leaves a later
    attempt to the sweep)."""
    from .tasks import send_message

    if run_after is None:
        send_message.enqueue(message_id)
    elif send_message.get_backend().supports_defer:
        send_message.using(run_after=run_after).enqueue(message_id)


def message_id_header(message: Message) -> str:
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<{digest}@{domain}>"


def retry_delay(tries: int) -> timedelta:
    """After the n-th failed try: OUTBOX_RETRY_AFTER, doubled each time, at most 6 hours."""
    first = settings.OUTBOX_RETRY_AFTER
    return min(first * 2 ** max(tries - 1, 0), timedelta(hours=6))


def deliver(message_id: int, *, now: datetime | None = None) -> str:
    """Send the message if it is pending and due, once; say what became of it."""
    now = now or timezone.now()
    claimed = Message.objects.filter(
        pk=message_id, status=S.PENDING, next_attempt_at__lte=now
    ).update(status=S.SENDING, claimed_at=now, tries=F("tries") + 1)
    if not claimed:
        return "skipped"
    message = Message.objects.get(pk=message_id)
    email = EmailMessage(
        subject=message.subject,
        body=message.body,
        to=[message.address],
        headers={"Message-ID": message_id_header(message)},
    )
    try:
        if not mailers.default.send_messages([email]):
            raise RuntimeError("The relay accepted no message.")
    except Exception as error:
        return _failed(message, error, now)
    Message.objects.filter(pk=message.pk, status=S.SENDING, claimed_at=now).update(
        status=S.SENT, sent_at=timezone.now(), last_error=""
    )
    return S.SENT


def _failed(message: Message, error: Exception, now: datetime) -> str:
    text = f"{type(error).__name__}: {error}"[:2000]
    if message.tries >= settings.OUTBOX_MAX_TRIES:
        status, next_attempt = S.FAILED, now
        logger.error("E-mail %s failed after %s tries: %s", message.pk, message.tries, text)
    else:
        status, next_attempt = S.PENDING, now + retry_delay(message.tries)
        logger.warning("E-mail %s not sent (try %s): %s", message.pk, message.tries, text)
    Message.objects.filter(pk=message.pk, status=S.SENDING, claimed_at=now).update(
        status=status, last_error=text, next_attempt_at=next_attempt, claimed_at=None
    )
    if status == S.PENDING:
        enqueue(message.pk, run_after=next_attempt)
    return status


def sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Release messages a dead worker left *sending*, then send the pending ones that are due
    and were not sent by their own task (at most ``OUTBOX_SWEEP_LIMIT`` per run)."""
    now = now or timezone.now()
    released = Message.objects.filter(
        status=S.SENDING, claimed_at__lt=now - settings.OUTBOX_CLAIM_TIMEOUT
    ).update(
        status=S.PENDING,
        claimed_at=None,
        next_attempt_at=now,
        last_error="The worker stopped while sending it.",
    )
    due = list(
        Message.objects.filter(status=S.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[: settings.OUTBOX_SWEEP_LIMIT]
    )
    outcomes = [deliver(pk, now=now) for pk in due]
    return {"released": released, "sent": outcomes.count(S.SENT), "due": len(due)}


def retry(messages) -> int:
    """Give failed messages (a queryset) a new series of tries, sent after the commit."""
    with transaction.atomic():
        ids = list(messages.filter(status=S.FAILED).values_list("pk", flat=True))
        Message.objects.filter(pk__in=ids, status=S.FAILED).update(
            status=S.PENDING, tries=0, next_attempt_at=timezone.now()
        )
        for pk in ids:
            transaction.on_commit(partial(enqueue, pk), robust=True)
    return len(ids)
