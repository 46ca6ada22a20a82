"""The outbox under load, relay down then up: ``manage.py outbox_load`` (the third phase of
``manage.py loadtest``, on its database).

Two workers (``db_worker``) run with ``programmes.devtools.relay.FileRelay`` as their mail
server, first down. ``--steps`` (200) workflow steps are taken (drafts submitted, then returned:
e-mails to the approvers, then to the drafters); the workers try and fail, and retry with their
back-off (here from 1 s: ``PFP_OUTBOX_RETRY_SECONDS``). Then the relay comes back, and the run
waits until every message of the phase is sent. Counted from the outbox and the relay's file:
messages written, sent, delivered (distinct Message-IDs), duplicates, lost; tries; the time to
deliver everything once the relay is up. Required: 0 duplicates, 0 lost.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max, Sum


class Command(BaseCommand):
    help = "Workflow steps while the mail relay is down, then up: every e-mail sent once."

    def add_arguments(self, parser):
        parser.add_argument("--steps", type=int, default=200, help="workflow steps (200)")
        parser.add_argument("--down", type=float, default=5, help="seconds the relay stays down")
        parser.add_argument("--timeout", type=float, default=300, help="seconds to deliver all")
        parser.add_argument("--json", help="where to write the figures as JSON")

    def handle(self, *args, steps, down, timeout, json=None, **options):
        from pfp.outbox.models import Message
        from pfp.outbox.sending import message_id_header

        if steps < 2:
            raise CommandError("--steps must be at least 2.")
        with tempfile.TemporaryDirectory() as folder:
            relay = Path(folder)
            (relay / "down").touch()
            before = Message.objects.aggregate(last=Max("pk"))["last"] or 0
            workers = [start_worker(relay, name) for name in ("load-1", "load-2")]
            try:
                started = time.monotonic()
                taken = take_steps(steps)
                stepping = time.monotonic() - started
                time.sleep(down)
                ours = Message.objects.filter(pk__gt=before)
                refused = ours.filter(tries__gt=0).count()
                (relay / "down").unlink()
                up = time.monotonic()
                while ours.exclude(status=Message.Status.SENT).exists():
                    if time.monotonic() - up > timeout:
                        break
                    time.sleep(0.5)
                drained = time.monotonic() - up
            finally:
                for worker in workers:
                    worker.send_signal(signal.SIGTERM)
                for worker in workers:
                    worker.wait(timeout=60)
            accepted = Counter((relay / "accepted").read_text().splitlines())
        expected = {message_id_header(message) for message in ours}
        delivered = {message_id for message_id in accepted if message_id in expected}
        figures = {
            "steps": taken,
            "steps_seconds": round(stepping, 1),
            "messages": len(expected),
            "refused_while_down": refused,
            "sent": ours.filter(status=Message.Status.SENT).count(),
            "delivered": len(delivered),
            "duplicates": sum(accepted[message_id] - 1 for message_id in delivered),
            "lost": len(expected - delivered),
            "tries": ours.aggregate(total=Sum("tries"))["total"] or 0,
            "seconds_to_deliver_after_up": round(drained, 1),
        }
        self.stdout.write(json_line(figures))
        if json:
            Path(json).write_text(json_line(figures), encoding="utf-8")
        if figures["duplicates"] or figures["lost"]:
            raise CommandError("E-mails were lost or sent twice.")


def json_line(figures: dict) -> str:
    return json.dumps(figures)


def start_worker(relay: Path, name: str) -> subprocess.Popen:
    environment = {
        **os.environ,
        "DJANGO_EMAIL_BACKEND": "programmes.devtools.relay.FileRelay",
        "PFP_RELAY_DIR": str(relay),
        "PFP_OUTBOX_RETRY_SECONDS": "1",
        "PFP_OUTBOX_MAX_TRIES": "100",
    }
    environment.pop("DJANGO_TASKS_IMMEDIATE", None)
    return subprocess.Popen(  # noqa: S603 -- the worker of this project
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "db_worker",
            "--queue-name=*",
            "--no-reload",
            "--interval=0.2",
            "--verbosity=0",
            f"--worker-id={name}",
        ],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def take_steps(steps: int) -> int:
    """Half the steps submit fresh drafts (to the approvers), half return them (to the
    drafters), through the workflow, as the pages would."""
    from partners.models import Partner
    from pfp.models import User
    from pfp.roles import Role
    from programmes import workflow
    from programmes.menu.models import Activity

    officer = User.objects.filter(groups__name=Role.PROGRAMME_OFFICER, is_active=True).first()
    approver = (
        User.objects.filter(groups__name=Role.APPROVER, is_active=True)
        .exclude(groups__name=Role.PROGRAMME_OFFICER)
        .first()
    )
    partner = Partner.objects.filter(officers=officer).order_by("code").first()
    activity = Activity.objects.active().order_by("code").first()
    if not (officer and approver and partner and activity):
        raise CommandError("The database needs the demo (seed_demo): an officer, an approver.")
    taken = 0
    number = 0
    while taken < steps:
        number += 1
        programme = workflow.create_programme(
            actor=officer,
            partner=partner,
            title=f"Outbox load programme {number}",
            start_year=2035,
        )
        objective = workflow.add_objective(actor=officer, programme=programme, title="Training")
        goal = workflow.add_goal(actor=officer, objective=objective, title="Officers trained")
        workflow.plan_activity(
            actor=officer, programme=programme, activity=activity, year=1, goal=goal
        )
        workflow.submit(actor=officer, programme=programme)
        workflow.return_programme(actor=approver, programme=programme, comment="Once more.")
        workflow.withdraw(actor=officer, programme=programme)
        taken += 3
    return taken
