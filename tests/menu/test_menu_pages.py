"""The menu's pages: search, filters, sorting, pagination, activity page, edit, retire, export."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from programmes import workflow
from programmes.menu.models import Activity, ActivityType, Area, DeliveryMode
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    ProviderFactory,
    assigned_officer,
    draft_programme,
)

LIST = reverse("programmes:activity_list")


def codes(response):
    return [a.code for a in response.context["page_obj"].object_list]


@pytest.fixture
def menu(db):
    cyber = Area.objects.get(code="cyber")
    med = Area.objects.get(code="med")
    school = ProviderFactory(name="NATO School Oberammergau", kind="nato_body")
    return {
        "incident": ActivityFactory(
            code="CYBER-0001",
            title_en="Cyber incident handling — course",
            title_fr="Gestion des incidents cyber — cours",
            area=cyber,
            provider=school,
        ),
        "exercise": ActivityFactory(
            code="CYBER-0002",
            title_en="Cyber coalition — exercise",
            title_fr="Coalition cyber — exercice",
            description_fr="Un exercice de défense des réseaux.",
            area=cyber,
            type=ActivityType.EXERCISE,
            delivery_mode=DeliveryMode.ONLINE,
            length_days=10,
        ),
        "medical": ActivityFactory(
            code="MED-0001",
            title_en="Field hospital planning — seminar",
            area=med,
            type=ActivityType.SEMINAR,
        ),
        "retired": ActivityFactory(code="MED-0002", area=med, retired=True),
    }


def drafts_planning(activity, years, start_years: dict) -> list:
    """For each partner code and start year: a new partner and its officer's draft, planning
    ``activity`` in each of the programme ``years``."""
    drafts = []
    for code, start_year in start_years.items():
        partner = PartnerFactory(code=code, name=f"{code} land")
        officer = assigned_officer(partner)
        draft = draft_programme(
            officer=officer, partner=partner, start_year=start_year, activities=0
        )
        goal = draft.objectives.get().goals.get()
        for year in years:
            workflow.plan_activity(
                actor=officer, programme=draft, activity=activity, year=year, goal=goal
            )
        drafts.append(draft)
    return drafts


@pytest.mark.django_db
class TestMenuList:
    def test_every_role_reads_the_menu(self, client_as, viewer, menu):
        response = client_as(viewer).get(LIST)
        assert response.status_code == 200
        assert codes(response) == ["CYBER-0001", "CYBER-0002", "MED-0001"]  # active by default
        assert "Add an activity" not in response.text
        everything = client_as(viewer).get(LIST, {"state": "all"})
        assert codes(everything) == ["CYBER-0001", "CYBER-0002", "MED-0001", "MED-0002"]

    @pytest.mark.parametrize(
        ("query", "expected"),
        [
            ("cyber-0002", ["CYBER-0002"]),
            ("incident", ["CYBER-0001"]),
            ("Gestion des incidents", ["CYBER-0001"]),
            ("réseaux", ["CYBER-0002"]),
            ("hospital", ["MED-0001"]),
            # Without accents and in any case, on every database.
            ("reseaux", ["CYBER-0002"]),
            ("DÉFENSE DES RÉSEAUX", ["CYBER-0002"]),
            ("HOSPITAL PLANNING", ["MED-0001"]),
            ("  coalition  ", ["CYBER-0002"]),
            ("cyber — exercice", ["CYBER-0002"]),
            ("nowhere", []),
            # Every word, in any order; a phrase in double quotes as written.
            ("cyber exercise", ["CYBER-0002"]),
            ("exercise cyber", ["CYBER-0002"]),
            ("cyber course", ["CYBER-0001"]),
            ('"coalition cyber"', ["CYBER-0002"]),
            ('"cyber exercise"', []),
            ("cyber hospital", []),
        ],
    )
    def test_search_in_both_languages(self, client_as, viewer, menu, query, expected):
        assert codes(client_as(viewer).get(LIST, {"q": query})) == expected

    def test_every_write_keeps_the_search_text(self, menu, menu_manager):
        """``save``, ``bulk_create`` and ``bulk_update`` fill it; the menu functions, the
        importer, the admin and the demo all write through them."""
        from programmes.menu import actions

        activity = actions.update_activity(
            activity=menu["medical"], actor=menu_manager, title_fr="Hôpital de campagne"
        )
        assert Activity.objects.search("hopital").get() == activity
        created = Activity.objects.bulk_create(
            [
                ActivityFactory.build(
                    code="BULK-0001",
                    title_en="Ça ira — Workshop",
                    area=activity.area,
                    provider=activity.provider,
                )
            ]
        )
        assert Activity.objects.search("ca ira").get().code == created[0].code
        created[0].title_en = "Renamed"
        Activity.objects.bulk_update(created, ["title_en"])
        assert not Activity.objects.search("ca ira").exists()
        for row in Activity.objects.all():
            assert row.search_text == row.text_for_search()

    def test_filters_combine_and_stay_in_the_url(self, client_as, viewer, menu):
        params = {"area": "cyber", "type": "exercise", "delivery_mode": "online"}
        response = client_as(viewer).get(LIST, params)
        assert codes(response) == ["CYBER-0002"]
        assert "area=cyber" in response.text  # export and pagination links keep the filter

    def test_active_and_retired(self, client_as, viewer, menu):
        assert "MED-0002" not in codes(client_as(viewer).get(LIST, {"state": "active"}))
        assert codes(client_as(viewer).get(LIST, {"state": "retired"})) == ["MED-0002"]

    def test_filter_by_provider(self, client_as, viewer, menu):
        provider = menu["incident"].provider
        assert codes(client_as(viewer).get(LIST, {"provider": provider.pk})) == ["CYBER-0001"]

    def test_sorting(self, client_as, viewer, menu):
        response = client_as(viewer).get(LIST, {"ordering": "-length"})
        assert codes(response)[0] == "CYBER-0002"

    @pytest.mark.parametrize(
        "params",
        [
            {"page": "abc"},
            {"page": "-1"},
            {"area": "atlantis"},
            {"provider": "abc"},
            {"provider": "99999999999999999999999"},
            {"type": "\x00"},
            {"state": "undead"},
            {"ordering": "secret"},
            {"q": "%" * 5000},
        ],
    )
    def test_bad_query_strings_get_a_page(self, client_as, viewer, menu, params):
        assert client_as(viewer).get(LIST, params).status_code == 200

    def test_fifty_per_page(self, client_as, viewer, db):
        ActivityFactory.create_batch(120)
        response = client_as(viewer).get(LIST, {"page": 3})
        assert len(codes(response)) == 20
        assert response.context["paginator"].num_pages == 3

    def test_query_count_does_not_grow_with_the_menu(
        self, client_as, viewer, db, django_assert_num_queries
    ):
        client = client_as(viewer)
        ActivityFactory.create_batch(100)
        with django_assert_num_queries(12) as small:
            client.get(LIST)
        ActivityFactory.create_batch(1300)
        with django_assert_num_queries(len(small.captured_queries)):
            client.get(LIST)


@pytest.mark.django_db
class TestActivityPage:
    def test_shows_everything(self, client_as, viewer, menu):
        response = client_as(viewer).get(menu["exercise"].get_absolute_url())
        assert response.status_code == 200
        for text in [
            "CYBER-0002",
            "Cyber coalition",
            "Coalition cyber",
            "Cyber defence",
            "Online",
            "10 days",
        ]:
            assert text in response.text

    def test_retired_activity_says_so(self, client_as, viewer, menu):
        response = client_as(viewer).get(menu["retired"].get_absolute_url())
        assert "cannot be chosen again" in response.text

    @pytest.mark.parametrize("path", ["/menu/NOPE-0000/", "/menu/lower-0001/", "/menu/X/"])
    def test_unknown_code_is_404(self, client_as, viewer, menu, path):
        assert client_as(viewer).get(path).status_code == 404

    def test_lists_the_programmes_that_planned_it(self, client_as, viewer, menu, approver):
        partner = PartnerFactory(code="PL", name="Partnerland")
        officer = assigned_officer(partner)
        programme = draft_programme(officer=officer, partner=partner, activities=0)
        goal = programme.objectives.get().goals.get()
        for year in (1, 3):
            workflow.plan_activity(
                actor=officer, programme=programme, activity=menu["medical"], year=year, goal=goal
            )
        response = client_as(viewer).get(menu["medical"].get_absolute_url())
        rows = list(response.context["planned"])
        assert [(row.programme, row.calendar_year) for row in rows] == [
            (programme, 2026),
            (programme, 2028),
        ]
        assert "Partnerland" in response.text
        assert "Draft" in response.text
        assert "No programme has chosen this activity." not in response.text
        assert "No programme has chosen this activity." in (
            client_as(viewer).get(menu["incident"].get_absolute_url()).text
        )

    def test_lists_the_newest_and_counts_them_all(self, client_as, viewer, menu, monkeypatch):
        monkeypatch.setattr("programmes.views.activity.PLANNED_ROWS", 3)
        programmes = drafts_planning(menu["medical"], (1, 2), {"AA": 2022, "BB": 2026, "CC": 2030})
        response = client_as(viewer).get(menu["medical"].get_absolute_url())
        rows = [
            (row.programme.partner.code, row.calendar_year) for row in response.context["planned"]
        ]
        assert rows == [("CC", 2030), ("CC", 2031), ("BB", 2026)]  # the newest periods first
        assert response.context["uptake"] == {"times": 6, "versions": 3, "partners": 3}
        assert (
            "Programme years planning it: 6; programme versions: 3; partners: 3." in response.text
        )
        assert "The newest 3 are listed below." in response.text
        every = reverse("programmes:programme_list") + "?activity=MED-0001"
        assert f'href="{every}"' in response.text
        listed = client_as(viewer).get(every).context["page_obj"].object_list
        assert sorted(listed, key=lambda p: p.pk) == programmes

    def test_query_count_is_fixed(
        self, client_as, viewer, menu, approver, django_assert_num_queries
    ):
        client = client_as(viewer)
        with django_assert_num_queries(12) as first:
            client.get(menu["incident"].get_absolute_url())
        from programmes.menu import actions

        for days in range(2, 8):
            actions.update_activity(activity=menu["medical"], actor=None, length_days=days)
        drafts_planning(menu["medical"], (1, 2, 4), {"AA": 2026, "BB": 2026, "CC": 2026})
        with django_assert_num_queries(len(first.captured_queries)):
            client.get(menu["medical"].get_absolute_url())


def activity_post(**overrides):
    data = {
        "code": "CYBER-0100",
        "title_en": "Threat intelligence sharing — workshop",
        "title_fr": "Partage du renseignement sur les menaces — atelier",
        "description_en": "",
        "description_fr": "",
        "area": Area.objects.get(code="cyber").pk,
        "type": ActivityType.WORKSHOP,
        "provider": ProviderFactory(name="Cyber Centre").pk,
        "delivery_mode": DeliveryMode.BLENDED,
        "length_days": 3,
        "first_offered": 2026,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
class TestEditing:
    @pytest.mark.parametrize("role", ["viewer", "officer", "approver"])
    def test_only_menu_managers_edit(self, request, client_as, menu, role):
        client = client_as(request.getfixturevalue(role))
        incident = menu["incident"]
        assert client.get(reverse("programmes:activity_create")).status_code == 403
        assert (
            client.post(reverse("programmes:activity_create"), activity_post()).status_code == 403
        )
        edit = reverse("programmes:activity_edit", args=[incident.code])
        assert (
            client.post(edit, activity_post(code=incident.code, length_days=9)).status_code == 403
        )
        retire = reverse("programmes:activity_retire", args=[incident.code])
        assert client.post(retire, {"year": 2026}).status_code == 403
        incident.refresh_from_db()
        assert (incident.length_days, incident.retired_in) == (5, None)
        assert not Activity.objects.filter(code="CYBER-0100").exists()

    def test_menu_manager_creates_with_history(self, client_as, menu_manager, db):
        response = client_as(menu_manager).post(
            reverse("programmes:activity_create"), activity_post()
        )
        activity = Activity.objects.get(code="CYBER-0100")
        assert response["Location"] == activity.get_absolute_url()
        assert activity.history.get().history_user == menu_manager

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"code": "cyber 1"}, "code"),
            ({"length_days": 0}, "length_days"),
            ({"length_days": 100000}, "length_days"),
            ({"title_en": "x" * 201}, "title_en"),
            ({"first_offered": 1800}, "first_offered"),
            ({"area": 999999}, "area"),
        ],
    )
    def test_bad_input_is_explained_and_nothing_written(
        self, client_as, menu_manager, db, overrides, field
    ):
        response = client_as(menu_manager).post(
            reverse("programmes:activity_create"), activity_post(**overrides)
        )
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert Activity.objects.count() == 0

    def test_duplicate_code_refused(self, client_as, menu_manager, menu):
        response = client_as(menu_manager).post(
            reverse("programmes:activity_create"), activity_post(code="CYBER-0001")
        )
        assert "code" in response.context["form"].errors

    def test_edit_keeps_the_code(self, client_as, menu_manager, menu):
        incident = menu["incident"]
        url = reverse("programmes:activity_edit", args=[incident.code])
        data = activity_post(code="HACK-0001", length_days=9, provider=incident.provider.pk)
        response = client_as(menu_manager).post(url, data)
        assert response.status_code == 302
        incident.refresh_from_db()
        assert (incident.code, incident.length_days) == ("CYBER-0001", 9)
        assert incident.history.first().history_user == menu_manager

    def test_edit_page_names_the_activity(self, client_as, menu_manager, menu):
        incident = menu["incident"]
        url = reverse("programmes:activity_edit", args=[incident.code])
        text = client_as(menu_manager).get(url).text
        assert f"Edit {incident.code}" in text
        assert "Add an activity" not in text

    def test_retire_and_refuse_twice(self, client_as, menu_manager, menu):
        client = client_as(menu_manager)
        incident = menu["incident"]
        retire = reverse("programmes:activity_retire", args=[incident.code])
        client.post(retire, {"year": 2026})
        incident.refresh_from_db()
        assert incident.retired_in == 2026
        response = client.post(retire, {"year": 2027}, follow=True)
        assert "already retired" in response.text
        incident.refresh_from_db()
        assert incident.retired_in == 2026

    def test_retire_before_first_offer_refused(self, client_as, menu_manager, menu):
        incident = menu["incident"]
        retire = reverse("programmes:activity_retire", args=[incident.code])
        response = client_as(menu_manager).post(retire, {"year": 2019}, follow=True)
        assert "before the year it was first offered" in response.text
        incident.refresh_from_db()
        assert incident.retired_in is None

    def test_retire_needs_post(self, client_as, menu_manager, menu):
        retire = reverse("programmes:activity_retire", args=[menu["incident"].code])
        assert client_as(menu_manager).get(retire).status_code == 405


@pytest.mark.django_db
class TestExport:
    def test_csv_is_the_filtered_list_with_bom(self, client_as, viewer, menu):
        url = reverse("programmes:activity_export", args=["csv"])
        response = client_as(viewer).get(url, {"area": "cyber"})
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert [row["code"] for row in rows] == ["CYBER-0001", "CYBER-0002"]
        assert rows[0]["title_fr"] == "Gestion des incidents cyber — cours"

    def test_excel_is_typed(self, client_as, viewer, menu):
        url = reverse("programmes:activity_export", args=["xlsx"])
        response = client_as(viewer).get(url, {"state": "active"})
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header = [cell.value for cell in sheet[1]]
        rows = [
            dict(zip(header, (c.value for c in row), strict=True))
            for row in sheet.iter_rows(min_row=2)
        ]
        assert [row["code"] for row in rows] == ["CYBER-0001", "CYBER-0002", "MED-0001"]
        assert rows[1]["length_days"] == 10
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold

    @pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)"])
    def test_formulas_are_neutralised(self, client_as, viewer, db, payload):
        ActivityFactory(code="CYBER-0900", title_en=payload)
        client = client_as(viewer)
        text = client.get(reverse("programmes:activity_export", args=["csv"])).content.decode(
            "utf-8-sig"
        )
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows[0]["title_en"] == "'" + payload
        workbook = openpyxl.load_workbook(
            io.BytesIO(client.get(reverse("programmes:activity_export", args=["xlsx"])).content)
        )
        titles = [row[1] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
        assert titles == ["'" + payload]

    def test_unknown_format_is_404(self, client_as, viewer, db):
        assert client_as(viewer).get("/menu/export.exe").status_code == 404
