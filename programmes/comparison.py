"""What changed between two versions of a programme.

A revision copies every objective, goal and planned activity with its ``key``, so items are
matched by key: an item whose key is only in the newer version was added, one only in the older
version was removed, and one in both is changed when any of its compared fields differs.
``compare_versions`` reads both versions in a fixed number of queries (three), whatever their
size. It only reads; the comparison page (``programmes.views.review``) and reports may import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from programmes.models import Goal, Objective, PlannedActivity, Priority, Programme


@dataclass(frozen=True)
class FieldChange:
    """One field of one item: its label, and its old and new values as displayed."""

    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    """An item present in both versions, with the fields that differ."""

    old: object
    new: object
    changes: list[FieldChange]


@dataclass
class Differences:
    """The items of one kind added, removed and changed (each list in the versions' order)."""

    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list[ItemChange] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass
class Comparison:
    old: Programme
    new: Programme
    programme: list[FieldChange]
    objectives: Differences
    goals: Differences
    activities: Differences

    @property
    def has_changes(self) -> bool:
        return bool(self.programme or self.objectives or self.goals or self.activities)


@dataclass(frozen=True)
class Compared:
    """A compared field: ``value`` is what is compared, ``display`` what the page shows."""

    name: str
    label: str
    value: Callable
    display: Callable | None = None

    def shown(self, item) -> str:
        return str((self.display or self.value)(item))


def _field_changes(old, new, fields: list[Compared]) -> list[FieldChange]:
    return [
        FieldChange(spec.name, str(spec.label), spec.shown(old), spec.shown(new))
        for spec in fields
        if spec.value(old) != spec.value(new)
    ]


def _differences(old_items: list, new_items: list, fields: list[Compared]) -> Differences:
    old_by_key = {item.key: item for item in old_items}
    new_keys = {item.key for item in new_items}
    differences = Differences(removed=[item for item in old_items if item.key not in new_keys])
    for item in new_items:
        before = old_by_key.get(item.key)
        if before is None:
            differences.added.append(item)
            continue
        changes = _field_changes(before, item, fields)
        if changes:
            differences.changed.append(ItemChange(before, item, changes))
    return differences


def _year(planned: PlannedActivity) -> str:
    return _("year %(year)s (%(calendar_year)s)") % {
        "year": planned.year,
        "calendar_year": planned.calendar_year,
    }


PROGRAMME_FIELDS = [
    Compared("title", _("Title"), lambda p: p.title),
    Compared("summary", _("Summary"), lambda p: p.summary),
    Compared("period", _("Period"), lambda p: p.start_year, lambda p: p.period),
]
OBJECTIVE_FIELDS = [
    Compared("title", _("Title"), lambda o: o.title),
    Compared("description", _("Description"), lambda o: o.description),
    Compared("order", _("Order"), lambda o: o.order),
]
GOAL_FIELDS = [
    Compared("title", _("Title"), lambda g: g.title),
    Compared("description", _("Description"), lambda g: g.description),
    Compared("order", _("Order"), lambda g: g.order),
    # Moved under another objective: the objective's key says which, its title shows it.
    Compared("objective", _("Objective"), lambda g: g.objective.key, lambda g: g.objective.title),
]
PLANNED_FIELDS = [
    Compared("year", _("Year"), lambda p: p.year, _year),
    Compared("goal", _("Goal"), lambda p: p.goal.key, lambda p: p.goal.title),
    Compared("priority", _("Priority"), lambda p: p.priority, lambda p: Priority(p.priority).label),
    Compared("notes", _("Notes"), lambda p: p.notes),
]


def compare_versions(old: Programme, new: Programme) -> Comparison:
    """What changed from ``old`` to ``new`` (two versions of one programme, in either order)."""
    pks = [old.pk, new.pk]
    objectives = list(Objective.objects.filter(programme__in=pks).order_by("order", "pk"))
    goals = list(
        Goal.objects.filter(objective__programme__in=pks)
        .select_related("objective")
        .order_by("objective__order", "objective", "order", "pk")
    )
    planned = list(
        PlannedActivity.objects.filter(programme__in=pks)
        .select_related("activity", "goal")
        .order_by("year", "activity__code", "pk")
    )
    # Each planned activity shows its calendar year: give it the programme already loaded.
    for item in planned:
        item.programme = old if item.programme_id == old.pk else new

    def of(items, programme):
        return [item for item in items if item.programme_id == programme.pk]

    return Comparison(
        old=old,
        new=new,
        programme=_field_changes(old, new, PROGRAMME_FIELDS),
        objectives=_differences(of(objectives, old), of(objectives, new), OBJECTIVE_FIELDS),
        goals=_differences(
            [goal for goal in goals if goal.objective.programme_id == old.pk],
            [goal for goal in goals if goal.objective.programme_id == new.pk],
            GOAL_FIELDS,
        ),
        activities=_differences(of(planned, old), of(planned, new), PLANNED_FIELDS),
    )
