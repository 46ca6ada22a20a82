"""Forms of the drafting pages. They validate input only; ``programmes.workflow`` decides and saves.

Edit forms carry the programme's ``edit_stamp`` as ``seen_stamp`` so the workflow can refuse a
save over a change made since the form was loaded. Create forms carry a one-time ``token`` so
that the same form sent twice (a double click, a retry) creates one row.
"""

# A period is written with an en dash (U+2013) between its years.
# ruff: noqa: RUF001, RUF002

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programmes.menu.models import Activity
from programmes.models import (
    FIRST_PROGRAMME_YEAR,
    LAST_PROGRAMME_YEAR,
    PROGRAMME_YEARS,
    Comment,
    Goal,
    Objective,
    OrderedItem,
    PlannedActivity,
    Priority,
    Programme,
)


def _max_length(model, field: str) -> int:
    """The length ``model`` allows in ``field``: said once, on the model."""
    return model._meta.get_field(field).max_length


class SeenStampField(forms.IntegerField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=2**31 - 1, **kwargs)


class OneTimeTokenField(forms.UUIDField):
    """A fresh token in every form shown; a missing or mangled one simply means "no token"."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


def goal_choices(goals) -> list[tuple[str, list[tuple[int, str]]]]:
    """Goals grouped under their objective's title, for a ``<select>`` with ``<optgroup>``s.

    ``goals`` come ordered by objective, then goal (``programme_goals``).
    """
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    objective_id = None
    for goal in goals:
        if goal.objective_id != objective_id:
            objective_id = goal.objective_id
            groups.append((goal.objective.title, []))
        groups[-1][1].append((goal.pk, goal.title))
    return groups


def programme_goals(programme: Programme):
    return (
        Goal.objects.filter(objective__programme=programme)
        .select_related("objective")
        .order_by("objective__order", "objective__pk", "order", "pk")
    )


class ProgrammeYearField(forms.TypedChoiceField):
    """One of the programme's four calendar years; cleans to the programme year (1 to 4)."""

    def __init__(self, programme: Programme, **kwargs):
        super().__init__(
            choices=[(year, str(year)) for year in programme.years],
            coerce=lambda value: int(value) - programme.start_year + 1,
            **kwargs,
        )


class GoalChoiceField(forms.TypedChoiceField):
    """One of the programme's goals, labelled with its number; cleans to the ``Goal``."""

    def __init__(self, goals, **kwargs):
        goals = list(goals)
        by_pk = {str(goal.pk): goal for goal in goals}
        super().__init__(
            choices=goal_choices(goals), coerce=lambda value: by_pk[str(value)], **kwargs
        )


def suggested_title(partner, start_year: int) -> str:
    """A new programme's title from its partner and period, in the reader's language:
    "Georgia ITPP 2027–2030", "ITPP Géorgie 2027–2030"."""
    return gettext("%(partner)s ITPP %(first)s–%(last)s") % {
        "partner": partner.display_name,
        "first": start_year,
        "last": start_year + PROGRAMME_YEARS - 1,
    }


class ProgrammeCreateForm(forms.Form):
    """A new draft. The title is prefilled when the partner is known (``?partner=GE``), and made
    from the partner and period when left empty."""

    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, to_field_name="code")
    title = forms.CharField(
        label=_("Title"),
        max_length=_max_length(Programme, "title"),
        required=False,
        help_text=_(
            "Leave empty to name it after the partner and the period, for example “Georgia ITPP "
            "2027–2030”."
        ),
    )
    start_year = forms.IntegerField(
        label=_("First year"),
        min_value=FIRST_PROGRAMME_YEAR,
        max_value=LAST_PROGRAMME_YEAR - PROGRAMME_YEARS + 1,
        help_text=_("A programme covers this year and the three after it."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=_max_length(Programme, "summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    token = OneTimeTokenField()

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        start_year = timezone.localdate().year + 1
        self.fields["start_year"].initial = start_year
        code = self.initial.get("partner")
        if code and not self.is_bound:
            partner = partners.filter(code=code).first()
            if partner is not None:
                self.initial["title"] = suggested_title(partner, start_year)

    def clean(self):
        cleaned = super().clean()
        partner, start_year = cleaned.get("partner"), cleaned.get("start_year")
        if not (cleaned.get("title") or "").strip() and partner and start_year:
            cleaned["title"] = suggested_title(partner, start_year)
        return cleaned


class ProgrammeForm(forms.Form):
    """The overview of a draft: title, summary and period."""

    title = forms.CharField(label=_("Title"), max_length=_max_length(Programme, "title"))
    start_year = forms.IntegerField(
        label=_("First year"),
        min_value=FIRST_PROGRAMME_YEAR,
        max_value=LAST_PROGRAMME_YEAR - PROGRAMME_YEARS + 1,
        help_text=_(
            "A programme covers this year and the three after it; planned activities keep their "
            "programme year."
        ),
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=_max_length(Programme, "summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    seen_stamp = SeenStampField()


class OrderedItemForm(forms.Form):
    """A new strategic objective or partnership goal: its title and description."""

    title = forms.CharField(label=_("Title"), max_length=_max_length(OrderedItem, "title"))
    description = forms.CharField(
        label=_("Description"),
        max_length=_max_length(OrderedItem, "description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    token = OneTimeTokenField()


class OrderedItemEditForm(OrderedItemForm):
    """The title and description of an objective or a goal, changed."""

    token = None
    seen_stamp = SeenStampField()


class GoalEditForm(OrderedItemEditForm):
    """A goal's text, and the objective it serves (choosing another one moves it there)."""

    objective = forms.ModelChoiceField(
        label=_("Strategic objective"),
        queryset=Objective.objects.none(),
        empty_label=None,
        help_text=_("Choose another objective to move the goal there."),
    )

    field_order = ["objective", "title", "description"]

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = programme.objectives.order_by("order", "pk")


class PlannedActivityForm(forms.Form):
    """Year, goal, priority and notes of an activity planned in a programme."""

    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.MEDIUM
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=_max_length(PlannedActivity, "notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    seen_stamp = SeenStampField()

    def __init__(self, *args, programme: Programme, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = ProgrammeYearField(programme, label=_("Year"))
        self.fields["goal"] = GoalChoiceField(goals, label=_("Partnership goal"))
        self.order_fields(["year", "goal", "priority", "notes"])


class PickForm(forms.Form):
    """One row of the activity picker: the activity and where it goes in the programme."""

    activity = forms.ModelChoiceField(queryset=Activity.objects.all(), widget=forms.HiddenInput)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.MEDIUM
    )

    def __init__(self, *args, programme: Programme, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = ProgrammeYearField(programme, label=_("Year"))
        self.fields["goal"] = GoalChoiceField(goals, label=_("Partnership goal"))


class ActivitiesField(forms.ModelMultipleChoiceField):
    """Activities by id; a value that is no database id (a huge number, text) is refused as an
    invalid choice before any query (SQLite cannot even bind an integer beyond 64 bits)."""

    def _check_values(self, value):
        for pk in value:
            text = str(pk)
            if not (text.isdigit() and int(text) < 2**63):
                raise forms.ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": text[:40]},
                )
        return super()._check_values(value)


class BulkPickForm(forms.Form):
    """The activity picker's "plan the chosen activities": several activities, in one or more
    years of the programme (or every year), for one goal at one priority. Each pair of an
    activity and a year becomes one planned activity."""

    MAX_ACTIVITIES = 100

    activities = ActivitiesField(
        label=_("Activities"),
        queryset=Activity.objects.all(),
        error_messages={"required": _("Tick at least one activity in the list.")},
    )
    every_year = forms.BooleanField(label=_("Every year of the period"), required=False)
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.MEDIUM
    )

    def __init__(self, *args, programme: Programme, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme_years = list(range(1, PROGRAMME_YEARS + 1))
        self.fields["years"] = forms.TypedMultipleChoiceField(
            label=_("Years"),
            choices=[(year, str(year)) for year in programme.years],
            coerce=lambda value: int(value) - programme.start_year + 1,
            required=False,
        )
        self.fields["goal"] = GoalChoiceField(goals, label=_("Partnership goal"))

    def clean_activities(self):
        activities = self.cleaned_data["activities"]
        if len(activities) > self.MAX_ACTIVITIES:
            raise forms.ValidationError(
                gettext("Choose at most %(count)s activities at once.")
                % {"count": self.MAX_ACTIVITIES}
            )
        return activities

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("every_year"):
            cleaned["years"] = self.programme_years
        elif not cleaned.get("years") and "years" not in self.errors:
            self.add_error("years", _("Choose a year, or every year of the period."))
        return cleaned

    def plans(self) -> list[tuple[Activity, int]]:
        """The (activity, programme year) pairs chosen, by code, then year."""
        activities = sorted(self.cleaned_data["activities"], key=lambda a: a.code)
        years = sorted(set(self.cleaned_data["years"]))
        return [(activity, year) for activity in activities for year in years]


class SuccessorForm(forms.Form):
    """Drafting the successor of an agreed programme: whether to copy its planned activities."""

    copy_activities = forms.BooleanField(
        label=_("Copy the planned activities"),
        required=False,
        initial=True,
        help_text=_(
            "Each in the same year of the new period; activities retired from the menu are left "
            "out."
        ),
    )
    token = OneTimeTokenField()


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=_max_length(Comment, "text"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (Comment.Kind.NOTE, Comment.Kind.NOTE.label),
            (Comment.Kind.REVIEW, Comment.Kind.REVIEW.label),
        ],
        initial=Comment.Kind.NOTE,
    )
    # NATO staff choose; internal by default. A representative's comment is always shared (the
    # field is left out of their form and the workflow shares it).
    shared = forms.BooleanField(
        label=_("Shared with the partner"),
        required=False,
        help_text=_("Left unticked, only NATO staff read it."),
    )
    token = OneTimeTokenField()

    def __init__(self, *args, review_remarks: bool = False, audience: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not review_remarks:
            del self.fields["kind"]
        if not audience:
            del self.fields["shared"]


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])

    @property
    def step(self) -> int:
        return -1 if self.cleaned_data["direction"] == "up" else 1


class ConfirmForm(forms.Form):
    """A confirmation page's form: only the stamp the page was shown with."""

    seen_stamp = SeenStampField()
