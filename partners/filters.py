import django_filters
from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from partners.models import Framework, PartnerStatus

# The status the list shows when none is asked for: the partners staff work with.
DEFAULT_STATUS = PartnerStatus.ACTIVE
ANY_STATUS = "all"


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or code"),
        help_text=_("For example Georgia, Géorgie or GE."),
        method="search",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    framework = django_filters.ChoiceFilter(
        label=_("Framework"), choices=Framework.choices, empty_label=_("All frameworks")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*PartnerStatus.choices, (ANY_STATUS, _("Any status"))],
        empty_label=None,
        method="by_status",
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            # The name the reader sees (PartnerQuerySet.in_name_order annotates it).
            ("name_order", "name"),
            ("code", "code"),
            ("framework", "framework"),
            ("status", "status"),
        ),
        field_labels={
            "name_order": _("Name"),
            "code": _("Code"),
            "framework": _("Framework"),
            "status": _("Status"),
        },
    )

    def __init__(self, data=None, *args, **kwargs):
        # Active partners unless another status is asked for; "all" shows every partner.
        if data is None or not data.get("status"):
            data = data.copy() if data is not None else QueryDict(mutable=True)
            data["status"] = DEFAULT_STATUS
        super().__init__(data, *args, **kwargs)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(name_fr__icontains=value) | Q(code__iexact=value)
        )

    def by_status(self, queryset, name, value):
        if value == ANY_STATUS:
            return queryset
        return queryset.filter(status=value)
