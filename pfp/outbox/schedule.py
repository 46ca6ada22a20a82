"""Periodic tasks without a human: ``settings.PFP_SCHEDULE`` names each task and how often it
runs; ``manage.py run_schedule`` (started beside the worker) enqueues each one once per occasion.

An occasion is the period a run stands for (the minute, the day, the ISO week, the month, in the
site's time zone); a run is due once the period has begun and its time of day (``at``) has come.
The ``ScheduledRun`` row for the pair (name, occasion) is unique, so schedulers on several
machines, or one restarted, enqueue each occasion once.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

logger = logging.getLogger(__name__)

PERIODS = {"minute", "hour", "day", "week", "month"}


def occasion(every: str, at: str, now: datetime.datetime) -> str | None:
    """The occasion due at ``now`` for a task run ``every`` period at ``at`` (``HH:MM``), or
    None before that time of day."""
    local = timezone.localtime(now)
    if every == "minute":
        return local.strftime("%Y-%m-%dT%H:%M")
    if every == "hour":
        return local.strftime("%Y-%m-%dT%H")
    hour, minute = (int(part) for part in (at or "00:00").split(":"))
    if (local.hour, local.minute) < (hour, minute):
        return None
    if every == "day":
        return local.date().isoformat()
    if every == "week":
        # The week is the occasion: a run missed on Monday (the scheduler was down) still
        # happens later that week, once.
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    if every == "month":
        return local.strftime("%Y-%m")
    raise ValueError(f"Unknown period {every!r}: one of {sorted(PERIODS)}")


def run_due(*, now: datetime.datetime | None = None) -> list[str]:
    """Enqueue every scheduled task whose occasion has come and was not enqueued yet."""
    now = now or timezone.now()
    enqueued = []
    for name, entry in settings.PFP_SCHEDULE.items():
        due = occasion(entry["every"], entry.get("at", ""), now)
        if due is None:
            continue
        try:
            with transaction.atomic():
                ScheduledRun.objects.create(name=name, occasion=due, enqueued_at=now)
                task: Task = import_string(entry["task"])
                transaction.on_commit(task.enqueue)
        except IntegrityError:
            continue  # this occasion was enqueued already (here or by another scheduler)
        logger.info("Scheduled %s for %s", name, due)
        enqueued.append(f"{name} {due}")
    return enqueued


def prune(*, now: datetime.datetime | None = None, keep=datetime.timedelta(days=40)) -> int:
    """Forget runs older than ``keep`` (their occasions are past: none can come again)."""
    now = now or timezone.now()
    return ScheduledRun.objects.filter(enqueued_at__lt=now - keep).delete()[0]
