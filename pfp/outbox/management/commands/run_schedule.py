"""``manage.py run_schedule``: enqueue the scheduled tasks (``settings.PFP_SCHEDULE``) when their
occasion comes; the worker (``manage.py db_worker``) runs them. Safe to run on several machines
(each occasion is enqueued once). ``--once`` checks once and exits (for cron, and tests)."""

import signal
import time

from django.core.management.base import BaseCommand

from pfp.outbox import schedule


class Command(BaseCommand):
    help = "Enqueue the scheduled tasks (settings.PFP_SCHEDULE) once per occasion."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once, then exit.")
        parser.add_argument(
            "--interval", type=float, default=30, help="Seconds between checks (default 30)."
        )

    def handle(self, *args, once=False, interval=30, **options):
        schedule.prune()
        if once:
            self._check()
            return
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        while True:
            self._check()
            time.sleep(max(interval, 1))

    def _check(self):
        for run in schedule.run_due():
            self.stdout.write(f"Enqueued {run}")

    def _stop(self, signum, frame):
        raise SystemExit(0)
