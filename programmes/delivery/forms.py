"""Forms of delivery's pages. They check the input's shape; ``programmes.delivery.actions``
decides and saves (and names the field of any rule it refuses).

Years are chosen as calendar years and clean to programme years (1 to 4), as on the drafting
pages. Edit forms carry the row's ``edit_stamp`` as ``seen_stamp``, so that saving over a change
made since the form was loaded is refused; the forms that record a new event carry a one-time
``token``, so that the same form sent twice (a double click, a retry) records one event.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.delivery.models import (
    RATINGS,
    AnnualReview,
    Event,
    EventStatus,
    ObjectiveProgress,
    Progress,
)
from programmes.forms.drafting import (
    GoalChoiceField,
    OneTimeTokenField,
    ProgrammeYearField,
    SeenStampField,
)
from programmes.menu.models import Activity, Provider
from programmes.models import PROGRAMME_YEARS, Programme


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _EventFields(forms.Form):
    """When and where an event takes place, and who provides it."""

    start_date = forms.DateField(label=_("First day"), widget=DateInput())
    end_date = forms.DateField(label=_("Last day"), widget=DateInput())
    place = forms.CharField(
        label=_("Place"),
        max_length=_max_length(Event, "place"),
        required=False,
        help_text=_("A city, or a city and an institution. Leave empty for an online event."),
    )
    online = forms.BooleanField(label=_("Online"), required=False)
    provider = forms.ModelChoiceField(
        label=_("Provider"),
        queryset=Provider.objects.order_by("name"),
        required=False,
        help_text=_("Leave empty for the activity's provider in the menu."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot come before the first day."))
        return cleaned

    def event_fields(self) -> dict:
        """The cleaned data as ``actions.record_event``'s fields (no provider: the activity's;
        the form's one-time token apart, as ``token``)."""
        fields = dict(self.cleaned_data)
        fields.pop("token", None)
        if fields.get("provider") is None:
            fields.pop("provider", None)
        return fields


def planned_choices(programme: Programme) -> list[tuple[str, list[tuple[int, str]]]]:
    """The version's planned activities grouped by year, for a ``<select>`` with groups (from
    prefetched or fetched rows, ordered by year and code)."""
    groups: dict[int, list[tuple[int, str]]] = {}
    for planned in programme.planned_activities.all():
        groups.setdefault(planned.year, []).append(
            (planned.pk, f"{planned.activity.code} — {planned.activity.title}")
        )
    return [
        (
            _("%(year)s (year %(number)s)")
            % {"year": programme.start_year + year - 1, "number": year},
            rows,
        )
        for year, rows in sorted(groups.items())
    ]


class EventScheduleForm(_EventFields):
    """An event delivering an activity the version in force plans."""

    token = OneTimeTokenField()

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        by_pk = {str(planned.pk): planned for planned in programme.planned_activities.all()}
        self.fields["planned"] = forms.TypedChoiceField(
            label=_("Planned activity"),
            choices=[("", "---------"), *planned_choices(programme)],
            coerce=lambda value: by_pk[str(value)],
            error_messages={"invalid_choice": _("Choose an activity of this programme.")},
        )
        self.fields["year"] = ProgrammeYearField(
            programme,
            label=_("Year"),
            required=False,
            help_text=_("Leave empty for the year the activity is planned in."),
        )
        self.fields["year"].choices = [("", "---------"), *self.fields["year"].choices]
        self.order_fields(["planned", "year"])

    def event_fields(self) -> dict:
        fields = super().event_fields()
        del fields["planned"]
        if fields.get("year") in (None, ""):
            fields.pop("year", None)
        return fields


class UnplannedEventForm(_EventFields):
    """An event of a menu activity the programme did not plan, serving one of its goals."""

    activity = forms.CharField(
        label=_("Activity code"),
        max_length=_max_length(Activity, "code"),
        help_text=_("The code of the activity in the menu, for example CYB-0101."),
    )
    token = OneTimeTokenField()

    def __init__(self, *args, programme: Programme, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"] = GoalChoiceField(goals, label=_("Partnership goal it serves"))
        self.fields["year"] = ProgrammeYearField(programme, label=_("Year"))
        self.order_fields(["activity", "goal", "year"])

    def clean_activity(self):
        code = self.cleaned_data["activity"].strip().upper()
        activity = Activity.objects.filter(code=code).first()
        if activity is None:
            raise forms.ValidationError(
                _("No activity of the menu has the code %(code)s.") % {"code": code}
            )
        return activity

    def event_fields(self) -> dict:
        fields = super().event_fields()
        del fields["activity"], fields["goal"]
        return fields


class EventForm(_EventFields):
    """An event corrected, or its outcome recorded: delivered (with participants, women, a
    rating and an evaluation), cancelled (with a reason) or postponed (to a later year)."""

    status = forms.ChoiceField(label=_("Status"), choices=EventStatus.choices)
    cancellation_reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=_max_length(Event, "cancellation_reason"),
        required=False,
        help_text=_("Only for a cancelled event."),
    )
    participants = forms.IntegerField(
        label=_("Participants from the partner"), min_value=0, max_value=100_000, required=False
    )
    women = forms.IntegerField(
        label=_("Of whom women"), min_value=0, max_value=100_000, required=False
    )
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", "—"), *((n, str(n)) for n in range(RATINGS[0], RATINGS[1] + 1))],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("From 1 (poor) to 5 (excellent), once delivered."),
    )
    evaluation = forms.CharField(
        label=_("Evaluation"),
        max_length=_max_length(Event, "evaluation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    seen_stamp = SeenStampField()

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = ProgrammeYearField(programme, label=_("Year"))
        self.fields["postponed_to"] = ProgrammeYearField(
            programme,
            label=_("Postponed to"),
            required=False,
            empty_value=None,
            help_text=_("Only for a postponed event: a later year of the programme."),
        )
        self.fields["postponed_to"].choices = [
            ("", "---------"),
            *self.fields["postponed_to"].choices,
        ]
        self.order_fields(
            [
                "status",
                "year",
                "start_date",
                "end_date",
                "place",
                "online",
                "provider",
                "cancellation_reason",
                "postponed_to",
                "participants",
                "women",
                "rating",
                "evaluation",
            ]
        )

    @staticmethod
    def initial_for(event: Event, programme: Programme) -> dict:
        return {
            "status": event.status,
            "year": programme.start_year + event.year - 1,
            "start_date": event.start_date,
            "end_date": event.end_date,
            "place": event.place,
            "online": event.online,
            "provider": event.provider_id,
            "cancellation_reason": event.cancellation_reason,
            "postponed_to": (
                programme.start_year + event.postponed_to - 1 if event.postponed_to else None
            ),
            "participants": event.participants,
            "women": event.women,
            "rating": event.rating,
            "evaluation": event.evaluation,
            "seen_stamp": event.edit_stamp,
        }

    def event_fields(self) -> dict:
        fields = dict(self.cleaned_data)
        del fields["seen_stamp"]
        return fields


class ReviewStartForm(forms.Form):
    year = forms.TypedChoiceField(
        choices=[(n, str(n)) for n in range(1, PROGRAMME_YEARS + 1)],
        coerce=int,
        error_messages={"invalid_choice": _("Choose a year of the programme.")},
    )


class ReviewForm(forms.Form):
    """The review of a year: per strategic objective of the version in force, the progress
    and a narrative; the overall assessment. An objective left without a progress keeps what it
    had (nothing, in a new review): the review can be saved before it is complete."""

    overall = forms.CharField(
        label=_("Overall assessment"),
        max_length=_max_length(AnnualReview, "overall"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    seen_stamp = SeenStampField()

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.objectives = list(objectives)
        for number, objective in enumerate(self.objectives, start=1):
            names = {"number": number, "title": objective.title}
            self.fields[self.progress_name(objective)] = forms.ChoiceField(
                label=_("Progress towards %(number)s. %(title)s") % names,
                choices=[("", "---------"), *Progress.choices],
                required=False,
            )
            self.fields[self.narrative_name(objective)] = forms.CharField(
                label=_("What happened towards %(number)s. %(title)s") % names,
                max_length=_max_length(ObjectiveProgress, "narrative"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        self.order_fields(
            [
                name
                for objective in self.objectives
                for name in (self.progress_name(objective), self.narrative_name(objective))
            ]
            + ["overall"]
        )

    @staticmethod
    def progress_name(objective) -> str:
        return f"progress-{objective.key.hex}"

    @staticmethod
    def narrative_name(objective) -> str:
        return f"narrative-{objective.key.hex}"

    @classmethod
    def initial_for(cls, review: AnnualReview, objectives) -> dict:
        ratings = {rating.objective_key: rating for rating in review.ratings.all()}
        initial = {"overall": review.overall, "seen_stamp": review.edit_stamp}
        for objective in objectives:
            rating = ratings.get(objective.key)
            if rating is not None:
                initial[cls.progress_name(objective)] = rating.progress
                initial[cls.narrative_name(objective)] = rating.narrative
        return initial

    def clean(self):
        cleaned = super().clean()
        for objective in self.objectives:
            progress = cleaned.get(self.progress_name(objective))
            narrative = (cleaned.get(self.narrative_name(objective)) or "").strip()
            if narrative and not progress:
                self.add_error(
                    self.progress_name(objective),
                    _("Choose the progress that this narrative describes."),
                )
        return cleaned

    def progress(self) -> dict:
        """``actions.save_review``'s ``progress``: objective key → (progress, narrative), for
        the objectives given a progress."""
        progress = {}
        for objective in self.objectives:
            value = self.cleaned_data.get(self.progress_name(objective))
            if value:
                narrative = self.cleaned_data.get(self.narrative_name(objective), "")
                progress[objective.key] = (value, narrative)
        return progress


class ReturnReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("What does the review need?"),
        max_length=_max_length(AnnualReview, "return_comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the review needs.")},
    )
