"""The pages of documents: attach one to a version, supersede one, download one.

A document is served only to those who may read it (``visible_documents``: the versions they
see, and for the partner's representatives the shared documents only), as an attachment that
the browser neither guesses the type of nor keeps.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from partners.permissions import is_representative
from pfp.views import PermissionMixin
from programmes import workflow
from programmes.documents import actions
from programmes.documents.forms import DocumentForm
from programmes.permissions import (
    can_attach,
    can_view_programmes,
    visible_documents,
    visible_programmes,
)


def _errors_on(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error("file" if "file" in form.fields else None, error)


class _DocumentStep(PermissionMixin, FormView):
    permission_rule = can_view_programmes
    form_class = DocumentForm
    template_name = "programmes/document_form.html"
    superseding = False

    def load(self):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def setup_step(self):
        self.load()
        decision = can_attach(self.request.user, self.programme)
        if not decision:
            raise workflow.NotPermitted(str(decision.reason))

    def get(self, request, *args, **kwargs):
        self.setup_step()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_step()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "partner_side": is_representative(self.request.user),
            "superseding": self.superseding,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programme=self.programme, superseded=getattr(self, "document", None), **kwargs
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            document = self.take_step(form, upload.name, upload.read())
        except ValidationError as error:
            _errors_on(form, error)
            return self.form_invalid(form)
        except workflow.NotPermitted:
            raise
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("“%(title)s” is attached, shared with the partner.") % {"title": document.title}
            if document.is_shared
            else _("“%(title)s” is attached, for NATO staff only.") % {"title": document.title},
        )
        return redirect(self.programme.get_absolute_url() + "#documents")


class DocumentAttachView(_DocumentStep):
    """Attach a document to a version."""

    def load(self):
        programmes = visible_programmes(self.request.user).select_related("partner")
        self.programme = get_object_or_404(programmes, pk=self.kwargs["pk"])

    def take_step(self, form, name, content):
        return actions.attach(
            actor=self.request.user,
            programme=self.programme,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            shared=form.cleaned_data.get("shared", False),
            name=name,
            content=content,
        )


class DocumentSupersedeView(_DocumentStep):
    """A newer document in place of one (which stays on record)."""

    superseding = True

    def load(self):
        documents = visible_documents(self.request.user).select_related("programme__partner")
        self.document = get_object_or_404(documents, pk=self.kwargs["pk"])
        self.programme = self.document.programme

    def take_step(self, form, name, content):
        return actions.supersede(
            actor=self.request.user,
            document=self.document,
            title=form.cleaned_data.get("title", ""),
            name=name,
            content=content,
        )


class DocumentDownloadView(PermissionMixin, View):
    """The file, to those who may read it: an attachment, its type not to be guessed, not kept
    by the browser or a proxy."""

    permission_rule = can_view_programmes
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(visible_documents(request.user), pk=kwargs["pk"])
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=document.original_name,
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "no-store, private"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
