"""The workflow's matrix of role, action and status, driven through the pages' POST endpoints.

``tests/programmes/test_workflow.py`` proves the rules on ``programmes.workflow`` itself; this module proves
that the pages keep them: for every status a programme can be in, every action a page offers and
every role (logged out included), the answer is the one the rules below give, and the database
holds what it should afterwards. The rules are written out again here, independently of
``programmes.workflow.ALLOWED_FROM`` and of the test of the functions.

Each cell runs in a transaction rolled back afterwards, so every role meets the same state.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from pfp.roles import Role
from programmes.models import Comment, Objective, Programme, ProgrammeStatus
from programmes.workflow import Action
from tests.support.snapshots import state_after, tables_written
from tests.support.urlwalk import ROLES, build_world, changed_tables, database_state
from tests.support.workflow_rules import FROM, MAY, hidden_from

pytestmark = pytest.mark.django_db

S = ProgrammeStatus

# The status a step leaves the programme in (None: unchanged), the history rows it adds to the
# programme itself, and what else it adds (a count of the programme's objectives, comments or
# revisions).
AFTER = {
    Action.EDIT: (None, 0, "objectives"),
    Action.COMMENT: (None, 0, "comments"),
    Action.SUBMIT: (S.SUBMITTED, 1, None),
    Action.WITHDRAW: (S.WITHDRAWN, 1, None),
    Action.RETURN: (S.RETURNED, 1, "comments"),
    Action.APPROVE: (S.APPROVED, 1, None),
    Action.RECORD_AGREEMENT: (S.AGREED, 1, None),
    Action.REVISE: (None, 0, "revisions"),
    Action.CLOSE: (S.CLOSED, 1, None),
    Action.SHARE: (None, 1, None),
    Action.ACCEPT: (S.AGREED, 1, None),
    Action.DECLINE: (S.RETURNED, 1, "comments"),
}
# The page of each action ("edit" is adding an objective), and whether it has a form to GET.
URL_NAMES = {
    Action.EDIT: ("programmes:objective_create", True),
    Action.COMMENT: ("programmes:comment_add", False),
    Action.SUBMIT: ("programmes:programme_submit", True),
    Action.WITHDRAW: ("programmes:programme_withdraw", True),
    Action.RETURN: ("programmes:programme_return", True),
    Action.APPROVE: ("programmes:programme_approve", True),
    Action.RECORD_AGREEMENT: ("programmes:programme_agreement", True),
    Action.REVISE: ("programmes:programme_revise", False),
    Action.CLOSE: ("programmes:programme_close", True),
    Action.SHARE: ("programmes:programme_share", True),
    Action.ACCEPT: ("programmes:programme_accept", True),
    Action.DECLINE: ("programmes:programme_decline", True),
}


APPROVERS_PAGES = {Action.RETURN, Action.APPROVE, Action.RECORD_AGREEMENT, Action.CLOSE}


def expected(role: str, action: str, status: str) -> str:
    if role == "anonymous":
        return "login"
    if hidden_from(role, status):
        # The approvers' pages refuse any other role before they look the version up.
        return "role" if action in APPROVERS_PAGES else "hidden"
    if role not in MAY[action]:
        return "role"
    return "done" if status in FROM[action] else "status"


def form_data(action: str, programme: Programme) -> dict:
    """Valid input for the step's form."""
    stamp = {"seen_stamp": programme.edit_stamp}
    return {
        Action.EDIT: {"title": "An objective added over HTTP"},
        Action.COMMENT: {"text": "Seen.", "kind": Comment.Kind.NOTE},
        Action.SUBMIT: stamp,
        Action.WITHDRAW: stamp,
        Action.RETURN: {"comment": "Please add a goal on cyber defence."},
        Action.APPROVE: stamp,
        Action.RECORD_AGREEMENT: {
            "agreed_on": timezone.localdate().isoformat(),
            "signatory": "Minister of Foreign Affairs",
        },
        Action.REVISE: {},
        Action.CLOSE: {"reason": "The partner asked."},
        Action.SHARE: {},
        Action.ACCEPT: stamp,
        Action.DECLINE: {"comment": "The partner asks for more exercises.", **stamp},
    }[action]


def effect_count(what: str | None, programme: Programme) -> int:
    if what == "objectives":
        return Objective.objects.filter(programme=programme).count()
    if what == "comments":
        return Comment.objects.filter(programme=programme).count()
    if what == "revisions":
        return Programme.objects.filter(revises=programme).count()
    return 0


@dataclass
class Cell:
    status_code: int
    location: str
    levels: set[str]
    changed: list[str]
    status_after: str = ""
    history_added: int = 0
    effect_added: dict[str, int] | None = None


class _Rollback(Exception):
    pass


def run_cell(
    client: Client, method: str, url: str, data: dict, programme: Programme, before: dict
) -> Cell:
    """One request, rolled back with the client's cookies. ``before``: the database as the
    request finds it (``database_state()``), the same for every cell of a matrix, since each
    rolls back what it did."""
    cookies = copy.deepcopy(client.cookies)
    history, effect = programme.history.count(), {}
    for what in ("objectives", "comments", "revisions"):
        effect[what] = effect_count(what, programme)
    try:
        with transaction.atomic():
            with tables_written() as written:
                response = getattr(client, method)(url, data)
            after = Programme.objects.get(pk=programme.pk)
            cell = Cell(
                response.status_code,
                response.get("Location", ""),
                {m.level_tag for m in get_messages(response.wsgi_request)},
                changed_tables(before, state_after(before, written)),
                after.status,
                after.history.count() - history,
                {what: effect_count(what, programme) - n for what, n in effect.items()},
            )
            raise _Rollback
    except _Rollback:
        pass
    client.cookies = cookies
    return cell


def redirects_to(location: str, view_name: str) -> bool:
    return resolve(urlsplit(location).path).view_name == view_name


@pytest.fixture(scope="class")
def built_world(class_transaction):
    """``build_world()``, once for a class: each cell of a matrix rolls back what it did."""
    return build_world()


@pytest.fixture
def world(built_world, db):
    return copy.deepcopy(built_world)


@pytest.fixture
def clients(world):
    clients = {}
    for role in ROLES:
        clients[role] = Client(raise_request_exception=False)
        if role != "anonymous":
            clients[role].force_login(world.users[role])
    return clients


class TestMatrixOverHttp:
    @pytest.mark.parametrize("action", list(Action))
    def test_post(self, world, clients, action):
        name, _ = URL_NAMES[action]
        wrong, cells = [], 0
        before = database_state()
        for status in S.values:
            programme = world.programmes[status]
            url = reverse(name, args=[programme.pk])
            for role, client in clients.items():
                data = form_data(action, programme)
                cell = run_cell(client, "post", url, data, programme, before)
                cells += 1
                problem = self.check(action, status, role, cell, programme)
                if problem:
                    wrong.append((status, role, problem))
        assert not wrong, "\n".join(map(str, wrong))
        assert cells == len(S.values) * len(ROLES)

    def check(self, action, status, role, cell: Cell, programme) -> str:
        """What is wrong with the cell, or ""."""
        if cell.status_code >= 500:
            return f"server error {cell.status_code}"
        outcome = expected(role, action, status)
        if outcome != "done" and cell.changed:
            return f"{outcome}: refused, yet changed {cell.changed}"
        if outcome == "login":
            ok = cell.status_code == 302 and redirects_to(cell.location, "login")
            return "" if ok else f"not sent to login: {cell.status_code}"
        if outcome == "role":
            return "" if cell.status_code == 403 else f"not 403: {cell.status_code}"
        if outcome == "hidden":
            return "" if cell.status_code == 404 else f"not 404: {cell.status_code}"
        if outcome == "status":
            ok = (
                cell.status_code == 302
                and redirects_to(cell.location, "programmes:programme_detail")
                and cell.levels & {"warning", "error"}
                and "success" not in cell.levels
            )
            return "" if ok else f"wrong status not explained: {cell.status_code} {cell.levels}"
        status_after, history_added, effect = AFTER[action]
        detail = "programmes:programme_detail"
        problems = []
        if cell.status_code != 302 or not redirects_to(cell.location, detail):
            problems.append(f"no redirect to a programme: {cell.status_code}")
        if "success" not in cell.levels:
            problems.append(f"no success message: {cell.levels}")
        if cell.status_after != (status_after or status):
            problems.append(f"status after: {cell.status_after}")
        if cell.history_added != history_added:
            problems.append(f"history rows added: {cell.history_added}")
        for what, added in cell.effect_added.items():
            if added != (1 if what == effect else 0):
                problems.append(f"{what} added: {added}")
        return "; ".join(problems)

    @pytest.mark.parametrize(
        "action", [action for action in Action if URL_NAMES[action][1]], ids=str
    )
    def test_get(self, world, clients, action):
        """The step's form page: shown to who may take it now, 403 to other roles, and a
        message on the programme page when the status does not allow it."""
        name, _ = URL_NAMES[action]
        wrong = []
        for status in S.values:
            programme = world.programmes[status]
            url = reverse(name, args=[programme.pk])
            for role, client in clients.items():
                response = client.get(url)
                outcome = expected(role, action, status)
                levels = {m.level_tag for m in get_messages(response.wsgi_request)}
                ok = {
                    "login": response.status_code == 302
                    and redirects_to(response.get("Location", ""), "login"),
                    "role": response.status_code == 403,
                    "hidden": response.status_code == 404,
                    "status": response.status_code == 302 and bool(levels & {"warning", "error"}),
                    "done": response.status_code == 200,
                }[outcome]
                if not ok:
                    wrong.append((status, role, outcome, response.status_code))
        assert not wrong, "\n".join(map(str, wrong))


class TestFourEyesOverHttp:
    def test_an_approver_who_edited_the_version_gets_403(self, world, client):
        """An officer who is also an approver edits the submitted version's earlier draft, then
        tries to approve it through the page: 403 with the reason, nothing changed."""
        both = world.users["officer"]
        both.groups.add(Group.objects.get(name=Role.APPROVER))
        submitted = world.programmes[S.SUBMITTED]  # drafted and submitted by this officer
        client.force_login(both)
        before = database_state()
        url = reverse("programmes:programme_approve", args=[submitted.pk])
        response = client.post(url, {"seen_stamp": submitted.edit_stamp})
        assert response.status_code == 403
        assert "another approver must approve it" in response.text
        assert client.get(url).status_code == 403
        assert changed_tables(before, database_state()) == []
        submitted.refresh_from_db()
        assert submitted.status == S.SUBMITTED
        assert submitted.approved_by is None
