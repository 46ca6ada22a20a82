"""Nobody reaches a page without logging in; each role reaches what it may and no more."""

import pytest
from django.conf import settings
from django.urls import reverse

from partners.models import Partner
from partners.permissions import can_change_register, can_view_register
from pfp.permissions import can_use_admin_site, roles_of
from tests.support.factories import ActivityFactory
from tests.support.security_matrix import PAGES
from tests.support.urlwalk import PUBLIC, every_url

ROLE_NAMES = ["viewer", "officer", "approver", "menu_manager"]


@pytest.fixture
def filled_urls(register, administrator, viewer):
    partner = register.get(code="MT")
    activity = ActivityFactory()
    return every_url(
        {
            "programmes:activity_detail": {"code": activity.code},
            "programmes:activity_edit": {"code": activity.code},
            "programmes:activity_retire": {"code": activity.code},
            "programmes:activity_export": {"fmt": "csv"},
            "programmes:partner_report_download": {"fmt": "pdf"},
            "programmes:cross_report_export": {"fmt": "csv"},
            "pk": "1",
            "objective_pk": "1",
            "goal_pk": "1",
            "planned_pk": "1",
            "slug": "programmes-by-status",
            "code": partner.code,
            "app_label": "partners",
            "content_type_id": "1",
            "id": str(administrator.pk),
            "history_id": "1",
            "ref": "EV-1",
            "year": "2026",
        }
    )


@pytest.mark.django_db
class TestLoggedOut:
    @pytest.fixture(autouse=True)
    def register(self, register_loaded_for_the_class, db):
        """The register, loaded once for the class (it only reads it)."""
        return Partner.objects.all()

    def test_every_url_redirects_to_login(self, client, filled_urls):
        walked = 0
        served = []
        for entry in filled_urls:
            if entry.name in PUBLIC:
                continue
            rows = PAGES.get(entry.name, ("L", "L"))
            for method, row in zip((client.get, client.post), rows, strict=True):
                response = method(entry.url)
                walked += 1
                assert response.status_code < 500, (entry, response.status_code)
                # The steps of signing in that the matrix says answer before it (the security
                # key's sign-in ceremony: refused without a pending sign-in), as it says.
                anonymous = row.split()[0]
                if anonymous != "L":
                    assert str(response.status_code) == anonymous, (entry, response.status_code)
                elif response.status_code != 302 or "login" not in response["Location"]:
                    served.append((entry.name, entry.url, method.__name__, response.status_code))
        assert not served, served
        assert walked >= 2 * 40, walked  # the admin alone has dozens of patterns

    def test_public_pages_are_only_these(self, client, filled_urls):
        assert {e.name for e in filled_urls} >= PUBLIC
        assert client.get(reverse("login")).status_code == 200


@pytest.mark.django_db
class TestRoles:
    @pytest.fixture(autouse=True)
    def register(self, register_loaded_for_the_class, db):
        """The register, loaded once for the class (it only reads it)."""
        return Partner.objects.all()

    @pytest.mark.parametrize("role", [*ROLE_NAMES, "administrator"])
    def test_every_role_reads_the_register(self, request, client_as, register, role):
        client = client_as(request.getfixturevalue(role))
        assert client.get(reverse("partners:list")).status_code == 200
        assert client.get(reverse("partners:detail", args=["MT"])).status_code == 200

    @pytest.mark.parametrize("role", ROLE_NAMES)
    def test_only_administrators_use_the_admin_site(self, request, client_as, register, role):
        client = client_as(request.getfixturevalue(role))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 403  # the product's 403 page, saying why
        assert "Only administrators use the admin site." in response.text
        assert "Admin site" not in client.get(reverse("partners:list")).text

    def test_administrator_uses_the_admin_site(self, client_as, administrator, register):
        client = client_as(administrator)
        assert client.get(reverse("admin:index")).status_code == 200
        assert client.get(reverse("admin:partners_partner_changelist")).status_code == 200
        malta = register.get(code="MT")
        assert (
            client.get(reverse("admin:partners_partner_change", args=[malta.pk])).status_code == 200
        )
        assert "Admin site" in client.get(reverse("partners:list")).text

    def test_user_without_role_is_refused_the_register(self, client_as, no_role_user, register):
        client = client_as(no_role_user)
        assert client.get(reverse("partners:list")).status_code == 403
        assert client.get(reverse("partners:detail", args=["MT"])).status_code == 403
        home = client.get(reverse("home"))
        assert home.status_code == 200
        assert "no role" in home.text

    def test_home_is_the_dashboard_for_readers(self, client_as, viewer):
        response = client_as(viewer).get(reverse("home"))
        assert response.status_code == 200
        assert "Dashboard" in response.text

    def test_inactive_user_has_no_rights(self, viewer):
        viewer.is_active = False
        assert not can_view_register(viewer)
        assert roles_of(viewer) == set()

    def test_footer_names_the_user_and_role(self, client_as, viewer, register):
        text = client_as(viewer).get(reverse("partners:list")).text
        assert "Signed in as" in text
        assert "Viewer" in text

    @pytest.mark.parametrize(
        ("role", "allowed"),
        [
            ("viewer", False),
            ("officer", False),
            ("approver", False),
            ("menu_manager", False),
            ("administrator", True),
        ],
    )
    def test_permission_matrix(self, request, role, allowed):
        user = request.getfixturevalue(role)
        assert bool(can_view_register(user)) is True
        assert bool(can_change_register(user)) is allowed
        assert bool(can_use_admin_site(user)) is allowed
        decision = can_change_register(user)
        assert allowed or decision.reason


def test_login_url_is_the_named_login_page():
    assert settings.LOGIN_URL == "login"
