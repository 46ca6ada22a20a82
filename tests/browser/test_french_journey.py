"""The programme journey in French, in a real browser, each page checked with axe-core.

An officer whose browser speaks English switches the footer to French, drafts a programme from
the menu, submits it and downloads the partner's report as a French PDF; signing in again from
another English browser, the product is in French straight away (the choice is saved on the
account). Every page visited has ``<html lang="fr">`` once French is chosen, and passes axe.
"""

# French text is written with its typographic apostrophe (U+2019), as the catalogue writes it.
# ruff: noqa: RUF001

import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from pfp.roles import Role
from programmes.menu.models import Area
from programmes.models import Programme, ProgrammeStatus
from tests.support.browser import assert_accessible, expect, log_in, sign_in_with_form
from tests.support.factories import TEST_PASSWORD, ActivityFactory, PartnerFactory, UserFactory

pytestmark = [
    # See test_journeys.py: live_server flushes the database, so the data-migration rows (role
    # groups, areas) are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARTNER = "Bordurie"
TITLE = "Programme de Bordurie : des institutions de défense résilientes"
OBJECTIVE = "Une cyberdéfense moderne"
GOAL = "Une équipe nationale de réponse aux incidents"


def checked(page, language="fr"):
    """The page's language is declared right, and the page passes axe."""
    expect(page.locator("html")).to_have_attribute("lang", language)
    assert_accessible(page)


def messages(page):
    return page.get_by_role("status")


def status_badge(page):
    return page.locator("main .status-badge").first


@pytest.mark.browser
def test_a_programme_drafted_submitted_and_reported_in_french(new_page, live_server):
    partner = PartnerFactory(name=PARTNER, code="BD")
    officer = UserFactory(
        username="olivier", first_name="Olivier", last_name="Dupont", role=Role.PROGRAMME_OFFICER
    )
    partner.officers.add(officer)
    UserFactory(username="agathe", first_name="Agathe", last_name="Martin", role=Role.APPROVER)
    cyber = Area.objects.get(code="cyber")
    ActivityFactory(
        code="CYB-0101",
        title_en="Cyber incident handling",
        title_fr="Gestion des incidents cyber",
        area=cyber,
    )
    ActivityFactory(code="CYB-0102", title_en="Network forensics", title_fr="", area=cyber)
    start = timezone.localdate().year + 1

    # An English browser: the product speaks English until the officer chooses French.
    page = new_page()
    log_in(page, live_server, officer.username)
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    checked(page, "en")
    page.get_by_label("Language").select_option("fr")
    page.get_by_role("button", name="Change", exact=True).click()
    expect(page.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    expect(page.get_by_label("Langue")).to_have_value("fr")
    checked(page)

    # A draft for the partner.
    page.get_by_role("link", name="Partenaires", exact=True).click()
    page.get_by_role("link", name=PARTNER).click()
    expect(page.get_by_role("heading", name=PARTNER, level=1)).to_be_visible()
    checked(page)
    page.get_by_role("link", name="Nouveau programme").click()
    expect(page.get_by_role("heading", name="Nouveau programme", level=1)).to_be_visible()
    checked(page)
    page.get_by_label("Titre").fill(TITLE)
    page.get_by_label("Première année").fill(str(start))
    page.get_by_label("Résumé").fill("Quatre années de renforcement des institutions.")
    page.get_by_role("button", name="Créer le brouillon").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(messages(page)).to_contain_text("Programme créé à l’état de brouillon")
    expect(status_badge(page)).to_have_text("Brouillon")
    expect(page.locator("main")).to_contain_text("Le programme n’a aucun objectif stratégique.")
    programme_url = page.url
    checked(page)

    page.get_by_role("link", name="Ajouter un objectif stratégique").click()
    expect(page.get_by_role("heading", name="Nouvel objectif stratégique", level=1)).to_be_visible()
    checked(page)
    page.get_by_label("Titre").fill(OBJECTIVE)
    page.get_by_role("button", name="Ajouter l’objectif stratégique").click()
    expect(messages(page)).to_contain_text(f"Objectif stratégique « {OBJECTIVE} » ajouté")
    checked(page)

    page.get_by_role("link", name=re.compile("^Ajouter un objectif de partenariat sous")).click()
    expect(
        page.get_by_role("heading", name="Nouvel objectif de partenariat", level=1)
    ).to_be_visible()
    checked(page)
    page.get_by_label("Titre").fill(GOAL)
    page.get_by_role("button", name="Ajouter l’objectif de partenariat").click()
    expect(messages(page)).to_contain_text(f"Objectif de partenariat « {GOAL} » ajouté")
    checked(page)

    # Two activities from the menu: one with a French title, one with only its English one.
    page.get_by_role("link", name="Ajouter des activités du menu").click()
    expect(page.get_by_text("2 activités proposées")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Gestion des incidents cyber")
    expect(page.locator("main")).to_contain_text("Network forensics")
    checked(page)
    for code, year in (("CYB-0101", start), ("CYB-0102", start + 1)):
        row = page.get_by_role("form", name=f"Ajouter {code}")
        row.get_by_label("Année").select_option(str(year))
        row.get_by_label("Objectif de partenariat").select_option(label=GOAL)
        row.get_by_label("Priorité").select_option(label="Haute")
        row.get_by_role("button", name=f"Ajouter {code}").click()
        expect(messages(page)).to_contain_text(f"{code} prévue en {year} pour « {GOAL} ».")
        checked(page)

    page.get_by_role("link", name="Retour au programme").click()
    expect(page.locator("main")).to_contain_text("Rien ne manque")
    expect(
        page.get_by_role("table", name=f"Activités prévues en {start}").locator("tbody tr")
    ).to_contain_text("Gestion des incidents cyber")
    checked(page)

    # Submitted, in French.
    page.get_by_role("link", name="Soumettre pour approbation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Soumettre « {TITLE} »")
    checked(page)
    page.get_by_role("button", name="Soumettre pour approbation").click()
    expect(messages(page)).to_contain_text("Soumis pour approbation : les approbateurs ont été")
    expect(status_badge(page)).to_have_text("Soumis")
    checked(page)
    programme = Programme.objects.get(partner=partner)
    assert programme.status == ProgrammeStatus.SUBMITTED
    assert programme.planned_activities.count() == 2

    # The partner's report, and its PDF in French.
    page.get_by_role("link", name="Rapport", exact=True).click()
    expect(page.get_by_role("heading", name=f"Rapport sur {PARTNER}", level=1)).to_be_visible()
    expect(page.locator("main")).to_contain_text("Profil du partenaire")
    checked(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    pdf = download.value
    assert pdf.suggested_filename == f"ITPP-BD-{start}-{start + 3}-v1.pdf"
    reader = PdfReader(io.BytesIO(Path(pdf.path()).read_bytes()))
    text = re.sub(r"\s+", " ", " ".join(page_.extract_text() for page_ in reader.pages))
    for french in (
        f"Rapport sur {PARTNER}",
        "Profil du partenaire",
        "Objectifs stratégiques, objectifs de partenariat et activités prévues",
        "Historique des versions",
        "Gestion des incidents cyber",
        "Network forensics",
        "Soumis",
        f"Page 1 sur {len(reader.pages)}",
    ):
        assert french in text, french
    assert "Report on" not in text

    # Signed out, then in again from another English browser: French at once.
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("status")).to_contain_text("Vous êtes déconnecté.")
    expect(page.get_by_role("heading", name="Se connecter", level=1)).to_be_visible()
    checked(page)
    other = new_page()
    other.goto(f"{live_server.url}/accounts/login/")
    checked(other, "en")
    sign_in_with_form(other, live_server, officer.username, TEST_PASSWORD)
    expect(other.get_by_role("heading", name="Tableau de bord", level=1)).to_be_visible()
    expect(other.locator("footer")).to_contain_text("Connecté en tant que Olivier Dupont")
    checked(other)
    other.goto(programme_url)
    expect(status_badge(other)).to_have_text("Soumis")
    checked(other)
    officer.refresh_from_db()
    assert officer.language == "fr"
