"""Delivery's event pages over HTTP: the delivery section of the programme page, the delivery
page, scheduling and recording events, recording an outcome, deleting one; who may do what
(each role, an officer of another partner), bad input, stale forms, and pinned query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from pfp.roles import Role
from programmes import workflow
from programmes.delivery import actions
from programmes.delivery.models import Event, EventStatus
from programmes.models import ProgrammeStatus
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    UserFactory,
    assigned_officer,
    attach_signed_agreement,
    event_of,
    programme_in_force,
    programme_in_status,
)
from tests.support.pages import messages_of

pytestmark = pytest.mark.django_db


def url(name, obj, query=""):
    return reverse(f"programmes:{name}", args=[obj.pk]) + query


@pytest.fixture
def programme(drafter, approver, partner):
    """In force since last year: two objectives, eight planned activities (two a year)."""
    return programme_in_force(officer=drafter, approver=approver, partner=partner)


@pytest.fixture
def event(programme, drafter):
    return event_of(programme, officer=drafter)


def first_planned(programme, year=1):
    return programme.planned_activities.filter(year=year).order_by("pk").first()


def schedule_data(programme, chosen, **changes):
    day = datetime.date(programme.start_year + chosen.year - 1, 6, 2).isoformat()
    return {"planned": chosen.pk, "start_date": day, "end_date": day, "place": "Chisinau"} | changes


def outcome_data(event, programme, **changes):
    data = {
        "status": "delivered",
        "year": programme.start_year + event.year - 1,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "place": event.place,
        "participants": 14,
        "women": 6,
        "rating": 4,
        "evaluation": "Well run; the partner asks for a follow-up.",
        "seen_stamp": event.edit_stamp,
    }
    return {**data, **changes}


def delivery_figures(response):
    return [
        (
            year.calendar_year,
            year.figures.planned,
            year.figures.delivered,
            year.figures.not_recorded,
        )
        for year in response.context["delivery"].years
    ]


class TestProgrammePageSection:
    def test_officer_sees_the_figures_and_the_steps(self, client_as, drafter, programme, event):
        response = client_as(drafter).get(programme.get_absolute_url())
        assert response.status_code == 200
        start = programme.start_year
        assert delivery_figures(response) == [
            (start, 2, 0, 2),
            (start + 1, 2, 0, 2),
            (start + 2, 2, 0, 2),
            (start + 3, 2, 0, 2),
        ]
        text = response.text
        assert 'id="delivery"' in text
        assert url("event_create", programme) in text
        assert url("programme_delivery", programme) in text
        # Year 1 is over and year 2 has begun: both may be written; years 3 and 4 not yet.
        assert "Write the review of year 1" in text
        assert "Write the review of year 2" in text
        assert "Write the review of year 3" not in text

    def test_a_viewer_reads_it_without_the_steps(self, client_as, viewer, programme):
        response = client_as(viewer).get(programme.get_absolute_url())
        assert response.context["delivery"] is not None
        assert url("event_create", programme) not in response.text
        assert "Write the review" not in response.text

    def test_a_draft_has_no_delivery_section(self, client_as, drafter, approver, partner):
        draft = programme_in_status(
            ProgrammeStatus.DRAFT, officer=drafter, approver=approver, partner=partner
        )
        response = client_as(drafter).get(draft.get_absolute_url())
        assert response.context["delivery"] is None
        assert 'id="delivery"' not in response.text

    def test_a_superseded_version_is_read_only(self, client_as, drafter, approver, programme):
        revision = workflow.revise(actor=drafter, programme=programme)
        workflow.submit(actor=drafter, programme=revision)
        second = UserFactory(username="second-approver", role=Role.APPROVER)
        workflow.approve(actor=second, programme=revision)
        attach_signed_agreement(revision, actor=second)
        workflow.record_agreement(
            actor=second, programme=revision, agreed_on=datetime.date(2026, 6, 1), signatory="M"
        )
        programme.refresh_from_db()
        assert programme.status == ProgrammeStatus.SUPERSEDED
        response = client_as(drafter).get(programme.get_absolute_url())
        section = response.context["delivery"]
        assert not section.in_force
        assert not section.may_record
        assert "no longer in force" in response.text
        assert url("event_create", programme) not in response.text

    @pytest.mark.parametrize("user", ["drafter", "approver"])
    def test_query_count_does_not_grow_with_delivery(
        self, request, client_as, drafter, approver, partner, user, django_assert_num_queries
    ):
        """An agreed programme's page: the section adds two queries (events, reviews)."""
        small = programme_in_force(
            officer=drafter, approver=approver, partner=partner, activities=8
        )
        event_of(small, officer=drafter)
        other = PartnerFactory(name="Largeland", code="LL")
        other_officer = assigned_officer(other)
        other.officers.add(drafter)
        drafter.__dict__.pop("_pfp_assigned_partners", None)
        large = programme_in_force(
            officer=drafter, approver=approver, partner=other, objectives=4, activities=60
        )
        for planned in large.planned_activities.order_by("pk")[:30]:
            event_of(large, officer=other_officer, planned=planned)
        actions.start_review(actor=drafter, programme=large, year=1)
        client = client_as(request.getfixturevalue(user))
        # The drafting page's count for an agreed version (no checklist), plus the section's two;
        # a drafter's page asks once more whether a successor exists ("Draft the successor");
        # the documents the user may read, one query.
        with django_assert_num_queries({"drafter": 26, "approver": 24}[user]) as queries:
            client.get(small.get_absolute_url())
        with django_assert_num_queries(len(queries.captured_queries)):
            response = client.get(large.get_absolute_url())
        assert sum(len(year.events) for year in response.context["delivery"].years) == 30


class TestDeliveryPage:
    def test_events_by_year_planned_unplanned_and_no_longer_planned(
        self, client_as, viewer, drafter, approver, programme
    ):
        planned = first_planned(programme)
        event_of(programme, officer=drafter, planned=planned)
        goal = programme.objectives.first().goals.first()
        unplanned = actions.record_event(
            actor=drafter,
            programme=programme,
            activity=ActivityFactory(code="EXT-0001"),
            goal=goal,
            year=1,
            start_date=datetime.date(programme.start_year, 9, 1),
            end_date=datetime.date(programme.start_year, 9, 1),
            online=True,
        )
        # A revision without the planned activity: under it, the event is no longer planned.
        revision = workflow.revise(actor=drafter, programme=programme)
        removed = revision.planned_activities.get(key=planned.key)
        workflow.remove_planned_activity(actor=drafter, planned=removed)
        response = client_as(viewer).get(url("programme_delivery", revision))
        assert response.status_code == 200
        year_1 = response.context["delivery"].years[0]
        assert [(e.activity.code, e.plan) for e in year_1.events] == [
            (planned.activity.code, "no_longer_planned"),
            (unplanned.activity.code, "unplanned"),
        ]
        assert "No longer planned" in response.text
        assert "Unplanned" in response.text
        # Against the version in force, the same event delivers its planned activity.
        response = client_as(viewer).get(url("programme_delivery", programme))
        assert [e.plan for e in response.context["delivery"].years[0].events] == [
            "planned",
            "unplanned",
        ]

    def test_figures_count_each_planned_activity_once(self, client_as, viewer, drafter, programme):
        planned = first_planned(programme)
        other = programme.planned_activities.filter(year=1).order_by("pk")[1]
        delivered = event_of(programme, officer=drafter, planned=planned)
        actions.update_event(
            actor=drafter,
            event=delivered,
            seen_stamp=None,
            status=EventStatus.DELIVERED,
            participants=20,
            women=8,
        )
        second = event_of(programme, officer=drafter, planned=planned, place="Tbilisi")
        actions.update_event(
            actor=drafter,
            event=second,
            seen_stamp=None,
            status=EventStatus.DELIVERED,
            participants=5,
        )
        cancelled = event_of(programme, officer=drafter, planned=other)
        actions.update_event(
            actor=drafter,
            event=cancelled,
            seen_stamp=None,
            status=EventStatus.CANCELLED,
            cancellation_reason="The partner asked.",
        )
        figures = (
            client_as(viewer)
            .get(url("programme_delivery", programme))
            .context["delivery"]
            .years[0]
            .figures
        )
        assert (figures.planned, figures.delivered, figures.cancelled, figures.not_recorded) == (
            2,
            1,
            1,
            0,
        )
        assert (figures.participants, figures.women) == (25, 8)

    def test_query_count_does_not_grow(
        self, client_as, viewer, drafter, approver, partner, django_assert_num_queries
    ):
        small = programme_in_force(officer=drafter, approver=approver, partner=partner)
        event_of(small, officer=drafter)
        other = PartnerFactory(name="Largeland", code="LL")
        officer = assigned_officer(other)
        large = programme_in_force(
            officer=officer, approver=approver, partner=other, objectives=5, activities=80
        )
        for planned in large.planned_activities.order_by("pk")[:40]:
            event_of(large, officer=officer, planned=planned)
        client = client_as(viewer)
        with django_assert_num_queries(14) as queries:
            client.get(url("programme_delivery", small))
        with django_assert_num_queries(len(queries.captured_queries)):
            response = client.get(url("programme_delivery", large))
        assert sum(len(year.events) for year in response.context["delivery"].years) == 40


class TestScheduling:
    def test_the_planned_activity_chosen_beforehand_and_its_year(
        self, client_as, drafter, programme
    ):
        planned = first_planned(programme, year=3)
        response = client_as(drafter).get(url("event_create", programme, f"?planned={planned.pk}"))
        assert response.status_code == 200
        form = response.context["form"]
        assert form.initial == {"planned": planned.pk, "year": programme.start_year + 2}

    @pytest.mark.parametrize("query", ["?planned=x", "?planned=999999", "?planned="])
    def test_a_junk_choice_is_ignored(self, client_as, drafter, programme, query):
        response = client_as(drafter).get(url("event_create", programme, query))
        assert response.status_code == 200
        assert response.context["form"].initial == {}

    def test_schedule_a_future_event(self, client_as, drafter, programme):
        planned = first_planned(programme, year=3)
        response = client_as(drafter).post(
            url("event_create", programme), schedule_data(programme, planned)
        )
        event = Event.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url("programme_delivery", programme, f"#event-{event.pk}")
        assert (event.planned_key, event.year, event.status, event.place) == (
            planned.key,
            3,
            EventStatus.SCHEDULED,
            "Chisinau",
        )
        assert event.history.get().history_user == drafter
        assert "scheduled" in messages_of(response)[0]

    def test_a_past_event_leads_to_recording_its_outcome(self, client_as, drafter, programme):
        planned = first_planned(programme, year=1)
        response = client_as(drafter).post(
            url("event_create", programme), schedule_data(programme, planned)
        )
        event = Event.objects.get()
        assert response["Location"] == url("event_edit", event)
        assert "now record what happened" in messages_of(response)[0]

    def test_record_an_unplanned_event(self, client_as, drafter, programme):
        activity = ActivityFactory(code="EXT-0042")
        goal = programme.objectives.order_by("order").last().goals.get()
        day = datetime.date(programme.start_year + 1, 4, 20).isoformat()
        response = client_as(drafter).post(
            url("event_create_unplanned", programme),
            {
                "activity": " ext-0042 ",
                "goal": goal.pk,
                "year": programme.start_year + 1,
                "start_date": day,
                "end_date": day,
                "online": "on",
            },
        )
        assert response.status_code == 302
        event = Event.objects.get()
        assert (event.activity, event.goal_key, event.planned_key, event.year, event.online) == (
            activity,
            goal.key,
            None,
            2,
            True,
        )

    @pytest.mark.parametrize(
        ("changes", "field", "text"),
        [
            ({"start_date": "1999-01-01", "end_date": "1999-01-02"}, "start_date", "falls in"),
            ({"end_date": "2001-01-01"}, "end_date", "cannot come before"),
            ({"place": ""}, "place", "say that the event is online"),
            ({"planned": "999999"}, "planned", "Choose an activity of this programme"),
            ({"start_date": "not a date"}, "start_date", "Enter a valid date"),
        ],
    )
    def test_bad_input_is_refused_on_its_field(
        self, client_as, drafter, programme, changes, field, text
    ):
        planned = first_planned(programme, year=2)
        response = client_as(drafter).post(
            url("event_create", programme), schedule_data(programme, planned, **changes)
        )
        assert response.status_code == 200
        assert text in " ".join(response.context["form"].errors[field])
        assert not Event.objects.exists()

    def test_an_unknown_activity_code(self, client_as, drafter, programme):
        goal = programme.objectives.first().goals.first()
        response = client_as(drafter).post(
            url("event_create_unplanned", programme),
            {"activity": "NOPE-1", "goal": goal.pk, "year": programme.start_year},
        )
        assert (
            "No activity of the menu has the code NOPE-1."
            in response.context["form"].errors["activity"]
        )
        assert not Event.objects.exists()

    def test_a_goal_of_another_programme_is_refused(self, client_as, drafter, approver, programme):
        elsewhere = PartnerFactory(name="Elsewhere", code="EW")
        other = programme_in_force(
            officer=assigned_officer(elsewhere), approver=approver, partner=elsewhere
        )
        day = datetime.date(programme.start_year, 4, 20).isoformat()
        response = client_as(drafter).post(
            url("event_create_unplanned", programme),
            {
                "activity": ActivityFactory().code,
                "goal": other.objectives.first().goals.first().pk,
                "year": programme.start_year,
                "start_date": day,
                "end_date": day,
                "online": "on",
            },
        )
        assert response.status_code == 200
        assert "goal" in response.context["form"].errors
        assert not Event.objects.exists()

    def test_not_on_a_version_not_in_force(self, client_as, drafter, programme):
        revision = workflow.revise(actor=drafter, programme=programme)
        response = client_as(drafter).get(url("event_create", revision))
        assert response.status_code == 302
        assert response["Location"] == revision.get_absolute_url()
        assert "not in force" in messages_of(response)[0]


class TestRecordingTheOutcome:
    def test_delivered_with_participants_and_an_evaluation(
        self, client_as, drafter, programme, event
    ):
        client = client_as(drafter)
        form = client.get(url("event_edit", event))
        assert f'name="seen_stamp" value="{event.edit_stamp}"' in form.text
        response = client.post(url("event_edit", event), outcome_data(event, programme))
        assert response.status_code == 302
        event.refresh_from_db()
        assert (event.status, event.participants, event.women, event.rating) == (
            EventStatus.DELIVERED,
            14,
            6,
            4,
        )
        assert event.evaluation == "Well run; the partner asks for a follow-up."
        assert event.history.first().history_user == drafter
        assert "saved: delivered" in messages_of(response)[0]

    def test_a_stale_form_keeps_the_input_and_says_so(self, client_as, drafter, programme, event):
        data = outcome_data(event, programme, evaluation="Mine.")
        actions.update_event(actor=drafter, event=event, seen_stamp=None, place="Kyiv")
        response = client_as(drafter).post(url("event_edit", event), data)
        assert response.status_code == 409
        assert "after you opened the form" in " ".join(response.context["form"].non_field_errors())
        assert "Mine." in response.text
        assert 'name="seen_stamp" value="1"' in response.text
        event.refresh_from_db()
        assert (event.status, event.place) == (EventStatus.SCHEDULED, "Kyiv")
        # Saving again once looked at goes through.
        response = client_as(drafter).post(
            url("event_edit", event), {**data, "seen_stamp": 1, "place": "Kyiv"}
        )
        assert response.status_code == 302

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"status": "cancelled", "participants": "", "women": "", "rating": ""}, None),
            ({"women": 20}, "women"),
            ({"status": "postponed", "rating": "", "postponed_to": ""}, "postponed_to"),
            ({"rating": 9}, "rating"),
            ({"participants": -1}, "participants"),
        ],
    )
    def test_contradictions_are_refused(self, client_as, drafter, programme, event, changes, field):
        data = outcome_data(event, programme, **changes)
        response = client_as(drafter).post(url("event_edit", event), data)
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors if field is None else field in errors
        event.refresh_from_db()
        assert event.status == EventStatus.SCHEDULED

    def test_cancelled_with_a_reason(self, client_as, drafter, programme, event):
        data = outcome_data(
            event,
            programme,
            status="cancelled",
            cancellation_reason="Floods.",
            participants="",
            women="",
            rating="",
        )
        assert client_as(drafter).post(url("event_edit", event), data).status_code == 302
        event.refresh_from_db()
        assert (event.status, event.cancellation_reason) == (EventStatus.CANCELLED, "Floods.")

    def test_delete_after_confirmation(self, client_as, drafter, event, programme):
        client = client_as(drafter)
        confirm = client.get(url("event_delete", event))
        assert "Delete the event" in confirm.text
        response = client.post(url("event_delete", event))
        assert response.status_code == 302
        assert not Event.objects.exists()
        assert Event.history.filter(history_type="-").get().history_user == drafter


class TestWhoMay:
    @pytest.mark.parametrize("role", ["viewer", "approver", "menu_manager"])
    def test_readers_read_and_are_refused_the_steps_with_the_reason(
        self, request, client_as, role, programme, event
    ):
        client = client_as(request.getfixturevalue(role))
        assert client.get(url("programme_delivery", programme)).status_code == 200
        assert client.get(url("event_detail", event)).status_code == 200
        before = list(Event.objects.values())
        for name, target in [
            ("event_create", programme),
            ("event_create_unplanned", programme),
            ("event_edit", event),
            ("event_delete", event),
        ]:
            for method in ("get", "post"):
                response = getattr(client, method)(url(name, target))
                assert response.status_code == 403, (name, method)
                assert "Only programme officers record delivery." in response.text
        assert list(Event.objects.values()) == before

    def test_an_officer_of_another_partner_is_told_why(self, client_as, programme, event):
        elsewhere = PartnerFactory(name="Elsewhere", code="EW")
        other = assigned_officer(elsewhere)
        client = client_as(other)
        assert client.get(url("event_detail", event)).status_code == 200
        for name, target in [("event_create", programme), ("event_edit", event)]:
            response = client.post(url(name, target), outcome_data(event, programme))
            assert response.status_code == 403
            assert "You are not an assigned programme officer of Partnerland." in response.text
        event.refresh_from_db()
        assert event.status == EventStatus.SCHEDULED

    def test_administrators_record(self, client_as, administrator, programme, event):
        response = client_as(administrator).post(
            url("event_edit", event), outcome_data(event, programme)
        )
        assert response.status_code == 302

    def test_no_role_is_refused_everything(self, client_as, no_role_user, programme, event):
        client = client_as(no_role_user)
        for name, target in [("programme_delivery", programme), ("event_detail", event)]:
            assert client.get(url(name, target)).status_code == 403

    @pytest.mark.parametrize("pk", [0, 999999])
    def test_unknown_ids_are_404(self, client_as, drafter, pk):
        client = client_as(drafter)
        for name in ("event_detail", "event_edit", "event_delete", "programme_delivery"):
            assert client.get(reverse(f"programmes:{name}", args=[pk])).status_code == 404

    def test_an_event_of_a_closed_programme_is_read_only(
        self, client_as, drafter, approver, programme, event
    ):
        workflow.close(actor=approver, programme=programme, reason="Ended early.")
        client = client_as(drafter)
        response = client.get(url("event_detail", event))
        assert response.status_code == 200
        assert not response.context["may_record"]
        response = client.post(url("event_edit", event), outcome_data(event, programme))
        assert response.status_code == 302
        assert "not in force" in messages_of(response)[0]
        event.refresh_from_db()
        assert event.status == EventStatus.SCHEDULED
