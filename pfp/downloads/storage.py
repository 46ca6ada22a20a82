"""Reading and writing the prepared and cached files in the default storage, and serving them.

Nothing here decides who may have a file: the caller (the reports' views) has checked it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import PreparedFile

# How long a prepared file is kept, and a cached one once nobody has used it.
PREPARED_KEPT = timedelta(days=1)
CACHED_KEPT = timedelta(days=7)
CLEANUP_LIMIT = 500  # files deleted per run at most: the next run goes on
CACHED_DIRECTORY = "cached"
STALE_AFTER = timedelta(minutes=30)


def cached(key: str, build: Callable[[], bytes], *, suffix: str) -> tuple[bytes, bool]:
    """The content kept under ``key``, else ``build()`` kept under it: (content, built). The
    file's name in the storage is a digest of the key, so finding it costs no query."""
    name = f"{CACHED_DIRECTORY}/{hashlib.sha256(key.encode()).hexdigest()}{suffix}"
    try:
        with default_storage.open(name, "rb") as file:
            return file.read(), False
    except (FileNotFoundError, OSError):
        pass
    content = build()
    if not default_storage.exists(name):
        # Two builds at once: the second is saved under another name, never read, and deleted
        # by the cleanup.
        default_storage.save(name, ContentFile(content))
    return content, True


def store(prepared: PreparedFile, filename: str, content_type: str, content: bytes) -> None:
    """The built file saved in the storage and the row marked ready."""
    prepared.file.save(filename, ContentFile(content), save=False)
    PreparedFile.objects.filter(pk=prepared.pk).update(
        file=prepared.file.name,
        filename=filename,
        content_type=content_type,
        status=PreparedFile.Status.READY,
        progress=100,
        finished_at=timezone.now(),
    )


def attachment(prepared: PreparedFile) -> FileResponse:
    """The prepared file as an attachment, never cached nor sniffed."""
    response = FileResponse(
        prepared.file.open("rb"),
        as_attachment=True,
        filename=prepared.filename,
        content_type=prepared.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def give_up_on_stale(now=None) -> int:
    """Files waiting or being prepared for longer than ``STALE_AFTER`` (their worker died, or the
    queue lost their task) marked failed, with a message in the requester's language: their page
    stops waiting and they no longer count against the requester's limit."""
    now = now or timezone.now()
    stale = PreparedFile.objects.filter(
        status__in=PreparedFile.ACTIVE, requested_at__lt=now - STALE_AFTER
    ).order_by("pk")[:CLEANUP_LIMIT]
    count = 0
    for prepared in stale:
        with translation.override(prepared.language):
            message = _("The file took too long to prepare: ask for it again.")
        count += PreparedFile.objects.filter(pk=prepared.pk, status__in=PreparedFile.ACTIVE).update(
            status=PreparedFile.Status.FAILED, error=message, finished_at=now
        )
    return count


def delete_old_files(now=None) -> dict:
    """Prepared files older than ``PREPARED_KEPT`` and kept files older than ``CACHED_KEPT``
    (their key holds the day they show: a newer one replaces them), deleted from the storage and
    the database (``CLEANUP_LIMIT`` of each per run)."""
    now = now or timezone.now()
    old = list(
        PreparedFile.objects.filter(requested_at__lt=now - PREPARED_KEPT).order_by("pk")[
            :CLEANUP_LIMIT
        ]
    )
    for row in old:
        if row.file:
            row.file.delete(save=False)
    PreparedFile.objects.filter(pk__in=[row.pk for row in old]).delete()
    kept = 0
    try:
        _directories, names = default_storage.listdir(CACHED_DIRECTORY)
    except FileNotFoundError:
        names = []
    for name in names:
        path = f"{CACHED_DIRECTORY}/{name}"
        if default_storage.get_modified_time(path) < now - CACHED_KEPT:
            default_storage.delete(path)
            kept += 1
            if kept == CLEANUP_LIMIT:
                break
    return {"prepared": len(old), "kept": kept}
