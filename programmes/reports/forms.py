"""Forms of the report pages: they read the query string; the reports decide what to show."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The largest primary key the database holds: anything larger is junk, not a missing version.
LARGEST_PK = 2**31 - 1


class VersionQueryForm(forms.Form):
    """``?version=<pk>`` of the per-partner report."""

    version = forms.IntegerField(required=False, min_value=1, max_value=LARGEST_PK)


class PartnerChoiceForm(forms.Form):
    """``?partner=<code>``: a partner the user may see (choices from one query, no lookup)."""

    partner = forms.ChoiceField(label=gettext_lazy("Partner"))

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [("", _("Choose a partner")), *partners]
