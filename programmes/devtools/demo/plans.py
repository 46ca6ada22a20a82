"""What each partner's demo programme will be: its scenario (the state the demo shows it in),
objectives, goals, planned activities, dates and revision, decided reproducibly from a seed.
Nothing is written here; ``programmes.devtools.demo.programmes`` builds the plans.

The objectives, signatories, notes and scenarios are data (``objectives``, ``signatories``,
``planned_notes``, ``scenarios``); the rules that choose among them are here.

Used by ``programmes.devtools.demo.programmes``, ``bench`` (the first years of the current
programmes) and tests.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from partners.models import Partner, PartnerStatus
from programmes.devtools.datafiles import read
from programmes.models import PROGRAMME_YEARS, Priority

PROGRAMME_SEED = 2025
DEMO_OFFICER = "officer"
DEMO_APPROVERS = ["approver", "approver2"]

# What the demo shows of each partner's programme.
AGREED = "agreed"  # version 1 agreed, in force
DRAFT = "draft"  # being drafted
SUBMITTED = "submitted"  # awaiting approval
RETURNED = "returned"  # returned to its drafter with a comment
APPROVED = "approved"  # approved, awaiting the partner's agreement
REVISING = "revising"  # version 1 agreed, version 2 being drafted
REVISED = "revised"  # version 2 agreed, superseding version 1
NO_PROGRAMME = "none"
SCENARIOS = {AGREED, DRAFT, SUBMITTED, RETURNED, APPROVED, REVISING, REVISED, NO_PROGRAMME}

# Agreed programmes cover 2025 to 2028 or 2026 to 2029; those on their way start in 2027.
AGREED_START_YEARS = [2025, 2026]
# The current cycle's first year: a larger demo's earlier programmes all end before it.
CURRENT_CYCLE_START = AGREED_START_YEARS[0]
NEXT_START_YEAR = 2027
# When the partner agreed, per first year: the months before the programme began.
AGREEMENT_WINDOWS = {
    2025: (datetime.date(2024, 11, 4), datetime.date(2025, 2, 28)),
    2026: (datetime.date(2025, 11, 3), datetime.date(2026, 2, 27)),
}
REVISION_AGREED_ON = datetime.date(2026, 6, 16)
MIN_PLANNED = 45
MAX_PLANNED = 135
# In a larger demo, the share of earlier programmes revised once.
EARLIER_REVISED_SHARE = 0.25


def _scenarios(key: str) -> list[str]:
    scenarios = read("scenarios")[key]
    unknown = set(scenarios) - SCENARIOS
    if unknown:
        raise ValueError(f"scenarios.json: unknown scenarios {sorted(unknown)}")
    return scenarios


def _objectives() -> list[tuple[str, str, list[tuple[str, tuple[str, ...]]]]]:
    """Title, description, and the goals: title and the areas whose activities serve it."""
    return [
        (
            objective["title"],
            objective["description"],
            [(goal["title"], tuple(goal["areas"])) for goal in objective["goals"]],
        )
        for objective in read("objectives")["objectives"]
    ]


# The demo officer's partners (by code) show the steps an officer and an approver act on.
OFFICER_SCENARIOS = _scenarios("officer")
# Among the other active partners, these once each, at places the seed chooses; all others have
# an agreed programme.
OTHER_SCENARIOS = _scenarios("others")
# Strategic objectives a programme may pursue, with the partnership goals under each and the
# areas of the menu whose activities serve each goal.
OBJECTIVES = _objectives()
# The goal a revision adds under the first objective, and the area that serves it.
REVISION_GOAL: dict[str, str] = read("objectives")["revision_goal"]
SIGNATORIES: list[str] = read("signatories")["signatories"]
NOTES: list[str] = read("planned_notes")["notes"]


@dataclass
class PlannedItem:
    code: str
    year: int
    priority: int
    notes: str = ""


@dataclass
class GoalPlan:
    title: str
    activities: list[PlannedItem] = field(default_factory=list)


@dataclass
class ObjectivePlan:
    title: str
    description: str
    goals: list[GoalPlan] = field(default_factory=list)


@dataclass
class RevisionPlan:
    """What version 2 changes: planned activities removed and added (by goal position)."""

    remove: list[tuple[str, int]]
    add: list[tuple[int, PlannedItem]]
    new_goal: tuple[int, GoalPlan]


@dataclass
class ProgrammePlan:
    partner_code: str
    scenario: str
    drafter: str
    approver: str
    title: str
    summary: str
    start_year: int
    objectives: list[ObjectivePlan]
    agreed_on: datetime.date | None = None
    signatory: str = ""
    revision: RevisionPlan | None = None
    # When a revised plan's version 2 is agreed (None: REVISION_AGREED_ON).
    revision_agreed_on: datetime.date | None = None
    # An earlier programme of a larger demo: its contents are written in bulk.
    earlier: bool = False

    @property
    def planned_count(self) -> int:
        return sum(len(g.activities) for o in self.objectives for g in o.goals)


@dataclass
class DemoPartner:
    code: str
    name: str
    drafter: str


@dataclass
class MenuEntry:
    code: str
    area: str
    first_offered: int


def _assign_scenarios(rng: random.Random, partners: list[DemoPartner]) -> list[str]:
    """One scenario per partner: the demo officer's first, then the others'."""
    officer_scenarios = iter(OFFICER_SCENARIOS)
    scenarios = [
        next(officer_scenarios, AGREED) if p.drafter == DEMO_OFFICER else None for p in partners
    ]
    # What the demo officer's partners could not show, another partner shows.
    extra = [*officer_scenarios, *OTHER_SCENARIOS]
    others = [i for i, scenario in enumerate(scenarios) if scenario is None]
    for index, scenario in zip(
        rng.sample(others, min(len(extra), len(others))), extra, strict=False
    ):
        scenarios[index] = scenario
    return [scenario or AGREED for scenario in scenarios]


def _pick_activities(
    rng: random.Random,
    pool: list[MenuEntry],
    count: int,
    start_year: int,
    taken: set[tuple[str, int]],
) -> list[PlannedItem]:
    """``count`` activities of ``pool`` in programme years they were offered, none twice a year."""
    items: list[PlannedItem] = []
    for _attempt in range(count * 20):
        if len(items) == count or not pool:
            break
        entry = rng.choice(pool)
        years = [
            y for y in range(1, PROGRAMME_YEARS + 1) if start_year + y - 1 >= entry.first_offered
        ]
        if not years:
            continue
        year = rng.choice(years)
        if (entry.code, year) in taken:
            continue
        taken.add((entry.code, year))
        priority = rng.choices(Priority.values, weights=[25, 55, 20])[0]
        notes = rng.choice(NOTES) if rng.random() < 0.08 else ""
        items.append(PlannedItem(entry.code, year, priority, notes))
    return items


def _plan_contents(
    rng: random.Random, by_area: dict[str, list[MenuEntry]], start_year: int
) -> tuple[list[ObjectivePlan], set[tuple[str, int]]]:
    chosen = sorted(rng.sample(range(len(OBJECTIVES)), rng.randint(3, 5)))
    everything = [entry for entries in by_area.values() for entry in entries]
    objectives = []
    goal_pools = []
    for index in chosen:
        title, description, goals = OBJECTIVES[index]
        objective = ObjectivePlan(title, description)
        for goal_title, areas in goals:
            objective.goals.append(GoalPlan(goal_title))
            pool = [entry for area in areas for entry in by_area.get(area, [])]
            # A menu without the goal's areas (a small test menu) lends it any activity.
            goal_pools.append((objective.goals[-1], pool or everything))
        objectives.append(objective)
    # Every goal is served by a few activities; the rest go where the partner's interest lies.
    total = rng.randint(MIN_PLANNED, MAX_PLANNED)
    weights = [rng.randint(1, 4) for _ in goal_pools]
    counts = [2] * len(goal_pools)
    for index in rng.choices(range(len(goal_pools)), weights=weights, k=total - sum(counts)):
        counts[index] += 1
    taken: set[tuple[str, int]] = set()
    for (goal, pool), count in zip(goal_pools, counts, strict=True):
        goal.activities = _pick_activities(rng, pool, count, start_year, taken)
    return objectives, taken


def _agreement_date(rng: random.Random, start_year: int) -> datetime.date:
    first, last = AGREEMENT_WINDOWS[start_year]
    day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    # Agreements are never recorded in the future.
    return min(day, timezone.localdate())


def plan_demo_programmes(
    partners: list[DemoPartner], menu: list[MenuEntry], *, seed: int = PROGRAMME_SEED
) -> list[ProgrammePlan]:
    """The demo programmes of ``partners`` (in code order), reproducibly; nothing is written."""
    rng = random.Random(seed)  # noqa: S311 -- demo data must be reproducible, not secret
    by_area: dict[str, list[MenuEntry]] = {}
    for entry in menu:
        by_area.setdefault(entry.area, []).append(entry)
    plans = []
    for partner, scenario in zip(partners, _assign_scenarios(rng, partners), strict=True):
        if scenario == NO_PROGRAMME:
            continue
        if scenario in (AGREED, REVISING):
            start_year = rng.choice(AGREED_START_YEARS)
        elif scenario == REVISED:
            start_year = AGREED_START_YEARS[0]
        else:
            start_year = NEXT_START_YEAR
        objectives, taken = _plan_contents(rng, by_area, start_year)
        plan = ProgrammePlan(
            partner_code=partner.code,
            scenario=scenario,
            drafter=partner.drafter,
            approver=rng.choice(DEMO_APPROVERS),
            title=f"{partner.name}: Individually Tailored Partnership Programme",
            summary=(
                f"The cooperation NATO and {partner.name} agreed to pursue for four years: "
                + "; ".join(o.title.lower() for o in objectives)
                + "."
            ),
            start_year=start_year,
            objectives=objectives,
        )
        if scenario in (AGREED, REVISING, REVISED):
            plan.agreed_on = _agreement_date(rng, start_year)
            plan.signatory = rng.choice(SIGNATORIES)
        if scenario in (REVISING, REVISED):
            plan.revision = _plan_revision(rng, plan, by_area, taken)
        plans.append(plan)
    return plans


def _plan_revision(
    rng: random.Random,
    plan: ProgrammePlan,
    by_area: dict[str, list[MenuEntry]],
    taken: set[tuple[str, int]],
) -> RevisionPlan:
    goals = [goal for objective in plan.objectives for goal in objective.goals]
    # Remove one activity from each of three goals that keep at least two.
    removable = [g for g in goals if len(g.activities) > 2]
    remove = [
        (g.activities[-1].code, g.activities[-1].year)
        for g in rng.sample(removable, min(3, len(removable)))
    ]
    pool = [e for entries in by_area.values() for e in entries]
    add = []
    for item in _pick_activities(rng, pool, 4, plan.start_year, taken):
        add.append((rng.randrange(len(goals)), item))
    new_goal = GoalPlan(
        REVISION_GOAL["title"],
        _pick_activities(rng, by_area.get(REVISION_GOAL["area"], pool), 2, plan.start_year, taken),
    )
    return RevisionPlan(remove=remove, add=add, new_goal=(0, new_goal))


def plan_earlier_programmes(
    plans: list[ProgrammePlan],
    menu: list[MenuEntry],
    *,
    partners: dict[str, Partner],
    scale: int,
    seed: int = PROGRAMME_SEED,
) -> list[ProgrammePlan]:
    """For a demo at ``scale`` N: each planned partner's programmes of the N - 1 four-year
    periods before the current cycle (2021 to 2024, 2017 to 2020...), agreed in their time, one
    in four revised once; nothing is written.

    They all end before the current cycle's first year, also for a partner whose current
    programme starts later (that partner had none in between, as at scale 1): from that year
    on, the programmes are the same at every scale, so the reports of a year the demo shows
    (``bench``: this year and last year) are about the same programmes, planned activities and
    events at every scale; a larger demo adds history only.

    A period gets no programme when the partner (from ``partners``, by code, with its status
    events) was not an active partner as it began, or when the demo menu offered too little
    then to serve every goal. Each earlier programme has a random generator of its own (seed,
    partner, period), so the scale-1 plans are the same whatever the scale.
    """
    by_area: dict[str, list[MenuEntry]] = {}
    for entry in menu:
        by_area.setdefault(entry.area, []).append(entry)
    earlier = []
    for plan in plans:
        partner = partners[plan.partner_code]
        for step in range(1, scale):
            start_year = CURRENT_CYCLE_START - PROGRAMME_YEARS * step
            if partner.status_on(datetime.date(start_year - 1, 11, 1)) != PartnerStatus.ACTIVE:
                continue
            # Demo data must be reproducible, not secret.
            rng = random.Random(f"{seed}:{plan.partner_code}:{start_year}")  # noqa: S311
            objectives, taken = _plan_contents(rng, by_area, start_year)
            if not all(goal.activities for objective in objectives for goal in objective.goals):
                continue
            revised = rng.random() < EARLIER_REVISED_SHARE
            earlier_plan = ProgrammePlan(
                partner_code=plan.partner_code,
                scenario=AGREED,
                drafter=plan.drafter,
                approver=rng.choice(DEMO_APPROVERS),
                title=plan.title,
                summary=(
                    f"The cooperation NATO and {partner.name} agreed to pursue for four years: "
                    + "; ".join(o.title.lower() for o in objectives)
                    + "."
                ),
                start_year=start_year,
                objectives=objectives,
                agreed_on=datetime.date(start_year - 1, 11, 1)
                + datetime.timedelta(days=rng.randint(0, 119)),
                signatory=rng.choice(SIGNATORIES),
                earlier=True,
            )
            revision = _plan_revision(rng, earlier_plan, by_area, taken) if revised else None
            # A revision whose new goal found nothing on the menu of its time is not made.
            if revision and revision.new_goal[1].activities:
                earlier_plan.scenario = REVISED
                earlier_plan.revision = revision
                earlier_plan.revision_agreed_on = datetime.date(
                    start_year + 1, 5, 2
                ) + datetime.timedelta(days=rng.randint(0, 90))
            earlier.append(earlier_plan)
    return earlier
