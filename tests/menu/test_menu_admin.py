"""The menu in the admin site: lists, saving through programmes.menu, the retire action, imports."""

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programmes.menu.models import Activity, ActivityType, Area, DeliveryMode, MenuImport
from tests.support.factories import ActivityFactory, ProviderFactory
from tests.support.pages import levelled_messages_of

CHANGELIST = reverse("admin:programmes_activity_changelist")


def retire(client, *activities):
    return client.post(
        CHANGELIST,
        {"action": "retire_selected", "_selected_action": [a.pk for a in activities]},
    )


def form_data(activity, **changes):
    data = {
        "code": activity.code,
        "title_en": activity.title_en,
        "title_fr": activity.title_fr,
        "description_en": activity.description_en,
        "description_fr": activity.description_fr,
        "area": activity.area_id,
        "type": activity.type,
        "provider": activity.provider_id,
        "delivery_mode": activity.delivery_mode,
        "length_days": activity.length_days,
        "first_offered": activity.first_offered,
        "retired_in": activity.retired_in or "",
    }
    return data | changes


@pytest.fixture
def activities(db):
    cyber = Area.objects.get(code="cyber")
    school = ProviderFactory(name="NATO School Oberammergau", kind="nato_body")
    return {
        "incident": ActivityFactory(
            code="CYBER-0001",
            title_en="Cyber incident handling — course",
            area=cyber,
            provider=school,
        ),
        "exercise": ActivityFactory(
            code="CYBER-0002",
            title_en="Cyber coalition — exercise",
            description_fr="Un exercice de défense des réseaux.",
            area=cyber,
            type=ActivityType.EXERCISE,
            delivery_mode=DeliveryMode.ONLINE,
            provider=ProviderFactory(name="Geneva Centre for Security Policy", kind="partner"),
        ),
        "retired": ActivityFactory(
            code="MED-0002", area=Area.objects.get(code="med"), retired=True
        ),
    }


def listed(response):
    return [a.code for a in response.context["cl"].result_list]


@pytest.mark.django_db
class TestActivityChangelist:
    def test_lists_searches_and_filters(self, client_as, administrator, activities):
        client = client_as(administrator)
        response = client.get(CHANGELIST)
        assert response.status_code == 200
        assert listed(response) == ["CYBER-0001", "CYBER-0002", "MED-0002"]

        assert listed(client.get(CHANGELIST, {"q": "incident"})) == ["CYBER-0001"]
        assert listed(client.get(CHANGELIST, {"q": "réseaux"})) == ["CYBER-0002"]
        # The menu's own search: accents folded, every word in any order.
        assert listed(client.get(CHANGELIST, {"q": "reseaux"})) == ["CYBER-0002"]
        assert listed(client.get(CHANGELIST, {"q": "handling cyber"})) == ["CYBER-0001"]
        assert listed(client.get(CHANGELIST, {"state": "retired"})) == ["MED-0002"]
        assert listed(client.get(CHANGELIST, {"state": "active"})) == ["CYBER-0001", "CYBER-0002"]
        cyber = Area.objects.get(code="cyber")
        assert listed(client.get(CHANGELIST, {"area__id__exact": cyber.pk})) == [
            "CYBER-0001",
            "CYBER-0002",
        ]
        assert listed(client.get(CHANGELIST, {"type__exact": "exercise"})) == ["CYBER-0002"]
        assert listed(client.get(CHANGELIST, {"delivery_mode__exact": "online"})) == ["CYBER-0002"]
        assert listed(client.get(CHANGELIST, {"provider__kind__exact": "partner"})) == [
            "CYBER-0002"
        ]

    def test_query_count_does_not_grow_with_the_menu(
        self, client_as, administrator, django_assert_max_num_queries
    ):
        client = client_as(administrator)
        counts = []
        for total in (10, 100):
            ActivityFactory.create_batch(total - Activity.objects.count())
            with (
                django_assert_max_num_queries(10),
                CaptureQueriesContext(connection) as queries,
            ):
                response = client.get(CHANGELIST)
            assert len(listed(response)) == total
            counts.append(len(queries))
        assert counts[0] == counts[1]


@pytest.mark.django_db
class TestActivityChangeForm:
    def test_change_page_opens_with_the_code_read_only(self, client_as, administrator, activities):
        url = reverse("admin:programmes_activity_change", args=[activities["incident"].pk])
        response = client_as(administrator).get(url)
        assert response.status_code == 200
        assert 'name="code"' not in response.text
        assert "CYBER-0001" in response.text

    def test_change_saves_through_the_menu_actions(self, client_as, administrator, activities):
        incident = activities["incident"]
        url = reverse("admin:programmes_activity_change", args=[incident.pk])
        response = client_as(administrator).post(
            url, form_data(incident, code="HACK-0001", title_en="Cyber incident response — course")
        )
        assert response.status_code == 302
        incident.refresh_from_db()
        assert incident.title_en == "Cyber incident response — course"
        assert incident.code == "CYBER-0001"
        latest = incident.history.first()
        assert latest.history_type == "~"
        assert latest.history_user == administrator

    def test_unchanged_form_writes_no_history_row(self, client_as, administrator, activities):
        incident = activities["incident"]
        url = reverse("admin:programmes_activity_change", args=[incident.pk])
        rows = incident.history.count()
        response = client_as(administrator).post(url, form_data(incident))
        assert response.status_code == 302
        assert incident.history.count() == rows

    def test_add_creates_through_the_menu_actions(self, client_as, administrator, activities):
        url = reverse("admin:programmes_activity_add")
        response = client_as(administrator).post(
            url, form_data(activities["incident"], code="CYBER-0099", title_en="Cyber range")
        )
        assert response.status_code == 302
        added = Activity.objects.get(code="CYBER-0099")
        assert added.history.get().history_user == administrator
        assert LogEntry.objects.get(object_id=str(added.pk)).is_addition()

    def test_impossible_years_refused_and_nothing_saved(self, client_as, administrator, activities):
        incident = activities["incident"]
        url = reverse("admin:programmes_activity_change", args=[incident.pk])
        rows = incident.history.count()
        response = client_as(administrator).post(url, form_data(incident, retired_in=2010))
        assert response.status_code == 200
        assert "cannot be retired before the year it was first offered" in response.text
        incident.refresh_from_db()
        assert incident.retired_in is None
        assert incident.history.count() == rows

    def test_activities_cannot_be_deleted(self, client_as, administrator, activities):
        url = reverse("admin:programmes_activity_delete", args=[activities["incident"].pk])
        assert client_as(administrator).post(url, {"post": "yes"}).status_code == 403
        assert Activity.objects.filter(pk=activities["incident"].pk).exists()


@pytest.mark.django_db
class TestRetireAction:
    def test_retires_selected_with_a_history_row_naming_the_admin(
        self, client_as, administrator, activities
    ):
        year = timezone.localdate().year
        response = retire(client_as(administrator), activities["incident"], activities["exercise"])
        assert response.status_code == 302
        for activity in (activities["incident"], activities["exercise"]):
            activity.refresh_from_db()
            assert activity.retired_in == year
            latest = activity.history.first()
            assert latest.retired_in == year
            assert latest.history_user == administrator
        assert levelled_messages_of(response) == [("success", f"2 activities retired from {year}.")]

    def test_already_retired_reported_and_left_unchanged(
        self, client_as, administrator, activities
    ):
        retired = activities["retired"]
        rows = retired.history.count()
        response = retire(client_as(administrator), retired, activities["incident"])
        year = timezone.localdate().year
        assert levelled_messages_of(response) == [
            ("error", "MED-0002 was already retired in 2024."),
            ("success", f"1 activity retired from {year}."),
        ]
        retired.refresh_from_db()
        assert retired.retired_in == 2024
        assert retired.history.count() == rows

    def test_refusal_without_the_code_in_its_text_gets_the_code(
        self, client_as, administrator, activities
    ):
        future = ActivityFactory(code="CYBER-0050", first_offered=timezone.localdate().year + 1)
        response = retire(client_as(administrator), future)
        [(level, text)] = levelled_messages_of(response)
        assert level == "error"
        assert text.startswith("CYBER-0050: ")
        assert "before the year it was first offered" in text
        future.refresh_from_db()
        assert future.retired_in is None


@pytest.mark.django_db
class TestOtherMenuAdmins:
    @pytest.mark.parametrize(
        "url",
        [
            reverse("admin:programmes_area_changelist"),
            reverse("admin:programmes_provider_changelist"),
            reverse("admin:programmes_menuimport_changelist"),
        ],
    )
    def test_changelists_open(self, client_as, administrator, activities, url):
        assert client_as(administrator).get(url).status_code == 200

    def test_areas_in_menu_order(self, client_as, administrator):
        response = client_as(administrator).get(reverse("admin:programmes_area_changelist"))
        assert [a.code for a in response.context["cl"].result_list][:3] == ["dpp", "dr", "cmr"]

    def test_providers_filter_by_kind(self, client_as, administrator, activities):
        response = client_as(administrator).get(
            reverse("admin:programmes_provider_changelist"), {"kind__exact": "partner"}
        )
        assert [p.name for p in response.context["cl"].result_list] == [
            "Geneva Centre for Security Policy"
        ]

    def test_menu_imports_are_a_read_only_log(self, client_as, administrator):
        log = MenuImport.objects.create(
            file_name="menu-2026.csv",
            content=b"secret bytes",
            digest="0" * 64,
            uploaded_by=administrator,
            status=MenuImport.Status.PREVIEWED,
            rows=3,
            added=2,
        )
        client = client_as(administrator)
        change = reverse("admin:programmes_menuimport_change", args=[log.pk])
        for url in (reverse("admin:programmes_menuimport_changelist"), change):
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            sql = " ".join(query["sql"] for query in context.captured_queries)
            assert '"programmes_menuimport"."content"' not in sql  # the files are not loaded
        response = client.get(change)
        assert "menu-2026.csv" in response.text
        assert "secret bytes" not in response.text
        assert 'name="file_name"' not in response.text

        assert client.post(change, {"file_name": "other.csv"}).status_code == 403
        assert client.get(reverse("admin:programmes_menuimport_add")).status_code == 403
        delete = reverse("admin:programmes_menuimport_delete", args=[log.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
        log.refresh_from_db()
        assert log.file_name == "menu-2026.csv"
