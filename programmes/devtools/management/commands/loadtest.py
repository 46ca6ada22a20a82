"""Load on gunicorn with PostgreSQL: ``manage.py loadtest`` (``make loadtest``).

Needs ``DATABASE_URL`` naming a PostgreSQL server. It works on a database of its own,
``<name>_load`` on that server (built once with ``migrate``, ``load_partners`` and
``seed_demo``, kept for later runs; ``--rebuild`` builds it again); the main database is never
opened. The servers run with production settings (``DEBUG`` off, static files collected,
HTTPS required): the load tool says ``X-Forwarded-Proto: https``, as the load balancer would,
which ``SECURE_PROXY_SSL_HEADER`` honours.

1. Page views: gunicorn with ``--workers`` (2) sync workers; ``--users`` (8) simulated users,
   each logged in through the login form as a viewer, an officer or an approver, request a
   weighted mix of pages (no PDF: a download, not a page view) one after another for
   ``--duration`` seconds (60). Reported: requests, errors (anything but 200), throughput,
   median, 95th and 99th percentile, per page too.
2. Two servers: a second gunicorn on the same database. ``--races`` (20) programmes freshly
   submitted by ``officer2`` are approved at the same moment by ``approver`` on one server and
   ``approver2`` on the other; and on as many fresh drafts, ``officer2`` and ``officer3`` save
   the same objective form, loaded with the same ``seen_stamp``, at the same moment, one on each
   server. Counted from the database: approvals per programme (history rows), and whether the
   objective holds the one save that was accepted (the other must get the edit conflict, 409).
   Required: 0 double transitions, 0 lost updates, 0 errors.
3. The outbox: ``--outbox-steps`` (200) workflow steps while the mail relay is down, then up,
   with two workers (``manage.py outbox_load``). Required: every e-mail delivered once.

The load tool is a small driver in this module (threads and ``http.client``, one connection
per request, as gunicorn's sync workers close them) rather than locust: locust brings gevent's
monkey-patching and a dozen packages for what a hundred lines do here, and on a two-core
machine a light driver leaves the cores to the servers it measures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from programmes.devtools.management.commands.bench import maintenance_cursor

# The environment variable that hands the run's password to the preparing process.
PASSWORD_VARIABLE = "PFP_LOADTEST_PASSWORD"  # noqa: S105 -- a variable's name
READERS = ["viewer", "officer", "approver"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STAMP = re.compile(r'name="seen_stamp" value="(\d+)"')


class Command(BaseCommand):
    help = "gunicorn on PostgreSQL under load, then two servers racing (see README, Performance)."

    def add_arguments(self, parser):
        parser.add_argument("--duration", type=int, default=60, help="seconds of page views (60)")
        parser.add_argument("--users", type=int, default=8, help="simulated users (8)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
        parser.add_argument(
            "--races", type=int, default=20, help="programmes approved and objectives saved (20)"
        )
        parser.add_argument(
            "--outbox-steps",
            type=int,
            default=200,
            help="workflow steps while the mail relay is down, then up (200)",
        )
        parser.add_argument("--json", help="where to write the results as JSON")
        parser.add_argument("--rebuild", action="store_true", help="build the load database again")
        parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["prepare"]:
            prepare(options)
            return
        if min(options["duration"], options["users"], options["workers"], options["races"]) < 1:
            raise CommandError("--duration, --users, --workers and --races must be at least 1.")
        main_url = os.environ.get("DATABASE_URL", "")
        if not main_url.startswith(("postgres://", "postgresql://")):
            raise CommandError("The load test needs DATABASE_URL=postgres://... (PostgreSQL).")
        database = load_database(main_url, rebuild=options["rebuild"])
        password = secrets.token_urlsafe(24)
        environment = {
            **os.environ,
            "DATABASE_URL": database,
            "DJANGO_DEBUG": "0",
            "DJANGO_DEVTOOLS": "1",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            PASSWORD_VARIABLE: password,
        }
        self.stdout.write(f"Preparing {urlsplit(database).path[1:]} and the static files...")
        with tempfile.TemporaryDirectory() as folder:
            plan_file = Path(folder) / "plan.json"
            run_manage(
                [
                    "loadtest",
                    "--prepare",
                    "--races",
                    str(options["races"]),
                    "--json",
                    str(plan_file),
                ],
                environment,
            )
            plan = json.loads(plan_file.read_text(encoding="utf-8"))
        run_manage(["collectstatic", "--no-input", "--verbosity", "0"], environment)

        results = {"duration": options["duration"], "users": options["users"]}
        servers = []
        try:
            first = Server(environment, options["workers"])
            servers.append(first)
            self.stdout.write(
                f"Page views: gunicorn with {options['workers']} workers on port {first.port}, "
                f"{options['users']} users, {options['duration']} s..."
            )
            results["page_views"] = page_views(
                first.port, plan, password, options["users"], options["duration"]
            )
            second = Server(environment, options["workers"])
            servers.append(second)
            self.stdout.write(
                f"Two servers (ports {first.port} and {second.port}): "
                f"{options['races']} approval races and {options['races']} edit races..."
            )
            results["two_servers"] = races(first.port, second.port, plan, password, database)
        finally:
            for server in servers:
                server.stop()
        self.stdout.write(
            f"The outbox: {options['outbox_steps']} workflow steps while the mail relay is down, "
            "then up, two workers..."
        )
        results["outbox"] = outbox_phase(options["outbox_steps"], environment)
        self.report(results)
        if options["json"]:
            Path(options["json"]).write_text(json.dumps(results, indent=2), encoding="utf-8")
            self.stdout.write(f"Results written to {options['json']}.")
        load, two = results["page_views"], results["two_servers"]
        if load["errors"] or two["errors"] or two["double_transitions"] or two["lost_updates"]:
            raise CommandError("The load test found errors, double transitions or lost updates.")
        if results["outbox"]["duplicates"] or results["outbox"]["lost"]:
            raise CommandError("The load test found e-mails lost or sent twice.")

    def report(self, results):
        load = results["page_views"]
        self.stdout.write(
            f"Page views: {load['requests']} requests in {load['seconds']:.1f} s, "
            f"{load['errors']} errors, {load['throughput']:.1f} requests/s; "
            f"median {load['median'] * 1000:.0f} ms, p95 {load['p95'] * 1000:.0f} ms, "
            f"p99 {load['p99'] * 1000:.0f} ms, max {load['max'] * 1000:.0f} ms"
        )
        self.stdout.write(f"  {'page':<22} {'requests':>8} {'median ms':>10} {'p99 ms':>8}")
        for name, page in load["pages"].items():
            self.stdout.write(
                f"  {name:<22} {page['requests']:>8} {page['median'] * 1000:>10.0f} "
                f"{page['p99'] * 1000:>8.0f}"
            )
        two = results["two_servers"]
        self.stdout.write(
            f"Two servers: {two['approvals']['programmes']} programmes approved twice at once: "
            f"{two['approvals']['accepted']} approvals accepted, "
            f"{two['approvals']['refused']} refused with a message; "
            f"{two['double_transitions']} double transitions."
        )
        self.stdout.write(
            f"  {two['edits']['objectives']} objectives saved twice at once with the same stamp: "
            f"{two['edits']['saved']} saved, {two['edits']['conflicts']} edit conflicts shown; "
            f"{two['lost_updates']} lost updates; {two['errors']} errors."
        )
        outbox = results["outbox"]
        self.stdout.write(
            f"The outbox: {outbox['steps']} steps in {outbox['steps_seconds']} s wrote "
            f"{outbox['messages']} e-mails, all refused while the relay was down "
            f"({outbox['refused_while_down']} tried); once it was up, {outbox['delivered']} "
            f"delivered in {outbox['seconds_to_deliver_after_up']} s ({outbox['tries']} tries): "
            f"{outbox['duplicates']} duplicates, {outbox['lost']} lost."
        )


def outbox_phase(steps: int, environment: dict) -> dict:
    """``manage.py outbox_load`` on the load database (programmes/devtools)."""
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "outbox.json"
        run_manage(["outbox_load", "--steps", str(steps), "--json", str(figures)], environment)
        return json.loads(figures.read_text(encoding="utf-8"))


def run_manage(arguments: list[str], environment: dict) -> None:
    finished = subprocess.run(  # noqa: S603 -- manage.py of this project, with our arguments
        [sys.executable, str(settings.BASE_DIR / "manage.py"), *arguments],
        env=environment,
        check=False,
        capture_output=True,
        text=True,
    )
    if finished.returncode:
        raise CommandError(f"manage.py {arguments[0]} failed:\n{finished.stderr[-4000:]}")


def load_database(main_url: str, *, rebuild: bool) -> str:
    """The load database's URL, created (empty) when missing or when rebuilding."""
    parts = urlsplit(main_url)
    name = f"{parts.path.lstrip('/')}_load"
    with maintenance_cursor() as cursor:
        if rebuild:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path="/" + name))


# --- Preparing the database (a child process on the load database) -----------------------------


def prepare(options) -> None:
    """Seed the load database when empty; give the users the run's password; create the
    programmes the races need through the workflow; write what the driver needs as JSON."""
    from django.db.models import Count
    from django.urls import reverse

    from partners.actions import assign_officer
    from partners.models import Partner
    from pfp.models import User
    from pfp.roles import Role
    from programmes import workflow
    from programmes.devtools.users import seed_demo_users
    from programmes.menu.models import Activity
    from programmes.models import Programme
    from programmes.reports.cross_partner import REPORTS

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if not Programme.objects.exists():
        call_command("load_partners", stdout=open(os.devnull, "w"))  # noqa: SIM115
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    officer2 = User.objects.get(username="officer2")
    partner = Partner.objects.filter(officers=officer2).order_by("code").first()
    seed_demo_users(
        [("officer3", Role.PROGRAMME_OFFICER, "Otto", "Officer-Three")],
        officer_partners=[partner.code],
    )
    officer3 = User.objects.get(username="officer3")
    if not partner.officers.filter(pk=officer3.pk).exists():
        assign_officer(partner=partner, officer=officer3, actor=None)
    password = os.environ[PASSWORD_VARIABLE]
    for user in User.objects.filter(username__in=[*READERS, "approver2", "officer2", "officer3"]):
        user.set_password(password)
        user.save(update_fields=["password"])

    activity = Activity.objects.active().order_by("code").first()
    submitted, drafts = [], []
    for number in range(options["races"]):
        programme = _race_programme(workflow, officer2, partner, activity, number)
        workflow.submit(actor=officer2, programme=programme)
        submitted.append(programme.pk)
        draft = _race_programme(workflow, officer2, partner, activity, number)
        drafts.append([draft.pk, draft.objectives.get().pk])

    programmes = list(Programme.objects.order_by("pk").values_list("pk", flat=True))
    partners = list(Partner.objects.order_by("code").values_list("code", flat=True))
    with_programme = list(
        Partner.objects.filter(programmes__isnull=False)
        .distinct()
        .order_by("code")
        .values_list("code", flat=True)
    )
    activities = list(
        Activity.objects.annotate(times=Count("planned"))
        .order_by("-times", "code")
        .values_list("code", flat=True)[:300]
    )
    revised = list(Programme.objects.filter(revises__isnull=False).values_list("pk", flat=True))
    menu = reverse("programmes:activity_list")
    pages = [
        ("home", 10, [reverse("home")]),
        ("partner list", 4, [reverse("partners:list")]),
        ("partner page", 8, [reverse("partners:detail", args=[code]) for code in partners]),
        ("menu list", 8, [menu, *(f"{menu}?page={page}" for page in range(2, 20))]),
        (
            "menu search",
            5,
            [f"{menu}?q={word}" for word in ("cyber", "course", "crisis", "logistics", "gender")],
        ),
        (
            "activity page",
            8,
            [reverse("programmes:activity_detail", args=[code]) for code in activities],
        ),
        ("programme list", 8, [reverse("programmes:programme_list")]),
        (
            "programme page",
            14,
            [reverse("programmes:programme_detail", args=[pk]) for pk in programmes],
        ),
        (
            "version comparison",
            3,
            [reverse("programmes:programme_compare", args=[pk]) for pk in revised],
        ),
        (
            "partner report",
            5,
            [reverse("programmes:partner_report", args=[code]) for code in with_programme],
        ),
        (
            "partner report CSV",
            2,
            [
                reverse("programmes:partner_report_download", args=[code, "csv"])
                for code in with_programme
            ],
        ),
        ("cross reports", 5, [report.get_absolute_url() for report in REPORTS.values()]),
    ]
    plan = {
        "pages": [page for page in pages if page[2]],
        "submitted": submitted,
        "drafts": drafts,
    }
    Path(options["json"]).write_text(json.dumps(plan), encoding="utf-8")


def _race_programme(workflow, officer, partner, activity, number):
    """A small complete draft, through the workflow, for a race."""
    programme = workflow.create_programme(
        actor=officer,
        partner=partner,
        title=f"Load test programme {number + 1}",
        start_year=2031,
    )
    objective = workflow.add_objective(actor=officer, programme=programme, title="Interoperability")
    goal = workflow.add_goal(actor=officer, objective=objective, title="Staff officers trained")
    workflow.plan_activity(actor=officer, programme=programme, activity=activity, year=1, goal=goal)
    return programme


# --- The servers and the driver ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """A gunicorn on a free port of 127.0.0.1, ready when the login page answers."""

    def __init__(self, environment: dict, workers: int):
        self.port = free_port()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 -- closed by stop()
        self.process = subprocess.Popen(  # noqa: S603 -- gunicorn of this environment
            [
                sys.executable,
                "-m",
                "gunicorn",
                "pfp.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "60",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=self.log,
            stderr=self.log,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if Browser(self.port).get("/accounts/login/").status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise CommandError(f"gunicorn did not start on port {self.port}.")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


@dataclass
class Answer:
    status: int
    body: str
    location: str
    seconds: float


@dataclass
class Browser:
    """One user's cookies, sending each request on a new connection as a browser behind the
    load balancer would reach the server (HTTPS said by ``X-Forwarded-Proto``)."""

    port: int
    cookies: dict = field(default_factory=dict)

    def clone(self, port: int) -> Browser:
        return Browser(port, dict(self.cookies))

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        origin = f"https://127.0.0.1:{self.port}"
        headers = {"Host": f"127.0.0.1:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": origin,
                    "Referer": origin + path,
                }
            )
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - started
        for cookie in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value in ("", '""') or "max-age=0" in cookie.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return Answer(
            response.status,
            content.decode("utf-8", "replace"),
            response.headers.get("Location", ""),
            seconds,
        )

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict, page: Answer) -> Answer:
        """Send ``form`` with the CSRF token of ``page`` (the form's page, fetched before)."""
        return self.request("POST", path, {**form, "csrfmiddlewaretoken": token_of(page)})

    def login(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        answer = self.post("/accounts/login/", {"username": username, "password": password}, page)
        if answer.status != 302:
            raise CommandError(f"{username} could not log in (HTTP {answer.status}).")


def token_of(page: Answer) -> str:
    found = TOKEN.search(page.body)
    if not found:
        raise CommandError("A form without a CSRF token.")
    return found.group(1)


def summary(times: list[float]) -> dict:
    ordered = sorted(times) or [0.0]

    def percentile(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {
        "requests": len(times),
        "median": statistics.median(ordered),
        "p95": percentile(0.95),
        "p99": percentile(0.99),
        "max": ordered[-1],
    }


def page_views(port: int, plan: dict, password: str, users: int, duration: int) -> dict:
    """``users`` threads, each logged in, requesting the weighted mix until the time is up."""
    pages = plan["pages"]
    weights = [weight for _name, weight, _urls in pages]
    records: list[tuple[str, int, float]] = []
    failures: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(users + 1)
    deadline = [0.0]

    def user(number: int) -> None:
        chooser = random.Random(number)  # noqa: S311 -- a reproducible mix, not a secret
        browser = Browser(port)
        try:
            browser.login(READERS[number % len(READERS)], password)
        finally:
            ready.wait()
        mine = []
        while time.monotonic() < deadline[0]:
            name, _weight, urls = chooser.choices(pages, weights=weights)[0]
            url = chooser.choice(urls)
            try:
                answer = browser.get(url)
                mine.append((name, answer.status, answer.seconds))
                if answer.status != 200:
                    with lock:
                        failures.append(f"{url}: HTTP {answer.status}")
            except OSError as error:
                mine.append((name, 0, 0.0))
                with lock:
                    failures.append(f"{url}: {error}")
        with lock:
            records.extend(mine)

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.monotonic()
    deadline[0] = started + duration
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started
    times = [record[2] for record in records if record[1] == 200]
    by_page = {}
    for name, _weight, _urls in pages:
        by_page[name] = summary([t for page, status, t in records if page == name and status])
    return {
        **summary(times),
        "requests": len(records),
        "errors": len(failures),
        "error_samples": failures[:10],
        "seconds": seconds,
        "throughput": len(records) / seconds,
        "pages": by_page,
    }


def races(first: int, second: int, plan: dict, password: str, database: str) -> dict:
    """Approvals and edits racing through both servers; then what the database holds."""
    approvers = {}
    for name in ("approver", "approver2"):
        approvers[name] = Browser(first)
        approvers[name].login(name, password)
    officers = {}
    for name in ("officer2", "officer3"):
        officers[name] = Browser(first)
        officers[name].login(name, password)
    errors: list[str] = []
    lock = threading.Lock()

    def at_once(steps) -> list:
        """Run each step's load in its thread, then all the sends at the same moment."""
        barrier = threading.Barrier(len(steps))
        results = [None] * len(steps)

        def run(index, step):
            load, send = step
            state = load()
            barrier.wait()
            results[index] = send(state)

        threads = [threading.Thread(target=run, args=item) for item in enumerate(steps)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def approve_step(browser: Browser, pk: int):
        url = f"/programmes/{pk}/approve/"

        def load():
            return browser.get(url)

        def send(page: Answer):
            if page.status != 200:
                return ("error", f"{url}: HTTP {page.status} before approving")
            stamp = STAMP.search(page.body)
            answer = browser.post(url, {"seen_stamp": stamp.group(1) if stamp else ""}, page)
            if answer.status != 302:
                return ("error", f"{url}: HTTP {answer.status}")
            shown = browser.get(answer.location).body
            return ("accepted", "") if "alert-success" in shown else ("refused", "")

        return load, send

    def edit_step(browser: Browser, pk: int, objective: int, title: str):
        url = f"/programmes/{pk}/objectives/{objective}/edit/"

        def load():
            return browser.get(url)

        def send(page: Answer):
            if page.status != 200:
                return ("error", f"{url}: HTTP {page.status} before saving")
            form = {"title": title, "description": "", "seen_stamp": STAMP.search(page.body)[1]}
            answer = browser.post(url, form, page)
            if answer.status == 302:
                return ("saved", title)
            if answer.status == 409 and "changed this programme" in answer.body:
                return ("conflict", "")
            return ("error", f"{url}: HTTP {answer.status}")

        return load, send

    def approval_race(index: int, pk: int):
        ports = (first, second) if index % 2 else (second, first)
        steps = [
            approve_step(approvers[name].clone(port), pk)
            for name, port in zip(("approver", "approver2"), ports, strict=True)
        ]
        return pk, at_once(steps)

    def edit_race(index: int, pk: int, objective: int):
        ports = (first, second) if index % 2 else (second, first)
        steps = [
            edit_step(officers[name].clone(port), pk, objective, f"Saved by {name} ({index})")
            for name, port in zip(("officer2", "officer3"), ports, strict=True)
        ]
        return objective, at_once(steps)

    with ThreadPoolExecutor(max_workers=4) as pool:
        approvals = list(pool.map(lambda item: approval_race(*item), enumerate(plan["submitted"])))
        edits = list(pool.map(lambda item: edit_race(item[0], *item[1]), enumerate(plan["drafts"])))
    outcomes = [outcome for _pk, results in approvals + edits for outcome in results]
    with lock:
        errors += [detail for kind, detail in outcomes if kind == "error"]

    import psycopg

    with psycopg.connect(database) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, count(*) FROM programmes_historicalprogramme "
            "WHERE history_change_reason = 'approve' AND id = ANY(%s) GROUP BY id",
            [plan["submitted"]],
        )
        transitions = dict(cursor.fetchall())
        cursor.execute(
            "SELECT id, status FROM programmes_programme WHERE id = ANY(%s)", [plan["submitted"]]
        )
        statuses = dict(cursor.fetchall())
        objectives = [objective for _pk, objective in plan["drafts"]]
        cursor.execute(
            "SELECT id, title FROM programmes_objective WHERE id = ANY(%s)", [objectives]
        )
        titles = dict(cursor.fetchall())
        cursor.execute(
            "SELECT id, count(*) FROM programmes_historicalobjective "
            "WHERE history_type = '~' AND id = ANY(%s) GROUP BY id",
            [objectives],
        )
        changes = dict(cursor.fetchall())

    double = sum(1 for pk in plan["submitted"] if transitions.get(pk, 0) > 1)
    not_approved = sum(1 for pk in plan["submitted"] if statuses.get(pk) != "approved")
    lost = 0
    for objective, results in edits:
        saved = [detail for kind, detail in results if kind == "saved"]
        # Lost: two saves accepted, or the objective not holding the accepted one.
        if len(saved) > 1 or (saved and titles.get(objective) != saved[0]):
            lost += 1
        if changes.get(objective, 0) != len(saved):
            lost += 1
    kinds = [kind for _pk, results in approvals for kind, _detail in results]
    edit_kinds = [kind for _pk, results in edits for kind, _detail in results]
    if not_approved:
        errors.append(f"{not_approved} programmes not approved at all")
    return {
        "approvals": {
            "programmes": len(approvals),
            "accepted": kinds.count("accepted"),
            "refused": kinds.count("refused"),
            "transitions": sum(transitions.values()),
        },
        "edits": {
            "objectives": len(edits),
            "saved": edit_kinds.count("saved"),
            "conflicts": edit_kinds.count("conflict"),
        },
        "double_transitions": double,
        "lost_updates": lost,
        "errors": len(errors),
        "error_samples": errors[:10],
    }
