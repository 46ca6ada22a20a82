from django import forms

from .models import Delivery


class PreferencesForm(forms.Form):
    """One choice per kind of message the user's roles receive (``preferences.kinds_for``)."""

    def __init__(self, *args, kinds: list[tuple[str, str]], initial_choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in kinds:
            self.fields[kind] = forms.ChoiceField(
                label=label,
                choices=Delivery.choices,
                initial=initial_choices.get(kind, Delivery.AT_ONCE),
                widget=forms.RadioSelect,
            )
