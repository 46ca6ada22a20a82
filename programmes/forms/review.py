"""Forms of the review pages: they check the input's shape; ``programmes.workflow`` decides."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import Comment, Programme


class ApproveForm(forms.Form):
    """Approving asks for nothing but the button (the four-eyes rule is the workflow's).

    ``seen_stamp`` is the version's edit stamp when the page was shown: contents changed since
    (a return, edits, a new submission) are not approved unseen.
    """

    seen_stamp = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("Why is the programme returned?"),
        max_length=Comment._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The drafters receive this comment by e-mail and see it on the programme."),
        error_messages={"required": _("Say why the programme is returned.")},
    )
    shared = forms.BooleanField(
        label=_("Shared with the partner"),
        required=False,
        help_text=_("Left unticked, only NATO staff read the reason."),
    )


class AgreementForm(forms.Form):
    agreed_on = forms.DateField(
        label=_("Agreed by the partner on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the date of the partner's agreement.")},
    )
    signatory = forms.CharField(
        label=_("Partner's signatory"),
        max_length=Programme._meta.get_field("partner_signatory").max_length,
        help_text=_("Name and office, for example “Minister of Defence”."),
        error_messages={"required": _("Name the partner's signatory.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreed_on"].widget.attrs["max"] = timezone.localdate().isoformat()


class AcceptForm(forms.Form):
    """Accepting for the partner asks for the button; the product records who and when.
    ``seen_stamp``: the version as the representative read it."""

    seen_stamp = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class DeclineForm(forms.Form):
    comment = forms.CharField(
        label=_("Why does the partner decline this version?"),
        max_length=Comment._meta.get_field("text").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("NATO's officers read it on the programme and revise the version."),
        error_messages={"required": _("Say why the partner declines this version.")},
    )
    seen_stamp = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ShareForm(forms.Form):
    """Sharing a draft asks for the button."""


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the programme closed?"),
        max_length=Programme._meta.get_field("closed_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the programme is closed.")},
    )


class CompareForm(forms.Form):
    """``?old=&new=``: two versions of one programme, chosen among ``versions`` (no query)."""

    old = forms.TypedChoiceField(label=_("From version"), coerce=int)
    new = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {version.pk: version for version in versions}
        choices = [
            (
                version.pk,
                _("Version %(version)s — %(status)s (%(period)s)")
                % {
                    "version": version.version,
                    "status": version.get_status_display(),
                    "period": version.period,
                },
            )
            for version in versions
        ]
        invalid = _("Choose one of this programme's versions.")
        for name in ("old", "new"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = invalid

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("old") is not None and cleaned.get("old") == cleaned.get("new"):
            raise forms.ValidationError(_("Choose two different versions."))
        return cleaned

    def chosen(self):
        """The two versions chosen; call after ``is_valid()``."""
        return self.versions[self.cleaned_data["old"]], self.versions[self.cleaned_data["new"]]
