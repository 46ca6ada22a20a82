"""Forms of the menu pages: an activity, retiring it, and a menu file to import. They check the
input's shape; ``programmes.menu.actions`` and ``importing`` decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.menu import importing
from programmes.menu.actions import EDITABLE_FIELDS
from programmes.menu.models import LAST_MENU_YEAR, Activity


class ActivityForm(forms.ModelForm):
    """Create (with a code) or edit (code fixed) an activity; saving goes through programmes.menu.actions."""

    class Meta:
        model = Activity
        fields = ["code", *EDITABLE_FIELDS]
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_fr": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code of an activity never changes.")
            # Retiring has its own button, with its own checks.
            del self.fields["retired_in"]
        else:
            self.fields["code"].help_text = _(
                "2 to 6 capital letters, a hyphen and 3 to 6 digits, like CYB-0042. It never "
                "changes once the activity is created."
            )
            self.fields["first_offered"].initial = timezone.localdate().year
            del self.fields["retired_in"]


class RetireForm(forms.Form):
    year = forms.IntegerField(
        label=_("Retired from the menu of"),
        min_value=1994,
        max_value=LAST_MENU_YEAR,
        help_text=_("Programmes that already chose the activity keep it."),
    )


class MenuImportForm(forms.Form):
    file = forms.FileField(
        label=_("Menu file"),
        help_text=_(
            "A CSV file (UTF-8) or an Excel workbook (.xlsx) of at most 5 MB, "
            "with the columns described below."
        ),
        widget=forms.FileInput(attrs={"accept": ",".join(importing.EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        importing.check_file(upload.name, upload.size)
        return upload
