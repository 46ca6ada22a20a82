"""Pages of menu imports: the log, the upload form, an import's preview or result, and applying it.

Thin views over ``programmes.menu.importing``: they check permissions through ``programmes.menu.permissions``,
call the importer and turn its refusals into form errors or messages.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from pfp.views import ForgivingPaginationMixin, PermissionMixin
from programmes.menu import importing
from programmes.menu.forms import MenuImportForm
from programmes.menu.models import ActivityType, Area, DeliveryMode, MenuImport
from programmes.menu.permissions import can_edit_menu, can_view_menu


class MenuImportListView(PermissionMixin, ForgivingPaginationMixin, ListView):
    permission_rule = can_view_menu
    paginate_by = settings.PAGINATE_BY
    template_name = "programmes/menuimport_list.html"
    # The stored files and previews stay in the database; the log does not need them.
    queryset = MenuImport.objects.select_related("uploaded_by").defer("content", "preview")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_edit_menu=can_edit_menu(self.request.user), **kwargs)


class MenuImportUploadView(PermissionMixin, FormView):
    permission_rule = can_edit_menu
    form_class = MenuImportForm
    template_name = "programmes/import_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            columns=importing.COLUMNS,
            areas=Area.objects.all(),
            types=ActivityType.choices,
            delivery_modes=DeliveryMode.choices,
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            menu_import = importing.preview_import(
                file_name=upload.name,
                content=upload.read(importing.MAX_FILE_BYTES + 1),
                actor=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        if menu_import.status == MenuImport.Status.REJECTED:
            messages.warning(
                self.request,
                _(
                    "The file has errors, listed below; nothing was changed. Correct the file and upload it again."
                ),
            )
        else:
            messages.info(
                self.request,
                _("Nothing is changed yet: check what the file will do, then apply it."),
            )
        return redirect(menu_import)


class MenuImportDetailView(PermissionMixin, DetailView):
    """A previewed or rejected import as it was checked at upload (a previewed one says when the
    menu has changed since); an applied one as it was applied. The file is never read here."""

    permission_rule = can_view_menu
    template_name = "programmes/menuimport_detail.html"
    queryset = MenuImport.objects.select_related("uploaded_by").defer("content")

    def get_context_data(self, **kwargs):
        menu_import = self.object
        may_edit = bool(can_edit_menu(self.request.user))
        context = {"can_edit_menu": may_edit}
        if menu_import.status == MenuImport.Status.APPLIED:
            context["done"] = importing.import_history(menu_import)
        else:
            preview = importing.stored_preview(menu_import)
            context.update(
                preview=preview,
                can_apply=(
                    menu_import.status == MenuImport.Status.PREVIEWED
                    and preview is not None
                    and not preview.stale
                    and menu_import.uploaded_by_id == self.request.user.pk
                    and may_edit
                ),
            )
        return super().get_context_data(**context, **kwargs)


class MenuImportApplyView(PermissionMixin, View):
    permission_rule = can_edit_menu
    http_method_names = ["post"]

    def post(self, request, pk):
        menu_import = get_object_or_404(MenuImport.objects.defer("content", "preview"), pk=pk)
        try:
            plan = importing.apply_import(menu_import=menu_import, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "The import was applied: %(added)s added, %(changed)s changed, %(retired)s retired."
                )
                % {
                    "added": len(plan.added),
                    "changed": len(plan.changed),
                    "retired": len(plan.retired),
                },
            )
        return redirect(menu_import)
