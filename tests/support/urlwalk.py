"""Every URL pattern of the URLconf, with real ids filled in, for tests that walk them all.

``every_url(values)`` fills each pattern from a map of URL keywords; ``build_world()`` makes the
real objects a full walk needs (a partner with a programme in every status, their contents,
comments, a menu import) and ``world_values(world)`` the map that points each pattern at the
object it is about. What a walk compares before and after: ``tests.support.snapshots``.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver

# Imported from here by tests/programmes/test_workflow_http.py; they live in snapshots.
from tests.support.snapshots import changed_tables as changed_tables
from tests.support.snapshots import database_state as database_state

# Patterns that serve anonymous users by design (the name, as reverse() knows it).
PUBLIC = {"login", "set_language", "favicon"}


@dataclass
class WalkedUrl:
    name: str
    url: str


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), prefix + str(entry.pattern)


# simple_history's admin view of one history row: a positional regex inside a path() prefix.
HISTORY_ROW = "^([^/]+)/history/([^/]+)/$"


def _admin_model(name: str):
    # "admin:<app>_<model>_<view>" (the history row's view is "simple_history"), or an unnamed
    # pattern "admin/<app>/<model>/...".
    match = re.match(r"admin:(\w+?)_(\w+)_\w+$", name.replace("_simple_history", "_history"))
    match = match or re.match(r"admin/(\w+)/(\w+)/", name)
    if not match:
        return None
    for model in apps.get_models():
        if (model._meta.app_label, model._meta.model_name) == match.groups():
            return model
    return None


def _admin_instance_pk(name: str):
    model = _admin_model(name)
    if model is None:
        return None
    obj = model._default_manager.order_by("pk").first()
    return obj.pk if obj else None


def _history_row_path(name: str, values: dict) -> str:
    """``<pk>/history/<history_id>/`` of the model's first history row."""
    model = _admin_model(name)
    row = model.history.order_by("history_id").first() if model is not None else None
    if row is None:
        return f"1/history/{values.get('history_id', 1)}/"
    return f"{getattr(row, model._meta.pk.attname)}/history/{row.history_id}/"


def _fill(name: str, pattern: str, values: dict[str, str]) -> str | None:
    values = {**values, **values.get(name, {})}

    def value_for(match):
        key = match.group("key")
        if key == "object_id":
            if "object_id" in values.get(name, {}):
                return str(values[name]["object_id"])
            pk = _admin_instance_pk(name)
            return str(pk) if pk is not None else "1"
        if key in values:
            return values[key]
        raise KeyError(key)

    url = pattern
    if url.endswith(HISTORY_ROW):
        return "/" + url.removesuffix(HISTORY_ROW) + _history_row_path(name, values)
    if "(?P<" in url or url.startswith("^"):  # regex patterns (admin's catch-all, app_list)
        url = url.replace("^", "").replace("$", "")
        url = re.sub(r"\(\?P<app_label>[^)]*\)", values["app_label"], url)
        url = url.replace("(?P<url>.*)", "anything/")
        if "(" in url:
            return None
    return "/" + re.sub(r"<(?:\w+:)?(?P<key>\w+)>", value_for, url)


def url_patterns() -> list[tuple[str | None, str]]:
    """(URL name with its namespace, pattern) of every pattern of the URLconf."""
    return list(_patterns(get_resolver()))


def url_keywords(pattern: str) -> list[str]:
    """The keywords of a ``path()`` pattern, in order."""
    return re.findall(r"<(?:\w+:)?(\w+)>", pattern)


def every_url(values: dict) -> list[WalkedUrl]:
    """All patterns as concrete URLs.

    ``values`` gives a real value for each URL keyword; an entry keyed by a URL name (a dict)
    overrides them for that pattern alone.
    """
    walked = []
    for name, pattern in _patterns(get_resolver()):
        url = _fill(name or "", pattern, values)
        if url is not None:
            walked.append(WalkedUrl(name or pattern, url))
    return walked


# --- The objects a full walk is filled from -------------------------------------------------

# The roles a walk takes, in the order of the tables that use them: logged out, a user with no
# role, a viewer, the programme officer assigned to the partner, an officer of another partner,
# an approver, a menu manager, an administrator, a representative of the partner and a
# representative of the other partner (the attacker of every object of the partner).
ROLES = (
    "anonymous",
    "no_role",
    "viewer",
    "officer",
    "other_officer",
    "approver",
    "menu_manager",
    "administrator",
    "representative",
    "other_representative",
)

# First years of the partner's programmes, apart so that no two versions on their way (draft,
# returned, submitted, approved) overlap, nor one of them an agreed programme.
START_YEARS = {
    "draft": 2026,
    "sketch": 2022,
    "submitted": 2018,
    "returned": 2014,
    "withdrawn": 2010,
    # Past, so that its years have begun: delivery's annual reviews are written then.
    "agreed": 2006,
    "superseded": 2034,
    "closed": 2038,
    "approved": 2042,
}


@dataclass
class World:
    """Who acts, and what they act on (see ``build_world``)."""

    users: dict = field(default_factory=dict)
    partner: object = None
    other_partner: object = None
    programmes: dict = field(default_factory=dict)
    activity: object = None
    menu_import: object = None
    event: object = None  # of the agreed programme, scheduled in its first year
    reviews: dict = field(default_factory=dict)  # of the agreed programme: "draft", "submitted"
    event_import: object = None  # previewed by the officer: an event of the agreed programme

    @property
    def draft(self):
        return self.programmes["draft"]

    def reloaded(self) -> World:
        """The same world read again from the database, for a test of its own when the world is
        built once for several: fresh instances, without the caches an earlier test left on
        them (a user's roles and partners) or its changes in memory."""

        def again(obj):
            return type(obj)._base_manager.get(pk=obj.pk)

        return World(
            users={role: again(user) for role, user in self.users.items()},
            partner=again(self.partner),
            other_partner=again(self.other_partner),
            programmes={status: again(p) for status, p in self.programmes.items()},
            activity=again(self.activity),
            menu_import=again(self.menu_import),
            event=again(self.event),
            reviews={status: again(review) for status, review in self.reviews.items()},
            event_import=again(self.event_import),
        )


def menu_csv(code: str = "WALK-0001") -> bytes:
    """A menu file of one new, valid activity (area, type and mode from the starting set)."""
    from programmes.menu import importing
    from programmes.menu.models import Area, Provider

    provider = Provider.objects.order_by("pk").first()
    values = {
        "code": code,
        "title_en": "Walked course",
        "title_fr": "Cours parcouru",
        "description_en": "",
        "description_fr": "",
        "area": Area.objects.order_by("order").first().code,
        "type": "course",
        "provider": provider.name,
        "delivery_mode": "online",
        "length_days": "5",
        "first_offered": "2020",
        "retired_in": "",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(importing.COLUMNS)
    writer.writerow([values[name] for name in importing.COLUMNS])
    return buffer.getvalue().encode()


def events_csv(world: World, reference: str) -> bytes:
    """A file of events recording one event of the agreed programme's first planned activity,
    under ``reference``."""
    from programmes.delivery import importing

    programme = world.programmes["agreed"]
    planned = programme.planned_activities.order_by("pk").first()
    first_day = programme.start_year + planned.year - 1
    values = {
        "partner_code": world.partner.code,
        "programme_year": planned.year,
        "activity_code": planned.activity.code,
        "external_ref": reference,
        "first_day": f"{first_day}-06-01",
        "last_day": f"{first_day}-06-02",
        "place": "Skopje",
        "status": "scheduled",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(importing.COLUMNS)
    writer.writerow([values.get(name, "") for name in importing.COLUMNS])
    return buffer.getvalue().encode()


def build_world() -> World:
    """A partner ("MX") with a programme in every status, drafted by its assigned officer and
    approved by an approver who is not one of the walking users; a second draft ("sketch") with
    an objective without goals and a goal without activities (what can be deleted); another
    partner ("EW") with its own officer and draft; comments; a previewed menu import."""
    from pfp.roles import Role
    from programmes import workflow
    from programmes.delivery import importing as delivery_importing
    from programmes.menu import importing
    from programmes.menu.models import Area
    from programmes.models import ProgrammeStatus
    from tests.support.factories import (
        ActivityFactory,
        PartnerFactory,
        UserFactory,
        assigned_officer,
        draft_programme,
        programme_in_status,
        representative_of,
    )

    world = World()
    world.partner = PartnerFactory(name="Matrixland", code="MX")
    world.other_partner = PartnerFactory(name="Elsewhere", code="EW")
    users = world.users
    users["no_role"] = UserFactory(username="walk-nobody")
    users["viewer"] = UserFactory(username="walk-viewer", role=Role.VIEWER)
    users["officer"] = assigned_officer(world.partner, "walk-officer")
    users["other_officer"] = assigned_officer(world.other_partner, "walk-other-officer")
    users["approver"] = UserFactory(username="walk-approver", role=Role.APPROVER)
    users["menu_manager"] = UserFactory(username="walk-menu-manager", role=Role.MENU_MANAGER)
    users["administrator"] = UserFactory(username="walk-admin", administrator=True)
    users["second_approver"] = UserFactory(username="walk-approver-2", role=Role.APPROVER)
    users["representative"] = representative_of(world.partner, "walk-representative")
    users["other_representative"] = representative_of(
        world.other_partner, "walk-other-representative"
    )

    officer, approver = users["officer"], users["second_approver"]
    programmes = world.programmes
    programmes["draft"] = draft_programme(
        officer=officer, partner=world.partner, objectives=2, goals=2, activities=4
    )
    for status in ProgrammeStatus.values:
        if status != ProgrammeStatus.DRAFT:
            programmes[status] = programme_in_status(
                status,
                officer=officer,
                approver=approver,
                partner=world.partner,
                start_year=START_YEARS[status],
            )
    sketch = workflow.create_programme(
        actor=officer, partner=world.partner, title="Sketch", start_year=START_YEARS["sketch"]
    )
    workflow.add_objective(actor=officer, programme=sketch, title="An objective without goals")
    with_goal = workflow.add_objective(actor=officer, programme=sketch, title="With a goal")
    workflow.add_goal(actor=officer, objective=with_goal, title="A goal without activities")
    sketch.refresh_from_db()
    programmes["sketch"] = sketch
    programmes["other"] = draft_programme(
        officer=users["other_officer"], partner=world.other_partner, title="Elsewhere's draft"
    )
    workflow.add_comment(actor=officer, programme=world.draft, text="Drafting note.")
    workflow.add_comment(
        actor=users["approver"], programme=programmes["submitted"], text="Looking at it."
    )
    build_delivery(world)
    world.activity = ActivityFactory(code="WALK-0100")
    world.menu_import = importing.preview_import(
        file_name="menu.csv", content=menu_csv(), actor=users["menu_manager"]
    )
    world.event_import = delivery_importing.preview_import(
        file_name="events.csv", content=events_csv(world, "WALK-EV-1"), actor=users["officer"]
    )
    # The role groups and the areas come from data migrations, older than their history: one of
    # each saved since, so that the admin's page of one history row has a row to show.
    Group.objects.order_by("pk").first().save()
    Area.objects.order_by("pk").first().save()
    return world


def build_delivery(world: World) -> None:
    """On the agreed programme: an event of its planned activity (scheduled in its first year,
    its outcome not recorded), the review of year 1 complete but not submitted, and the review
    of year 2 submitted, all by the partner's officer."""
    from programmes.delivery import actions
    from tests.support.factories import event_of

    officer, programme = world.users["officer"], world.programmes["agreed"]
    world.event = event_of(programme, officer=officer)
    objective = programme.objectives.get()
    for year, status in ((1, "draft"), (2, "submitted")):
        review = actions.start_review(actor=officer, programme=programme, year=year)
        review = actions.save_review(
            actor=officer,
            review=review,
            seen_stamp=None,
            overall="On course.",
            progress={objective.key: ("on_track", "The first courses took place.")},
        )
        if status == "submitted":
            review = actions.submit_review(actor=officer, review=review)
        world.reviews[status] = review


def world_values(world: World) -> dict:
    """The URL keywords for ``every_url``: each programme page points at a programme in the
    status its step starts from (edit pages at the complete draft, approve and return at the
    submitted version, the agreement at the approved one, close and revise at the agreed one)."""
    from programmes.models import Programme

    draft, sketch = world.draft, world.programmes["sketch"]
    objective = draft.objectives.order_by("order").first()
    goal = objective.goals.order_by("order").first()
    code = {"code": world.activity.code}
    on = {
        "programmes:programme_approve": "submitted",
        "programmes:programme_return": "submitted",
        "programmes:programme_agreement": "approved",
        "programmes:programme_close": "agreed",
        "programmes:programme_revise": "agreed",
        "programmes:programme_successor": "agreed",
        "programmes:programme_compare": "superseded",
        "programmes:programme_accept": "approved",
        "programmes:programme_decline": "approved",
    }
    values = {
        "pk": str(draft.pk),
        "objective_pk": str(objective.pk),
        "goal_pk": str(goal.pk),
        "planned_pk": str(draft.planned_activities.order_by("pk").first().pk),
        "code": world.partner.code,
        "fmt": "csv",
        "slug": "programmes-by-status",
        "app_label": "programmes",
        "content_type_id": str(ContentType.objects.get_for_model(Programme).pk),
        "id": str(world.users["officer"].pk),
        "history_id": "1",
        "programmes:activity_detail": code,
        "programmes:activity_edit": code,
        "programmes:activity_retire": code,
        "programmes:import_detail": {"pk": str(world.menu_import.pk)},
        "programmes:import_apply": {"pk": str(world.menu_import.pk)},
        "programmes:objective_delete": {
            "pk": str(sketch.pk),
            "objective_pk": str(sketch.objectives.get(goals__isnull=True).pk),
        },
        "programmes:goal_delete": {
            "pk": str(sketch.pk),
            "goal_pk": str(sketch.objectives.get(goals__isnull=False).goals.get().pk),
        },
        "admin:view_on_site": {"object_id": str(draft.pk)},
    }
    # Delivery: on the agreed programme (the one in force), its event and its reviews.
    agreed = {"pk": str(world.programmes["agreed"].pk)}
    draft_review = {"pk": str(world.reviews["draft"].pk)}
    submitted_review = {"pk": str(world.reviews["submitted"].pk)}
    event = {"pk": str(world.event.pk)}
    values.update(
        {
            "programmes:programme_delivery": agreed,
            "programmes:event_create": agreed,
            "programmes:event_create_unplanned": agreed,
            "programmes:annual_review_start": agreed,
            "programmes:event_detail": event,
            "programmes:event_edit": event,
            "programmes:event_delete": event,
            "programmes:annual_review": draft_review,
            "programmes:annual_review_edit": draft_review,
            "programmes:annual_review_submit": draft_review,
            "programmes:annual_review_acknowledge": submitted_review,
            "programmes:annual_review_return": submitted_review,
        }
    )
    signed = world.programmes["approved"].documents.get()
    values["programmes:document_download"] = {"pk": str(signed.pk)}
    values["programmes:document_supersede"] = {"pk": str(signed.pk)}
    values["programmes:event_import_detail"] = {"pk": str(world.event_import.pk)}
    values["programmes:event_import_apply"] = {"pk": str(world.event_import.pk)}
    # The API: its event and review by id, an event by its reference (none has it: 404), a
    # year of the agreed programme, the menu activity by code.
    values.update(
        {
            "ref": "WALK-EV-0",
            "year": str(world.programmes["agreed"].start_year),
            "api:event-detail": event,
            "api:review-detail": submitted_review,
            "api:activity-detail": code,
            "api:document-file": {"pk": str(world.programmes["approved"].documents.get().pk)},
        }
    )
    for name, status in on.items():
        values[name] = {"pk": str(world.programmes[status].pk)}
    return values
