import django_filters
from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from programmes.menu.models import Activity, ActivityType, Area, DeliveryMode, Provider


class ActivityFilter(django_filters.FilterSet):
    """The menu's search and filters; every value lives in the query string, to bookmark and share.

    Without a ``state`` the menu shows the active activities, the ones a programme can choose;
    ``state=retired`` and ``state=all`` show the others.
    """

    DEFAULT_STATE = "active"
    STATE_CHOICES = [
        ("active", _("Active")),
        ("retired", _("Retired")),
        ("all", _("Active and retired")),
    ]

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_(
            "Every word, or part of a word, in the code, title or description, in English or "
            "French (for example CYB-0042 or cyber); words in double quotes are searched together."
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
        empty_label=None,
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

    def __init__(self, data=None, *args, **kwargs):
        if data is None or not data.get("state"):
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["state"] = self.DEFAULT_STATE
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_state(self, queryset, name, value):
        if value == "all":
            return queryset
        return queryset.active() if value == "active" else queryset.retired()
