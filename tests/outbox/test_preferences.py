"""Preferences per kind of message, and the daily and weekly digests that gather what a user
chose to receive in one: per user, in the user's language, once per occasion."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from pfp.outbox import preferences, sending
from pfp.outbox.digests import send_digests
from pfp.outbox.models import Delivery, Message, Preference
from programmes.models import ProgrammeStatus as S
from tests.support.factories import programme_in_status

St = Message.Status


def held_for(user) -> list[str]:
    return list(
        Message.objects.filter(recipient=user, status=St.HELD).values_list("kind", flat=True)
    )


@pytest.mark.django_db
class TestThePage:
    def test_the_account_page_links_to_the_choices(self, client_as, officer):
        page = client_as(officer).get(reverse("account"))
        assert reverse("outbox:preferences") in page.text

    def test_each_role_is_offered_the_kinds_it_receives(self, officer, approver, viewer):
        assert "programme.submitted" in dict(preferences.kinds_for(approver))
        assert "programme.submitted" not in dict(preferences.kinds_for(officer))
        assert "reminder.ending" in dict(preferences.kinds_for(officer))
        assert preferences.kinds_for(viewer) == []

    def test_choices_are_saved_and_shown_in_french(self, client_as, officer):
        officer.language = "fr"
        officer.save(update_fields=["language"])
        client = client_as(officer)
        page = client.get(reverse("outbox:preferences"))
        assert "Dans un résumé quotidien" in page.text
        answer = client.post(
            reverse("outbox:preferences"),
            {kind: "at_once" for kind, _label in preferences.kinds_for(officer)}
            | {"programme.approved": "weekly", "programme.returned": "never"},
        )
        assert answer.status_code == 302
        assert preferences.chosen(officer)["programme.approved"] == "weekly"
        assert preferences.chosen(officer)["programme.returned"] == "never"

    def test_defaults_workflow_messages_at_once_reminders_in_the_daily_digest(self, officer):
        choices = preferences.chosen(officer)
        assert choices["programme.returned"] == "at_once"
        assert choices["reminder.outcome"] == "daily"
        assert preferences.delivery_for(officer, "programme.accepted") == "at_once"  # unlisted

    def test_a_kind_outside_ones_roles_or_a_wrong_choice_is_refused(self, client_as, officer):
        client = client_as(officer)
        answer = client.post(reverse("outbox:preferences"), {"programme.approved": "hourly"})
        assert answer.status_code == 200  # the form again, with the error
        preferences.save(actor=officer, choices={"programme.submitted": "never"})
        assert not Preference.objects.exists()


@pytest.mark.django_db
class TestDelivery:
    def test_never_writes_nothing_and_a_digest_holds_the_message(
        self, partner, drafter, approver, django_capture_on_commit_callbacks
    ):
        preferences.save(actor=approver, choices={"programme.submitted": "never"})
        preferences.save(actor=drafter, choices={"programme.approved": "daily"})
        with django_capture_on_commit_callbacks(execute=True):
            programme_in_status(S.APPROVED, officer=drafter, approver=approver, partner=partner)
        assert not Message.objects.filter(kind="programme.submitted").exists()
        assert held_for(drafter) == ["programme.approved"]
        assert mail.outbox == []  # nothing sent at once

    def test_digests_gather_per_user_in_each_ones_language_once_per_occasion(
        self, partner, drafter, approver, drafting_approver, django_capture_on_commit_callbacks
    ):
        drafter.language = "fr"
        drafter.save(update_fields=["language"])
        for user, kind in [(drafter, "programme.approved"), (drafter, "programme.returned")]:
            preferences.save(actor=user, choices={kind: "daily"})
        preferences.save(actor=approver, choices={"programme.submitted": "weekly"})
        with django_capture_on_commit_callbacks(execute=True):
            programme = programme_in_status(
                S.RETURNED, officer=drafter, approver=approver, partner=partner
            )
            from programmes import workflow

            workflow.submit(actor=drafter, programme=programme)
            workflow.approve(actor=drafting_approver, programme=programme)
        assert sorted(held_for(drafter)) == ["programme.approved", "programme.returned"]
        assert held_for(approver) == ["programme.submitted", "programme.submitted"]
        mail.outbox.clear()
        now = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests(Delivery.DAILY, now=now) == 1  # the drafter's: the weekly waits
        (daily,) = mail.outbox
        assert daily.to == [drafter.email]
        assert daily.subject == "[PFP] Votre résumé du jour\u00a0: 2 messages"
        assert "Programme renvoyé" in daily.body
        assert "Programme approuvé" in daily.body
        assert not held_for(drafter)
        # Run again on the same day: nothing more (held messages are gone, the key is taken).
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests(Delivery.DAILY, now=now) == 0
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests(Delivery.WEEKLY, now=now) == 1
        assert [m.to for m in mail.outbox[1:]] == [[approver.email]]
        assert "2 messages" in mail.outbox[1].subject
        gathered = Message.objects.filter(in_digest__isnull=False)
        assert set(gathered.values_list("status", flat=True)) == {St.SENT}

    def test_a_user_who_left_gets_no_digest(self, officer, django_capture_on_commit_callbacks):
        preferences.save(actor=officer, choices={"programme.approved": "daily"})
        sending.queue(
            key="k",
            kind="programme.approved",
            recipient=officer,
            address=officer.email,
            language="en",
            subject="s",
            body="b",
        )
        type(officer).objects.filter(pk=officer.pk).update(is_active=False)
        tomorrow = timezone.now() + datetime.timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            assert send_digests(Delivery.DAILY, now=tomorrow) == 0
        assert mail.outbox == []
        assert Message.objects.get().status == St.FAILED
