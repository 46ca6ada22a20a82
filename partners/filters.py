import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Framework, PartnerStatus


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name or code"),
        method="search",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    framework = django_filters.ChoiceFilter(
        label=_("Framework"), choices=Framework.choices, empty_label=_("All frameworks")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=PartnerStatus.choices, empty_label=_("Any status")
    )
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("name", "name"),
            ("code", "code"),
            ("framework", "framework"),
            ("status", "status"),
        ),
        field_labels={
            "name": _("Name"),
            "code": _("Code"),
            "framework": _("Framework"),
            "status": _("Status"),
        },
    )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(code__iexact=value))
