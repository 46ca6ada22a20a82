"""Who reaches what: every URL pattern, walked as every role, against a table kept here.

``PAGES`` says, for each URL name of the site and for each role (logged out, no role, viewer,
the programme officer assigned to the partner, an officer of another partner, approver, menu
manager, administrator), what a GET answers and what a POST with valid input does. The admin
site's patterns follow one rule (``ADMIN``). A URL pattern that is in neither fails the suite,
and so does a row for a pattern that no longer exists.

Each POST runs inside a transaction that is rolled back afterwards, so that every role starts
from the same state, and the whole database (every table, history and many-to-many tables
included) is compared before and after: a refusal must leave it exactly as it was, a step that
is taken must change it.

The cross-partner tests then try everything an officer of another partner could send against
the partner's programmes, in every status and with ids mixed between the two partners.
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import model_to_dict
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.deprecation import RemovedInDjango2028Warning

from programmes.menu.forms import ActivityForm
from programmes.models import Goal, Objective, PlannedActivity, Priority, Programme
from tests.support.factories import TEST_PASSWORD
from tests.support.urlwalk import (
    ROLES,
    build_world,
    changed_tables,
    database_state,
    every_url,
    menu_csv,
    url_keywords,
    url_patterns,
    world_values,
)

pytestmark = pytest.mark.django_db

# Outcomes. A number is that status code with nothing changed; the number followed by "+" is
# that status code after the step was taken (the database changed); DONE is "302+", a redirect
# after the step; LOGIN is a redirect to the login page, nothing changed.
LOGIN = "L"
DONE = "302+"

# fmt: off
# One row per URL name: (GET, POST), each an outcome per role, in this order:
#                                  anon   none  viewer offcr other apprv menu  admin
PAGES = {
    "home":                        ("L     200   200   200   200   200   200   200",
                                    "L     405   405   405   405   405   405   405"),
    "partners:list":               ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "partners:detail":             ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    # The cooperation menu: everyone reads it, menu managers (and administrators) change it.
    "programmes:activity_list":    ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:activity_export":  ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:activity_detail":  ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:activity_create":  ("L     403   403   403   403   403   200   200",
                                    "L     403   403   403   403   403   DONE  DONE"),
    "programmes:activity_edit":    ("L     403   403   403   403   403   200   200",
                                    "L     403   403   403   403   403   DONE  DONE"),
    "programmes:activity_retire":  ("L     403   403   403   403   403   405   405",
                                    "L     403   403   403   403   403   DONE  DONE"),
    "programmes:import_list":      ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:import_detail":    ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:import_upload":    ("L     403   403   403   403   403   200   200",
                                    "L     403   403   403   403   403   DONE  DONE"),
    # Only the person who uploaded a file applies it: the administrator is told so.
    "programmes:import_apply":     ("L     403   403   403   403   403   405   405",
                                    "L     403   403   403   403   403   DONE  302"),
    # Programmes: every staff role reads them.
    "programmes:programme_list":   ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:programme_detail": ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:programme_compare":("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    # Officers start programmes for their own partners only (the other officer's form refuses
    # the partner, 200 with the error).
    "programmes:programme_create": ("L     403   403   200   200   403   403   200",
                                    "L     403   403   DONE  200   403   403   DONE"),
    "programmes:review_queue":     ("L     403   403   403   403   200   403   200",
                                    "L     403   403   403   403   405   403   405"),
    # Drafting, on the partner's complete draft (deletions on a second draft with an empty
    # objective and an empty goal): its officer and administrators only.
    "programmes:programme_edit":   ("L     403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:objective_create": ("L     403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:objective_edit":   ("L     403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:objective_delete": ("L     403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:objective_move":   ("L     403   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:goal_create":      ("L     403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:goal_edit":        ("L     403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:goal_delete":      ("L     403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:goal_move":        ("L     403   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:activity_pick":    ("L     403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:planned_edit":     ("L     403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:planned_remove":   ("L     403   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:programme_submit": ("L     403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    "programmes:programme_withdraw":("L    403   403   200   403   403   403   200",
                                    "L     403   403   DONE  403   403   403   DONE"),
    # Comments: the partner's officers and approvers.
    "programmes:comment_add":      ("L     403   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   DONE  403   DONE"),
    # Revising, on the agreed version.
    "programmes:programme_revise": ("L     403   405   405   405   405   405   405",
                                    "L     403   403   DONE  403   403   403   DONE"),
    # Review steps, each on a version in the status it starts from: approvers.
    "programmes:programme_approve":("L     403   403   403   403   200   403   200",
                                    "L     403   403   403   403   DONE  403   DONE"),
    "programmes:programme_return": ("L     403   403   403   403   200   403   200",
                                    "L     403   403   403   403   DONE  403   DONE"),
    "programmes:programme_agreement":("L   403   403   403   403   200   403   200",
                                    "L     403   403   403   403   DONE  403   DONE"),
    "programmes:programme_close":  ("L     403   403   403   403   200   403   200",
                                    "L     403   403   403   403   DONE  403   DONE"),
    # Reports: every staff role reads them; nothing to post.
    "programmes:report_index":     ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:partner_report":   ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:partner_report_download":
                                   ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:cross_report":     ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    "programmes:cross_report_export":
                                   ("L     403   200   200   200   200   200   200",
                                    "L     403   405   405   405   405   405   405"),
    # Accounts. A signed-in user is sent on from the login page; an empty login form is
    # refused; logging out ends the session and shows a page; the language choice is a cookie
    # before login, and saved on the account after.
    "login":                       ("200   302   302   302   302   302   302   302",
                                    "200   302   302   302   302   302   302   302"),
    "logout":                      ("L     405   405   405   405   405   405   405",
                                    "L     200+  200+  200+  200+  200+  200+  200+"),
    "password_change":             ("L     200   200   200   200   200   200   200",
                                    "L     DONE  DONE  DONE  DONE  DONE  DONE  DONE"),
    "password_change_done":        ("L     200   200   200   200   200   200   200",
                                    "L     405   405   405   405   405   405   405"),
    "set_language":                ("302   302   302   302   302   302   302   302",
                                    "302   302+  302+  302+  302+  302+  302+  302+"),
}
# fmt: on


def outcomes(row: str) -> dict[str, str]:
    cells = [DONE if cell == "DONE" else cell for cell in row.split()]
    assert len(cells) == len(ROLES), row
    return dict(zip(ROLES, cells, strict=True))


# The admin site, one rule: administrators are served (200, or a redirect within the admin),
# everyone else is sent to a login page. Exceptions for administrators, by URL name: what the
# admin classes refuse by design (nothing is deleted, imports and workflow contents are not added
# by hand, the login log is read-only) and what needs a query the walk does not send.
ADMIN_REFUSED = {
    "admin:programmes_activity_delete": 403,
    "admin:programmes_menuimport_add": 403,
    "admin:programmes_menuimport_delete": 403,
    "admin:programmes_programme_delete": 403,
    "admin:programmes_objective_add": 403,
    "admin:programmes_objective_delete": 403,
    "admin:programmes_plannedactivity_add": 403,
    "admin:programmes_plannedactivity_delete": 403,
    "admin:axes_accessattempt_add": 403,
    "admin:axes_accesslog_add": 403,
    "admin:axes_accessfailurelog_add": 403,
    "admin:autocomplete": 403,  # asked without its app, model and field
    "admin:logout": 405,  # GET; logging out is a POST
    "admin/(?P<url>.*)$": 404,  # the catch-all, for a page that does not exist
}

# An administrator's POST without input changes nothing, except: logging out ends the session
# (and shows a page), and saving a read-only login record unchanged writes the admin's log.
ADMIN_POSTS = {
    "admin:logout": "200+",
    "admin:axes_accesslog_change": "302+",
}

# Known warnings, by URL name, that the walk lets pass (``filterwarnings = error`` would turn
# them into server errors): django-simple-history's history page calls ``select_related()``
# without arguments for a model without foreign keys (Partner), which Django 6.1 deprecates.
# Reported; the page serves normally in production, where warnings are not errors.
KNOWN_WARNINGS = {
    "admin:partners_partner_history": (
        RemovedInDjango2028Warning,
        r"Calling select_related\(\) with no arguments",
    ),
}


def is_admin_pattern(name: str) -> bool:
    return name.startswith(("admin:", "admin/"))


def expected_get(name: str, role: str) -> str:
    if not is_admin_pattern(name):
        return outcomes(PAGES[name][0])[role]
    if name == "admin:login":  # the admin's login page: shown, or on to the index once in
        return "302" if role == "administrator" else "200"
    if role != "administrator":
        return "admin-login"
    return str(ADMIN_REFUSED.get(name, "200|302"))


def expected_post(name: str, role: str) -> str:
    if not is_admin_pattern(name):
        return outcomes(PAGES[name][1])[role]
    if name == "admin:login":  # an empty login form
        return "200"
    if role != "administrator":
        return "admin-login"
    return ADMIN_POSTS.get(name, "kept")


# --- Walking --------------------------------------------------------------------------------


@dataclass
class Observed:
    status: int
    location: str
    changed: list[str]


def login_page(location: str) -> str:
    """The login page a redirect leads to ("login", "admin:login"), or ""."""
    try:
        match = resolve(urlsplit(location).path)
    except Resolver404:
        return ""
    return match.view_name if match.view_name in ("login", "admin:login") else ""


def matches(expected: str, seen: Observed, name: str) -> bool:
    if seen.status >= 500:
        return False
    if expected == LOGIN:
        return seen.status == 302 and login_page(seen.location) == "login" and not seen.changed
    if expected == "admin-login":
        # A login page; logging out of an admin one never entered may lead to its index instead,
        # which sends on to the login (its own rule).
        if seen.status != 302 or seen.changed:
            return False
        if name == "admin:logout" and resolve(urlsplit(seen.location).path).view_name == (
            "admin:index"
        ):
            return True
        return login_page(seen.location) in ("login", "admin:login")
    if expected.endswith("+"):
        return str(seen.status) == expected[:-1] and bool(seen.changed)
    if expected == "kept":
        return not seen.changed
    return str(seen.status) in expected.split("|") and not seen.changed


def request(client: Client, method: str, url: str, name: str, data=None):
    with warnings.catch_warnings():
        if name in KNOWN_WARNINGS:
            category, message = KNOWN_WARNINGS[name]
            warnings.filterwarnings("ignore", message=message, category=category)
        if method == "get":
            return client.get(url)
        return client.post(url, data or {})


class _Rollback(Exception):
    pass


def post_and_roll_back(client: Client, url: str, name: str, data: dict) -> Observed:
    """POST, see what changed, then undo it all (the client's cookies included)."""
    cookies = copy.deepcopy(client.cookies)
    before = database_state()
    seen = None
    try:
        with transaction.atomic():
            response = request(client, "post", url, name, data)
            changed = changed_tables(before, database_state())
            seen = Observed(response.status_code, response.get("Location", ""), changed)
            raise _Rollback
    except _Rollback:
        pass
    client.cookies = cookies
    return seen


def clients_for(world) -> dict[str, Client]:
    clients = {}
    for role in ROLES:
        clients[role] = Client(raise_request_exception=False)
        if role != "anonymous":
            clients[role].force_login(world.users[role])
    return clients


# --- Valid input for each state-changing URL -------------------------------------------------


def activity_form_data(activity=None, **changes) -> dict:
    from programmes.menu.models import Area, Provider

    if activity is None:
        data = {
            "code": "WALK-0200",
            "title_en": "Walked workshop",
            "title_fr": "Atelier parcouru",
            "description_en": "",
            "description_fr": "",
            "area": Area.objects.order_by("order").first().pk,
            "type": "workshop",
            "provider": Provider.objects.order_by("pk").first().pk,
            "delivery_mode": "online",
            "length_days": 3,
            "first_offered": 2026,
        }
    else:
        fields = [name for name in ActivityForm.Meta.fields if name != "retired_in"]
        data = {
            key: ("" if value is None else value)
            for key, value in model_to_dict(activity, fields=fields).items()
        }
    return {**data, **changes}


def post_data(name: str, url: str, world) -> dict:
    """What a user allowed to take the step would send (fresh objects each time: uploads)."""
    kwargs = resolve(urlsplit(url).path).kwargs
    programme = None
    if "pk" in kwargs and name.startswith("programmes:") and "import" not in name:
        programme = Programme.objects.get(pk=kwargs["pk"])
    stamp = {"seen_stamp": programme.edit_stamp} if programme else {}
    if name == "programmes:programme_create":
        return {"partner": world.partner.code, "title": "A second programme", "start_year": 2050}
    if name == "programmes:programme_edit":
        return {"title": "Renamed", "summary": "", "start_year": programme.start_year, **stamp}
    if name in ("programmes:objective_create", "programmes:goal_create"):
        return {"title": "Added by the walk", "description": ""}
    if name == "programmes:objective_edit":
        return {"title": "Renamed objective", "description": "", **stamp}
    if name in ("programmes:objective_move", "programmes:goal_move"):
        return {"direction": "down"}
    if name == "programmes:goal_edit":
        goal = Goal.objects.get(pk=kwargs["goal_pk"])
        return {"objective": goal.objective_id, "title": "Renamed goal", **stamp}
    if name == "programmes:activity_pick":
        goal = Goal.objects.filter(objective__programme=programme).order_by("pk").first()
        return {
            "activity": world.activity.pk,
            "year": programme.start_year + 1,
            "goal": goal.pk if goal else "",
            "priority": Priority.HIGH,
        }
    if name == "programmes:planned_edit":
        planned = PlannedActivity.objects.get(pk=kwargs["planned_pk"])
        return {
            "year": programme.start_year + planned.year - 1,
            "goal": planned.goal_id,
            "priority": planned.priority,
            "notes": "Changed by the walk",
            **stamp,
        }
    if name == "programmes:comment_add":
        # Approvers choose the kind of comment (a note or a review remark); officers cannot.
        return {"text": "A comment from the walk.", "kind": "note"}
    if name == "programmes:programme_return":
        return {"comment": "Please add a goal on cyber defence."}
    if name == "programmes:programme_agreement":
        return {"agreed_on": timezone.localdate().isoformat(), "signatory": "Minister of Defence"}
    if name == "programmes:programme_close":
        return {"reason": "The partner asked."}
    if name == "programmes:activity_create":
        return activity_form_data()
    if name == "programmes:activity_edit":
        return activity_form_data(world.activity, length_days=9)
    if name == "programmes:activity_retire":
        return {"year": 2026}
    if name == "programmes:import_upload":
        return {"file": SimpleUploadedFile("menu.csv", menu_csv("WALK-0300"), "text/csv")}
    if name == "password_change":
        new = "a-much-longer-passphrase-for-the-walk"
        return {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new}
    if name == "set_language":
        return {"language": "fr", "next": "/"}
    return stamp


# --- The tests --------------------------------------------------------------------------------


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def clients(world):
    """A client per role, signed in (before the URLs are filled: a sign-in is a login record,
    which the admin's pages of login records then show)."""
    return clients_for(world)


@pytest.fixture
def walked(world, clients):
    return every_url(world_values(world))


class TestTable:
    def test_every_pattern_is_in_the_table_and_every_row_is_a_pattern(self, walked):
        names = {entry.name for entry in walked}
        missing = sorted(name for name in names if not is_admin_pattern(name) and name not in PAGES)
        assert not missing, f"URL patterns without a row in PAGES: {missing}"
        stale = sorted(set(PAGES) - names)
        assert not stale, f"rows of PAGES for no URL pattern: {stale}"
        stale_admin = sorted((set(ADMIN_REFUSED) | set(ADMIN_POSTS) | set(KNOWN_WARNINGS)) - names)
        assert not stale_admin, stale_admin

    def test_rows_are_well_formed(self):
        for name, (get, post) in PAGES.items():
            assert set(outcomes(get).values()) <= {LOGIN, "200", "302", "403", "404", "405"}, name
            assert set(outcomes(post).values()) <= {
                *(LOGIN, DONE, "200+", "200", "302", "403", "405")
            }, name


class TestWalk:
    def test_get_every_url_as_every_role(self, world, clients, walked):
        wrong = []
        for entry in walked:
            for role, client in clients.items():
                response = request(client, "get", entry.url, entry.name)
                seen = Observed(response.status_code, response.get("Location", ""), [])
                expected = expected_get(entry.name, role)
                if not matches(expected, seen, entry.name):
                    wrong.append((entry.name, role, expected, seen.status, seen.location))
        assert not wrong, "\n".join(map(str, wrong))
        # The figure for the closing note: patterns walked per role.
        assert len(walked) >= 120, len(walked)

    def test_post_every_url_as_every_role(self, world, clients, walked):
        wrong = []
        for entry in walked:
            for role, client in clients.items():
                data = post_data(entry.name, entry.url, world)
                seen = post_and_roll_back(client, entry.url, entry.name, data)
                expected = expected_post(entry.name, role)
                if not matches(expected, seen, entry.name):
                    wrong.append((entry.name, role, expected, seen.status, seen.changed))
        assert not wrong, "\n".join(map(str, wrong))


# --- Cross-partner access ---------------------------------------------------------------------

# The pages of one programme that only read it: every staff role may open them.
READ_PAGES = {"programmes:programme_detail", "programmes:programme_compare"}
REFUSED = {403, 404}


def programme_urls(programme) -> dict[str, str]:
    """Every page of one programme and of its contents, by URL name (those its contents allow:
    a version without planned activities has no pages of one)."""
    objective = programme.objectives.order_by("order").first()
    goal = Goal.objects.filter(objective__programme=programme).order_by("pk").first()
    planned = programme.planned_activities.order_by("pk").first()
    ids = {
        "pk": programme.pk,
        "objective_pk": objective.pk if objective else None,
        "goal_pk": goal.pk if goal else None,
        "planned_pk": planned.pk if planned else None,
    }
    urls = {}
    for name, pattern in url_patterns():
        if name and name.startswith("programmes:") and pattern.startswith("programmes/<int:pk>/"):
            keys = url_keywords(pattern)
            if all(ids[key] is not None for key in keys):
                urls[name] = reverse(name, kwargs={key: ids[key] for key in keys})
    return urls


class TestCrossPartner:
    """An officer of another partner neither opens an edit form of the partner's programmes nor
    changes, submits, withdraws, revises or deletes anything in them, whatever the status and
    whatever ids are put in the URL or the form."""

    def attempt_everything(self, client, programmes, world) -> list:
        wrong = []
        for programme in programmes:
            for name, url in programme_urls(programme).items():
                response = client.get(url)
                allowed = {200} if name in READ_PAGES else {*REFUSED, 405}
                if response.status_code not in allowed:
                    wrong.append(("GET", programme.status, name, response.status_code))
                seen = post_and_roll_back(client, url, name, post_data(name, url, world))
                if seen.status not in ({405} if name in READ_PAGES else REFUSED) or seen.changed:
                    wrong.append(("POST", programme.status, name, seen.status, seen.changed))
        return wrong

    def test_other_officer_against_every_version_of_the_partner(self, world):
        partner_versions = [p for p in world.programmes.values() if p.partner == world.partner]
        assert len(partner_versions) == 9  # every status, and the sketch
        client = Client(raise_request_exception=False)
        client.force_login(world.users["other_officer"])
        before = database_state()
        wrong = self.attempt_everything(client, partner_versions, world)
        assert not wrong, "\n".join(map(str, wrong))
        assert changed_tables(before, database_state()) == []

    def test_and_the_other_way_round(self, world):
        client = Client(raise_request_exception=False)
        client.force_login(world.users["officer"])
        before = database_state()
        wrong = self.attempt_everything(client, [world.programmes["other"]], world)
        assert not wrong, "\n".join(map(str, wrong))
        assert changed_tables(before, database_state()) == []

    def test_ids_of_the_partner_inside_urls_of_ones_own_programme(self, world):
        """The other officer's own draft in the URL, the partner's objective, goal or planned
        activity as the item: 404, nothing changed."""
        own, theirs = world.programmes["other"], world.draft
        client = Client(raise_request_exception=False)
        client.force_login(world.users["other_officer"])
        own_urls = programme_urls(own)
        foreign = {
            "objective_pk": theirs.objectives.order_by("pk").first().pk,
            "goal_pk": Goal.objects.filter(objective__programme=theirs).order_by("pk")[0].pk,
            "planned_pk": theirs.planned_activities.order_by("pk").first().pk,
        }
        before = database_state()
        tried = 0
        for name in own_urls:
            kwargs = resolve(own_urls[name]).kwargs
            mixed = {key: foreign.get(key, value) for key, value in kwargs.items()}
            if mixed == kwargs:
                continue
            url = reverse(name, kwargs=mixed)
            assert client.get(url).status_code in (404, 405), (name, url)
            data = post_data(name, own_urls[name], world)
            seen = post_and_roll_back(client, url, name, data)
            assert (seen.status, seen.changed) == (404, []), (name, url)
            tried += 1
        assert tried == 9  # four objective, three goal and two planned-activity pages
        assert changed_tables(before, database_state()) == []

    def test_ids_of_the_partner_inside_forms_of_ones_own_programme(self, world):
        """Forms of the other officer's own draft naming the partner's goal, objective or
        partner: refused by the form, nothing changed anywhere."""
        own, theirs = world.programmes["other"], world.draft
        their_goal = Goal.objects.filter(objective__programme=theirs).order_by("pk")[0]
        their_objective = theirs.objectives.order_by("pk").first()
        own_goal = Goal.objects.filter(objective__programme=own).get()
        own_planned = own.planned_activities.get()
        client = Client(raise_request_exception=False)
        client.force_login(world.users["other_officer"])
        attempts = [
            (
                "programmes:activity_pick",
                {"pk": own.pk},
                {
                    "activity": world.activity.pk,
                    "year": own.start_year,
                    "goal": their_goal.pk,
                    "priority": Priority.HIGH,
                },
            ),
            (
                "programmes:goal_edit",
                {"pk": own.pk, "goal_pk": own_goal.pk},
                {
                    "objective": their_objective.pk,
                    "title": "Moved away",
                    "seen_stamp": own.edit_stamp,
                },
            ),
            (
                "programmes:planned_edit",
                {"pk": own.pk, "planned_pk": own_planned.pk},
                {
                    "year": own.start_year,
                    "goal": their_goal.pk,
                    "priority": Priority.HIGH,
                    "seen_stamp": own.edit_stamp,
                },
            ),
            (
                "programmes:programme_create",
                {},
                {"partner": world.partner.code, "title": "Not mine", "start_year": 2050},
            ),
        ]
        before = database_state()
        for name, kwargs, data in attempts:
            response = client.post(reverse(name, kwargs=kwargs), data)
            assert response.status_code in (200, 302), name
            assert changed_tables(before, database_state()) == [], name
        assert Objective.objects.filter(programme=own).count() == 1
