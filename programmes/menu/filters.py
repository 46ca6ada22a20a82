import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.menu.models import Activity, ActivityType, Area, DeliveryMode, Provider


class ActivityFilter(django_filters.FilterSet):
    """The menu's search and filters; every value lives in the query string, to bookmark and share."""

    STATE_CHOICES = [("active", _("Active")), ("retired", _("Retired"))]

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_(
            "Every word, or part of a word, in the code, title or description, in English or "
            "French; words in double quotes are searched together."
        ),
    )
    area = django_filters.ModelChoiceFilter(
        label=_("Area of cooperation"),
        queryset=Area.objects.all(),
        empty_label=_("All areas"),
        to_field_name="code",
    )
    type = django_filters.ChoiceFilter(
        label=_("Type"), choices=ActivityType.choices, empty_label=_("All types")
    )
    provider = django_filters.ModelChoiceFilter(
        label=_("Provider"), queryset=Provider.objects.all(), empty_label=_("All providers")
    )
    delivery_mode = django_filters.ChoiceFilter(
        label=_("Delivery mode"), choices=DeliveryMode.choices, empty_label=_("All modes")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=STATE_CHOICES,
        empty_label=_("Active and retired"),
        method="by_state",
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("code", "code"),
            ("title_en", "title"),
            ("area__order", "area"),
            ("type", "type"),
            ("provider__name", "provider"),
            ("length_days", "length"),
            ("first_offered", "first_offered"),
        ),
    )

    class Meta:
        model = Activity
        fields = []

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_state(self, queryset, name, value):
        return queryset.active() if value == "active" else queryset.retired()
