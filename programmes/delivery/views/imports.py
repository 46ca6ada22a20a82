"""Pages of event imports: the log, the upload form, an import's preview or result, applying it.

Thin views over ``programmes.delivery.importing``: the log and the imports are read by whoever
reads programmes; programme officers and administrators upload (``can_import_events``), each row
then checked against the partners they record for; only the uploader applies.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from pfp.views import ForgivingPaginationMixin, PermissionMixin
from programmes.delivery import importing
from programmes.delivery.models import EventImport, EventStatus
from programmes.permissions import can_view_across_partners


class EventImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File of events"),
        help_text=gettext_lazy(
            "A CSV file (UTF-8) or an Excel workbook (.xlsx) of at most 2 MB, "
            "with the columns described below."
        ),
        widget=forms.FileInput(attrs={"accept": ",".join(importing.EXTENSIONS)}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        importing.check_file(upload.name, upload.size)
        return upload


class EventImportListView(PermissionMixin, ForgivingPaginationMixin, ListView):
    permission_rule = can_view_across_partners
    paginate_by = settings.PAGINATE_BY
    template_name = "programmes/delivery/import_list.html"
    # The stored files and previews stay in the database; the log does not need them.
    queryset = EventImport.objects.select_related("uploaded_by").defer(
        "content", "preview", "result"
    )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_import=importing.can_import_events(self.request.user), **kwargs
        )


class EventImportUploadView(PermissionMixin, FormView):
    permission_rule = importing.can_import_events
    form_class = EventImportForm
    template_name = "programmes/delivery/import_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=importing.COLUMNS,
            statuses=EventStatus.choices,
            max_rows=importing.MAX_ROWS,
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            event_import = importing.preview_import(
                file_name=upload.name,
                content=upload.read(importing.MAX_FILE_BYTES + 1),
                actor=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        if event_import.status == EventImport.Status.REJECTED:
            messages.warning(
                self.request,
                _(
                    "The file has errors, listed below; nothing was changed. Correct the file and "
                    "upload it again."
                ),
            )
        else:
            messages.info(
                self.request,
                _("Nothing is changed yet: check what the file will do, then apply it."),
            )
        return redirect(event_import)


class EventImportDetailView(PermissionMixin, DetailView):
    """An import as it was checked at upload, or as it was applied; the file is never read here."""

    permission_rule = can_view_across_partners
    template_name = "programmes/delivery/import_detail.html"
    context_object_name = "event_import"
    queryset = EventImport.objects.select_related("uploaded_by", "applied_by").defer("content")

    def get_context_data(self, **kwargs):
        event_import = self.object
        applied = event_import.status == EventImport.Status.APPLIED
        return super().get_context_data(
            preview=None if applied else importing.stored_preview(event_import),
            can_apply=(
                event_import.status == EventImport.Status.PREVIEWED
                and event_import.uploaded_by_id == self.request.user.pk
                and bool(importing.can_import_events(self.request.user))
            ),
            **kwargs,
        )


class EventImportApplyView(PermissionMixin, View):
    permission_rule = importing.can_import_events
    http_method_names = ["post"]

    def post(self, request, pk):
        event_import = get_object_or_404(
            EventImport.objects.defer("content", "preview", "result"), pk=pk
        )
        try:
            plan = importing.apply_import(event_import=event_import, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "The import was applied: %(created)s events recorded, %(updated)s corrected, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": len(plan.created),
                    "updated": len(plan.updated),
                    "unchanged": plan.unchanged,
                },
            )
        return redirect(event_import)
