"""The demo's clock: the days in the demo's past on which the programmes' steps are dated.

``timezone.now`` reads it while ``programmes.devtools.demo.programmes`` seeds the programmes.
"""

from __future__ import annotations

import datetime

from django.utils import timezone


class DemoClock:
    """The clock ``timezone.now`` reads while the demo is seeded.

    The workflow dates every step and history row with ``timezone.now()``; seeding a made-up
    history at one moment would show programmes approved after the partner agreed to them. This
    clock lets each scenario happen on plausible days (drafted, submitted, approved, agreed, in
    that order) and moves on by a minute at each reading so that steps keep their order.
    """

    def __init__(self, *, today: datetime.date):
        self.today = today
        self._now = self._at(today)

    @staticmethod
    def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    def now(self) -> datetime.datetime:
        self._now += datetime.timedelta(minutes=1)
        return self._now

    def on(self, day: datetime.date, hour: int = 9) -> None:
        """Move the clock to ``day`` (never beyond today)."""
        self._now = self._at(min(day, self.today), hour)

    def days_ago(self, days: int) -> None:
        self.on(self.today - datetime.timedelta(days=days))
