"""Reads that feed the programme pages, each in a fixed number of queries whatever the size.

Views (``programmes.views.drafting``, ``programmes.views.review``) and reports may import these;
nothing here writes. Every function starts from what the user may see
(``pfp.permissions.visible_programmes``) or from a programme already fetched that way.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import DateTimeField, F, Func, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.shortcuts import get_object_or_404
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programmes.menu.models import Activity
from programmes.models import Comment, Goal, Objective, PlannedActivity, Programme
from programmes.permissions import visible_comments, visible_documents, visible_programmes
from programmes.workflow import CREATED_REASON, PARTNER_EVENT_REASON, SUPERSEDED_REASON, Action

# --- The list ---------------------------------------------------------------------------------


def _latest(history_rows) -> Subquery:
    """The date of the latest of ``history_rows``: ``MAX``, read through the index of the rows'
    object. (``ORDER BY history_date DESC LIMIT 1`` let PostgreSQL walk the date index of the
    whole history, every object's, until it met one of these: longer as the history grows.)
    A plain function, not the ``Max`` aggregate, so that the subquery is not grouped."""
    latest = Func(F("history_date"), function="MAX", output_field=DateTimeField())
    return Subquery(history_rows.order_by().annotate(latest=latest).values("latest"))


def programmes_for_list(user):
    """Visible programmes with ``last_change``: the latest change to the version or its contents."""
    programme_changed = Coalesce(
        _latest(Programme.history.filter(id=OuterRef("pk"))), F("created_at")
    )
    objectives_of = Objective.history.filter(programme_id=OuterRef("pk"))
    objective_changed = _latest(objectives_of)
    goal_changed = _latest(
        Goal.history.filter(
            objective_id__in=Objective.history.filter(programme_id=OuterRef(OuterRef("pk"))).values(
                "id"
            )
        )
    )
    planned_changed = _latest(PlannedActivity.history.filter(programme_id=OuterRef("pk")))
    return (
        visible_programmes(user)
        .for_lists()
        .annotate(
            last_change=Greatest(
                programme_changed,
                Coalesce(objective_changed, programme_changed),
                Coalesce(goal_changed, programme_changed),
                Coalesce(planned_changed, programme_changed),
                output_field=DateTimeField(),
            )
        )
    )


# --- The programme page -----------------------------------------------------------------------


def programme_for_page(user, pk) -> Programme:
    """One visible programme with everything its page shows (404 when not visible)."""
    programmes = (
        visible_programmes(user)
        .select_related(
            "partner",
            "created_by",
            "submitted_by",
            "approved_by",
            "agreement_recorded_by",
            "partner_accepted_by",
            "revises",
        )
        .prefetch_related(
            "partner__status_events",
            "editors",
            Prefetch("revisions", queryset=Programme.objects.order_by("version")),
            Prefetch(
                "objectives",
                queryset=Objective.objects.order_by("order", "pk").prefetch_related(
                    Prefetch("goals", queryset=Goal.objects.order_by("order", "pk"))
                ),
            ),
            Prefetch(
                "planned_activities",
                queryset=PlannedActivity.objects.select_related("activity__area", "goal").order_by(
                    "year", "activity__code"
                ),
            ),
            # A representative reads the shared comments only (on the page and in its history).
            Prefetch("comments", queryset=visible_comments(user).select_related("author")),
            # The documents the user may read, each with the newer one superseding it.
            Prefetch(
                "documents",
                queryset=visible_documents(user).select_related("added_by", "superseded_by"),
            ),
        )
    )
    return get_object_or_404(programmes, pk=pk)


def objectives_with_goals(programme: Programme) -> list[Objective]:
    """The objectives in order, each goal with ``planned_count`` (from the prefetched rows)."""
    counts = Counter(planned.goal_id for planned in programme.planned_activities.all())
    objectives = list(programme.objectives.all())
    for objective in objectives:
        for goal in objective.goals.all():
            goal.planned_count = counts[goal.pk]
    return objectives


@dataclass
class YearPlan:
    year: int  # the programme year, 1 to 4
    calendar_year: int
    activities: list[PlannedActivity] = field(default_factory=list)


def planned_by_year(programme: Programme) -> list[YearPlan]:
    """The programme's four years, each with its planned activities ordered by code."""
    plans = [
        YearPlan(year=number, calendar_year=calendar_year)
        for number, calendar_year in enumerate(programme.years, start=1)
    ]
    for planned in programme.planned_activities.all():
        plans[planned.year - 1].activities.append(planned)
    for plan in plans:
        plan.activities.sort(key=lambda planned: planned.activity.code)
    return plans


# --- History ------------------------------------------------------------------------------------

# The change reasons the workflow writes, as people read them.
REASON_LABELS = {
    CREATED_REASON: gettext_lazy("Created"),
    Action.EDIT: gettext_lazy("Changed"),
    Action.COMMENT: gettext_lazy("Commented"),
    Action.SUBMIT: gettext_lazy("Submitted for approval"),
    Action.RETURN: gettext_lazy("Returned to the drafters"),
    Action.APPROVE: gettext_lazy("Approved"),
    Action.RECORD_AGREEMENT: gettext_lazy("Partner's agreement recorded"),
    Action.REVISE: gettext_lazy("Revision started"),
    Action.CLOSE: gettext_lazy("Closed"),
    Action.WITHDRAW: gettext_lazy("Withdrawn"),
    SUPERSEDED_REASON: gettext_lazy("Superseded by a newer agreed version"),
    PARTNER_EVENT_REASON: gettext_lazy("Closed after a change in the partner's status"),
}


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime.datetime
    who: object  # a user, or None for the system
    what: str
    detail: str = ""


def _field_label(model, name: str) -> str:
    return str(model._meta.get_field(name.removesuffix("_id")).verbose_name)


def _changes(rows) -> list[tuple[object, object | None]]:
    """Each history row with the row before it for the same object (rows oldest first)."""
    previous = {}
    paired = []
    for row in rows:
        paired.append((row, previous.get(row.id)))
        previous[row.id] = row
    return paired


def _changed_fields(row, before, names) -> list[str]:
    if before is None:
        return []
    return [name for name in names if getattr(row, name) != getattr(before, name)]


def _programme_entries(programme: Programme) -> list[TimelineEntry]:
    rows = Programme.history.filter(id=programme.pk).select_related("history_user")
    entries = []
    for row, before in _changes(rows.order_by("history_date", "history_id")):
        reason = row.history_change_reason or ""
        what = str(REASON_LABELS.get(reason, _("Changed")))
        detail = ""
        if row.history_type == "+":
            if reason == Action.REVISE and programme.revises_id:
                what = _("Version %(version)s started, revising version %(previous)s") % {
                    "version": row.version,
                    "previous": programme.revises.version,
                }
            else:
                what = _("Created version %(version)s") % {"version": row.version}
        elif reason in (Action.SUBMIT, Action.RETURN, Action.APPROVE, Action.WITHDRAW):
            pass
        elif reason == Action.RECORD_AGREEMENT:
            detail = _("Signed by %(signatory)s on %(date)s.") % {
                "signatory": row.partner_signatory,
                "date": date_format(row.agreed_on) if row.agreed_on else "",
            }
        elif reason in (Action.CLOSE, PARTNER_EVENT_REASON):
            detail = row.closed_reason
        elif reason != SUPERSEDED_REASON:
            fields = _changed_fields(row, before, ["title", "summary", "start_year", "status"])
            if fields:
                what = _("Changed the overview: %(fields)s") % {
                    "fields": ", ".join(_field_label(Programme, name) for name in fields)
                }
        entries.append(TimelineEntry(row.history_date, row.history_user, what, detail))
    return entries


def _content_entry(kind: str, row, before, fields: list[str], model) -> TimelineEntry | None:
    """What happened to one objective or goal row, or None when nothing visible changed."""
    names = {"kind": kind, "title": row.title}
    detail = ""
    if row.history_type == "+":
        what = _("Added %(kind)s “%(title)s”") % names
    elif row.history_type == "-":
        what = _("Removed %(kind)s “%(title)s”") % names
    else:
        changed = _changed_fields(row, before, fields)
        if not changed:
            return None
        if changed == ["order"]:
            what = _("Moved %(kind)s “%(title)s”") % names
        else:
            labels = [_field_label(model, name) for name in changed if name != "order"]
            what = _("Changed %(kind)s “%(title)s”: %(fields)s") % {
                **names,
                "fields": ", ".join(labels),
            }
        if "title" in changed:
            detail = _("Formerly “%(title)s”.") % {"title": before.title}
    return TimelineEntry(row.history_date, row.history_user, what, detail)


def programme_timeline(programme: Programme) -> list[TimelineEntry]:
    """Everything that happened to this version and its contents, newest first.

    Merges the history rows of the programme, its objectives, goals and planned activities
    (including removed ones) and its comments. The copies a revision makes of the previous
    version's contents are summed up by the programme's own entry, not listed one by one.
    """
    entries = _programme_entries(programme)

    objective_rows = list(
        Objective.history.filter(programme_id=programme.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    objective_titles = {row.id: row.title for row in objective_rows}
    for row, before in _changes(objective_rows):
        if row.history_change_reason == Action.REVISE:
            continue
        entry = _content_entry(
            _("objective"), row, before, ["title", "description", "order"], Objective
        )
        if entry:
            entries.append(entry)

    goal_rows = (
        Goal.history.filter(
            objective_id__in=Objective.history.filter(programme_id=programme.pk).values("id")
        )
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for row, before in _changes(goal_rows):
        if row.history_change_reason == Action.REVISE:
            continue
        if row.history_type == "~" and before and row.objective_id != before.objective_id:
            what = _("Moved goal “%(title)s” to objective “%(objective)s”") % {
                "title": row.title,
                "objective": objective_titles.get(row.objective_id, "?"),
            }
            entry = TimelineEntry(row.history_date, row.history_user, what)
        else:
            entry = _content_entry(_("goal"), row, before, ["title", "description", "order"], Goal)
        if entry:
            entries.append(entry)

    planned_rows = list(
        PlannedActivity.history.filter(programme_id=programme.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    codes = dict(
        Activity.objects.filter(pk__in={row.activity_id for row in planned_rows}).values_list(
            "pk", "code"
        )
    )
    for row, before in _changes(planned_rows):
        if row.history_change_reason == Action.REVISE:
            continue
        names = {
            "code": codes.get(row.activity_id, "?"),
            "year": programme.start_year + row.year - 1,
        }
        if row.history_type == "+":
            what = _("Planned %(code)s in %(year)s") % names
        elif row.history_type == "-":
            what = _("Removed %(code)s from %(year)s") % names
        else:
            changed = _changed_fields(row, before, ["year", "goal_id", "priority", "notes"])
            if not changed:
                continue
            if "year" in changed:
                what = _("Moved %(code)s from %(previous)s to %(year)s") % {
                    **names,
                    "previous": programme.start_year + before.year - 1,
                }
            else:
                what = _("Changed %(code)s (%(year)s): %(fields)s") % {
                    **names,
                    "fields": ", ".join(_field_label(PlannedActivity, name) for name in changed),
                }
        entries.append(TimelineEntry(row.history_date, row.history_user, what))

    for comment in programme.comments.all():
        kind = _("Comment") if comment.kind == Comment.Kind.NOTE else comment.get_kind_display()
        entries.append(
            TimelineEntry(
                comment.created_at,
                comment.author,
                _("%(kind)s: %(text)s") % {"kind": kind, "text": comment.text},
            )
        )
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def planned_years_by_activity(programme: Programme) -> dict[int, list[int]]:
    """For the picker: the calendar years each activity is already planned in."""
    years = defaultdict(list)
    rows = programme.planned_activities.order_by("year").values_list("activity_id", "year")
    for activity_id, year in rows:
        years[activity_id].append(programme.start_year + year - 1)
    return dict(years)
