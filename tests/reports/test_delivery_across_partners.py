"""The report "Delivery" across partners: for a chosen calendar year, planned against delivered by
area, provider and partner with the share of women, the events past their date with nothing
recorded; the chart; the year chosen, junk ignored; one CSV per table, Excel with sheets; query
counts at two sizes."""

import copy
import csv
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from programmes.delivery.models import EventStatus
from programmes.reports.cross_partner import REPORTS, delivery_years
from tests.reports.test_delivery_report import FIRST, YEAR_1, YEAR_2, build_example
from tests.support.factories import (
    PartnerFactory,
    assigned_officer,
    drafter_of,
    event_of,
    partnerland,
    programme_in_force,
    role_user,
)

THIS_YEAR = timezone.localdate().year
URL = reverse("programmes:cross_report", args=["delivery"])


def export(fmt):
    return reverse("programmes:cross_report_export", args=["delivery", fmt])


def second_partner(approver):
    """Another partner's programme in force: one activity of year 1 delivered (10 participants,
    women not counted), one overdue with nothing recorded."""
    partner = PartnerFactory(name="Otherland", name_fr="Terre lointaine", code="OT")
    officer = assigned_officer(partner)
    programme = programme_in_force(
        officer=officer, approver=approver, partner=partner, objectives=1, activities=4
    )
    [planned] = programme.planned_activities.filter(year=1)
    event_of(
        programme,
        officer=officer,
        planned=planned,
        status=EventStatus.DELIVERED,
        participants=10,
    )
    event_of(
        programme,
        officer=officer,
        planned=planned,
        start_date=datetime.date(FIRST, 6, 1),
        end_date=datetime.date(FIRST, 6, 2),
        place="Tunis",
    )
    return programme


@pytest.fixture(scope="class")
def built(class_transaction):
    partner = partnerland()
    approver = role_user("approver")
    return build_example(partner, drafter_of(partner), approver), second_partner(approver)


@pytest.fixture
def example(built, db):
    return copy.deepcopy(built)


def tables(user, year):
    today = timezone.localdate()
    return {table.slug: table for table in REPORTS["delivery"].tables(user, today, {"year": year})}


@pytest.mark.django_db
class TestFigures:
    def test_by_partner(self, viewer, example):
        by_partner = tables(viewer, FIRST)["by-partner"]
        rows = {row[1]: row[2:] for row in by_partner.rows}
        assert rows["PL"] == YEAR_1
        # Otherland: 1 planned, delivered; 10 participants, women not counted.
        assert rows["OT"] == [1, 1, 0, 0, 0, 100, 0, 10, 0, None]
        assert by_partner.totals == ["Total", None, 3, 2, 1, 0, 0, 67, 2, 52, 19, 45]
        assert len({len(row) for row in [*by_partner.all_rows, by_partner.header]}) == 1

    def test_partners_by_the_name_the_reader_sees(self, viewer, example):
        def partners():
            return [row[:2] for row in tables(viewer, FIRST)["by-partner"].rows]

        assert partners() == [["Otherland", "OT"], ["Partnerland", "PL"]]
        with translation.override("fr"):
            assert partners() == [["Partnerland", "PL"], ["Terre lointaine", "OT"]]

    def test_by_area_and_provider_add_up_to_the_same_totals(self, viewer, example):
        found = tables(viewer, FIRST)
        assert found["by-area"].totals[1:] == found["by-partner"].totals[2:]
        assert found["by-provider"].totals[1:] == found["by-partner"].totals[2:]
        # The factories give every activity its own provider: one row each.
        assert len(found["by-provider"].rows) == 5

    def test_another_year(self, viewer, example):
        rows = {row[1]: row[2:] for row in tables(viewer, THIS_YEAR)["by-partner"].rows}
        assert rows["PL"] == YEAR_2

    def test_events_past_their_date_with_nothing_recorded(self, viewer, example):
        overdue = tables(viewer, FIRST)["without-outcome"]
        [row] = overdue.all_rows
        assert row[:3] == ["Otherland", "OT", row[2]]
        assert row[4] == datetime.date(FIRST, 6, 1)
        assert row[6] == "Tunis"
        today = timezone.localdate()
        assert all(row[5] < today for row in tables(viewer, THIS_YEAR)["without-outcome"].all_rows)


@pytest.mark.django_db
class TestPages:
    def test_page_with_chart_and_year_choice(self, client_as, viewer, example):
        response = client_as(viewer).get(URL, {"year": FIRST})
        text = response.text
        assert '<title id="delivery-by-area-chart-title">' in text
        assert f"Delivery by area of cooperation, {FIRST}" in text
        assert f'<option value="{FIRST}" selected>' in text
        assert "Otherland" in text

    def test_default_is_this_year(self, client_as, viewer, example):
        response = client_as(viewer).get(URL)
        assert f'<option value="{THIS_YEAR}" selected>' in response.text
        assert "were not understood" not in response.text

    @pytest.mark.parametrize("junk", ["1900", "abc", "", "2026x"])
    def test_junk_year_is_ignored_with_a_notice(self, client_as, viewer, example, junk):
        response = client_as(viewer).get(URL, {"year": junk})
        assert response.status_code == 200
        assert f'<option value="{THIS_YEAR}" selected>' in response.text
        if junk:
            assert "were not understood" in response.text

    def test_one_csv_per_table_each_rectangular(self, client_as, viewer, example):
        client = client_as(viewer)
        for slug in ("by-area", "by-provider", "by-partner", "without-outcome"):
            response = client.get(export("csv"), {"year": FIRST, "table": slug})
            rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
            assert len({len(row) for row in rows}) == 1, slug
            assert response["Content-Disposition"].endswith(
                f'delivery-{slug}-{timezone.localdate()}.csv"'
            )

    def test_excel_has_a_sheet_per_table(self, client_as, viewer, example):
        response = client_as(viewer).get(export("xlsx"), {"year": FIRST})
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == [
            "By area",
            "By provider",
            "By partner",
            "Nothing recorded",
            "About",
        ]
        rows = list(workbook["By partner"].values)
        assert rows[0][:3] == ("Partner", "ISO code", "Planned")

    def test_french(self, client_as, viewer, example):
        client = client_as(viewer)
        client.cookies["django_language"] = "fr"
        text = client.get(URL, {"year": FIRST}).text
        assert "Réalisation par domaine de coopération" in text
        assert "Part des femmes (%)" in text


def test_years_to_choose_from_include_this_year(db):
    assert delivery_years(datetime.date(2031, 5, 1)) == [2031]


@pytest.mark.django_db
def test_no_role_is_refused(client_as, no_role_user):
    assert client_as(no_role_user).get(URL).status_code == 403


# --- Query counts: the same at two sizes ----------------------------------------------------

# As tests/reports/test_cross_reports.py PINNED, with one query more on the page: the page of
# events with nothing recorded, which an empty list does not need.
PINNED = {
    "page": 15,
    "xlsx": 13,
    "csv by-area": 12,
    "csv by-provider": 12,
    "csv by-partner": 12,
    "csv without-outcome": 13,
}


@pytest.mark.django_db
def test_query_counts_at_two_sizes(client_as, viewer, approver):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = PartnerFactory(name="Smallland", code="SM")
    build_example(small, assigned_officer(small), approver)
    second_partner(approver)
    client = client_as(viewer)
    urls = {"page": URL, "xlsx": export("xlsx")}
    for slug in ("by-area", "by-provider", "by-partner", "without-outcome"):
        urls[f"csv {slug}"] = f"{export('csv')}?table={slug}"
    counts = {}
    for size in ("small", "large"):
        if size == "large":
            for n in range(4):
                partner = PartnerFactory(name=f"Large {n}", code=f"L{chr(65 + n)}")
                build_example(partner, assigned_officer(partner), approver)
        for kind, url in urls.items():
            joiner = "&" if "?" in url else "?"
            with CaptureQueriesContext(connection) as captured:
                assert client.get(f"{url}{joiner}year={FIRST}").status_code == 200
            counts[size, kind] = len(captured)
    assert {kind: counts["small", kind] for kind in urls} == PINNED
    assert {kind: counts["large", kind] for kind in urls} == PINNED
