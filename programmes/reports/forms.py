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


def read_report_options(report, query, understood=()):
    """A report's options from a query string (a ``QueryDict`` or a plain dict): (the form to
    show or None, the options, whether something was ignored); ``understood`` names are not
    options but are not ignored either. What is not understood falls back to the defaults."""
    form_class = report.options_form
    known = {*(form_class.base_fields if form_class else ()), *understood}
    ignored = bool(set(query) - known)
    if form_class is None:
        return None, {}, ignored
    form = form_class(query)
    if not form.is_valid():
        ignored = True
        form = form_class({})
        form.is_valid()  # every option has a default
    # Shown unbound, with every option (defaults included) selected as in force.
    return form_class(initial=form.cleaned_data), form.cleaned_data, ignored


def describe_options(form, options) -> list[tuple[str, str]]:
    """The options in force, as (label, value) for people to read."""
    if form is None:
        return []
    described = []
    for name, value in options.items():
        field = form.fields[name]
        described.append((str(field.label), str(dict(field.choices).get(value, value))))
    return described
