"""The outbox's tasks, run by the worker (``manage.py db_worker``)."""

from django.tasks import task

from . import sending
from .digests import send_digests
from .models import Delivery


@task
def send_message(message_id: int) -> str:
    return sending.deliver(message_id)


@task
def sweep_outbox() -> dict:
    return sending.sweep()


@task
def send_daily_digests() -> int:
    return send_digests(Delivery.DAILY)


@task
def send_weekly_digests() -> int:
    return send_digests(Delivery.WEEKLY)
