"""Who reaches what: every URL pattern, walked as every role, against the table of
``tests/support/security_matrix.py``.

``PAGES`` says, for each URL name of the site and for each role (logged out, no role, viewer,
the programme officer assigned to the partner, an officer of another partner, approver, menu
manager, administrator), what a GET answers and what a POST with valid input does. The admin
site's patterns follow one rule (``ADMIN_*``). A URL pattern that is in neither fails the suite,
and so does a row for a pattern that no longer exists.

Each POST runs inside a transaction that is rolled back afterwards, so that every role starts
from the same state, and the whole database (every table, history and many-to-many tables
included) is compared before and after: a refusal must leave it exactly as it was, a step that
is taken must change it.

The cross-partner tests then try everything an officer of another partner could send against
the partner's programmes, in every status and with ids mixed between the two partners.

The world they walk is built once for the module; each test runs in a savepoint rolled back at
its end (``tests.support.worlds``).
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve, reverse

from programmes.models import Goal, Objective, Priority
from tests.support.security_matrix import (
    ADMIN_POSTS,
    ADMIN_REFUSED,
    DONE,
    KNOWN_WARNINGS,
    LOGIN,
    PAGES,
    Observed,
    expected_get,
    expected_post,
    is_admin_pattern,
    matches,
    outcomes,
    post_and_roll_back,
    post_data,
    request,
)
from tests.support.snapshots import changed_tables, database_state
from tests.support.urlwalk import (
    ROLES,
    every_url,
    url_keywords,
    url_patterns,
    world_values,
)

pytestmark = pytest.mark.django_db


# --- The tests --------------------------------------------------------------------------------


@pytest.fixture
def clients(world):
    """A client per role, signed in (before the URLs are filled: a sign-in is a login record,
    which the admin's pages of login records then show)."""
    clients = {}
    for role in ROLES:
        clients[role] = Client(raise_request_exception=False)
        if role != "anonymous":
            clients[role].force_login(world.users[role])
    return clients


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
            # 401: the API's answer to a caller without credentials (its login is a token).
            # 400: django-otp-webauthn's JSON views, without the browser's answer.
            assert set(outcomes(get).values()) <= {
                *(LOGIN, "200", "302", "401", "403", "404", "405")
            }, name
            assert set(outcomes(post).values()) <= {
                *(LOGIN, DONE, "200+", "200", "302", "400", "401", "403", "404", "405")
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
        before = database_state()  # what every POST finds: each one is rolled back
        for entry in walked:
            for role, client in clients.items():
                data = post_data(entry.name, entry.url, world)
                seen = post_and_roll_back(client, entry.url, entry.name, data, before=before)
                expected = expected_post(entry.name, role)
                if not matches(expected, seen, entry.name):
                    wrong.append((entry.name, role, expected, seen.status, seen.changed))
        assert not wrong, "\n".join(map(str, wrong))


# --- Cross-partner access ---------------------------------------------------------------------

# The pages of one programme that only read it: every staff role may open them.
READ_PAGES = {
    "programmes:programme_detail",
    "programmes:programme_compare",
    "programmes:programme_delivery",
}
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
