"""French: the catalogue, the language a user chooses, French pages and content in both languages.

- The catalogue (``locale/fr/LC_MESSAGES/django.po``) translates every message, none fuzzy, every
  placeholder kept; ``makemessages`` run on the source finds no message it lacks (a string wrapped
  without a translation fails here) and none it has that the source no longer uses; the compiled
  ``.mo`` the pages use is the catalogue's (``make messages``).
- Language: the browser's (Accept-Language) by default, English without one; the footer's switch
  sets the cookie for anyone and saves the choice for a signed-in user, which wins over the
  browser at the next login, in any browser.
- Pages in French: ``<html lang="fr">``, and no English message of the catalogue left in the
  visible text or the labels of the main pages, reports and forms.
- Content: activity titles and descriptions and area names in the user's language, English where
  the French is empty, in pages, reports and exports; the menu export keeps its raw columns.
- Dates are formatted for the language; spreadsheet cells stay typed.
"""

import contextlib
import copy
import csv
import datetime
import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from pfp.models import User
from pfp.roles import Role
from programmes import workflow
from programmes.menu.models import Area
from tests.support.factories import (
    TEST_PASSWORD,
    ActivityFactory,
    PartnerFactory,
    ProviderFactory,
    UserFactory,
    agree,
    assigned_officer,
)

BASE_DIR = Path(settings.BASE_DIR)
CATALOGUE = BASE_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
# What `makemessages` is told to skip (the command in the catalogue's header comment).
IGNORED = [".venv", "node_modules", "data", "staticfiles"]
NBSP = "\u00a0"

# printf-style placeholders: %(name)s, %s, %d, and a literal %%.
PLACEHOLDER = re.compile(r"%(?:\((?P<name>[^)]+)\))?[-#0 +]*\d*(?:\.\d+)?(?P<type>[sdifr%])")


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


@pytest.fixture(scope="module")
def catalogue():
    return polib.pofile(str(CATALOGUE))


def entry_key(entry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def live_entries(po) -> list:
    return [entry for entry in po if not entry.obsolete]


# --- The catalogue ----------------------------------------------------------------------------


class TestCatalogue:
    def test_it_is_french_and_not_fuzzy(self, catalogue):
        assert catalogue.metadata["Language"] == "fr"
        assert catalogue.metadata["Content-Type"] == "text/plain; charset=UTF-8"
        assert catalogue.metadata["Plural-Forms"].startswith("nplurals=")
        assert not catalogue.metadata_is_fuzzy

    def test_every_message_is_translated(self, catalogue):
        untranslated = [entry.msgid for entry in live_entries(catalogue) if not entry.translated()]
        assert untranslated == []

    def test_no_message_is_fuzzy(self, catalogue):
        fuzzy = [entry.msgid for entry in live_entries(catalogue) if entry.fuzzy]
        assert fuzzy == []

    def test_no_obsolete_messages_are_kept(self, catalogue):
        assert [entry.msgid for entry in catalogue.obsolete_entries()] == []

    def test_every_plural_has_all_its_forms(self, catalogue):
        forms = int(re.search(r"nplurals=(\d+)", catalogue.metadata["Plural-Forms"]).group(1))
        plurals = [entry for entry in live_entries(catalogue) if entry.msgid_plural]
        assert plurals, "the catalogue should have plural messages"
        incomplete = [
            entry.msgid
            for entry in plurals
            if sorted(entry.msgstr_plural) != list(range(forms))
            or not all(entry.msgstr_plural.values())
        ]
        assert incomplete == []

    def test_every_placeholder_is_kept(self, catalogue):
        wrong = []
        for entry in live_entries(catalogue):
            if entry.msgid_plural:
                translations = list(entry.msgstr_plural.values())
                expected = placeholders(entry.msgid_plural)
            else:
                translations = [entry.msgstr]
                expected = placeholders(entry.msgid)
            wrong += [
                (entry.msgid, text) for text in translations if placeholders(text) != expected
            ]
        assert wrong == []

    def test_french_typography(self, catalogue):
        """No English quotes, and a non-breaking space before « : ; ? ! » and inside guillemets."""
        wrong = []
        for entry in live_entries(catalogue):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if re.search(r"[“”]| [:;?!»]|« |\S[;?!]|\w:(?!\d)", text.replace("%(", "(")):
                    wrong.append(text)
        assert wrong == []

    def test_the_compiled_catalogue_is_this_one(self, catalogue):
        """The pages read the .mo that ``make messages`` compiles (msgfmt); it is not in git."""
        assert COMPILED.is_file(), f"{COMPILED} is missing: run `make messages`"
        compiled = {
            entry_key(entry): entry.msgstr or dict(entry.msgstr_plural)
            for entry in polib.mofile(str(COMPILED))
            if entry.msgid
        }
        source = {
            entry_key(entry): entry.msgstr or dict(entry.msgstr_plural)
            for entry in live_entries(catalogue)
        }
        assert compiled == source, f"{COMPILED} is out of date: run `make messages`"

    def test_msgfmt_accepts_it(self, tmp_path):
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            pytest.fail("GNU gettext's msgfmt is missing (apt-get install gettext)")
        result = subprocess.run(
            [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(CATALOGUE)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""  # no warning either


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue ``makemessages`` makes from a copy of the source."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext's xgettext is missing (apt-get install gettext)")
    copy = tmp_path_factory.mktemp("source") / "pfp"
    shutil.copytree(
        BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            *IGNORED, ".git", "locale", "__pycache__", "*.pyc", "*.png", "*.sqlite3"
        ),
    )
    (copy / "locale").mkdir()
    with override_settings(LOCALE_PATHS=[copy / "locale"]), contextlib.chdir(copy):
        call_command(
            "makemessages", locale=["fr"], ignore_patterns=IGNORED, no_location=True, verbosity=0
        )
    return polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))


class TestMakemessages:
    """``makemessages`` on a copy of the source: what it finds is exactly what is translated."""

    def test_it_would_add_no_message(self, extracted, catalogue):
        """A string wrapped in the source but missing from the catalogue fails here."""
        translated = {entry_key(entry) for entry in live_entries(catalogue)}
        new = sorted(entry_key(entry) for entry in extracted if entry_key(entry) not in translated)
        assert new == [], "run makemessages (see the catalogue's header) and translate these"

    def test_it_would_drop_no_message(self, extracted, catalogue):
        found = {entry_key(entry) for entry in extracted}
        unused = sorted(
            entry_key(entry) for entry in live_entries(catalogue) if entry_key(entry) not in found
        )
        assert unused == [], "messages the source no longer uses: run makemessages"


# --- Choosing the language ------------------------------------------------------------------

LOGIN = "/accounts/login/"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def log_in(client, user, **headers):
    return client.post(
        LOGIN, {"username": user.username, "password": TEST_PASSWORD}, headers=headers
    )


def switch(client, language, next_url="/"):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


@pytest.mark.django_db
class TestLanguageChoice:
    def test_english_without_accept_language(self, client):
        response = client.get(LOGIN)
        assert html_lang(response) == "en"
        assert "Sign in" in response.text

    def test_the_browsers_language_is_the_default(self, client, viewer):
        response = client.get(LOGIN, headers={"accept-language": "fr-BE,fr;q=0.9,en;q=0.5"})
        assert html_lang(response) == "fr"
        assert "Se connecter" in response.text
        assert response["Content-Language"] == "fr"
        log_in(client, viewer, **{"accept-language": "fr"})
        home = client.get("/", headers={"accept-language": "fr"})
        assert html_lang(home) == "fr"
        assert "Tableau de bord" in home.text
        viewer.refresh_from_db()
        assert viewer.language == ""  # following the browser saves nothing

    def test_a_language_the_product_lacks_falls_back_to_english(self, client):
        response = client.get(LOGIN, headers={"accept-language": "de-DE,de;q=0.9"})
        assert html_lang(response) == "en"

    def test_the_switch_before_login_sets_the_cookie_only(self, client, viewer):
        response = switch(client, "fr", LOGIN)
        assert response.status_code == 302
        assert response["Location"] == LOGIN
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
        assert html_lang(client.get(LOGIN)) == "fr"
        assert not User.objects.exclude(language="").exists()

    def test_the_switch_saves_the_choice_of_a_signed_in_user(self, client_as, officer):
        client = client_as(officer)
        response = switch(client, "fr", "/programmes/")
        assert response.status_code == 302
        assert response["Location"] == "/programmes/"
        officer.refresh_from_db()
        assert officer.language == "fr"
        assert html_lang(client.get("/programmes/")) == "fr"
        switch(client, "en")
        officer.refresh_from_db()
        assert officer.language == "en"
        assert html_lang(client.get("/")) == "en"

    def test_the_saved_language_applies_at_the_next_login_in_any_browser(self, client, viewer):
        viewer.language = "fr"
        viewer.save()
        # Another browser: no cookie, and English as its language.
        login_page = client.get(LOGIN, headers={"accept-language": "en-GB,en"})
        assert html_lang(login_page) == "en"
        response = log_in(client, viewer, **{"accept-language": "en-GB,en"})
        assert response.status_code == 302
        # The cookie follows the account, so that the pages after signing out stay in French.
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
        home = client.get("/", headers={"accept-language": "en-GB,en"})
        assert html_lang(home) == "fr"
        assert "Tableau de bord" in home.text
        assert "Connecté en tant que" in home.text
        logged_out = client.post(
            reverse("logout"), headers={"accept-language": "en-GB,en"}, follow=True
        )
        assert html_lang(logged_out) == "fr"
        assert "Vous êtes déconnecté." in logged_out.text

    def test_the_saved_language_wins_over_the_cookie(self, client, viewer):
        switch(client, "en", LOGIN)
        viewer.language = "fr"
        viewer.save()
        client.force_login(viewer)
        assert html_lang(client.get("/")) == "fr"

    def test_another_user_on_the_same_browser_keeps_their_own(self, client, viewer, officer):
        viewer.language = "fr"
        viewer.save()
        log_in(client, viewer)
        assert html_lang(client.get("/")) == "fr"
        client.post(reverse("logout"))
        log_in(client, officer)  # no saved language: the browser's cookie (French now) applies
        assert html_lang(client.get("/")) == "fr"
        switch(client, "en")
        officer.refresh_from_db()
        viewer.refresh_from_db()
        assert (officer.language, viewer.language) == ("en", "fr")

    @pytest.mark.parametrize("language", ["de", "xx", "", "<script>", "fr" * 300])
    def test_a_language_not_offered_changes_nothing(self, client_as, officer, language):
        client = client_as(officer)
        response = switch(client, language)
        assert response.status_code == 302
        officer.refresh_from_db()
        assert officer.language == ""
        assert html_lang(client.get("/")) == "en"

    def test_a_get_changes_nothing(self, client_as, officer):
        client = client_as(officer)
        response = client.get(reverse("set_language"), {"language": "fr", "next": "/"})
        assert response.status_code == 302
        officer.refresh_from_db()
        assert officer.language == ""

    def test_the_switch_returns_only_to_this_site(self, client_as, officer):
        response = switch(client_as(officer), "fr", "https://elsewhere.example/")
        assert response["Location"] == "/"

    def test_the_footer_offers_each_language_in_its_own_name(self, client_as, officer):
        response = client_as(officer).get("/")
        assert '<option value="en" lang="en" selected>English</option>' in response.text
        assert '<option value="fr" lang="fr">Français</option>' in response.text

    def test_the_saved_language_costs_no_query(self, client_as, officer, partner):
        """The user row is read anyway for the session: the page costs the same in French."""
        client = client_as(officer)
        client.get("/")  # the first request of a session stores its start
        counts = {}
        for language in ("en", "fr"):
            officer.language = language
            officer.save()
            with CaptureQueriesContext(connection) as queries:
                assert html_lang(client.get("/partners/")) == language
            counts[language] = len(queries)
        assert counts["en"] == counts["fr"]

    def test_the_admin_edits_a_users_language(self, client_as, administrator, viewer):
        client = client_as(administrator)
        page = client.get(reverse("admin:pfp_user_change", args=[viewer.pk]))
        assert 'name="language"' in page.text
        assert "The language of the pages; empty to follow the browser" in page.text


# --- Pages in French ------------------------------------------------------------------------


class _Text(HTMLParser):
    """The text a person reads or hears: text nodes and the labels given in attributes."""

    LABELS = ("aria-label", "title", "placeholder", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        attributes = dict(attrs)
        self.parts += [attributes[name] for name in self.LABELS if attributes.get(name)]
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def readable_text(content: str) -> str:
    parser = _Text()
    parser.feed(content)
    return squeeze(" ".join(parser.parts))


def squeeze(text: str) -> str:
    """Runs of white space as one space; non-breaking spaces kept (French typography)."""
    return re.sub(r"[ \t\n\r\f\v]+", " ", text).strip()


# Messages whose English is also what a French page may show: language names (each in its own
# language in the switch).
SAME_IN_BOTH = {"English", "French"}


@pytest.fixture(scope="module")
def english_messages():
    """Each message of the catalogue as it reads in English where the French differs: its
    longest literal part and a pattern (placeholders match anything)."""
    po = polib.pofile(str(CATALOGUE))
    patterns = {}
    for entry in live_entries(po):
        texts = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        translated = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for text in texts:
            if text in SAME_IN_BOTH or text in translated:
                continue
            # Whole words only: "Partner" is not "Partnerland".
            parts = PLACEHOLDER.split(text)[::3]
            body = r".+?".join(re.escape(part) for part in parts)
            words = re.findall(r"[^\W\d_]+", PLACEHOLDER.sub(" ", text))
            if not words or (len(words) == 1 and text.islower()):
                continue  # nothing but placeholders, or a field's name (the admin's)
            # The pattern can only match a page holding its longest literal part: a plain
            # substring test, much faster than the search, rules most messages out first.
            patterns[text] = (max(parts, key=len), re.compile(rf"(?<!\w){body}(?!\w)"))
    return patterns


def english_left(content: str, english_messages) -> list[str]:
    text = readable_text(content)
    return sorted(
        message
        for message, (needle, pattern) in english_messages.items()
        if needle in text and pattern.search(text)
    )


def build_programme(*, officer, partner, title, activities, start_year=2026):
    """A draft with one objective and one goal, every title French, the activities planned in
    the programme's years one after another."""
    programme = workflow.create_programme(
        actor=officer, partner=partner, title=title, start_year=start_year
    )
    objective = workflow.add_objective(
        actor=officer, programme=programme, title="Renforcer la cyberdéfense"
    )
    goal = workflow.add_goal(actor=officer, objective=objective, title="Une équipe nationale")
    for year, activity in enumerate(activities, start=1):
        workflow.plan_activity(
            actor=officer, programme=programme, activity=activity, year=year, goal=goal
        )
    programme.refresh_from_db()
    return programme


@pytest.fixture(scope="class")
def built_french_world(class_transaction):
    """Two partners, a menu with and without French titles (an area without its French name), a
    draft and an agreed programme, users who chose French. Every title of the data is French, so
    that no English of the data can be mistaken for the interface's. Built once for a class."""
    cyber = Area.objects.get(code="cyber")
    log = Area.objects.get(code="log")
    log.name_fr = ""  # a French name missing: the English one is shown instead
    log.save()
    bordurie = PartnerFactory(name="Bordurie", code="BD")
    syldavie = PartnerFactory(name="Syldavie", code="SY")
    # Names chosen, not invented: a made-up surname could be an English word of the interface.
    officer = UserFactory(
        username="olivier", first_name="Olivier", last_name="Dupont", role=Role.PROGRAMME_OFFICER
    )
    assigned_officer(bordurie, "olivier")
    assigned_officer(syldavie, "olivier")
    approver = UserFactory(
        username="agathe", first_name="Agathe", last_name="Martin", role=Role.APPROVER
    )
    viewer = UserFactory(
        username="valentin", first_name="Valentin", last_name="Roux", role=Role.VIEWER
    )
    menu_manager = UserFactory(
        username="mathilde", first_name="Mathilde", last_name="Leroy", role=Role.MENU_MANAGER
    )
    provider = ProviderFactory(name="Centre de formation de Bordurie")
    for user in (officer, approver, viewer, menu_manager):
        user.language = "fr"
        user.save()
    translated = ActivityFactory(
        code="CYB-0001",
        title_en="Cyber incident handling",
        title_fr="Gestion des incidents cyber",
        description_en="Handling incidents.",
        description_fr="Traiter les incidents.",
        area=cyber,
        provider=provider,
    )
    untranslated = ActivityFactory(
        code="LOG-0001",
        title_en="Logistics planning",
        title_fr="",
        description_en="Plans for logistics.",
        description_fr="",
        area=log,
        provider=provider,
    )
    agreed = build_programme(
        officer=officer,
        partner=bordurie,
        title="Programme de Bordurie",
        activities=[translated, untranslated],
    )
    agree(
        agreed,
        officer=officer,
        approver=approver,
        on=datetime.date(2026, 1, 5),
        signatory="Ministre de la Défense",
    )
    draft = build_programme(
        officer=officer,
        partner=syldavie,
        title="Programme de Syldavie",
        activities=[translated, untranslated],
    )
    agreed.refresh_from_db()
    return {
        "bordurie": bordurie,
        "syldavie": syldavie,
        "officer": officer,
        "approver": approver,
        "viewer": viewer,
        "menu_manager": menu_manager,
        "agreed": agreed,
        "draft": draft,
        "translated": translated,
        "untranslated": untranslated,
        "cyber": cyber,
        "log": log,
    }


@pytest.fixture
def french_world(built_french_world, db):
    return copy.deepcopy(built_french_world)


def french_client(client, user):
    client.force_login(user)
    return client


def page_urls(world) -> dict[str, list[str]]:
    agreed, draft = world["agreed"], world["draft"]
    objective = draft.objectives.get()
    planned = draft.planned_activities.order_by("year").first()
    return {
        "viewer": [
            "/",
            reverse("partners:list"),
            reverse("partners:detail", args=["BD"]),
            reverse("programmes:programme_list"),
            agreed.get_absolute_url(),
            reverse("programmes:programme_compare", args=[agreed.pk]),
            reverse("programmes:activity_list"),
            reverse("programmes:activity_detail", args=["CYB-0001"]),
            reverse("programmes:activity_detail", args=["LOG-0001"]),
            reverse("programmes:report_index"),
            reverse("programmes:partner_report", args=["BD"]),
            reverse("programmes:partner_report", args=["SY"]),
            *(
                reverse("programmes:cross_report", args=[slug])
                for slug in (
                    "programmes-by-status",
                    "ending-soon",
                    "no-programme-in-force",
                    "menu-uptake",
                )
            ),
            reverse("programmes:cross_report", args=["menu-uptake"]) + "?scope=all",
            reverse("password_change"),
        ],
        "officer": [
            "/",
            draft.get_absolute_url(),
            reverse("programmes:programme_create"),
            reverse("programmes:programme_edit", args=[draft.pk]),
            reverse("programmes:objective_create", args=[draft.pk]),
            reverse("programmes:goal_create", args=[draft.pk, objective.pk]),
            reverse("programmes:activity_pick", args=[draft.pk]),
            reverse("programmes:planned_edit", args=[draft.pk, planned.pk]),
            reverse("programmes:programme_submit", args=[draft.pk]),
            reverse("programmes:programme_withdraw", args=[draft.pk]),
            reverse("programmes:programme_list") + "?status=draft",
        ],
        "approver": [
            "/",
            reverse("programmes:review_queue"),
            agreed.get_absolute_url(),
            reverse("programmes:programme_close", args=[agreed.pk]),
        ],
        "menu_manager": [
            reverse("programmes:activity_list"),
            reverse("programmes:activity_create"),
            reverse("programmes:activity_edit", args=["CYB-0001"]),
            reverse("programmes:import_list"),
            reverse("programmes:import_upload"),
        ],
    }


@pytest.mark.django_db
class TestFrenchPages:
    @pytest.mark.parametrize("role", ["viewer", "officer", "approver", "menu_manager"])
    def test_every_page_is_french(self, client, french_world, english_messages, role):
        client = french_client(client, french_world[role])
        for url in page_urls(french_world)[role]:
            response = client.get(url)
            assert response.status_code == 200, url
            assert html_lang(response) == "fr", url
            assert english_left(response.text, english_messages) == [], url

    def test_the_check_finds_english(self, client, french_world, english_messages):
        """The check above is not vacuous: on an English page it finds the interface's words."""
        viewer = french_world["viewer"]
        viewer.language = "en"
        viewer.save()
        response = french_client(client, viewer).get("/")
        left = set(english_left(response.text, english_messages))
        assert {"Dashboard", "Log out", "Skip to main content", "Signed in as %(name)s"} <= left

    def test_the_same_pages_are_english_for_an_english_user(self, client, french_world):
        viewer = french_world["viewer"]
        viewer.language = "en"
        viewer.save()
        client = french_client(client, viewer)
        for url in page_urls(french_world)["viewer"][:6]:
            response = client.get(url)
            assert html_lang(response) == "en", url
            assert "Dashboard" in response.text, url
            assert "Tableau de bord" not in response.text, url

    def test_the_approvers_steps_are_french(self, client, french_world, english_messages):
        draft, officer = french_world["draft"], french_world["officer"]
        workflow.submit(actor=officer, programme=draft)
        client = french_client(client, french_world["approver"])
        for name in ("programme_approve", "programme_return"):
            response = client.get(reverse(f"programmes:{name}", args=[draft.pk]))
            assert response.status_code == 200, name
            assert english_left(response.text, english_messages) == [], name
        queue = client.get(reverse("programmes:review_queue"))
        assert "1 programme attend une approbation." in readable_text(queue.text)

    def test_error_pages_are_french(self, client, french_world, english_messages):
        client = french_client(client, french_world["viewer"])
        refused = client.get(reverse("programmes:activity_create"))
        assert refused.status_code == 403
        assert "Accès refusé" in refused.text
        missing = client.get("/programmes/999999/")
        assert missing.status_code == 404
        assert "Page introuvable" in missing.text
        for response in (refused, missing):
            assert html_lang(response) == "fr"
            assert english_left(response.text, english_messages) == []

    def test_messages_and_form_errors_are_french(self, client, french_world):
        draft, officer = french_world["draft"], french_world["officer"]
        client = french_client(client, officer)
        response = client.post(
            reverse("programmes:objective_create", args=[draft.pk]),
            {"title": "Un objectif", "seen_stamp": draft.edit_stamp},
            follow=True,
        )
        text = readable_text(response.text)
        assert f"Objectif stratégique «{NBSP}Un objectif{NBSP}» ajouté{NBSP}:" in text
        empty = client.post(
            reverse("programmes:objective_create", args=[draft.pk]),
            {"title": "", "seen_stamp": draft.edit_stamp + 1},
        )
        assert "Ce champ est obligatoire." in empty.text  # Django's own catalogue

    def test_dates_are_formatted_for_the_language(self, client, french_world):
        agreed = french_world["agreed"]
        client = french_client(client, french_world["viewer"])
        french = readable_text(client.get(agreed.get_absolute_url()).text)
        assert "5 janvier 2026" in french
        assert "Signé par Ministre de la Défense le 5 janvier 2026." in french
        viewer = french_world["viewer"]
        viewer.language = "en"
        viewer.save()
        english = readable_text(client.get(agreed.get_absolute_url()).text)
        assert "5 Jan 2026" in english
        assert "janvier" not in english

    def test_e_mails_in_each_recipients_language(
        self, client, french_world, django_capture_on_commit_callbacks
    ):
        """Each recipient reads the e-mail, subject and body alike, in the language they chose
        for the pages, whoever took the step; one who chose none, in the site's language."""
        draft, officer = french_world["draft"], french_world["officer"]
        english = UserFactory(
            username="edward", first_name="Edward", last_name="Wright", role=Role.APPROVER
        )
        client = french_client(client, officer)
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("programmes:programme_submit", args=[draft.pk]),
                {"seen_stamp": draft.edit_stamp},
            )
        assert response.status_code == 302
        messages = {message.to[0]: message for message in mail.outbox}
        assert len(mail.outbox) == 2
        french = messages[french_world["approver"].email]
        assert french.subject == (
            "[PFP] Programme en attente d’approbation\u00a0: Syldavie 2026–2029"  # noqa: RUF001
        )
        assert "a soumis le programme pour Syldavie" in french.body
        assert "Pour l’ouvrir\u00a0:" in french.body  # noqa: RUF001
        assert "submitted" not in french.body
        in_english = messages[english.email]
        assert in_english.subject == "[PFP] Programme awaiting approval: Syldavie 2026–2029"  # noqa: RUF001
        assert "submitted the programme for Syldavie" in in_english.body
        assert "Open it:" in in_english.body


# --- Content in both languages ----------------------------------------------------------------


@pytest.mark.django_db
class TestContentInTheUsersLanguage:
    def test_the_menu_and_its_pages(self, client, french_world):
        client = french_client(client, french_world["viewer"])
        menu = readable_text(client.get(reverse("programmes:activity_list")).text)
        assert "Gestion des incidents cyber" in menu
        assert "Cyber incident handling" not in menu
        assert "Logistics planning" in menu  # no French title: the English one
        assert french_world["cyber"].name_fr in menu
        assert french_world["log"].name_en in menu  # no French name: the English one
        detail = readable_text(
            client.get(reverse("programmes:activity_detail", args=["LOG-0001"])).text
        )
        assert "Logistics planning" in detail

    def test_the_programme_page_and_the_picker(self, client, french_world):
        draft = french_world["draft"]
        client = french_client(client, french_world["officer"])
        for url in (draft.get_absolute_url(), reverse("programmes:activity_pick", args=[draft.pk])):
            text = readable_text(client.get(url).text)
            assert "Gestion des incidents cyber" in text, url
            assert "Logistics planning" in text, url
            assert "Cyber incident handling" not in text, url

    def test_an_english_user_sees_english_titles(self, client, french_world):
        viewer = french_world["viewer"]
        viewer.language = "en"
        viewer.save()
        client = french_client(client, viewer)
        menu = readable_text(client.get(reverse("programmes:activity_list")).text)
        assert "Cyber incident handling" in menu
        assert "Gestion des incidents cyber" not in menu
        assert french_world["cyber"].name_en in menu

    def test_the_partner_report_page(self, client, french_world):
        client = french_client(client, french_world["viewer"])
        text = readable_text(client.get(reverse("programmes:partner_report", args=["BD"])).text)
        assert "Rapport sur Bordurie" in text
        assert "Profil du partenaire" in text
        assert "Gestion des incidents cyber" in text
        assert "Logistics planning" in text
        # The table and the chart of activities by area: French names, else English.
        assert text.count(french_world["cyber"].name_fr) >= 2
        assert text.count(french_world["log"].name_en) >= 2
        assert "2026 (année 1)" in text  # the chart's legend

    def test_the_partner_report_csv(self, client, french_world):
        client = french_client(client, french_world["viewer"])
        response = client.get(reverse("programmes:partner_report_download", args=["BD", "csv"]))
        rows = list(csv_rows(response))
        assert rows[0][:4] == [
            "Code du partenaire",
            "Partenaire",
            "Programme",
            "Période du programme",
        ]
        by_code = {row[10]: row for row in rows[1:]}
        assert by_code["CYB-0001"][11:13] == [
            "Gestion des incidents cyber",
            french_world["cyber"].name_fr,
        ]
        assert by_code["LOG-0001"][11:13] == ["Logistics planning", french_world["log"].name_en]
        assert by_code["CYB-0001"][5] == "Convenu"

    def test_the_partner_report_workbook(self, client, french_world):
        client = french_client(client, french_world["viewer"])
        response = client.get(reverse("programmes:partner_report_download", args=["BD", "xlsx"]))
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == [
            "Résumé",
            "Objectifs",
            "Activités prévues",
            "Historique",
            "Réalisation par année",
            "Réalisation par domaine",
            "Événements",
            "Revues annuelles",
        ]
        planned = workbook["Activités prévues"]
        assert planned["A1"].value == "Code du partenaire"
        assert planned["I2"].value == 2026  # the calendar year stays a number
        assert {planned["L2"].value, planned["L3"].value} == {
            "Gestion des incidents cyber",
            "Logistics planning",
        }
        summary = {row[0]: row[1] for row in workbook["Résumé"].iter_rows(values_only=True)}
        assert summary["Accepté par le partenaire le"] == datetime.datetime(2026, 1, 5)
        assert isinstance(summary["Établi le"], datetime.datetime)

    def test_the_partner_report_pdf(self, client, french_world):
        client = french_client(client, french_world["viewer"])
        response = client.get(reverse("programmes:partner_report_download", args=["BD", "pdf"]))
        assert response.status_code == 200
        reader = PdfReader(io.BytesIO(response.content))
        text = squeeze(" ".join(page.extract_text() for page in reader.pages))
        for heading in ("Rapport sur Bordurie", "Profil du partenaire", "Historique des versions"):
            assert heading in text
        assert f"Page 1 sur {len(reader.pages)}" in text
        assert "Gestion des incidents cyber" in text
        assert "Logistics planning" in text
        assert "janvier 2026" in text
        assert "Report on" not in text

    def test_the_menu_uptake_report_and_its_csv(self, client, french_world):
        client = french_client(client, french_world["viewer"])
        url = reverse("programmes:cross_report", args=["menu-uptake"])
        text = readable_text(client.get(url).text)
        assert "Gestion des incidents cyber" in text
        assert "Logistics planning" in text
        assert french_world["log"].name_en in text
        export = reverse("programmes:cross_report_export", args=["menu-uptake", "csv"])
        content = client.get(export).content.decode("utf-8-sig")
        assert "Gestion des incidents cyber" in content
        assert "Domaine de coopération" in content
        assert french_world["cyber"].name_fr in content

    def test_the_menu_export_keeps_its_raw_columns(self, client, french_world):
        """The export is the import's data format: the same columns and values in any language."""
        client = french_client(client, french_world["viewer"])
        response = client.get(reverse("programmes:activity_export", args=["csv"]))
        rows = {row[0]: row for row in csv_rows(response)}
        assert rows["code"][:5] == [
            "code",
            "title_en",
            "title_fr",
            "description_en",
            "description_fr",
        ]
        assert rows["CYB-0001"][1:3] == ["Cyber incident handling", "Gestion des incidents cyber"]
        assert rows["LOG-0001"][1:3] == ["Logistics planning", ""]
        assert rows["CYB-0001"][5] == "cyber"  # the area's code, not its name
        workbook = load_workbook(
            io.BytesIO(client.get(reverse("programmes:activity_export", args=["xlsx"])).content)
        )
        sheet = workbook.active
        assert [cell.value for cell in sheet[1]][:3] == ["code", "title_en", "title_fr"]


def csv_rows(response):
    return csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
