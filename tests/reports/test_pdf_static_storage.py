"""The PDF report under the production static-files storage: the stylesheet is found once the
files are collected with hashed names (``CompressedManifestStaticFilesStorage``), so the PDF is
laid out as in development, and WeasyPrint reports no resource it failed to load."""

import io
import logging

import pypdf
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.support.factories import draft_programme

# What pfp/settings.py uses with DJANGO_DEBUG off.
PRODUCTION_STORAGE = "whitenoise.storage.CompressedManifestStaticFilesStorage"
# Its parent, which gives the files their hashed names and writes the manifest; WhiteNoise's
# subclass adds only the compressed copies (25 s for the whole tree), which change no name.
MANIFEST_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def static_storage(backend, root):
    return override_settings(
        STATIC_ROOT=root,
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {"BACKEND": backend},
        },
    )


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """Every static file collected with its hashed name and the manifest, into a tmp folder."""
    root = tmp_path_factory.mktemp("staticfiles")
    with static_storage(MANIFEST_STORAGE, root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def layout(response) -> tuple[int, frozenset[str]]:
    """The PDF's page count and the fonts it is set in."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    fonts = frozenset(
        str(font["/BaseFont"]).split("+")[-1]
        for pdf_page in reader.pages
        for font in pdf_page["/Resources"]["/Font"].values()
    )
    return len(reader.pages), fonts


@pytest.mark.django_db
def test_pdf_is_laid_out_as_in_development_with_collected_static_files(
    collected_static, client_as, viewer, drafter, partner, caplog
):
    programme = draft_programme(
        officer=drafter,
        partner=partner,
        start_year=timezone.localdate().year,
        objectives=2,
        goals=2,
        activities=24,
    )
    url = reverse("programmes:partner_report_download", args=[partner.code, "pdf"])
    client = client_as(viewer)
    caplog.set_level(logging.WARNING, logger="weasyprint")
    development = layout(client.get(url, {"version": programme.pk}))
    with static_storage(PRODUCTION_STORAGE, collected_static):
        production = layout(client.get(url, {"version": programme.pk}))
    failures = [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")]
    assert failures == []
    assert production == development
    pages, fonts = production
    assert pages >= 2
    assert all(font.startswith(("Noto-Sans", "DejaVu-Sans")) for font in fonts), fonts
