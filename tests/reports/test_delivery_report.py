"""The delivery section of the per-partner report: the figures on a hand-built example (planned,
delivered, cancelled, postponed, not yet recorded, unplanned and no longer planned events, an
acknowledged review), the section in every format (page, PDF, CSV, Excel), in French, and the
query counts at two sizes."""

import copy
import csv
import datetime
import io

import openpyxl
import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from programmes import workflow
from programmes.delivery import actions
from programmes.delivery.models import EventStatus, Progress
from programmes.models import Goal, PlannedActivity
from programmes.reports.delivery import Outcome, PlanState, Tally, outcome_from
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    agree,
    assigned_officer,
    drafter_of,
    event_of,
    partnerland,
    programme_in_force,
    role_user,
)

THIS_YEAR = timezone.localdate().year
FIRST = THIS_YEAR - 1  # year 1 is over, year 2 under way


def planned_in(programme, year):
    """The planned activities of ``programme`` in programme ``year``, in the order made."""
    return list(programme.planned_activities.filter(year=year).order_by("pk"))


def build_example(partner, officer, approver):
    """Twelve planned activities, three a year. Year 1: one delivered (20 participants, 8
    women), one cancelled, one delivered (12, 6) then removed by a revision (no longer
    planned); an unplanned event delivered (10, 5). Year 2: one postponed to year 3, one
    scheduled, one with nothing. The review of year 1 written, submitted and acknowledged."""
    programme = programme_in_force(
        officer=officer, approver=approver, partner=partner, objectives=2, activities=12
    )
    first = planned_in(programme, 1)
    second = planned_in(programme, 2)
    march = datetime.date(FIRST, 3, 10)
    event_of(
        programme,
        officer=officer,
        planned=first[0],
        status=EventStatus.DELIVERED,
        participants=20,
        women=8,
        rating=4,
        evaluation="Useful.",
    )
    event_of(
        programme,
        officer=officer,
        planned=first[1],
        status=EventStatus.CANCELLED,
        cancellation_reason="No budget.",
    )
    event_of(
        programme,
        officer=officer,
        planned=first[2],
        status=EventStatus.DELIVERED,
        participants=12,
        women=6,
        place="Geneva",
    )
    goal = Goal.objects.filter(objective__programme=programme).order_by("pk").first()
    actions.record_event(
        actor=officer,
        programme=programme,
        activity=ActivityFactory(code="UNPL-001", title_en="Unplanned seminar"),
        goal=goal,
        year=1,
        start_date=march,
        end_date=march,
        online=True,
        status=EventStatus.DELIVERED,
        participants=10,
        women=5,
    )
    event_of(
        programme,
        officer=officer,
        planned=second[0],
        status=EventStatus.POSTPONED,
        postponed_to=3,
    )
    event_of(
        programme,
        officer=officer,
        planned=second[1],
        start_date=datetime.date(THIS_YEAR, 12, 1),
        end_date=datetime.date(THIS_YEAR, 12, 3),
    )
    # The revision removes the third activity of year 1, delivered under version 1.
    revision = workflow.revise(actor=officer, programme=programme)
    removed = PlannedActivity.objects.get(programme=revision, key=first[2].key)
    workflow.remove_planned_activity(actor=officer, planned=removed)
    revision = agree(revision, officer=officer, approver=approver)
    review = actions.start_review(actor=officer, programme=revision, year=1)
    actions.save_review(
        actor=officer,
        review=review,
        seen_stamp=review.edit_stamp,
        overall="A good first year.",
        progress={
            objective.key: (Progress.ON_TRACK if n == 0 else Progress.AT_RISK, f"Narrative {n}.")
            for n, objective in enumerate(revision.objectives.order_by("order"))
        },
    )
    actions.submit_review(actor=officer, review=review)
    actions.acknowledge_review(actor=approver, review=review)
    return revision


@pytest.fixture(scope="class")
def built(class_transaction):
    partner = partnerland()
    return build_example(partner, drafter_of(partner), role_user("approver"))


@pytest.fixture
def example(built, db):
    return copy.deepcopy(built)


def page(client, partner, **query):
    return client.get(reverse("programmes:partner_report", args=[partner.code]), query)


def download(client, partner, fmt, **query):
    url = reverse("programmes:partner_report_download", args=[partner.code, fmt])
    return client.get(url, query)


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# Year 1: planned 2 (delivered 1, cancelled 1), two delivered outside the plan, 42 participants
# of whom 19 women (45 %); year 2: planned 3, postponed 1, not yet recorded 2; years 3 and 4:
# three planned each, nothing recorded.
YEAR_1 = [2, 1, 1, 0, 0, 50, 2, 42, 19, 45]
YEAR_2 = [3, 0, 0, 1, 2, 0, 0, 0, 0, None]
YEAR_3 = [3, 0, 0, 0, 3, 0, 0, 0, 0, None]
TOTAL = [11, 1, 1, 1, 8, 9, 2, 42, 19, 45]


@pytest.mark.django_db
class TestFigures:
    def test_by_year(self, client_as, viewer, example):
        delivery = page(client_as(viewer), example.partner).context["report"].delivery
        assert delivery.delivering == example
        assert [row.tally.cells for row in delivery.by_year] == [YEAR_1, YEAR_2, YEAR_3, YEAR_3]
        assert delivery.total.cells == TOTAL
        assert next(row.label for row in delivery.by_year) == f"{FIRST} (year 1)"

    def test_by_area(self, client_as, viewer, example):
        delivery = page(client_as(viewer), example.partner).context["report"].delivery
        # The factories' activities share one area: one row, the totals.
        assert [row.tally.cells for row in delivery.by_area] == [TOTAL]

    def test_unplanned_and_no_longer_planned_events_apart(self, client_as, viewer, example):
        delivery = page(client_as(viewer), example.partner).context["report"].delivery
        assert [event.activity.code for event in delivery.unplanned] == ["UNPL-001"]
        [removed] = delivery.no_longer_planned
        assert removed.place == "Geneva"
        states = {event.plan_state for event in delivery.events}
        assert states == set(PlanState)

    def test_review_with_each_objective(self, client_as, viewer, approver, example):
        [review] = page(client_as(viewer), example.partner).context["report"].delivery.reviews
        assert review.acknowledged_by == approver
        assert [(r.objective_title, r.progress) for r in review.progress] == [
            ("Objective 1", Progress.ON_TRACK),
            ("Objective 2", Progress.AT_RISK),
        ]


def test_outcome_rules():
    assert outcome_from([]) == Outcome.NOT_RECORDED
    assert outcome_from(["postponed", "delivered"]) == Outcome.DELIVERED
    assert outcome_from(["cancelled", "scheduled"]) == Outcome.NOT_RECORDED
    assert outcome_from(["postponed", "cancelled"]) == Outcome.CANCELLED
    assert Tally().rate is None
    assert Tally().share_of_women is None


@pytest.mark.django_db
class TestFormats:
    def test_page_shows_the_section_chart_and_review(self, client_as, viewer, example):
        text = page(client_as(viewer), example.partner).text
        assert 'id="delivery-heading"' in text
        assert '<title id="delivery-chart-title">' in text
        assert "<caption>Delivery by year</caption>" in text
        assert "<caption>Unplanned events</caption>" in text
        assert "Events of activities no longer planned" in text
        assert "A good first year." in text
        assert "Narrative 1." in text
        assert "No budget." in text
        assert reverse("programmes:partner_events_calendar", args=[example.partner.code]) in text

    def test_pdf_has_the_section(self, client_as, viewer, example):
        response = download(client_as(viewer), example.partner, "pdf")
        reader = pypdf.PdfReader(io.BytesIO(response.content))
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "Delivery by year" in text
        assert "Annual reviews" in text
        assert "Narrative 0." in text

    def test_csv_tables(self, client_as, viewer, example):
        client = client_as(viewer)
        planned = csv_rows(download(client, example.partner, "csv"))
        assert planned[0][-2:] == ["Delivery", "Events recorded"]
        assert sorted(row[-2] for row in planned[1:]).count("Delivered") == 1
        by_year = csv_rows(download(client, example.partner, "csv", table="delivery-by-year"))
        assert by_year[1] == [f"{FIRST} (year 1)", *("" if v is None else str(v) for v in YEAR_1)]
        assert by_year[-1][0] == "Total"
        response = download(client, example.partner, "csv", table="events")
        assert response["Content-Disposition"].endswith('-events.csv"')
        events = csv_rows(response)
        assert len(events) == 1 + 6
        assert {len(row) for row in events} == {len(events[0])}
        reviews = csv_rows(download(client, example.partner, "csv", table="reviews"))
        assert [row[-2] for row in reviews[1:]] == ["On track", "At risk"]
        assert download(client, example.partner, "csv", table="nope").status_code == 404

    def test_excel_sheets(self, client_as, viewer, example):
        response = download(client_as(viewer), example.partner, "xlsx")
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        for name in ("Delivery by year", "Delivery by area", "Events", "Annual reviews"):
            assert name in workbook.sheetnames
        rows = list(workbook["Delivery by year"].values)
        assert list(rows[1][1:]) == YEAR_1
        events = list(workbook["Events"].values)
        assert isinstance(events[1][1], datetime.datetime)  # dates stay dates

    def test_french(self, client_as, viewer, example):
        client = client_as(viewer)
        client.cookies["django_language"] = "fr"
        text = page(client, example.partner).text
        assert "Réalisation par année" in text
        assert "Revues annuelles" in text
        assert "Pas encore enregistré" in text


@pytest.mark.django_db
def test_a_programme_never_agreed_has_an_empty_section(client_as, viewer, drafter, partner):
    from tests.support.factories import draft_programme

    draft_programme(officer=drafter, partner=partner, start_year=FIRST)
    response = page(client_as(viewer), partner)
    assert response.context["report"].delivery.delivering is None
    assert "nothing is planned for delivery yet" in response.text


# --- Query counts: the same at two sizes ----------------------------------------------------

# tests/reports/test_partner_report.py REPORT_QUERIES and DOWNLOAD_QUERIES, which include the
# delivery's four queries (planned activities in force, events, reviews, their ratings).
from tests.reports.test_partner_report import DOWNLOAD_QUERIES, REPORT_QUERIES  # noqa: E402


@pytest.mark.django_db
def test_query_counts_at_two_sizes(client_as, viewer, approver, django_assert_num_queries):
    small = PartnerFactory(name="Smallland", code="SM")
    build_example(small, assigned_officer(small), approver)
    large = PartnerFactory(name="Largeland", code="LA")
    officer = assigned_officer(large)
    programme = build_example(large, officer, approver)
    for planned in programme.planned_activities.filter(year=1):
        for day in (3, 17):
            event_of(
                programme,
                officer=officer,
                planned=planned,
                start_date=datetime.date(FIRST, 5, day),
                end_date=datetime.date(FIRST, 5, day),
                status=EventStatus.DELIVERED,
                participants=9,
                women=4,
            )
    review = actions.start_review(actor=officer, programme=programme, year=2)
    actions.save_review(
        actor=officer,
        review=review,
        seen_stamp=0,
        overall="Second.",
        progress={o.key: (Progress.OFF_TRACK, "") for o in programme.objectives.all()},
    )
    client = client_as(viewer)
    for partner, reviews in ((small, 1), (large, 2)):
        with django_assert_num_queries(REPORT_QUERIES + 3):  # + the revision's comparison
            response = page(client, partner)
        assert len(response.context["report"].delivery.reviews) == reviews
        for fmt in ("csv", "xlsx", "pdf"):
            with django_assert_num_queries(DOWNLOAD_QUERIES + 3):
                assert download(client, partner, fmt).status_code == 200
        with django_assert_num_queries(DOWNLOAD_QUERIES + 3):
            assert download(client, partner, "csv", table="events").status_code == 200
