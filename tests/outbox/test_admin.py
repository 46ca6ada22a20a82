"""The outbox in the admin: administrators see every e-mail with its status and error, and
give failed ones a new series of tries; the admin's log names who did."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from pfp.outbox.models import Message

S = Message.Status


def message(key: str, status: str, **fields) -> Message:
    return Message.objects.create(
        key=key,
        kind="programme.submitted",
        address=f"{key}@example.org",
        language="en",
        subject=f"Subject {key}",
        body="Body",
        status=status,
        **fields,
    )


@pytest.mark.django_db
def test_administrators_see_the_outbox_with_the_error(client_as, administrator):
    message("refused", S.FAILED, tries=8, last_error="SMTPServerDisconnected: closed")
    page = client_as(administrator).get(reverse("admin:outbox_message_changelist"))
    assert page.status_code == 200
    assert "refused@example.org" in page.text
    detail = client_as(administrator).get(
        reverse("admin:outbox_message_change", args=[Message.objects.get().pk])
    )
    assert "SMTPServerDisconnected: closed" in detail.text


@pytest.mark.django_db
def test_retry_gives_failed_messages_new_tries_and_leaves_the_others(
    client_as, administrator, queue_and_relay, django_capture_on_commit_callbacks
):
    failed = message("failed", S.FAILED, tries=8, last_error="refused")
    sent = message("sent", S.SENT, tries=1, sent_at=failed.created_at)
    with django_capture_on_commit_callbacks() as callbacks:
        answer = client_as(administrator).post(
            reverse("admin:outbox_message_changelist"),
            {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )
    assert "1 failed e-mail will be sent again." in answer.text
    failed.refresh_from_db()
    sent.refresh_from_db()
    assert (failed.status, failed.tries) == (S.PENDING, 0)
    assert (sent.status, sent.tries) == (S.SENT, 1)
    assert len(callbacks) == 1  # its sending, enqueued after the commit
    (entry,) = LogEntry.objects.filter(object_id=str(failed.pk))
    assert entry.user == administrator
