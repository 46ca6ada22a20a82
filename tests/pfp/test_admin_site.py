"""The admin site looks like the product (``pfp.sites.AdminSite``, ``templates/admin``).

Its header and title, colours and icon; its home grouped by what administrators correct; the
login-throttle tables named in plain words; every name in French for a French user; and its
doors: anonymous users go to the product's login page, signed-in users who are not administrators
get the product's 403 page saying why, never the admin's own login form. And ``/favicon.ico``.
"""

# French text is written with its typographic apostrophe (U+2019), as the catalogue writes it.
# ruff: noqa: RUF001

import logging
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation

from pfp.sites import HOME_GROUPS
from tests.support.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

REASON = {
    "en": "Only administrators use the admin site.",
    "fr": "Seuls les administrateurs utilisent le site d’administration.",
}
HEADER = {
    "en": "Partnership programmes administration",
    "fr": "Administration des programmes de partenariat",
}
SITE_TITLE = {"en": "Partnership programmes", "fr": "Programmes de partenariat"}
GROUPS = {
    "en": [
        "People and roles",
        "Partner register",
        "Cooperation menu",
        "Programmes",
        "Delivery",
        "Background work",
        "Sign-in protection",
    ],
    "fr": [
        "Personnes et rôles",
        "Registre des partenaires",
        "Menu de coopération",
        "Programmes",
        "Réalisation",
        "Travail en arrière-plan",
        "Protection des connexions",
    ],
}
THROTTLE_TABLES = {
    "en": ["Sign-in lockouts", "Failed sign-ins", "Sign-in records"],
    "fr": ["Blocages de connexion", "Échecs de connexion", "Enregistrements de connexion"],
}
NON_ADMINISTRATORS = ["no_role_user", "viewer", "officer", "approver", "menu_manager"]
# Admin pages of every kind: the home, the admin's login and logout, an app's page, a change
# list, a change form, a page that does not exist.
ADMIN_URLS = [
    "/admin/",
    "/admin/login/?next=/admin/",
    "/admin/logout/",
    "/admin/axes/",
    "/admin/partners/partner/",
    "/admin/pfp/user/1/change/",
    "/admin/no-such-page/",
]


def as_user(client, user, language):
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client


def text_of(response) -> str:
    """The page's text, tags removed and white space collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())


@pytest.fixture
def admin_client_in(client, administrator):
    return lambda language: as_user(client, administrator, language)


class TestLooks:
    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_header_and_title_are_the_products_in_the_users_language(
        self, admin_client_in, language
    ):
        response = admin_client_in(language).get(reverse("admin:index"))
        assert response.status_code == 200
        assert f'<html lang="{language}"' in response.text
        assert re.search(
            rf'<div id="site-name"><a href="/admin/">{HEADER[language]}</a>', response.text
        )
        title = re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)
        assert title.strip().endswith(f"| {SITE_TITLE[language]}")
        assert "Django" not in title
        assert "Django" not in text_of(response)

    @pytest.mark.parametrize(
        ("url_name", "args"),
        [
            ("admin:index", []),
            ("admin:partners_partner_changelist", []),
            ("admin:pfp_user_change", ["administrator"]),
        ],
    )
    def test_every_admin_page_has_the_colours_and_the_icon(
        self, admin_client_in, administrator, url_name, args
    ):
        args = [administrator.pk if arg == "administrator" else arg for arg in args]
        response = admin_client_in("en").get(reverse(url_name, args=args))
        assert response.status_code == 200
        css = static("pfp/admin.css")
        icon = static("pfp/favicon.svg")
        # After the admin's own styles, so that its variables win.
        assert response.text.index("admin/css/base.css") < response.text.index(css)
        assert f'<link rel="icon" href="{icon}" type="image/svg+xml">' in response.text

    def test_the_colours_are_the_admins_variables_set_to_the_products(self):
        css = Path(finders.find("pfp/admin.css")).read_text(encoding="utf-8")
        for variable in ("--header-bg", "--primary", "--secondary", "--link-fg", "--button-bg"):
            assert f"{variable}:" in css
        assert "--header-bg: #002d62;" in css  # the navigation bar's navy (pfp/site.css)


class TestHome:
    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_the_home_groups_what_administrators_correct(self, admin_client_in, language):
        response = admin_client_in(language).get(reverse("admin:index"))
        headings = re.findall(r'<h2 id="group-\d+">(.*?)</h2>', response.text)
        assert headings == GROUPS[language]
        page = text_of(response)
        with translation.override(language):
            descriptions = [str(description) for _name, description, _models in HOME_GROUPS]
        for description in descriptions:
            assert description in response.text

        assert "Pfp" not in page
        assert "Axes" not in page

    def test_each_group_lists_its_models_and_every_model_has_a_group(self, admin_client_in):
        response = admin_client_in("en").get(reverse("admin:index"))
        groups = response.context["app_list"]
        listed = {
            group["name"]: [model["object_name"].lower() for model in group["models"]]
            for group in groups
        }
        assert listed == {
            "People and roles": ["user", "group"],
            "Partner register": ["partner", "representative"],
            "Cooperation menu": ["area", "provider", "activity", "menuimport"],
            # Objectives and planned activities are edited inline, on the programme.
            "Programmes": ["programme"],
            "Delivery": ["event", "annualreview"],
            "Background work": ["message", "scheduledrun", "dbtaskresult"],
            "Sign-in protection": ["accessattempt", "accessfailurelog", "accesslog"],
        }
        # No "Other": a model registered later is placed in a group on purpose.
        grouped = {key for _name, _description, keys in HOME_GROUPS for key in keys}
        assert {model._meta.label_lower for model in admin.site._registry} <= grouped

    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_the_login_throttle_tables_are_named_in_plain_words(self, admin_client_in, language):
        client = admin_client_in(language)
        home = client.get(reverse("admin:index"))
        for name in THROTTLE_TABLES[language]:
            assert f">{name}</a>" in home.text
        failures = client.get(reverse("admin:axes_accessfailurelog_changelist"))
        assert failures.status_code == 200
        assert THROTTLE_TABLES[language][1] in text_of(failures)
        assert GROUPS[language][-1] in text_of(failures)  # the breadcrumbs' app name

    def test_every_model_and_app_has_a_french_name(self):
        """Every name the admin shows (app, model, singular and plural) is translated, apart from
        words that are the same in both languages."""
        same_in_both = {"programme", "programmes"}
        untranslated = []
        for model in admin.site._registry:
            names = [
                model._meta.app_config.verbose_name,
                model._meta.verbose_name,
                model._meta.verbose_name_plural,
            ]
            for name in names:
                with translation.override("en"):
                    english = str(name)
                with translation.override("fr"):
                    french = str(name)
                if french == english and english.lower() not in same_in_both:
                    untranslated.append(f"{model._meta.label}: {english}")
        assert not untranslated, untranslated


class TestDoors:
    @pytest.mark.parametrize("role", NON_ADMINISTRATORS)
    @pytest.mark.parametrize("language", ["en", "fr"])
    def test_a_signed_in_non_administrator_gets_the_403_page_with_the_reason(
        self, request, client, role, language
    ):
        client = as_user(client, request.getfixturevalue(role), language)
        for url in ADMIN_URLS:
            response = client.get(url)
            assert response.status_code == 403, url
            assert "403.html" in [template.name for template in response.templates], url
            assert REASON[language] in response.text, url
            assert 'id="login-form"' not in response.text, url

    def test_a_staff_member_who_is_not_an_administrator_is_refused_too(self, client):
        staff = UserFactory(username="staff", is_staff=True)
        response = as_user(client, staff, "en").get(reverse("admin:index"))
        assert response.status_code == 403
        assert REASON["en"] in response.text

    def test_a_post_is_refused_the_same_way_and_logged(self, client_as, viewer, caplog):
        with caplog.at_level(logging.WARNING, logger="pfp.access"):
            response = client_as(viewer).post("/admin/login/", {"username": "x", "password": "y"})
        assert response.status_code == 403
        assert REASON["en"] in response.text
        assert "can_use_admin_site of AdminSite" in caplog.text

    @pytest.mark.parametrize("url", ADMIN_URLS)
    def test_an_anonymous_user_goes_to_the_products_login_page_and_back(self, client, url):
        response = client.get(url)
        assert response.status_code == 302
        location = urlsplit(response["Location"])
        assert location.path == reverse("login")
        # The admin's login URL passes its own "next" on.
        expected_next = "/admin/" if url.startswith("/admin/login/") else url
        assert parse_qs(location.query) == {"next": [expected_next]}

    def test_signing_in_on_the_products_page_leads_on_to_the_admin(self, client, administrator):
        login = client.get("/admin/partners/partner/", follow=True)
        assert login.templates[0].name == "registration/login.html"
        response = client.post(
            login.request["PATH_INFO"] + "?" + login.request["QUERY_STRING"],
            {"username": administrator.username, "password": TEST_PASSWORD},
        )
        assert response.status_code == 302
        assert response["Location"] == "/admin/partners/partner/"
        assert client.get(response["Location"]).status_code == 200

    def test_the_admins_login_url_sends_an_administrator_on(self, client_as, administrator):
        client = client_as(administrator)
        assert client.get("/admin/login/")["Location"] == "/admin/"
        assert client.get("/admin/login/?next=/admin/axes/")["Location"] == "/admin/axes/"
        # Only to this site.
        assert client.get("/admin/login/?next=https://example.com/")["Location"] == "/admin/"


class TestFavicon:
    def test_the_icon_is_our_own_svg(self):
        path = finders.find("pfp/favicon.svg")
        assert path
        svg = Path(path).read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<svg")
        assert "#002d62" in svg

    @pytest.mark.parametrize("signed_in", [False, True])
    def test_favicon_ico_leads_to_it_without_signing_in(self, client, viewer, signed_in):
        if signed_in:
            client.force_login(viewer)
        response = client.get("/favicon.ico")
        assert response.status_code == 302
        assert response["Location"] == static("pfp/favicon.svg")

    def test_the_products_pages_link_it(self, client, viewer):
        link = f'<link rel="icon" href="{static("pfp/favicon.svg")}" type="image/svg+xml">'
        assert link in client.get(reverse("login")).text
        client.force_login(viewer)
        assert link in client.get(reverse("home")).text
