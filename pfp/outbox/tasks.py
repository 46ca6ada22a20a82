"""The outbox's tasks, run by the worker (``manage.py db_worker``)."""

from django.tasks import task

from . import sending


@task
def send_message(message_id: int) -> str:
    return sending.deliver(message_id)


@task
def sweep_outbox() -> dict:
    return sending.sweep()
