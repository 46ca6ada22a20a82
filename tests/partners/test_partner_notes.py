"""A partner's notes are for staff: where the data file's rows come from stays in the file (its
``provenance`` key), never on a partner's page."""

import json
import re

import pytest

from partners import actions
from partners.loading import DATA_FILE, load_partners
from partners.models import Partner

BUILD_NOTE = re.compile(r"\b(source|seed|public record)\b", re.IGNORECASE)


def data() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


def test_provenance_is_the_files_own_metadata():
    file = data()
    assert file["provenance"]["built_from"]
    assert all(
        set(row) <= {"code", "name", "name_fr", "framework", "events"} for row in file["partners"]
    )


@pytest.mark.django_db
def test_no_partner_note_holds_a_build_note(register):
    assert [p.code for p in register if p.notes] == []


@pytest.mark.django_db
def test_a_reload_clears_the_notes_the_loader_used_to_write_and_keeps_staff_notes():
    load_partners()
    albania, armenia, austria = (Partner.objects.get(code=code) for code in ["AL", "AM", "AT"])
    # What the loader wrote before: "Source: " and the row's source, in English or French.
    actions.update_partner(partner=albania, actor=None, notes="Source: seed (joined NATO 2009)")
    actions.update_partner(partner=armenia, actor=None, notes="Source\u00a0: public record")
    actions.update_partner(partner=austria, actor=None, notes="Source: our embassy, 2025.")

    result = load_partners()

    assert result.partners_updated == 2
    albania.refresh_from_db()
    armenia.refresh_from_db()
    austria.refresh_from_db()
    assert albania.notes == ""
    assert armenia.notes == ""
    assert austria.notes == "Source: our embassy, 2025."


@pytest.mark.django_db
def test_the_partner_page_shows_no_build_note(register, client_as, viewer):
    page = client_as(viewer).get(Partner.objects.get(code="AL").get_absolute_url())
    assert page.status_code == 200
    assert not re.search(r"Source\s*:", page.text)
    assert "seed (" not in page.text
