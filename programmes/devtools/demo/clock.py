"""The demo's clock: the days in the demo's past on which the programmes' steps are dated.

``programmes.workflow`` dates every step and its history rows with the time it runs at. Seeding
a made-up history at one moment would show programmes approved after the partner agreed to
them; so the demo runs each step through the workflow as it is, then moves what the step
recorded to a plausible day (drafted, submitted, approved, agreed, in that order) with explicit
updates of the rows: the programme's and comments' timestamps and the history rows'
``history_date``. The workflow itself is not touched.

Used by ``programmes.devtools.demo.programmes`` only.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from django.db.models import Max
from django.utils import timezone

from programmes.models import Comment, Goal, Objective, PlannedActivity, Programme

# What the workflow's steps record and date: these models' rows and their history rows.
DATED_MODELS = (Programme, Objective, Goal, PlannedActivity, Comment)
# Of those, the ones whose own rows carry timestamps (``created_at``, ``submitted_at``...).
STAMPED_MODELS = (Programme, Comment)

MINUTE = datetime.timedelta(minutes=1)


class DemoClock:
    """Dates the workflow steps run in a ``dating`` block on a day of the demo's past.

    Within a block, each moment a step records (a timestamp such as ``submitted_at``, or a
    history row) becomes a minute after the one before, from the block's hour, in the order the
    steps recorded them; rows recorded at one moment (a bulk insert) keep one moment.
    """

    def __init__(self, *, today: datetime.date):
        self.today = today

    def days_ago(self, days: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days)

    @contextmanager
    def dating(self, day: datetime.date, *, hour: int = 9, unrecorded: int = 0) -> Iterator[None]:
        """Run the block's workflow steps, then date what they recorded on ``day`` (never
        after today) from ``hour``, the first moment one minute after the hour.

        ``unrecorded``: the minutes to leave before the first moment, for the times the steps
        read the clock without recording it (see ``programmes.devtools.demo.programmes``).
        """
        marks = {model: _last_history_id(model) for model in DATED_MODELS}
        began = timezone.now()
        yield
        ended = timezone.now()
        start = timezone.make_aware(
            datetime.datetime.combine(min(day, self.today), datetime.time(hour))
        )
        _redate(marks, began=began, ended=ended, first=start + (unrecorded + 1) * MINUTE)


def _last_history_id(model) -> int:
    return model.history.aggregate(last=Max("history_id"))["last"] or 0


def _datetime_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]


def _redate(
    marks: dict, *, began: datetime.datetime, ended: datetime.datetime, first: datetime.datetime
) -> None:
    """Move every moment recorded between ``began`` and ``ended`` (in the history rows written
    since ``marks``, and in the rows they record) to ``first``, ``first`` + 1 minute, ... in
    the order recorded."""
    rows: list[tuple[type[models.Model], list[models.Model]]] = []
    for model in DATED_MODELS:
        history = model.history.model
        written = list(history._base_manager.filter(history_id__gt=marks[model]))
        rows.append((history, written))
        if model in STAMPED_MODELS:
            pks = {row.id for row in written}
            rows.append((model, list(model._base_manager.filter(pk__in=pks))))
    recorded = sorted(
        {
            value
            for model, objs in rows
            for field in _datetime_fields(model)
            for obj in objs
            if (value := getattr(obj, field.attname)) is not None and began <= value <= ended
        }
    )
    demo_time = {moment: first + n * MINUTE for n, moment in enumerate(recorded)}
    for model, objs in rows:
        changed_objs, changed_fields = [], set()
        for obj in objs:
            fields = [
                field
                for field in _datetime_fields(model)
                if getattr(obj, field.attname) in demo_time
            ]
            for field in fields:
                setattr(obj, field.attname, demo_time[getattr(obj, field.attname)])
            if fields:
                changed_objs.append(obj)
                changed_fields.update(field.name for field in fields)
        if changed_objs:
            model._base_manager.bulk_update(changed_objs, sorted(changed_fields), batch_size=500)
