"""The page where a user chooses how they receive each kind of e-mail (linked from the account
page); for themselves only, so no rule beyond being signed in."""

from django.contrib import messages
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import FormView

from . import preferences
from .forms import PreferencesForm


class PreferencesView(FormView):
    template_name = "outbox/preferences.html"
    form_class = PreferencesForm
    success_url = reverse_lazy("outbox:preferences")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["kinds"] = preferences.kinds_for(self.request.user)
        kwargs["initial_choices"] = preferences.chosen(self.request.user)
        return kwargs

    def form_valid(self, form):
        preferences.save(actor=self.request.user, choices=form.cleaned_data)
        messages.success(self.request, _("Your choices are saved."))
        return super().form_valid(form)
