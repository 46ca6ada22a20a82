"""Search and filters of the programme list and of the activity picker (all in the query string)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import Framework, Partner, shown_name
from partners.permissions import visible_partners
from programmes import dashboard
from programmes.menu.filters import ActivityFilter
from programmes.models import FIRST_PROGRAMME_YEAR, LAST_PROGRAMME_YEAR, Programme, ProgrammeStatus


def _visible_partners(request):
    if request is None:
        return Partner.objects.none()
    return visible_partners(request.user).in_name_order()


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Title, summary, partner name or ISO code."),
    )
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"),
        queryset=_visible_partners,
        to_field_name="code",
        empty_label=_("All partners"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProgrammeStatus.choices, empty_label=_("Any status")
    )
    framework = django_filters.ChoiceFilter(
        label=_("Framework"),
        field_name="partner__framework",
        choices=Framework.choices,
        empty_label=_("All frameworks"),
    )
    year = YearFilter(
        label=_("Covers the year"),
        method="covering",
        min_value=FIRST_PROGRAMME_YEAR,
        max_value=LAST_PROGRAMME_YEAR,
    )
    activity = django_filters.CharFilter(
        label=_("Plans the activity"),
        method="planning",
        max_length=13,
        help_text=_("A menu code, like CYB-0042."),
    )
    # The dashboard's sections, each the list of the same query (``programmes.dashboard``).
    mine = django_filters.ChoiceFilter(
        label=_("Drafted by"),
        choices=[("drafted", _("Me"))],
        empty_label=_("Not filtered"),
        method="drafted_by_me",
    )
    awaiting = django_filters.ChoiceFilter(
        label=_("Awaiting the approval of"),
        choices=[("me", _("Me"))],
        empty_label=_("Not filtered"),
        method="awaiting_my_approval",
    )
    ending = django_filters.ChoiceFilter(
        label=_("Ending"),
        choices=[("soon", _("Within a year, with no successor"))],
        empty_label=_("Not filtered"),
        method="ending_soon",
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("partner_order", "partner"),
            ("title", "title"),
            ("start_year", "period"),
            ("version", "version"),
            ("status", "status"),
            ("last_change", "last_change"),
        ),
    )

    class Meta:
        model = Programme
        fields = []

    def filter_queryset(self, queryset):
        """Partners in the reader's order (their French names for French readers), by default
        and when sorting by partner."""
        queryset = queryset.annotate(partner_order=shown_name("partner__")).order_by(
            "partner_order", "-start_year", "-version", "pk"
        )
        return super().filter_queryset(queryset)

    def search(self, queryset, name, value):
        return queryset.search(value)

    def covering(self, queryset, name, value):
        return queryset.overlapping(value, value)

    def planning(self, queryset, name, value):
        return queryset.planning(value)

    def _within(self, queryset, section):
        if self.request is None:
            return queryset.none()
        return queryset.filter(pk__in=section(self.request.user).values("pk"))

    def drafted_by_me(self, queryset, name, value):
        return self._within(queryset, Programme.objects.drafted_by)

    def awaiting_my_approval(self, queryset, name, value):
        return self._within(queryset, dashboard.awaiting_approval_by)

    def ending_soon(self, queryset, name, value):
        return self._within(queryset, dashboard.ending_without_successor)


class PickerFilter(ActivityFilter):
    """The menu's search and filters, without the state: only active activities can be chosen."""

    state = None
