"""Time the main pages at two data sizes: ``manage.py bench`` (``make bench``). A benchmark, not
a test: it reports its targets and exits 0 unless ``--strict``.

One command, one run. For each database backend (SQLite always; PostgreSQL too when
``DATABASE_URL`` names one) and each scale (``--scales``, default 1 and 4), it builds a
benchmark database of its own: ``migrate``, ``load_partners`` and ``seed_demo --scale N``, in a
SQLite file under ``--dir`` (``data/bench/``) or a PostgreSQL database ``<name>_bench_<N>``
created and dropped on the server of ``DATABASE_URL`` (the main database is never opened).

A Django process has one database engine, so each backend is measured by one child process of
this command (``bench --child``), with production settings (``DEBUG`` off) but for the static
files storage (no ``collectstatic`` needed; a manifest look-up per static URL is all it saves).
The child holds one connection per scale and makes each in turn the default connection, as the
test runner does with its test database; it builds every scale's database, then requests every
page and a trivial logged-in view (a URL of this module's own URLconf, never part of the app)
through Django's test client, logged in with the role that uses the page (and its second factor,
for a role that requires one), in rounds: each round requests each page once at each scale, so
that a busy moment of the machine falls on both scales alike. Two warm-up requests per page first (the second one counts the queries), then
``--requests`` timed requests (the PDF: a tenth of them, at least 3); ``--pages`` keeps only
the pages whose name holds one of its words. The parent merges the backends, prints one table
per backend and writes the JSON.

Targets: the same number of queries at both scales; the median at the largest scale at most
1.2 times the median at the smallest; list and detail pages within 60 times the trivial view,
report pages within 200 times; the largest partner's PDF under 3 seconds.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Count
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path, reverse

# The child's URLconf: the app's URLs and the trivial view every page is compared with.
TRIVIAL_PATH = "bench-trivial/"


def trivial_view(request):
    """What any logged-in request costs: the middleware (session, user, CSRF, CSP...) and a
    response, without a query or a template of its own."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path(TRIVIAL_PATH, trivial_view),
    path("", include("pfp.urls")),
]

# Page kinds and their targets (multiples of the trivial view's median).
LIST_OR_DETAIL = "page"
REPORT = "report"
DOWNLOAD = "download"
PDF = "pdf"
MULTIPLE_LIMITS = {LIST_OR_DETAIL: 60, REPORT: 200}
SCALE_RATIO_LIMIT = 1.2
PDF_LIMIT_SECONDS = 3.0
HOST = "localhost"
# What the benchmark databases' demo users' passwords are hashed with (``build``).
SEED_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Page:
    name: str
    kind: str
    url: str
    user: str  # the demo username the page is requested as


@dataclass
class Timing:
    name: str
    kind: str
    url: str
    user: str
    requests: int
    median: float
    p95: float
    queries: int
    bytes: int
    times_trivial: float = 0.0


def percentile_95(times: list[float]) -> float:
    if len(times) < 2:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[18]


class Command(BaseCommand):
    help = "Time the main pages at two data sizes (see README, Performance)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scales", type=int, nargs="+", default=[1, 4], help="demo scales (1 4)"
        )
        parser.add_argument("--requests", type=int, default=40, help="timed requests per page (40)")
        parser.add_argument("--json", help="where to write the results as JSON")
        parser.add_argument(
            "--backends",
            nargs="+",
            choices=["sqlite", "postgresql"],
            help="default: sqlite, and postgresql when DATABASE_URL names a PostgreSQL server",
        )
        parser.add_argument(
            "--dir", default=str(settings.DATA_DIR / "bench"), help="SQLite benchmark files"
        )
        parser.add_argument(
            "--keep",
            action="store_true",
            help="keep the benchmark databases; with --reuse a later run measures them again",
        )
        parser.add_argument(
            "--reuse", action="store_true", help="measure benchmark databases kept earlier"
        )
        parser.add_argument(
            "--partners", type=int, help="seed_demo --partners (a smaller demo, for tests)"
        )
        parser.add_argument(
            "--menu-size", type=int, help="seed_demo --menu-size (a smaller demo, for tests)"
        )
        parser.add_argument(
            "--strict", action="store_true", help="exit with an error when a target is missed"
        )
        parser.add_argument(
            "--pages",
            nargs="+",
            metavar="TEXT",
            help="time only the pages whose name holds one of these (e.g. 'report: delivery')",
        )
        # Internal: measure one (backend, scale) in this process and write its JSON.
        parser.add_argument("--child", help=argparse.SUPPRESS)
        parser.add_argument("--databases", nargs="+", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["requests"] < 1 or min(options["scales"]) < 1:
            raise CommandError("--requests and every scale must be at least 1.")
        if options["child"]:
            self.child(options)
            return
        self.parent(options)

    # --- The parent: databases, children, the table -----------------------------------------

    def backends(self, options) -> list[str]:
        main_url = os.environ.get("DATABASE_URL", "")
        on_postgres = main_url.startswith(("postgres://", "postgresql://"))
        backends = options["backends"] or (["sqlite", "postgresql"] if on_postgres else ["sqlite"])
        if "postgresql" in backends and not on_postgres:
            raise CommandError("The PostgreSQL benchmark needs DATABASE_URL=postgres://...")
        return backends

    def parent(self, options):
        scales = sorted(set(options["scales"]))
        results = {
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "machine": {
                "platform": platform.platform(),
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
            },
            "requests": options["requests"],
            "scales": scales,
            "backends": {},
        }
        secret = secrets.token_urlsafe(40)
        for backend in self.backends(options):
            databases = [self.database_for(backend, scale, options) for scale in scales]
            try:
                runs = self.run_child(backend, scales, databases, secret, options)
            finally:
                if not options["keep"]:
                    for database in databases:
                        self.drop(backend, database)
            summary = summarise(runs, scales)
            results["backends"][backend] = {"runs": runs, **summary}
            self.print_table(backend, runs, summary, scales)
        misses = [
            target
            for backend in results["backends"].values()
            for target in backend["targets"]
            if not target["ok"]
        ]
        results["targets_missed"] = len(misses)
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(results, indent=2), encoding="utf-8")
            self.stdout.write(f"Results written to {options['json']}.")
        if misses and options["strict"]:
            raise CommandError(f"{len(misses)} target(s) missed.")

    def database_for(self, backend: str, scale: int, options) -> str:
        """The benchmark database's DATABASE_URL, created empty when needed."""
        suffix = f"_{options['partners']}p" if options["partners"] else ""
        if backend == "sqlite":
            folder = Path(options["dir"]).resolve()
            folder.mkdir(parents=True, exist_ok=True)
            file = folder / f"bench_{scale}{suffix}.sqlite3"
            if not options["reuse"]:
                file.unlink(missing_ok=True)
            return f"sqlite:///{file}"
        parts = urlsplit(os.environ["DATABASE_URL"])
        main = parts.path.lstrip("/")
        name = f"{main}_bench_{scale}{suffix}"
        with maintenance_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            if exists and not options["reuse"]:
                cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                exists = False
            if not exists:
                cursor.execute(f'CREATE DATABASE "{name}"')
        return urlunsplit(parts._replace(path="/" + name))

    def drop(self, backend: str, database: str) -> None:
        if backend == "sqlite":
            Path(urlsplit(database).path[1:]).unlink(missing_ok=True)
            return
        name = urlsplit(database).path.lstrip("/")
        with maintenance_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def run_child(self, backend, scales, databases, secret, options) -> dict:
        self.stdout.write(
            f"{backend}: building and measuring scales {', '.join(map(str, scales))}..."
        )
        with tempfile.TemporaryDirectory() as folder:
            part = Path(folder) / "part.json"
            command = [
                sys.executable,
                str(settings.BASE_DIR / "manage.py"),
                "bench",
                "--child",
                backend,
                "--scales",
                *map(str, scales),
                "--databases",
                *databases,
                "--requests",
                str(options["requests"]),
                "--json",
                str(part),
            ]
            if options["pages"]:
                command += ["--pages", *options["pages"]]
            for option in ("partners", "menu_size"):
                if options[option]:
                    command += [f"--{option.replace('_', '-')}", str(options[option])]
            environment = {
                **os.environ,
                # The child's settings: this engine and server; it opens each scale's database.
                "DATABASE_URL": databases[0],
                "DJANGO_DEBUG": "0",
                "DJANGO_DEVTOOLS": "1",
                "DJANGO_SECRET_KEY": secret,
                "DJANGO_ALLOWED_HOSTS": HOST,
            }
            finished = subprocess.run(  # noqa: S603 -- this very command, with our arguments
                command, env=environment, check=False, capture_output=True, text=True
            )
            if finished.returncode:
                raise CommandError(f"The {backend} run failed:\n{finished.stderr[-4000:]}")
            return json.loads(part.read_text(encoding="utf-8"))

    def print_table(self, backend, runs, summary, scales):
        low, high = str(scales[0]), str(scales[-1])
        first = runs[low]
        self.stdout.write("")
        self.stdout.write(
            f"{backend}: {first['machine_note']}; trivial view median "
            + ", ".join(f"{runs[s]['trivial']['median'] * 1000:.2f} ms (scale {s})" for s in runs)
        )
        for scale, run in runs.items():
            data = run["data"]
            self.stdout.write(
                f"  scale {scale}: {data['programmes']} programme versions, "
                f"{data['planned']} planned activities, {data['activities']} menu activities; "
                f"built in {run['build_seconds']:.0f} s (seed_demo {run['seed_seconds']:.0f} s)"
            )
        header = (
            f"{'page':<34} {'med ' + low:>8} {'p95 ' + low:>8} {'med ' + high:>8} "
            f"{'p95 ' + high:>8} {'x triv':>7} {high + '/' + low:>5} "
            f"{'q ' + low:>4} {'q ' + high:>4}  ok"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for row in summary["rows"]:
            self.stdout.write(
                f"{row['page']:<34} {_ms(row['median'][low]):>8} {_ms(row['p95'][low]):>8} "
                f"{_ms(row['median'][high]):>8} {_ms(row['p95'][high]):>8} "
                f"{row['times_trivial'][high]:>7.1f} {row['ratio']:>5.2f} "
                f"{row['queries'][low]:>4} {row['queries'][high]:>4}  "
                + ("yes" if row["ok"] else "NO")
            )
        self.stdout.write(f"(times in ms; x triv: median at scale {high} / trivial view)")
        for target in summary["targets"]:
            if not target["ok"]:
                self.stdout.write(
                    f"  missed: {target['page']}: {target['target']} "
                    f"({target['value']} > {target['limit']})"
                )

    # --- The child: one database, every page ---------------------------------------------------

    def child(self, options):
        scales = sorted(set(options["scales"]))
        databases = dict(zip(scales, options["databases"], strict=True))
        runs = {}
        for scale in scales:
            use_database(databases[scale])
            runs[scale] = {"scale": scale, "database": databases[scale], **build(scale, options)}
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(ROOT_URLCONF=__name__, STORAGES=storages):
            measured = measure(databases, options["requests"], options["pages"])
        for scale, (timings, trivial) in measured.items():
            runs[scale].update(
                trivial=asdict(trivial),
                pages={timing.name: asdict(timing) for timing in timings},
            )
        result = {str(scale): run for scale, run in runs.items()}
        Path(options["json"]).write_text(json.dumps(result, indent=2), encoding="utf-8")


def use_database(url: str) -> None:
    """Make the database at ``url`` (of the engine and server of DATABASE_URL) the default
    connection of this process, as the test runner does with its test database; each
    scale's connection stays open, so the rounds can go from one scale to the other."""
    from django.contrib.contenttypes.models import ContentType

    opened = _opened.get(url)
    if opened is None:
        current = connections[DEFAULT_DB_ALIAS]
        settings_dict = {**current.settings_dict, "NAME": _database_name(url)}
        opened = _opened[url] = type(current)(settings_dict, DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = opened
    ContentType.objects.clear_cache()


_opened: dict = {}


def _database_name(url: str) -> str:
    path = urlsplit(url).path
    return path[1:] if url.startswith("sqlite") else path.lstrip("/")


def build(scale: int, options) -> dict:
    """Migrate and seed the current database (unless seeded already); how long it took.

    On SQLite, a new database after the first starts as a copy of the first one as it was
    migrated and given the partner register (a fraction of a second, where migrating takes
    seconds); ``migrate`` then finds nothing to do.
    """
    from programmes.models import Programme

    started = time.perf_counter()
    new = not connection.introspection.table_names()
    copied = new and _copy_registered_database()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    seed_seconds = 0.0
    if not Programme.objects.exists():
        if not copied:
            call_command("load_partners", stdout=StringIO())
            if new:
                _keep_registered_database()
        seeded = time.perf_counter()
        seed = {"scale": scale, "stdout": StringIO()}
        if options["partners"]:
            seed["partners"] = options["partners"]
        if options["menu_size"]:
            seed["menu_size"] = options["menu_size"]
        # The demo users' passwords are never used here (the pages are requested after
        # ``force_login``; seed_demo's output, the passwords, is thrown away): a fast hasher
        # instead of PBKDF2's deliberate second or so per user, at every scale.
        with override_settings(PASSWORD_HASHERS=SEED_PASSWORD_HASHERS):
            call_command("seed_demo", **seed)
        seed_seconds = time.perf_counter() - seeded
    if connection.vendor == "postgresql":
        # Fresh statistics and visibility maps, as autovacuum leaves them soon after a bulk
        # load: without the statistics the planner takes a freshly seeded table for a small
        # one (the programme list's history subqueries then walk a date index through every
        # row); without the maps it cannot read an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {
        "build_seconds": time.perf_counter() - started,
        "seed_seconds": seed_seconds,
        "machine_note": f"{connection.vendor} {_server_version()}",
        "data": data_sizes(),
    }


def _keep_registered_database() -> None:
    """On SQLite, keep a copy in memory of the current database, migrated and with the
    partner register but nothing else, for ``_copy_registered_database``."""
    if connection.vendor == "sqlite" and "sqlite" not in _registered:
        import sqlite3

        connection.ensure_connection()
        _registered["sqlite"] = sqlite3.connect(":memory:")
        connection.connection.backup(_registered["sqlite"])


def _copy_registered_database() -> bool:
    """Copy the database kept by ``_keep_registered_database`` into the current (new) one."""
    if connection.vendor != "sqlite" or "sqlite" not in _registered:
        return False
    connection.ensure_connection()
    _registered["sqlite"].backup(connection.connection)
    return True


# The child's one SQLite copy (``_keep_registered_database``), under the key "sqlite".
_registered: dict = {}


@contextmanager
def maintenance_cursor():
    """A cursor on the ``postgres`` maintenance database of DATABASE_URL's server, in
    autocommit (CREATE and DROP DATABASE cannot run in a transaction)."""
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    with (
        psycopg.connect(
            urlunsplit(parts._replace(path="/postgres")), autocommit=True
        ) as maintenance,
        maintenance.cursor() as cursor,
    ):
        yield cursor


def _server_version() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return cursor.fetchone()[0]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def data_sizes() -> dict:
    from programmes.menu.models import Activity
    from programmes.models import PlannedActivity, Programme

    return {
        "programmes": Programme.objects.count(),
        "planned": PlannedActivity.objects.count(),
        "activities": Activity.objects.count(),
    }


def bench_pages() -> list[Page]:
    """The pages to time. They are about the same objects at every scale: the programmes of the
    demo's current cycle (starting in 2025 or later), which a larger demo only adds earlier
    programmes to, all ended before it (so a report of this year or last year counts the same
    rows at every scale). The largest partner is the one whose agreed programme plans the
    most."""
    from django.db.models import Q

    from programmes.delivery.models import AnnualReview
    from programmes.devtools.demo.plans import CURRENT_CYCLE_START
    from programmes.menu.models import Activity
    from programmes.models import Programme, ProgrammeStatus

    current = Programme.objects.filter(start_year__gte=CURRENT_CYCLE_START)
    largest = (
        current.filter(status=ProgrammeStatus.AGREED)
        .annotate(planned=Count("planned_activities"))
        .order_by("-planned", "pk")
        .select_related("partner")
        .first()
    )
    partner = largest.partner
    revised = (
        current.filter(revises__isnull=False)
        .annotate(planned=Count("planned_activities"))
        .order_by("status", "-planned", "pk")  # an agreed revision first
        .first()
    )
    draft = (
        current.filter(
            status__in=[ProgrammeStatus.DRAFT, ProgrammeStatus.RETURNED],
            created_by__username="officer",
        )
        .order_by("-status", "pk")  # a returned one first
        .first()
    )
    in_current = Q(planned__programme__in=current)
    activity = (
        Activity.objects.annotate(times=Count("planned", filter=in_current))
        .order_by("-times", "code")
        .first()
    )
    report = {"code": partner.code}
    pages = [
        Page("home (officer)", LIST_OR_DETAIL, reverse("home"), "officer"),
        Page("home (approver)", LIST_OR_DETAIL, reverse("home"), "approver"),
        Page("partner list", LIST_OR_DETAIL, reverse("partners:list"), "viewer"),
        Page("partner page", LIST_OR_DETAIL, partner.get_absolute_url(), "viewer"),
        Page("menu list", LIST_OR_DETAIL, reverse("programmes:activity_list"), "viewer"),
        Page(
            "menu search",
            LIST_OR_DETAIL,
            reverse("programmes:activity_list") + "?q=cyber",
            "viewer",
        ),
        Page("activity page", LIST_OR_DETAIL, activity.get_absolute_url(), "viewer"),
        Page("programme list", LIST_OR_DETAIL, reverse("programmes:programme_list"), "viewer"),
        Page("programme page", LIST_OR_DETAIL, largest.get_absolute_url(), "viewer"),
        Page(
            "delivery page",
            LIST_OR_DETAIL,
            reverse("programmes:programme_delivery", kwargs={"pk": largest.pk}),
            "viewer",
        ),
    ]
    if draft:
        pages.append(
            Page("programme page (drafter)", LIST_OR_DETAIL, draft.get_absolute_url(), "officer")
        )
    # The demo writes its reviews for the same programmes of the current cycle at every scale.
    review = (
        AnnualReview.objects.filter(lineage__in=current.values("lineage"))
        .order_by("partner__code", "year", "pk")
        .first()
    )
    if review:
        pages.append(
            Page(
                "annual review",
                LIST_OR_DETAIL,
                reverse("programmes:annual_review", kwargs={"pk": review.pk}),
                "viewer",
            )
        )
    if revised:
        pages.append(
            Page(
                "version comparison",
                LIST_OR_DETAIL,
                reverse("programmes:programme_compare", kwargs={"pk": revised.pk}),
                "viewer",
            )
        )
    pages += [
        Page(
            "partner report", REPORT, reverse("programmes:partner_report", kwargs=report), "viewer"
        ),
        *(
            Page(
                f"partner report {fmt.upper()}",
                PDF if fmt == "pdf" else DOWNLOAD,
                reverse("programmes:partner_report_download", kwargs={**report, "fmt": fmt}),
                "viewer",
            )
            for fmt in ("csv", "xlsx", "pdf")
        ),
        Page(
            "partner report CSV of events",
            DOWNLOAD,
            reverse("programmes:partner_report_download", kwargs={**report, "fmt": "csv"})
            + "?table=events",
            "viewer",
        ),
        Page(
            "partner events iCalendar",
            DOWNLOAD,
            reverse("programmes:partner_events_calendar", kwargs=report),
            "viewer",
        ),
    ]
    from programmes.reports.cross_partner import REPORTS

    pages += [
        Page(f"report: {slug}", REPORT, item.get_absolute_url(), "viewer")
        for slug, item in REPORTS.items()
    ]
    # The delivery across partners of last year (the current one is the report's default).
    from django.utils import timezone

    last_year = timezone.localdate().year - 1
    pages += [
        Page(
            "report: delivery last year",
            REPORT,
            f"{REPORTS['delivery'].get_absolute_url()}?year={last_year}",
            "viewer",
        ),
        Page(
            "report: delivery last year, Excel",
            DOWNLOAD,
            reverse("programmes:cross_report_export", args=["delivery", "xlsx"])
            + f"?year={last_year}",
            "viewer",
        ),
    ]
    from programmes.devtools.api_bench import api_endpoints

    pages += [
        Page(name, LIST_OR_DETAIL, url, "viewer") for name, url in api_endpoints(largest, last_year)
    ]
    return pages


def measure(
    databases: dict[int, str], requests: int, only: list[str] | None = None
) -> dict[int, tuple[list[Timing], Timing]]:
    """Time each page (those whose name holds one of ``only``, when given) at each scale, in
    rounds: each round requests every page once at every scale (the trivial view three times),
    so that the scales share the machine's moments."""
    trivial = Page("trivial view", "trivial", "/" + TRIVIAL_PATH, "viewer")
    pages, clients = {}, {}
    for scale, url in databases.items():
        use_database(url)
        chosen = [
            page for page in bench_pages() if not only or any(text in page.name for text in only)
        ]
        if not chosen:
            raise CommandError(f"No page's name holds any of {', '.join(only)}.")
        pages[scale] = [trivial, *chosen]
        for username in {page.user for page in pages[scale]}:
            clients[scale, username] = signed_in_client(username)
    names = [page.name for page in pages[min(pages)]]
    if any([page.name for page in scale_pages] != names for scale_pages in pages.values()):
        raise CommandError("The scales do not have the same pages to time.")
    queries, sizes = {}, {}
    for scale, url in databases.items():
        use_database(url)
        for page in pages[scale]:
            for attempt in range(2):
                with CaptureQueriesContext(connection) as captured:
                    response = clients[scale, page.user].get(page.url, secure=True)
                if response.status_code != 200:
                    raise CommandError(f"{page.url} answered {response.status_code}.")
                if attempt:
                    queries[scale, page.name] = len(captured.captured_queries)
                    sizes[scale, page.name] = len(response.content)
    pdf_every = max(1, requests // max(3, requests // 10))
    times: dict = {(scale, name): [] for scale in databases for name in names}
    for round_number in range(requests):
        for index in range(len(names)):
            for scale, url in databases.items():
                page = pages[scale][index]
                if page.kind == PDF and round_number % pdf_every:
                    continue
                use_database(url)
                client = clients[scale, page.user]
                for _ in range(3 if page is trivial else 1):
                    started = time.perf_counter()
                    response = client.get(page.url, secure=True)
                    times[scale, page.name].append(time.perf_counter() - started)
                    if response.status_code != 200:
                        raise CommandError(f"{page.url} answered {response.status_code}.")

    def timing(scale: int, page: Page) -> Timing:
        values = times[scale, page.name]
        return Timing(
            name=page.name,
            kind=page.kind,
            url=page.url,
            user=page.user,
            requests=len(values),
            median=statistics.median(values),
            p95=percentile_95(values),
            queries=queries[scale, page.name],
            bytes=sizes[scale, page.name],
        )

    measured = {}
    for scale in databases:
        trivial_timing = timing(scale, trivial)
        timings = []
        for page in pages[scale][1:]:
            result = timing(scale, page)
            result.times_trivial = result.median / trivial_timing.median
            timings.append(result)
        measured[scale] = (timings, trivial_timing)
    return measured


def signed_in_client(username: str) -> Client:
    """A test client signed in as ``username``, as that user signs in: with their second
    factor when they have one (the demo enrols those whose role requires it), else their role's
    pages would answer with the code page."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from pfp.mfa.devices import confirmed_devices
    from pfp.models import User

    user = User.objects.get(username=username)
    client = Client(SERVER_NAME=HOST)
    client.force_login(user)
    devices = confirmed_devices(user)
    if devices:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = devices[0].persistent_id
        session.save()
    return client


def summarise(runs: dict, scales: list[int]) -> dict:
    """One row per page across the scales, and every target checked."""
    low, high = str(scales[0]), str(scales[-1])
    rows, targets = [], []

    def check(page, target, value, limit, ok):
        targets.append(
            {"page": page, "target": target, "value": value, "limit": limit, "ok": bool(ok)}
        )
        return bool(ok)

    for name, first in runs[low]["pages"].items():
        if not all(name in runs[s]["pages"] for s in runs):
            continue
        by_scale = {s: runs[s]["pages"][name] for s in runs}
        kind = first["kind"]
        ratio = by_scale[high]["median"] / by_scale[low]["median"]
        ok = check(
            name,
            "same queries at every scale",
            [by_scale[s]["queries"] for s in runs],
            "equal",
            len({by_scale[s]["queries"] for s in runs}) == 1,
        )
        if high != low:
            ok &= check(
                name,
                f"median at scale {high} / scale {low}",
                round(ratio, 2),
                SCALE_RATIO_LIMIT,
                ratio <= SCALE_RATIO_LIMIT,
            )
        if kind in MULTIPLE_LIMITS:
            worst = max(by_scale[s]["times_trivial"] for s in runs)
            ok &= check(
                name,
                "median / trivial view",
                round(worst, 1),
                MULTIPLE_LIMITS[kind],
                worst <= MULTIPLE_LIMITS[kind],
            )
        if kind == PDF:
            slowest = max(by_scale[s]["median"] for s in runs)
            ok &= check(name, "seconds (median)", round(slowest, 3), PDF_LIMIT_SECONDS, slowest < 3)
        rows.append(
            {
                "page": name,
                "kind": kind,
                "median": {s: by_scale[s]["median"] for s in runs},
                "p95": {s: by_scale[s]["p95"] for s in runs},
                "times_trivial": {s: by_scale[s]["times_trivial"] for s in runs},
                "queries": {s: by_scale[s]["queries"] for s in runs},
                "ratio": ratio,
                "ok": ok,
            }
        )
    return {"rows": rows, "targets": targets}
