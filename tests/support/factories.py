"""factory-boy factories with traits for the states tests need."""

import datetime

import factory
from django.contrib.auth.models import Group

from partners.models import EventKind, Framework, Partner, StatusEvent
from pfp.models import User
from pfp.roles import Role
from programmes.menu.models import (
    Activity,
    ActivityType,
    Area,
    DeliveryMode,
    Provider,
    ProviderKind,
)

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password(TEST_PASSWORD)

    class Params:
        administrator = factory.Trait(is_staff=True, is_superuser=True)
        inactive = factory.Trait(is_active=False)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def _free_partner_code(n: int) -> str:
    """The ``n``-th two-letter code (AA, AB, ... ZZ, then again), or the next one no partner
    has: a partner made without a code is a new one, never a partner that already holds the
    code the sequence came round to (``get_or_create`` on the code would return it)."""
    for k in range(n, n + 26 * 26):
        code = f"{chr(65 + (k // 26) % 26)}{chr(65 + k % 26)}"
        if not Partner.objects.filter(code=code).exists():
            return code
    raise RuntimeError("Every two-letter partner code is taken.")


class PartnerFactory(factory.django.DjangoModelFactory):
    """A partner; by default an active one that joined on 1 January 2000."""

    class Meta:
        model = Partner
        django_get_or_create = ["code"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnerland {n}")
    code = factory.Sequence(_free_partner_code)
    framework = Framework.EAPC_PFP
    joined_on = datetime.date(2000, 1, 1)

    class Params:
        suspended = factory.Trait(events=[(EventKind.SUSPENDED, datetime.date(2010, 1, 1))])
        nato_member = factory.Trait(
            events=[(EventKind.BECAME_NATO_MEMBER, datetime.date(2010, 1, 1))]
        )
        never_joined = factory.Trait(joined_on=None)

    @classmethod
    def _create(cls, model_class, *args, joined_on=None, events=(), **kwargs):
        partner = super()._create(model_class, *args, **kwargs)
        if joined_on is not None and not partner.status_events.exists():
            StatusEvent.objects.create(partner=partner, kind=EventKind.JOINED, on=joined_on)
            for kind, on in events:
                StatusEvent.objects.create(partner=partner, kind=kind, on=on)
        return partner


# The users of tests/conftest.py's role fixtures, by fixture name. Data built once for a class of
# tests (``class_transaction``) makes them with ``role_user``, and the fixtures find the same rows
# again (``django_get_or_create`` on the username), as ``partnerland`` does for ``partner``.
ROLE_USERS = {
    "viewer": {"username": "viewer", "role": Role.VIEWER},
    "officer": {"username": "officer", "role": Role.PROGRAMME_OFFICER},
    "approver": {"username": "approver", "role": Role.APPROVER},
    "menu_manager": {"username": "menumanager", "role": Role.MENU_MANAGER},
    "administrator": {"username": "admin", "administrator": True},
    "no_role_user": {"username": "nobody"},
}


def role_user(fixture: str) -> User:
    """The user of the role fixture named ``fixture``: ``role_user("approver")``."""
    return UserFactory(**ROLE_USERS[fixture])


def partnerland() -> Partner:
    """The partner of the ``partner`` fixture."""
    return PartnerFactory(name="Partnerland", code="PL")


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Training Centre {n}")
    kind = ProviderKind.TRAINING_CENTRE


class ActivityFactory(factory.django.DjangoModelFactory):
    """An active menu activity in an area of the starting set; trait ``retired``."""

    class Meta:
        model = Activity
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"TST-{n:04d}")
    title_en = factory.Sequence(lambda n: f"Test activity {n} — course")
    title_fr = factory.Sequence(lambda n: f"Activité d'essai {n} — cours")
    description_en = "A test activity."
    description_fr = "Une activité d'essai."
    area = factory.LazyFunction(lambda: Area.objects.order_by("order").first())
    type = ActivityType.COURSE
    provider = factory.SubFactory(ProviderFactory)
    delivery_mode = DeliveryMode.IN_RESIDENCE
    length_days = 5
    first_offered = 2020

    class Params:
        retired = factory.Trait(retired_in=2024)


def new_menu_activities(count: int) -> list[Activity]:
    """``count`` new activities, each as ``ActivityFactory()`` makes one (its own provider, the
    first area), inserted at once with their history rows: a programme of sixty planned
    activities needs sixty, and one by one each took a dozen queries."""
    from simple_history.utils import bulk_create_with_history

    if not count:
        return []
    area = Area.objects.order_by("order").first()
    providers = bulk_create_with_history([ProviderFactory.build() for _ in range(count)], Provider)
    # The menu's manager fills each one's search text (ActivityQuerySet.bulk_create).
    activities = [ActivityFactory.build(area=area, provider=provider) for provider in providers]
    return bulk_create_with_history(activities, Activity)


# --- Programmes: built through programmes.workflow, as the product builds them ----------------


def assigned_officer(partner, username: str | None = None):
    """A programme officer assigned to ``partner``."""
    officer = UserFactory(
        username=username or f"officer-{partner.code.lower()}", role=Role.PROGRAMME_OFFICER
    )
    partner.officers.add(officer)
    officer.__dict__.pop("_pfp_assigned_partners", None)  # the per-request cache, now stale
    return officer


def representative_of(partner, username: str | None = None):
    """A partner representative of ``partner`` (through ``partners.actions``, as the admin
    appoints one)."""
    from partners import actions

    user = UserFactory(username=username or f"representative-{partner.code.lower()}")
    actions.appoint_representative(actor=None, user=user, partner=partner)
    for cache in ("_pfp_roles", "_pfp_represented_partner"):
        user.__dict__.pop(cache, None)
    return user


def drafter_of(partner):
    """The ``drafter`` fixture's user: the programme officer of ``partner`` who drafts."""
    return assigned_officer(partner, "drafter")


def drafting_approver_of(partner):
    """The ``drafting_approver`` fixture's user: an approver who is also ``partner``'s
    programme officer."""
    user = UserFactory(username="twohats", role=Role.APPROVER)
    user.groups.add(Group.objects.get(name=Role.PROGRAMME_OFFICER))
    partner.officers.add(user)
    return user


def draft_programme(
    *,
    officer,
    partner,
    start_year: int = 2026,
    objectives: int = 1,
    goals: int = 1,
    activities: int = 1,
    title: str = "Individually Tailored Partnership Programme",
):
    """A draft with ``objectives`` objectives of ``goals`` goals each and ``activities`` planned
    activities spread over the goals and years: complete enough to be submitted."""
    from programmes import workflow

    programme = workflow.create_programme(
        actor=officer, partner=partner, title=title, start_year=start_year
    )
    all_goals = []
    for o in range(1, objectives + 1):
        objective = workflow.add_objective(
            actor=officer, programme=programme, title=f"Objective {o}"
        )
        for g in range(1, goals + 1):
            all_goals.append(
                workflow.add_goal(actor=officer, objective=objective, title=f"Goal {o}.{g}")
            )
    plans = {goal: [] for goal in all_goals}
    menu = new_menu_activities(max(activities, len(all_goals) if activities else 0))
    for n, activity in enumerate(menu):
        plans[all_goals[n % len(all_goals)]].append(
            workflow.ActivityPlan(activity=activity, year=n % 4 + 1)
        )
    for goal, goal_plans in plans.items():
        if goal_plans:
            workflow.plan_activities(
                actor=officer, programme=programme, goal=goal, plans=goal_plans
            )
    programme.refresh_from_db()
    return programme


def signed_agreement_pdf() -> bytes:
    """A small, valid PDF (one blank page), as a scanned signed agreement stands for."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def attach_signed_agreement(programme, *, actor):
    """The signed agreement attached to ``programme`` by ``actor`` (NATO staff)."""
    from programmes.documents import actions
    from programmes.models import Document

    return actions.attach(
        actor=actor,
        programme=programme,
        kind=Document.Kind.SIGNED_AGREEMENT,
        title="Agreement as signed",
        name="signed-agreement.pdf",
        content=signed_agreement_pdf(),
    )


def agree(
    programme,
    *,
    officer,
    approver,
    on: datetime.date = datetime.date(2025, 12, 1),
    signatory: str = "Minister of Defence",
):
    """Walk a draft (or a revision) to agreed: submitted by ``officer``, approved by
    ``approver``, who records the partner's agreement of ``on`` signed by ``signatory``."""
    from programmes import workflow

    workflow.submit(actor=officer, programme=programme)
    workflow.approve(actor=approver, programme=programme)
    attach_signed_agreement(programme, actor=approver)
    return workflow.record_agreement(
        actor=approver, programme=programme, agreed_on=on, signatory=signatory
    )


def programme_in_status(status: str, *, officer, approver, partner, **draft_options):
    """A programme walked through the workflow to ``status`` (any ``ProgrammeStatus``)."""
    from programmes import workflow
    from programmes.models import ProgrammeStatus

    programme = draft_programme(officer=officer, partner=partner, **draft_options)
    if status == ProgrammeStatus.WITHDRAWN:
        return workflow.withdraw(actor=officer, programme=programme)
    if status == ProgrammeStatus.DRAFT:
        return programme
    programme = workflow.submit(actor=officer, programme=programme)
    if status == ProgrammeStatus.SUBMITTED:
        return programme
    if status == ProgrammeStatus.RETURNED:
        return workflow.return_programme(
            actor=approver, programme=programme, comment="Please add a cyber defence goal."
        )
    programme = workflow.approve(actor=approver, programme=programme)
    # The signed agreement comes back from the partner while the version awaits acceptance: an
    # approved version here carries it, so that an acceptance on paper may be recorded.
    attach_signed_agreement(programme, actor=approver)
    if status == ProgrammeStatus.APPROVED:
        return programme
    programme = workflow.record_agreement(
        actor=approver,
        programme=programme,
        agreed_on=datetime.date(2025, 12, 1),
        signatory="Minister of Defence",
    )
    if status == ProgrammeStatus.AGREED:
        return programme
    if status == ProgrammeStatus.CLOSED:
        return workflow.close(actor=approver, programme=programme, reason="Ended early.")
    if status == ProgrammeStatus.SUPERSEDED:
        revision = workflow.revise(actor=officer, programme=programme)
        agree(revision, officer=officer, approver=approver, on=datetime.date(2026, 6, 1))
        programme.refresh_from_db()
        return programme
    raise ValueError(status)


def moved_around_the_workflow(programme, start_year: int):
    """``programme`` given the four years from ``start_year`` without the workflow: a version
    that overlaps another, as one older than the rule against it may; the database's
    constraints still apply."""
    from programmes.models import PROGRAMME_YEARS, Programme

    Programme.objects.filter(pk=programme.pk).update(
        start_year=start_year, end_year=start_year + PROGRAMME_YEARS - 1
    )
    programme.refresh_from_db()
    return programme


# --- Delivery: built through programmes.delivery.actions ---------------------------------------


def programme_in_force(*, officer, approver, partner, **draft_options):
    """An agreed programme whose first year was last year (so that year 1 is over, year 2 is
    under way), with two objectives of one goal and eight planned activities by default."""
    from django.utils import timezone

    from programmes.models import ProgrammeStatus

    draft_options.setdefault("start_year", timezone.localdate().year - 1)
    draft_options.setdefault("objectives", 2)
    draft_options.setdefault("activities", 8)
    return programme_in_status(
        ProgrammeStatus.AGREED, officer=officer, approver=approver, partner=partner, **draft_options
    )


def event_of(programme, *, officer, planned_year: int = 1, planned=None, **fields):
    """An event recorded by ``officer`` for a planned activity of ``programme`` in
    ``planned_year`` (the first planned in that year unless ``planned`` is given): scheduled on 10 to 12 March
    of that year, in Brussels, unless ``fields`` say otherwise."""
    import datetime

    from programmes.delivery import actions

    if planned is None:
        planned = programme.planned_activities.filter(year=planned_year).order_by("pk").first()
    first_day = datetime.date(programme.start_year + planned.year - 1, 3, 10)
    fields.setdefault("start_date", first_day)
    fields.setdefault("end_date", first_day + datetime.timedelta(days=2))
    fields.setdefault("place", "Brussels")
    return actions.record_event(actor=officer, programme=programme, planned=planned, **fields)
