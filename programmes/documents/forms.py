"""The upload form: the input's shape; ``checks`` reads the bytes, ``actions`` decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programmes.documents.checks import MAX_BYTES
from programmes.models import Document


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF, a Word, Excel or PowerPoint file, or a PNG or JPEG image."),
    )
    shared = forms.BooleanField(
        label=_("Shared with the partner"),
        required=False,
        help_text=_("Left unticked, only NATO staff read it."),
    )

    def __init__(self, *args, partner_side: bool = False, superseding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg"
        if partner_side:
            # A representative's document is always shared; the signed agreement is NATO's.
            del self.fields["shared"]
            self.fields["kind"].choices = [
                choice
                for choice in Document.Kind.choices
                if choice[0] != Document.Kind.SIGNED_AGREEMENT
            ]
        if superseding:
            del self.fields["kind"]
            self.fields.pop("shared", None)
            self.fields["title"].required = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before it is read: the bytes are read only within the limit.
        if upload.size > MAX_BYTES:
            from django.template.defaultfilters import filesizeformat

            raise forms.ValidationError(
                _("The file is larger than %(max)s: attach a smaller one.")
                % {"max": filesizeformat(MAX_BYTES)}
            )
        return upload
