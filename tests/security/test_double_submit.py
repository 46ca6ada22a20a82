"""Double submission: the same POST twice in a row, and ten times at once.

A double click, a reloaded confirmation page or an impatient user sends the same request again.
A transition must then happen once: the repeat is refused with a message (the status has moved
on), never a server error, and it writes nothing at all. Creating something that must be unique
(an activity planned in a year, a menu code, an applied import) is refused the second time too.

Ten at once: ten clients (ten sessions of the user who may take the step), ten threads released
together by a barrier, each with its own database connection (closed at the end of the thread,
as a server's would be): exactly one step, every other request answered with a message, no
server error. On PostgreSQL the workflow's row locks make them queue; on SQLite the immediate
transactions do.

Create forms (a programme, an objective, a goal, a comment, an event) carry a one-time token: the same
form sent twice, or ten times at once, creates one object (``TestCreateFormsTwice`` and
``TestTenAtOnce.test_one_object_from_one_form``).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pfp.roles import Role
from programmes.delivery.models import Event
from programmes.menu.models import Activity
from programmes.models import (
    Comment,
    Goal,
    Objective,
    PlannedActivity,
    Priority,
    Programme,
    ProgrammeStatus,
)
from programmes.workflow import Action
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    UserFactory,
    draft_programme,
    programme_in_status,
)
from tests.support.snapshots import changed_tables, database_state
from tests.support.urlwalk import build_world, menu_csv

S = ProgrammeStatus


def levels(response) -> list[str]:
    """The levels of the messages the request left for the next page."""
    return [message.level_tag for message in get_messages(response.wsgi_request)]


def post(client: Client, url: str, data: dict):
    """POST as a browser would after reading the page: with no message left to show."""
    client.cookies.pop(CookieStorage.cookie_name, None)
    return client.post(url, data)


# --- The steps -------------------------------------------------------------------------------


@dataclass
class Step:
    """One POST a user may send twice: where (``url``), as whom, with what, and how many of its
    results there are (``count``: must be one after any number of repeats)."""

    url: Callable
    actor: str
    data: Callable
    count: Callable
    status: str | None = None  # the programme's status after the step


def _programme_url(name):
    return lambda programme, extra: reverse(name, args=[programme.pk])


def _reason_count(action):
    return lambda programme, extra: programme.history.filter(history_change_reason=action).count()


def _stamp(programme, extra):
    return {"seen_stamp": programme.edit_stamp}


TRANSITIONS = {
    "submit": Step(
        _programme_url("programmes:programme_submit"),
        "officer",
        _stamp,
        _reason_count(Action.SUBMIT),
        S.SUBMITTED,
    ),
    "withdraw": Step(
        _programme_url("programmes:programme_withdraw"),
        "officer",
        _stamp,
        _reason_count(Action.WITHDRAW),
        S.WITHDRAWN,
    ),
    "approve": Step(
        _programme_url("programmes:programme_approve"),
        "approver",
        _stamp,
        _reason_count(Action.APPROVE),
        S.APPROVED,
    ),
    "return": Step(
        _programme_url("programmes:programme_return"),
        "approver",
        lambda programme, extra: {"comment": "Please add a goal."},
        lambda programme, extra: programme.comments.filter(kind=Comment.Kind.RETURN).count(),
        S.RETURNED,
    ),
    "agreement": Step(
        _programme_url("programmes:programme_agreement"),
        "approver",
        lambda programme, extra: {
            "agreed_on": timezone.localdate().isoformat(),
            "signatory": "Minister of Defence",
        },
        _reason_count(Action.RECORD_AGREEMENT),
        S.AGREED,
    ),
    "close": Step(
        _programme_url("programmes:programme_close"),
        "approver",
        lambda programme, extra: {"reason": "The partner asked."},
        _reason_count(Action.CLOSE),
        S.CLOSED,
    ),
    "revise": Step(
        _programme_url("programmes:programme_revise"),
        "officer",
        lambda programme, extra: {},
        lambda programme, extra: Programme.objects.filter(revises=programme).count(),
        S.AGREED,
    ),
}
# The status each transition starts from.
STARTS_FROM = {
    "submit": S.DRAFT,
    "withdraw": S.DRAFT,
    "approve": S.SUBMITTED,
    "return": S.SUBMITTED,
    "agreement": S.APPROVED,
    "close": S.AGREED,
    "revise": S.AGREED,
}

# Creations that must happen once: the same activity in the same year of a programme, an
# activity code of the menu, an import applied. (Ten new menu activities with the same code at
# once are not among the concurrent steps below: on PostgreSQL all but one fail with a server
# error, the code's unique constraint raised as IntegrityError; reported.)
UNIQUE_CREATIONS = {
    "plan activity": Step(
        _programme_url("programmes:activity_pick"),
        "officer",
        lambda programme, extra: {
            "activity": extra["activity"].pk,
            "year": programme.start_year + 1,
            "goal": Goal.objects.filter(objective__programme=programme).order_by("pk")[0].pk,
            "priority": Priority.HIGH,
        },
        lambda programme, extra: PlannedActivity.objects.filter(
            programme=programme, activity=extra["activity"]
        ).count(),
    ),
    "menu activity": Step(
        lambda programme, extra: reverse("programmes:activity_create"),
        "menu_manager",
        lambda programme, extra: extra["activity_form"],
        lambda programme, extra: Activity.objects.filter(code=extra["new_code"]).count(),
    ),
    "apply import": Step(
        lambda programme, extra: reverse("programmes:import_apply", args=[extra["import"].pk]),
        "menu_manager",
        lambda programme, extra: {},
        lambda programme, extra: Activity.history.filter(code=extra["import_code"]).count(),
    ),
}


def activity_form(code: str) -> dict:
    from programmes.menu.models import Area, Provider

    return {
        "code": code,
        "title_en": "Clicked twice",
        "title_fr": "Cliqué deux fois",
        "description_en": "",
        "description_fr": "",
        "area": Area.objects.order_by("order").first().pk,
        "type": "workshop",
        "provider": Provider.objects.order_by("pk").first().pk,
        "delivery_mode": "online",
        "length_days": 3,
        "first_offered": 2026,
    }


def extras(menu_manager, n: int = 0) -> dict:
    """Objects the creations need, fresh for trial ``n``."""
    from programmes.menu import importing

    import_code = f"TWICE-{n:04d}"
    new_code = f"CLICK-{n:04d}"
    return {
        "activity": ActivityFactory(),
        "new_code": new_code,
        "activity_form": activity_form(new_code),
        "import_code": import_code,
        "import": importing.preview_import(
            file_name="menu.csv", content=menu_csv(import_code), actor=menu_manager
        ),
    }


# --- Twice in a row --------------------------------------------------------------------------


# Built once for each class that uses it (not for the module: the concurrent tests below commit
# for real, and must not run inside its transaction); each test runs in a savepoint.
@pytest.fixture(scope="class")
def built_world(class_transaction):
    return build_world()


@pytest.fixture
def world(built_world, db):
    return built_world.reloaded()


def client_for(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.django_db
class TestTwiceInARow:
    @pytest.mark.parametrize("name", [*TRANSITIONS, *UNIQUE_CREATIONS])
    def test_the_second_post_is_refused_and_writes_nothing(self, world, name):
        step = {**TRANSITIONS, **UNIQUE_CREATIONS}[name]
        programme = world.programmes[STARTS_FROM.get(name, S.DRAFT)]
        extra = extras(world.users["menu_manager"])
        client = client_for(world.users[step.actor])
        url, data = step.url(programme, extra), step.data(programme, extra)

        first = post(client, url, data)
        assert first.status_code == 302, first.status_code
        assert "success" in levels(first)
        after_first = database_state()

        second = post(client, url, data)
        assert second.status_code in (200, 302), second.status_code
        said = levels(second)
        assert "success" not in said
        form = second.context["form"] if second.status_code == 200 else None
        assert set(said) & {"warning", "error"} or form.errors
        assert changed_tables(after_first, database_state()) == []

        programme.refresh_from_db()
        assert step.count(programme, extra) == 1
        if step.status:
            assert programme.status == step.status


def shown_token(client: Client, url_name: str, kwargs: dict) -> str:
    """The one-time token of the create form as a page shows it."""
    if url_name == "programmes:comment_add":
        context = client.get(reverse("programmes:programme_detail", kwargs=kwargs)).context
        return str(context["comment_form"]["token"].value())
    return str(client.get(reverse(url_name, kwargs=kwargs)).context["form"]["token"].value())


CREATE_FORMS = [
    ("programmes:objective_create", Objective, "title"),
    ("programmes:goal_create", Goal, "title"),
    ("programmes:comment_add", Comment, "text"),
    ("programmes:programme_create", Programme, "title"),
    ("programmes:event_create", Event, "place"),
    ("programmes:event_create_unplanned", Event, "place"),
]


def create_form(world, url_name: str) -> tuple[dict, dict]:
    """The URL keywords and the extra data of one create form on the world's draft."""
    draft = world.draft
    if url_name == "programmes:programme_create":
        return {}, {"partner": world.partner.code, "start_year": 2050}
    if url_name.startswith("programmes:event_create"):
        return _event_form(world.programmes[S.AGREED], url_name)
    kwargs = {"pk": draft.pk}
    if url_name == "programmes:goal_create":
        kwargs["objective_pk"] = draft.objectives.order_by("order").first().pk
    return kwargs, {}


def _event_form(programme, url_name: str) -> tuple[dict, dict]:
    """An event of the programme in force's first planned activity (or, unplanned, of its
    activity, for its goal) on its year's 10 to 12 March."""
    planned = programme.planned_activities.select_related("activity", "goal").order_by("pk")[0]
    year = programme.start_year + planned.year - 1
    extra = {"start_date": f"{year}-03-10", "end_date": f"{year}-03-12"}
    if url_name == "programmes:event_create":
        extra["planned"] = planned.pk
    else:
        extra |= {"activity": planned.activity.code, "goal": planned.goal.pk, "year": year}
    return {"pk": programme.pk}, extra


@pytest.mark.django_db
class TestCreateFormsTwice:
    """A create form carries a one-time token: sent twice, it creates one object and both
    answers lead to it; a form shown again (a new token) creates another, as it should."""

    @pytest.mark.parametrize(("url_name", "model", "field"), CREATE_FORMS)
    def test_one_object_for_one_form(self, world, url_name, model, field):
        client = client_for(world.users["officer"])
        kwargs, extra = create_form(world, url_name)
        url = reverse(url_name, kwargs=kwargs)
        data = {field: "Clicked twice", **extra, "token": shown_token(client, url_name, kwargs)}
        responses = [post(client, url, data) for _ in range(2)]
        assert [r.status_code for r in responses] == [302, 302]
        assert responses[0]["Location"] == responses[1]["Location"]
        made = model.objects.get(**{field: "Clicked twice"})
        assert made.history.filter(history_type="+").count() == 1
        data["token"] = shown_token(client, url_name, kwargs)
        if "start_year" in data:
            data["start_year"] += 4  # a partner has one programme on its way for any year
        assert post(client, url, data).status_code == 302
        assert model.objects.filter(**{field: "Clicked twice"}).count() == 2

    def test_a_mangled_token_is_no_token(self, world):
        client = client_for(world.users["officer"])
        kwargs, _ = create_form(world, "programmes:objective_create")
        url = reverse("programmes:objective_create", kwargs=kwargs)
        response = post(client, url, {"title": "Mangled", "token": "not-a-uuid\x00"})
        assert response.status_code == 302
        assert Objective.objects.filter(title="Mangled").count() == 1

    def test_a_token_is_kept_to_the_programme_it_created_in(self, world, cast_second_draft):
        client = client_for(world.users["officer"])
        kwargs, _ = create_form(world, "programmes:objective_create")
        token = shown_token(client, "programmes:objective_create", kwargs)
        url = reverse("programmes:objective_create", kwargs=kwargs)
        assert post(client, url, {"title": "First", "token": token}).status_code == 302
        other = reverse("programmes:objective_create", kwargs={"pk": cast_second_draft.pk})
        before = Objective.objects.count()
        response = post(client, other, {"title": "Replayed", "token": token})
        assert response.status_code == 200
        assert "already used" in response.text
        assert Objective.objects.count() == before


@pytest.fixture
def cast_second_draft(world):
    """Another draft the world's officer may edit."""
    officer = world.users["officer"]
    return draft_programme(officer=officer, partner=world.partner, start_year=2046)


# --- Ten at once -----------------------------------------------------------------------------

THREADS = 10
TRIALS = 3


def all_at_once(clients: list[Client], url: str, data: dict) -> list:
    """POST ``data`` to ``url`` from every client at the same moment; the responses (or the
    exception a client raised)."""
    barrier = threading.Barrier(len(clients))
    results: list = [None] * len(clients)

    def send(index, client):
        try:
            barrier.wait(timeout=30)
            results[index] = post(client, url, data)
        except Exception as error:  # what the test must see, not a dead thread
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def cast(transactional_db):
    return {
        "officer": UserFactory(username="officer", role=Role.PROGRAMME_OFFICER),
        "approver": UserFactory(username="approver", role=Role.APPROVER),
        "second_approver": UserFactory(username="approver2", role=Role.APPROVER),
        "menu_manager": UserFactory(username="menumanager", role=Role.MENU_MANAGER),
    }


def fresh_programme(cast, status: str, n: int) -> Programme:
    """A programme of a partner of its own (agreements never overlap), in ``status``."""
    partner = PartnerFactory(code=f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    officer = cast["officer"]
    partner.officers.add(officer)
    officer.__dict__.pop("_pfp_assigned_partners", None)
    return programme_in_status(
        status, officer=officer, approver=cast["second_approver"], partner=partner
    )


CONCURRENT = [*TRANSITIONS, "plan activity", "menu activity", "apply import"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestTenAtOnce:
    @pytest.mark.parametrize("name", CONCURRENT)
    def test_one_step_no_error(self, cast, name):
        step = {**TRANSITIONS, **UNIQUE_CREATIONS}[name]
        clients = [client_for(cast[step.actor]) for _ in range(THREADS)]
        tally = Counter()
        for trial in range(TRIALS):
            n = CONCURRENT.index(name) * TRIALS + trial
            programme = fresh_programme(cast, STARTS_FROM.get(name, S.DRAFT), n)
            extra = extras(cast["menu_manager"], n)
            results = all_at_once(clients, step.url(programme, extra), step.data(programme, extra))
            errors = [r for r in results if isinstance(r, Exception) or r.status_code >= 500]
            assert not errors, errors
            said = [levels(r) for r in results]
            assert sum("success" in s for s in said) == 1, said
            programme.refresh_from_db()
            assert step.count(programme, extra) == 1
            if step.status:
                assert programme.status == step.status
            tally.update(r.status_code for r in results)
        assert sum(tally.values()) == THREADS * TRIALS
        assert set(tally) <= {200, 302}, tally


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_object_from_one_form_sent_ten_times_at_once(cast):
    officer = cast["officer"]
    clients = [client_for(officer) for _ in range(THREADS)]
    for trial in range(TRIALS):
        programme = fresh_programme(cast, S.DRAFT, 100 + trial)
        kwargs = {"pk": programme.pk}
        token = shown_token(clients[0], "programmes:objective_create", kwargs)
        url = reverse("programmes:objective_create", kwargs=kwargs)
        results = all_at_once(clients, url, {"title": f"At once {trial}", "token": token})
        errors = [r for r in results if isinstance(r, Exception) or r.status_code >= 500]
        assert not errors, errors
        assert {r.status_code for r in results} == {302}
        assert Objective.objects.filter(title=f"At once {trial}").count() == 1
