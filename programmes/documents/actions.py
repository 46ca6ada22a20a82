"""Every change of a programme's documents: adding one, superseding one by a newer one.

As ``programmes.workflow`` does for programmes: keyword-only arguments, the actor explicit, one
transaction with the programme row locked, the permission checked, a history row naming the
actor. The bytes are checked (``checks.check_upload``) before anything is stored; a refusal
stores nothing. A document is never changed nor deleted: superseding keeps both.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.permissions import is_representative
from programmes import workflow
from programmes.documents.checks import check_upload
from programmes.models import Comment, Document, Programme
from programmes.permissions import can_attach

ATTACH = "attach"
SUPERSEDE = "supersede"


def _check(actor, programme: Programme) -> None:
    decision = can_attach(actor, programme)
    if not decision:
        raise workflow.NotPermitted(str(decision.reason))


def _store(document: Document, actor, reason: str, name: str, content: bytes) -> Document:
    checked = check_upload(name, content)
    document.original_name = checked.name
    document.extension = checked.extension
    document.content_type = checked.content_type
    document.size = checked.size
    document.sha256 = checked.sha256
    document.added_by = actor
    document.added_at = timezone.now()
    document.title = (document.title or "").strip()
    if not document.title:
        raise ValidationError({"title": _("Give the document a title.")})
    document.full_clean(exclude=["file"])
    # The bytes are written last, once everything else is known to be right; the transaction
    # file is removed again if the row cannot be saved.
    document.file.save("upload", ContentFile(content), save=False)
    try:
        document._history_user = actor
        document._change_reason = reason
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def attach(
    *,
    actor,
    programme: Programme,
    kind: str,
    title: str,
    name: str,
    content: bytes,
    shared: bool = False,
) -> Document:
    """Attach a document to a version, in any status. A representative's document is always
    shared with NATO and the partner; the signed agreement is NATO staff's to attach."""
    with transaction.atomic():
        programme = workflow._lock(programme)
        _check(actor, programme)
        by_partner = is_representative(actor)
        if by_partner and kind == Document.Kind.SIGNED_AGREEMENT:
            raise workflow.NotPermitted(
                _("NATO staff attach the signed agreement, when they record the acceptance.")
            )
        shared = by_partner or shared
        document = Document(
            programme=programme,
            kind=kind,
            title=title,
            audience=Comment.Audience.SHARED if shared else Comment.Audience.INTERNAL,
        )
        return _store(document, actor, ATTACH, name, content)


def supersede(*, actor, document: Document, title: str, name: str, content: bytes) -> Document:
    """A newer document in place of ``document`` (same kind and audience); both stay on record,
    the older one marked as superseded. Refused when something already supersedes it."""
    with transaction.atomic():
        programme = workflow._lock(document.programme_id)
        _check(actor, programme)
        document = Document.objects.select_for_update().get(pk=document.pk)
        if Document.objects.filter(supersedes=document).exists():
            raise workflow.WrongStatus(_("A newer document already supersedes this one."))
        if is_representative(actor) and not document.is_shared:
            raise workflow.NotPermitted(_("This document is not shared with the partner."))
        newer = Document(
            programme=programme,
            kind=document.kind,
            title=title or document.title,
            audience=document.audience,
            supersedes=document,
        )
        return _store(newer, actor, SUPERSEDE, name, content)
