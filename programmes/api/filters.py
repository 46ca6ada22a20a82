"""Filters of delivery's lists, which have no page filterset of their own (the pages show one
programme's delivery at a time); the other lists reuse the pages' filtersets."""

import django_filters
from django import forms

from partners.models import Partner
from partners.permissions import visible_partners
from programmes.delivery.models import AnnualReview, Event, EventStatus, ReviewStatus
from programmes.filters import ProgrammeFilter
from programmes.models import FIRST_PROGRAMME_YEAR, LAST_PROGRAMME_YEAR, PROGRAMME_YEARS


def _visible_partners(request):
    if request is None:
        return Partner.objects.none()
    return visible_partners(request.user)


class CalendarYearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


class EventFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=_visible_partners, to_field_name="code", help_text="The partner's ISO code."
    )
    lineage = django_filters.UUIDFilter(help_text="The programme (every version of it).")
    year = CalendarYearFilter(
        method="in_year",
        min_value=FIRST_PROGRAMME_YEAR,
        max_value=LAST_PROGRAMME_YEAR,
        help_text="The calendar year the event began in.",
    )
    status = django_filters.ChoiceFilter(choices=EventStatus.choices, help_text="What happened.")
    activity = django_filters.CharFilter(
        field_name="activity__code", max_length=13, help_text="The menu activity's code."
    )
    external_ref = django_filters.CharFilter(
        max_length=100, help_text="The event-management system's reference."
    )

    class Meta:
        model = Event
        fields = []

    def in_year(self, queryset, name, value):
        return queryset.filter(start_date__year=value)


class ReviewFilter(django_filters.FilterSet):
    partner = django_filters.ModelChoiceFilter(
        queryset=_visible_partners, to_field_name="code", help_text="The partner's ISO code."
    )
    lineage = django_filters.UUIDFilter(help_text="The programme (every version of it).")
    year = django_filters.NumberFilter(
        min_value=1, max_value=PROGRAMME_YEARS, help_text="The programme year reviewed, 1 to 4."
    )
    status = django_filters.ChoiceFilter(choices=ReviewStatus.choices, help_text="Its status.")

    class Meta:
        model = AnnualReview
        fields = []


class ProgrammeApiFilter(ProgrammeFilter):
    """The programme list's filterset, its year's type spelled out for the schema."""

    def covering(self, queryset, name, value: int):
        return super().covering(queryset, name, value)
