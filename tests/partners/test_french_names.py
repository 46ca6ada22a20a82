"""Partners' French names: checked against CLDR, loaded from the data file without undoing the
admin's corrections, shown and sorted in the reader's language."""

import json

import pytest
from babel import Locale
from django.urls import reverse
from django.utils import translation

from partners.loading import DATA_FILE, load_partners
from partners.models import Partner
from tests.support.factories import PartnerFactory, assigned_officer

LIST = reverse("partners:list")

# The deliberate differences from CLDR's French names: NATO's French pages follow the usage of
# French diplomacy (and the United Nations), not CLDR's everyday names. Keep this list short:
# every other French name is CLDR's.
NATO_USAGE = {
    "BY": "Bélarus",  # CLDR: Biélorussie
    "IQ": "Iraq",  # CLDR: Irak
    "KG": "République kirghize",  # CLDR: Kirghizstan (the English name is "Kyrgyz Republic")
    "KR": "République de Corée",  # CLDR: Corée du Sud
    "MD": "République de Moldova",  # CLDR: Moldavie
}


@pytest.fixture(scope="module")
def rows():
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["partners"]


class TestTheDataFile:
    def test_every_french_name_is_cldrs_or_a_documented_nato_usage(self, rows):
        cldr = Locale("fr").territories
        wrong = {
            row["code"]: (row.get("name_fr"), NATO_USAGE.get(row["code"], cldr[row["code"]]))
            for row in rows
            if row.get("name_fr") != NATO_USAGE.get(row["code"], cldr[row["code"]])
        }
        assert wrong == {}, "name in the file, name expected"

    def test_the_list_of_differences_stays_short_and_true(self, rows):
        cldr = Locale("fr").territories
        codes = {row["code"] for row in rows}
        for code, name in NATO_USAGE.items():
            assert code in codes
            assert cldr[code] != name, f"{code}: CLDR agrees now; drop it from NATO_USAGE"

    def test_nato_names(self, rows):
        french = {row["code"]: row["name_fr"] for row in rows}
        assert (french["GE"], french["MD"], french["KR"]) == (
            "Géorgie",
            "République de Moldova",
            "République de Corée",
        )


@pytest.mark.django_db
class TestLoading:
    def test_loads_the_french_names(self):
        load_partners()
        assert Partner.objects.get(code="GE").name_fr == "Géorgie"
        assert not Partner.objects.filter(name_fr="").exists()

    def test_an_existing_register_gets_them_and_keeps_the_admins_corrections(self):
        load_partners()
        Partner.objects.filter(code="GE").update(name_fr="")
        Partner.objects.filter(code="MD").update(name_fr="Moldova (corrigé)")
        result = load_partners()
        assert result.partners_updated == 1
        assert Partner.objects.get(code="GE").name_fr == "Géorgie"
        assert Partner.objects.get(code="MD").name_fr == "Moldova (corrigé)"
        assert not load_partners().changed


@pytest.mark.django_db
class TestShownInTheReadersLanguage:
    @pytest.fixture
    def register(self, register_loaded_for_the_class, db):
        return Partner.objects.all()

    @pytest.fixture
    def french_viewer(self, viewer):
        viewer.language = "fr"
        viewer.save()
        return viewer

    def test_the_name_follows_the_language(self, register):
        georgia = register.get(code="GE")
        assert str(georgia) == "Georgia"
        with translation.override("fr"):
            assert str(georgia) == "Géorgie"
            assert georgia.display_name == "Géorgie"

    def test_the_list_in_french_is_in_french_order(self, client_as, french_viewer, register):
        client = client_as(french_viewer)

        def shown(params):
            response = client.get(LIST, {"status": "all", **params})
            return [str(p) for p in response.context["page_obj"].object_list]

        with translation.override("fr"):
            assert shown({"framework": "md"}) == [
                "Algérie",
                "Égypte",
                "Israël",
                "Jordanie",
                "Maroc",
                "Mauritanie",
                "Tunisie",
            ]
            assert shown({"framework": "ici", "ordering": "-name"}) == [
                "Qatar",
                "Koweït",
                "Émirats arabes unis",
                "Bahreïn",
            ]
        text = client.get(LIST, {"q": "moldova"}).text
        assert "République de Moldova" in text
        assert "Republic of Moldova" not in text

    def test_the_list_in_english_is_in_english_order(self, client_as, viewer, register):
        response = client_as(viewer).get(LIST, {"framework": "md", "status": "all"})
        assert [p.name for p in response.context["page_obj"].object_list] == [
            "Algeria",
            "Egypt",
            "Israel",
            "Jordan",
            "Mauritania",
            "Morocco",
            "Tunisia",
        ]

    def test_the_partner_page_in_french(self, client_as, french_viewer, register):
        text = client_as(french_viewer).get(reverse("partners:detail", args=["KR"])).text
        assert "<h1>République de Corée" in text
        assert "Republic of Korea" not in text

    def test_the_new_programme_form_offers_french_names(self, client, register):
        georgia = register.get(code="GE")
        officer = assigned_officer(georgia)
        officer.language = "fr"
        officer.save()
        client.force_login(officer)
        text = client.get(reverse("programmes:programme_create")).text
        assert ">Géorgie</option>" in text


@pytest.mark.django_db
def test_without_a_french_name_the_english_one_shows():
    partner = PartnerFactory(name="Partnerland", code="PL")
    with translation.override("fr"):
        assert str(partner) == "Partnerland"


@pytest.mark.django_db
def test_the_admin_edits_the_french_name(client_as, administrator):
    partner = PartnerFactory(name="Partnerland", code="PL", name_fr="Partenairie")
    client = client_as(administrator)
    page = client.get(reverse("admin:partners_partner_change", args=[partner.pk]))
    assert 'name="name_fr"' in page.text
    assert 'value="Partenairie"' in page.text
    found = client.get(reverse("admin:partners_partner_changelist"), {"q": "Partenairie"})
    assert "Partnerland" in found.text
