"""Time the per-partner report in each of its forms (a benchmark, not a test).

``manage.py bench_reports [--partner CODE] [--repeat N] [--user USERNAME]`` requests the report
page, CSV, Excel and PDF ``N`` times each through Django's test client, logged in as a viewer,
for the partner with the most planned activities (or ``CODE``), and prints the median and
longest times (and the first, which pays for loading templates and fonts), the queries per request and the size of each answer. It changes nothing but a
session row, removed at the end.
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partner
from pfp.models import User
from pfp.roles import Role


def _host() -> str:
    """A host name the site answers to."""
    for host in settings.ALLOWED_HOSTS:
        name = host.lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


class Command(BaseCommand):
    help = "Time the per-partner report (page, CSV, Excel, PDF) for the largest partner."

    def add_arguments(self, parser):
        parser.add_argument(
            "--partner",
            help="ISO code of the partner (default: the one with the most planned activities)",
        )
        parser.add_argument("--repeat", type=int, default=5, help="requests per form (5)")
        parser.add_argument("--user", help="username to request as (default: a viewer)")

    def handle(self, *args, partner=None, repeat=5, user=None, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        partners = Partner.objects.annotate(planned=Count("programmes__planned_activities"))
        if partner:
            chosen = partners.filter(code=partner.upper()).first()
        else:
            chosen = partners.order_by("-planned", "name").first()
        if chosen is None:
            raise CommandError("No such partner.")
        users = User.objects.filter(is_active=True)
        reader = (
            users.filter(username=user).first()
            if user
            else users.filter(groups__name=Role.VIEWER).order_by("pk").first()
        )
        if reader is None:
            raise CommandError("No such user: pass --user, or seed the demo (seed_demo).")

        client = Client(SERVER_NAME=_host())
        client.force_login(reader)
        page = reverse("programmes:partner_report", kwargs={"code": chosen.code})
        self.stdout.write(
            f"Partner {chosen.code} ({chosen.name}): {chosen.planned} planned activities in all "
            f"its programmes; as {reader.username}; {repeat} requests each."
        )
        self.stdout.write(
            f"{'form':<6} {'first s':>8} {'median s':>9} {'max s':>7} {'queries':>8} {'bytes':>9}"
        )
        try:
            for label, url in [
                ("html", page),
                *[
                    (
                        fmt,
                        reverse(
                            "programmes:partner_report_download",
                            kwargs={"code": chosen.code, "fmt": fmt},
                        ),
                    )
                    for fmt in ("csv", "xlsx", "pdf")
                ],
            ]:
                self._measure(client, label, url, repeat)
        finally:
            client.logout()

    def _measure(self, client, label, url, repeat):
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url, secure=True)
                times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}.")
        self.stdout.write(
            f"{label:<6} {times[0]:>8.3f} {statistics.median(times):>9.3f} {max(times):>7.3f} "
            f"{len(queries.captured_queries):>8} {len(response.content):>9}"
        )
