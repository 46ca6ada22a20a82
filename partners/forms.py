from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StatusDateForm(forms.Form):
    """``?on=YYYY-MM-DD``: the date on which statuses are shown (today when absent or invalid)."""

    on = forms.DateField(
        label=_("Status on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for today."),
    )

    def clean_on(self):
        on = self.cleaned_data["on"]
        if on is not None and not 1900 <= on.year <= 2100:
            raise forms.ValidationError(_("Choose a date between 1900 and 2100."))
        return on

    def status_date(self):
        """The requested date, or today; call after ``is_valid()``."""
        return (self.is_valid() and self.cleaned_data.get("on")) or timezone.localdate()
