"""PDF documents made with WeasyPrint from a template rendered by Django.

The document's stylesheets are static files: ``StaticFileFetcher`` reads them from disk (from
the collected files when they exist, else through the staticfiles finders), so making a PDF never
opens a network connection, not even to this site. Every other URL is refused. The report
downloads (``programmes.reports.views``) use this module.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher, URLFetcherResponse

PDF_CONTENT_TYPE = "application/pdf"


def static_file(name: str) -> Path | None:
    """The file on disk behind the static file ``name`` (as ``{% static %}`` names it): the
    collected file when there is one, else what the finders find; None for a name outside them."""
    try:
        if staticfiles_storage.exists(name):
            return Path(staticfiles_storage.path(name))
        found = finders.find(name)
    except (SuspiciousFileOperation, NotImplementedError, ValueError):
        return None
    return Path(found) if found else None


class StaticFileFetcher(URLFetcher):
    """Serves the site's static files from disk and refuses every other URL."""

    def fetch(self, url, headers=None):
        path = unquote(urlsplit(url).path)
        # The storage's base URL, not static(""): a manifest storage (production) has no entry
        # for "" and would refuse it, and the stylesheet would be lost.
        prefix = urlsplit(staticfiles_storage.base_url).path
        file = static_file(path.removeprefix(prefix)) if path.startswith(prefix) else None
        if file is None:
            raise ValueError(f"Not a static file: {url}")  # WeasyPrint logs it and goes on
        content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=file.read_bytes(), headers={"Content-Type": content_type}
        )


def render_pdf(template_name: str, context: dict, *, base_url: str) -> bytes:
    """The template rendered and laid out as a PDF; ``base_url`` makes its links absolute."""
    return lay_out(render_to_string(template_name, context), base_url=base_url)


def lay_out(html: str, *, base_url: str) -> bytes:
    """HTML laid out as a PDF by WeasyPrint: the slow part (a second or more for a large
    report), which ``programmes.reports.prepared`` does once per agreed version."""
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=StaticFileFetcher())
    return document.write_pdf()


def pdf_response(filename: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=PDF_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
