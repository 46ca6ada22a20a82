"""The outbox on the real queue: a step's messages written with it and sent after its commit,
once; the relay failing and recovering; back-off; failed after N tries and retried; a worker
killed mid-batch and restarted; two workers on one queue."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from pfp.outbox import sending
from pfp.outbox.models import Message
from tests.outbox import relay
from tests.outbox.worker import finished, run_worker, start_worker

S = Message.Status


def queue_messages(count: int, prefix: str = "test") -> list[Message]:
    with transaction.atomic():
        return [
            sending.queue(
                key=f"{prefix}:{n}",
                kind="test",
                recipient=None,
                address=f"person{n}@example.org",
                language="en",
                subject=f"Message {n}",
                body="Hello.",
            )
            for n in range(count)
        ]


@pytest.mark.django_db
def test_a_rolled_back_step_leaves_no_message_and_no_task(queue_and_relay):
    def step_that_fails():
        with transaction.atomic():
            queue_messages(2)
            raise RuntimeError("the step failed after writing its messages")

    with pytest.raises(RuntimeError):
        step_that_fails()
    assert not Message.objects.exists()
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_the_same_key_twice_is_one_message(queue_and_relay, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        first = queue_messages(1)[0]
        again = queue_messages(1)[0]
    assert first.pk == again.pk
    assert Message.objects.count() == 1
    assert len(callbacks) == 1  # one sending enqueued


def test_retry_delay_doubles_up_to_six_hours(settings):
    settings.OUTBOX_RETRY_AFTER = datetime.timedelta(minutes=1)
    delays = [sending.retry_delay(tries) for tries in (1, 2, 3, 20)]
    assert delays[:3] == [datetime.timedelta(minutes=m) for m in (1, 2, 4)]
    assert delays[3] == datetime.timedelta(hours=6)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestOnTheQueue:
    def test_sent_by_the_worker_after_the_commit_not_before(self, queue_and_relay):
        queue_messages(3)
        assert queue_and_relay.accepted == []  # enqueued, waiting for the worker
        assert DBTaskResult.objects.ready().count() == 3
        run_worker()
        assert sorted(m["to"][0] for m in queue_and_relay.accepted) == [
            "person0@example.org",
            "person1@example.org",
            "person2@example.org",
        ]
        assert set(Message.objects.values_list("status", "tries")) == {(S.SENT, 1)}
        assert not Message.objects.filter(sent_at=None).exists()

    def test_a_relay_that_refuses_then_accepts_delivers_once(self, queue_and_relay, settings):
        settings.OUTBOX_RETRY_AFTER = datetime.timedelta(0)  # the next try at once
        queue_and_relay.refusals = 2
        (message,) = queue_messages(1)
        run_worker()
        assert [m["to"] for m in queue_and_relay.accepted] == [[message.address]]
        message.refresh_from_db()
        assert (message.status, message.tries, message.last_error) == (S.SENT, 3, "")
        # Each try was a task of its own, run by the worker.
        assert DBTaskResult.objects.successful().count() == 3

    def test_a_failed_try_waits_its_back_off_then_is_sent(self, queue_and_relay):
        queue_and_relay.refusals = 1
        (message,) = queue_messages(1)
        before = timezone.now()
        run_worker()
        message.refresh_from_db()
        assert (message.status, message.tries) == (S.PENDING, 1)
        assert "Connection unexpectedly closed" in message.last_error
        assert message.next_attempt_at >= before + datetime.timedelta(seconds=59)
        run_worker()  # the next try is not due: nothing happens
        assert queue_and_relay.accepted == []
        later = message.next_attempt_at + datetime.timedelta(seconds=1)
        assert sending.sweep(now=later) == {"released": 0, "sent": 1, "due": 1}
        assert len(queue_and_relay.accepted) == 1
        # The task that was waiting for that time finds the message sent and does nothing.
        assert sending.deliver(message.pk, now=later) == "skipped"

    def test_failed_after_the_last_try_then_retried_by_an_administrator(
        self, queue_and_relay, settings
    ):
        settings.OUTBOX_RETRY_AFTER = datetime.timedelta(0)
        settings.OUTBOX_MAX_TRIES = 3
        queue_and_relay.refusals = 10
        (message,) = queue_messages(1)
        run_worker()
        message.refresh_from_db()
        assert (message.status, message.tries) == (S.FAILED, 3)
        assert queue_and_relay.handed == 3
        assert sending.sweep() == {"released": 0, "sent": 0, "due": 0}  # failed stays failed
        queue_and_relay.refusals = 0
        assert sending.retry(Message.objects.all()) == 1
        run_worker()
        message.refresh_from_db()
        assert (message.status, message.tries) == (S.SENT, 1)
        assert len(queue_and_relay.accepted) == 1

    def test_one_message_given_to_the_queue_twice_is_sent_once(self, queue_and_relay):
        messages = queue_messages(3)
        for message in messages:
            sending.enqueue(message.pk)  # as a sweep racing its own task would
        assert DBTaskResult.objects.ready().count() == 6
        run_worker()
        assert len(queue_and_relay.accepted) == 3
        assert len({m["message_id"] for m in queue_and_relay.accepted}) == 3

    def test_a_worker_killed_mid_batch_and_restarted_loses_and_repeats_nothing(
        self, queue_and_relay, tmp_path, settings, monkeypatch
    ):
        sent_file = tmp_path / "relay.jsonl"
        messages = queue_messages(6)
        # Killed (os._exit) while handing over its third message, before the relay accepted it.
        killed = start_worker(sent_file, "first", PFP_TEST_RELAY_DIE_AT="3")
        assert finished(killed)[0] == 9
        assert len(relay.read(sent_file)) == 2
        stuck = Message.objects.get(status=S.SENDING)
        assert DBTaskResult.objects.running().count() == 1  # the worker's task, never finished
        restarted = start_worker(sent_file, "second")
        assert finished(restarted) == (0, "")
        assert Message.objects.filter(status=S.SENT).count() == 5
        # The message its worker died with: released by the sweep once the claim has expired
        # (not before: its worker might only be slow), then sent.
        assert sending.sweep() == {"released": 0, "sent": 0, "due": 0}
        monkeypatch.setenv("PFP_TEST_RELAY", str(sent_file))
        later = timezone.now() + settings.OUTBOX_CLAIM_TIMEOUT + datetime.timedelta(seconds=1)
        assert sending.sweep(now=later) == {"released": 1, "sent": 1, "due": 1}
        stuck.refresh_from_db()
        assert (stuck.status, stuck.tries) == (S.SENT, 2)
        delivered = [m["message_id"] for m in relay.read(sent_file)]
        assert sorted(delivered) == sorted(sending.message_id_header(m) for m in messages)

    def test_two_workers_on_one_queue_send_each_message_once(self, queue_and_relay, tmp_path):
        sent_file = tmp_path / "relay.jsonl"
        messages = queue_messages(12)
        for message in messages:
            sending.enqueue(message.pk)  # two tasks per message: both workers want each one
        slow = {"PFP_TEST_RELAY_DELAY": "0.05"}
        workers = [start_worker(sent_file, name, **slow) for name in ("one", "two")]
        assert [finished(worker) for worker in workers] == [(0, ""), (0, "")]
        delivered = [m["message_id"] for m in relay.read(sent_file)]
        assert sorted(delivered) == sorted(sending.message_id_header(m) for m in messages)
        assert set(Message.objects.values_list("status", "tries")) == {(S.SENT, 1)}
        assert DBTaskResult.objects.successful().count() == 24
