"""Programmes in the admin site: lists, read-only locked versions, saves and actions through
programmes.workflow, refusals as messages, nothing deleted, administrators only."""

import copy
import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from programmes import workflow
from programmes.models import Comment, Goal, Objective, PlannedActivity, Programme, ProgrammeStatus
from tests.support.admin_forms import form_data
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    assigned_officer,
    draft_programme,
    drafter_of,
    partnerland,
    programme_in_status,
)
from tests.support.pages import levelled_messages_of

CHANGELIST = reverse("admin:programmes_programme_changelist")
ADD = reverse("admin:programmes_programme_add")


def change_url(programme):
    return reverse("admin:programmes_programme_change", args=[programme.pk])


def listed(response):
    return [p.pk for p in response.context["cl"].result_list]


def act(client, action, *programmes, **extra):
    """Run an admin action on the list; the page after it, with its messages, is returned."""
    return client.post(
        CHANGELIST,
        {"action": action, "_selected_action": [p.pk for p in programmes], **extra},
        follow=True,
    )


def two_by_two_draft(drafter, partner):
    """A draft of two objectives of two goals, six activities planned, by ``drafter``."""
    return draft_programme(officer=drafter, partner=partner, objectives=2, goals=2, activities=6)


@pytest.fixture
def draft(drafter, partner):
    return two_by_two_draft(drafter, partner)


@pytest.fixture(scope="class")
def built_draft(class_transaction):
    """For ``TestSavingThroughTheWorkflow``: the ``draft``, built once for the class."""
    partner = partnerland()
    return two_by_two_draft(drafter_of(partner), partner)


@pytest.fixture
def agreed(drafter, approver, partner):
    """Agreed for 2030 to 2033: clear of the ``draft``'s years."""
    return programme_in_status(
        ProgrammeStatus.AGREED, officer=drafter, approver=approver, partner=partner, start_year=2030
    )


@pytest.mark.django_db
class TestChangelist:
    def test_lists_filters_and_searches(self, client_as, administrator, approver, register):
        armenia = register.get(code="AM")
        jordan = register.get(code="JO")
        draft = draft_programme(officer=assigned_officer(armenia), partner=armenia)
        agreed = programme_in_status(
            ProgrammeStatus.AGREED,
            officer=assigned_officer(jordan),
            approver=approver,
            partner=jordan,
            start_year=2025,
        )
        client = client_as(administrator)
        response = client.get(CHANGELIST)
        assert response.status_code == 200
        assert listed(response) == [draft.pk, agreed.pk]
        assert "2025–2028" in response.text  # noqa: RUF001

        assert listed(client.get(CHANGELIST, {"status__exact": "agreed"})) == [agreed.pk]
        assert listed(client.get(CHANGELIST, {"partner__framework__exact": "md"})) == [agreed.pk]
        assert listed(client.get(CHANGELIST, {"start_year": "2026"})) == [draft.pk]
        assert listed(client.get(CHANGELIST, {"q": "armenia"})) == [draft.pk]
        assert listed(client.get(CHANGELIST, {"q": "JO"})) == [agreed.pk]
        assert listed(client.get(CHANGELIST, {"q": "Tailored"})) == [draft.pk, agreed.pk]

    def test_query_count_does_not_grow_with_the_programmes(
        self, client_as, administrator, approver, django_assert_num_queries
    ):
        client = client_as(administrator)
        client.get(CHANGELIST)  # the session settles on the first request
        for size in (2, 8):
            while Programme.objects.count() < size:
                partner = PartnerFactory()
                programme_in_status(
                    ProgrammeStatus.SUBMITTED,
                    officer=assigned_officer(partner),
                    approver=approver,
                    partner=partner,
                )
            with django_assert_num_queries(10):
                response = client.get(CHANGELIST)
            assert len(listed(response)) == size


@pytest.mark.django_db
class TestChangePage:
    def test_query_count_is_fixed(
        self, client_as, administrator, drafter, partner, django_assert_num_queries
    ):
        client = client_as(administrator)
        small = draft_programme(officer=drafter, partner=partner, activities=2)
        large = draft_programme(
            officer=drafter, partner=partner, objectives=3, goals=3, activities=30, start_year=2030
        )
        workflow.add_comment(actor=drafter, programme=large, text="Two notes.")
        workflow.add_comment(actor=drafter, programme=large, text="Three notes.")
        client.get(change_url(small))  # the session settles on the first request
        for programme in (small, large):
            with django_assert_num_queries(13):
                response = client.get(change_url(programme))
            assert response.status_code == 200

    def test_draft_is_editable_with_its_contents(self, client_as, administrator, draft):
        response = client_as(administrator).get(change_url(draft))
        assert response.status_code == 200
        assert 'name="_save"' in response.text
        assert 'name="title"' in response.text
        assert 'name="objectives-0-title"' in response.text
        # Planned rows are added and removed here, and changed on their own page.
        assert 'name="planned_activities-0-DELETE"' in response.text
        assert 'name="planned_activities-0-year"' not in response.text
        assert 'name="planned_activities-6-activity"' in response.text
        assert f'name="seen_stamp" value="{draft.edit_stamp}"' in response.text
        # No delete, whatever the status.
        assert "deletelink" not in response.text

    def test_each_field_of_an_inline_row_is_named(self, client_as, administrator, draft):
        """The tabular inlines head their columns but label no field: each row's fields carry
        their label (pfp.admin.LabelledInlineFormSet)."""
        response = client_as(administrator).get(change_url(draft))
        assert re.search(r'name="objectives-0-title"[^>]* aria-label="Title"', response.text)
        assert re.search(
            r'name="planned_activities-0-DELETE"[^>]* aria-label="Delete"', response.text
        )
        for inline in response.context["inline_admin_formsets"]:
            for form in inline.formset.forms:
                for name, field in form.fields.items():
                    assert field.widget.is_hidden or field.widget.attrs.get("aria-label"), name

    @pytest.mark.parametrize(
        "status",
        [
            ProgrammeStatus.SUBMITTED,
            ProgrammeStatus.APPROVED,
            ProgrammeStatus.AGREED,
            ProgrammeStatus.SUPERSEDED,
            ProgrammeStatus.CLOSED,
            ProgrammeStatus.WITHDRAWN,
        ],
    )
    def test_locked_version_is_read_only(
        self, client_as, administrator, drafter, approver, partner, status
    ):
        programme = programme_in_status(status, officer=drafter, approver=approver, partner=partner)
        client = client_as(administrator)
        response = client.get(change_url(programme))
        assert response.status_code == 200
        for absent in [
            'name="_save"',
            'name="_continue"',
            'name="title"',
            'name="objectives-0-title"',
            'name="objectives-0-DELETE"',
            'name="planned_activities-0-DELETE"',
            "planned_activities-__prefix__-activity",
            "deletelink",
        ]:
            assert absent not in response.text, absent
        assert programme.title in response.text

        history = programme.history.count()
        data = {"title": "Changed", "summary": "", "start_year": programme.start_year}
        assert client.post(change_url(programme), data).status_code == 403
        objective = programme.objectives.get()
        planned = programme.planned_activities.get()
        objective_url = reverse("admin:programmes_objective_change", args=[objective.pk])
        planned_url = reverse("admin:programmes_plannedactivity_change", args=[planned.pk])
        assert client.get(objective_url).status_code == 200
        assert client.post(objective_url, {"title": "Changed"}).status_code == 403
        assert client.post(planned_url, {"year": 2, "priority": 1}).status_code == 403
        programme.refresh_from_db()
        objective.refresh_from_db()
        assert programme.title != "Changed"
        assert objective.title != "Changed"
        assert programme.history.count() == history

    def test_nothing_is_deleted(self, client_as, administrator, draft, agreed):
        client = client_as(administrator)
        for programme in (draft, agreed):
            url = reverse("admin:programmes_programme_delete", args=[programme.pk])
            assert client.post(url, {"post": "yes"}).status_code == 403
        response = act(client, "delete_selected", draft)
        assert levelled_messages_of(response) == [("warning", "No action selected.")]
        assert Programme.objects.filter(pk__in=[draft.pk, agreed.pk]).count() == 2

    def test_old_versions_are_shown_not_reverted(self, client_as, administrator, draft):
        client = client_as(administrator)
        history = client.get(reverse("admin:programmes_programme_history", args=[draft.pk]))
        assert history.status_code == 200
        first = draft.history.earliest()
        url = reverse(
            "admin:programmes_programme_simple_history", args=[draft.pk, first.history_id]
        )
        assert client.get(url).status_code == 200
        assert client.post(url, {"title": first.title}).status_code == 403


@pytest.mark.django_db
class TestSavingThroughTheWorkflow:
    @pytest.fixture
    def draft(self, built_draft, db):
        return copy.deepcopy(built_draft)

    def test_edit_writes_history_naming_the_administrator(self, client_as, administrator, draft):
        client = client_as(administrator)
        page = client.get(change_url(draft))
        response = client.post(
            change_url(draft),
            form_data(
                page, title="Programme with Partnerland", **{"objectives-1-title": "Resilience"}
            ),
        )
        assert response.status_code == 302, response.context and response.context["errors"]
        draft.refresh_from_db()
        assert draft.title == "Programme with Partnerland"
        latest = draft.history.first()
        assert (latest.history_user, latest.history_change_reason) == (administrator, "edit")
        assert administrator in draft.editors.all()
        objective = draft.objectives.order_by("order")[1]
        assert objective.title == "Resilience"
        assert objective.history.first().history_user == administrator
        assert LogEntry.objects.filter(object_id=str(draft.pk)).exists()

    def test_plans_and_removes_activities(self, client_as, administrator, draft):
        client = client_as(administrator)
        page = client.get(change_url(draft))
        goal = Goal.objects.filter(objective__programme=draft).order_by("pk").last()
        removed = draft.planned_activities.order_by("year", "activity__code").first()
        cyber = ActivityFactory(code="CYBER-0042")
        data = form_data(
            page,
            **{
                "planned_activities-0-DELETE": "on",
                "planned_activities-6-activity": cyber.pk,
                "planned_activities-6-year": 3,
                "planned_activities-6-goal": goal.pk,
                "planned_activities-6-priority": 1,
            },
        )
        response = client.post(change_url(draft), data)
        assert response.status_code == 302, response.context and response.context["errors"]
        assert not PlannedActivity.objects.filter(pk=removed.pk).exists()
        added = draft.planned_activities.get(activity=cyber)
        assert (added.year, added.goal, added.priority) == (3, goal, 1)
        assert added.history.get().history_user == administrator
        assert PlannedActivity.history.filter(id=removed.pk, history_type="-").get().history_user

    def test_retired_activity_refused_and_nothing_saved(self, client_as, administrator, draft):
        client = client_as(administrator)
        page = client.get(change_url(draft))
        retired = ActivityFactory(code="MED-0002", retired=True)
        goal = Goal.objects.filter(objective__programme=draft).first()
        stamp = draft.edit_stamp
        data = form_data(
            page,
            title="Renamed before the refusal",
            **{
                "planned_activities-6-activity": retired.pk,
                "planned_activities-6-year": 1,
                "planned_activities-6-goal": goal.pk,
                "planned_activities-6-priority": 2,
            },
        )
        response = client.post(change_url(draft), data)
        assert response.status_code == 200
        assert "MED-0002" in response.text
        assert "is retired and cannot be chosen" in response.text
        # The user's input is kept.
        assert 'value="Renamed before the refusal"' in response.text
        draft.refresh_from_db()
        assert draft.title != "Renamed before the refusal"
        assert draft.edit_stamp == stamp
        assert not draft.planned_activities.filter(activity=retired).exists()

    def test_year_outside_the_programme_refused(self, client_as, administrator, draft):
        client = client_as(administrator)
        page = client.get(change_url(draft))
        goal = Goal.objects.filter(objective__programme=draft).first()
        count = draft.planned_activities.count()
        data = form_data(
            page,
            **{
                "planned_activities-6-activity": ActivityFactory().pk,
                "planned_activities-6-year": 5,
                "planned_activities-6-goal": goal.pk,
                "planned_activities-6-priority": 2,
            },
        )
        response = client.post(change_url(draft), data)
        assert response.status_code == 200
        assert "less than or equal to 4" in response.text
        assert draft.planned_activities.count() == count

    def test_objectives_added_and_removed(self, client_as, administrator, draft):
        client = client_as(administrator)
        page = client.get(change_url(draft))
        response = client.post(
            change_url(draft),
            form_data(
                page, **{"objectives-2-title": "Cyber defence", "objectives-2-programme": draft.pk}
            ),
        )
        assert response.status_code == 302, response.context and response.context["errors"]
        added = draft.objectives.get(title="Cyber defence")
        assert (added.order, added.history.get().history_user) == (3, administrator)

        page = client.get(change_url(draft))
        response = client.post(change_url(draft), form_data(page, **{"objectives-2-DELETE": "on"}))
        assert response.status_code == 302, response.context and response.context["errors"]
        assert not draft.objectives.filter(pk=added.pk).exists()
        removed = Objective.history.get(id=added.pk, history_type="-")
        assert removed.history_user == administrator

    def test_objective_with_activities_is_not_removed(self, client_as, administrator, draft):
        client = client_as(administrator)
        page = client.get(change_url(draft))
        response = client.post(change_url(draft), form_data(page, **{"objectives-0-DELETE": "on"}))
        assert response.status_code == 200
        # Django's own check sees the goals' planned activities first (the workflow would too).
        assert "would require deleting the following protected related objects" in response.text
        assert draft.objectives.count() == 2

    def test_stale_form_is_refused_as_a_conflict(self, client_as, administrator, draft):
        client = client_as(administrator)
        page = client.get(change_url(draft))
        workflow.update_programme(
            actor=draft.created_by,
            programme=draft,
            seen_stamp=None,
            title="Changed meanwhile",
            summary="",
            start_year=draft.start_year,
        )
        response = client.post(change_url(draft), form_data(page, title="Mine"))
        assert response.status_code == 200
        assert "Someone changed this programme after you opened the form" in response.text
        draft.refresh_from_db()
        assert draft.title == "Changed meanwhile"

    def test_goals_are_edited_on_the_objective_page(self, client_as, administrator, draft):
        objective = draft.objectives.order_by("order").first()
        url = reverse("admin:programmes_objective_change", args=[objective.pk])
        client = client_as(administrator)
        page = client.get(url)
        assert page.status_code == 200
        response = client.post(
            url,
            form_data(
                page,
                title="Defence reform",
                **{
                    "goals-2-title": "Building integrity",
                    "goals-2-objective": objective.pk,
                },
            ),
        )
        assert response.status_code == 302, response.context and response.context["errors"]
        objective.refresh_from_db()
        assert objective.title == "Defence reform"
        goal = objective.goals.get(title="Building integrity")
        assert goal.history.get().history_user == administrator

    def test_planned_activity_changed_on_its_page(self, client_as, administrator, draft):
        planned = draft.planned_activities.order_by("pk").first()
        url = reverse("admin:programmes_plannedactivity_change", args=[planned.pk])
        client = client_as(administrator)
        page = client.get(url)
        goals = Goal.objects.filter(objective__programme=draft)
        assert [str(c[1]) for c in page.context["adminform"].form.fields["goal"].choices][1:] == [
            "1.1 Goal 1.1",
            "1.2 Goal 1.2",
            "2.1 Goal 2.1",
            "2.2 Goal 2.2",
        ]
        other = goals.exclude(pk=planned.goal_id).first()
        refused = client.post(url, form_data(page, year=5))
        assert refused.status_code == 200
        response = client.post(url, form_data(page, year=4, goal=other.pk, notes="Two places."))
        assert response.status_code == 302, response.context and response.context["errors"]
        planned.refresh_from_db()
        assert (planned.year, planned.goal, planned.notes) == (4, other, "Two places.")
        assert planned.history.first().history_user == administrator

    def test_planned_activity_of_another_programme_goal_refused(
        self, client_as, administrator, draft, drafter, partner
    ):
        other = draft_programme(officer=drafter, partner=partner, start_year=2030)
        foreign_goal = Goal.objects.get(objective__programme=other)
        planned = draft.planned_activities.order_by("pk").first()
        url = reverse("admin:programmes_plannedactivity_change", args=[planned.pk])
        client = client_as(administrator)
        page = client.get(url)
        response = client.post(url, form_data(page, goal=foreign_goal.pk))
        assert response.status_code == 200
        planned.refresh_from_db()
        assert planned.goal != foreign_goal

    def test_autocomplete_offers_no_retired_activity(self, client_as, administrator, draft):
        ActivityFactory(code="CYBER-0001", title_en="Cyber range — course")
        ActivityFactory(code="CYBER-0002", title_en="Cyber lab — course", retired=True)
        response = client_as(administrator).get(
            reverse("admin:autocomplete"),
            {
                "app_label": "programmes",
                "model_name": "plannedactivity",
                "field_name": "activity",
                "term": "CYBER",
            },
        )
        assert [r["text"] for r in response.json()["results"]] == [
            "CYBER-0001 — Cyber range — course"
        ]


@pytest.mark.django_db
def test_adding_creates_a_draft_through_the_workflow(client_as, administrator, partner):
    response = client_as(administrator).post(
        ADD,
        {"partner": partner.pk, "title": "New programme", "summary": "", "start_year": 2027},
    )
    assert response.status_code == 302
    programme = Programme.objects.get(title="New programme")
    assert (programme.status, programme.version, programme.end_year) == ("draft", 1, 2030)
    assert programme.created_by == administrator
    created = programme.history.get()
    assert (created.history_user, created.history_change_reason) == (administrator, "create")


@pytest.mark.django_db
class TestActions:
    def test_submit_and_approve(self, client_as, administrator, draft):
        client = client_as(administrator)
        response = act(client, "submit_selected", draft)
        assert levelled_messages_of(response) == [("success", "1 programme submitted.")]
        draft.refresh_from_db()
        assert (draft.status, draft.submitted_by) == ("submitted", administrator)

        # The administrator submitted it: another approver must approve it.
        response = act(client, "approve_selected", draft)
        [(level, text)] = levelled_messages_of(response)
        assert level == "error"
        assert "another approver must approve it" in text
        draft.refresh_from_db()
        assert draft.status == "submitted"
        assert draft.approved_by is None

    def test_administrator_who_created_it_cannot_approve_it(
        self, client_as, administrator, partner, drafter
    ):
        client = client_as(administrator)
        client.post(
            ADD,
            {"partner": partner.pk, "title": "Mine", "summary": "", "start_year": 2027},
            follow=True,
        )
        programme = Programme.objects.get(title="Mine")
        objective = workflow.add_objective(actor=drafter, programme=programme, title="O")
        goal = workflow.add_goal(actor=drafter, objective=objective, title="G")
        workflow.plan_activity(
            actor=drafter, programme=programme, activity=ActivityFactory(), year=1, goal=goal
        )
        workflow.submit(actor=drafter, programme=programme)
        history = programme.history.count()

        response = act(client, "approve_selected", programme)
        [(level, text)] = levelled_messages_of(response)
        assert level == "error"
        assert text.startswith("Partnerland, Mine (2027–2030, version 1): ")  # noqa: RUF001
        assert "You created, edited or submitted this version" in text
        programme.refresh_from_db()
        assert programme.status == "submitted"
        assert programme.history.count() == history

    def test_refusals_and_successes_reported_each(
        self, client_as, administrator, drafter, approver, partner
    ):
        submitted = programme_in_status(
            ProgrammeStatus.SUBMITTED, officer=drafter, approver=approver, partner=partner
        )
        incomplete = draft_programme(
            officer=drafter, partner=partner, activities=0, title="Empty", start_year=2030
        )
        client = client_as(administrator)
        response = act(client, "approve_selected", submitted, incomplete)
        assert levelled_messages_of(response) == [
            (
                "error",
                "Partnerland, Empty (2030–2033, version 1): This programme is “Draft”: "  # noqa: RUF001
                "“Approve” is not possible now.",
            ),
            ("success", "1 programme approved."),
        ]
        response = act(client, "submit_selected", incomplete)
        [(level, text)] = levelled_messages_of(response)
        assert level == "error"
        assert "cannot be submitted yet" in text
        assert "No activity is planned." in text
        submitted.refresh_from_db()
        incomplete.refresh_from_db()
        assert (submitted.status, submitted.approved_by) == ("approved", administrator)
        assert incomplete.status == "draft"

    def test_return_asks_for_a_comment(self, client_as, administrator, drafter, approver, partner):
        programme = programme_in_status(
            ProgrammeStatus.SUBMITTED, officer=drafter, approver=approver, partner=partner
        )
        client = client_as(administrator)
        page = act(client, "return_selected", programme)
        assert page.status_code == 200
        assert 'name="comment"' in page.text
        assert "Return programmes to their drafters" in page.text
        assert programme.title in page.text

        empty = act(client, "return_selected", programme, confirm="yes", comment="  ")
        assert empty.status_code == 200
        assert "This field is required." in empty.text
        programme.refresh_from_db()
        assert programme.status == "submitted"

        response = act(
            client, "return_selected", programme, confirm="yes", comment="Add a cyber goal."
        )
        assert response.redirect_chain == [(CHANGELIST, 302)]
        assert levelled_messages_of(response) == [("success", "1 programme returned.")]
        programme.refresh_from_db()
        assert programme.status == "returned"
        comment = programme.comments.get(kind=Comment.Kind.RETURN)
        assert (comment.author, comment.text) == (administrator, "Add a cyber goal.")

    def test_record_agreement_asks_for_date_and_signatory(
        self, client_as, administrator, drafter, approver, partner
    ):
        programme = programme_in_status(
            ProgrammeStatus.APPROVED, officer=drafter, approver=approver, partner=partner
        )
        client = client_as(administrator)
        page = act(client, "record_agreement_selected", programme)
        assert 'name="agreed_on"' in page.text
        assert 'name="signatory"' in page.text

        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        response = act(
            client,
            "record_agreement_selected",
            programme,
            confirm="yes",
            agreed_on=tomorrow.isoformat(),
            signatory="Minister of Defence",
        )
        [(level, text)] = levelled_messages_of(response)
        assert level == "error"
        assert "cannot be in the future" in text
        programme.refresh_from_db()
        assert programme.status == "approved"

        response = act(
            client,
            "record_agreement_selected",
            programme,
            confirm="yes",
            agreed_on="2025-12-10",
            signatory="Minister of Defence",
        )
        assert levelled_messages_of(response) == [("success", "1 agreement recorded.")]
        programme.refresh_from_db()
        assert (programme.status, programme.agreed_on) == ("agreed", datetime.date(2025, 12, 10))
        assert programme.agreement_recorded_by == administrator

    def test_close_revise_and_withdraw(self, client_as, administrator, agreed):
        client = client_as(administrator)
        response = act(client, "revise_selected", agreed)
        assert levelled_messages_of(response) == [("success", "1 new version started.")]
        revision = agreed.revisions.get()
        assert (revision.version, revision.status, revision.created_by) == (
            2,
            "draft",
            administrator,
        )
        response = act(client, "withdraw_selected", revision)
        assert levelled_messages_of(response) == [("success", "1 programme withdrawn.")]

        page = act(client, "close_selected", agreed)
        assert 'name="reason"' in page.text
        response = act(client, "close_selected", agreed, confirm="yes", reason="Ended early.")
        assert levelled_messages_of(response) == [("success", "1 programme closed.")]
        agreed.refresh_from_db()
        revision.refresh_from_db()
        assert (agreed.status, agreed.closed_reason) == ("closed", "Ended early.")
        assert revision.status == "withdrawn"

        # Closing again is refused, and says why.
        response = act(client, "close_selected", agreed, confirm="yes", reason="Again.")
        [(level, text)] = levelled_messages_of(response)
        assert level == "error"
        assert "“Close” is not possible now" in text

    @pytest.mark.parametrize("selected", ["abc", "99999999999999999999999", "-1"])
    def test_forged_selection_is_a_message(self, client_as, administrator, draft, selected):
        response = client_as(administrator).post(
            CHANGELIST,
            {"action": "submit_selected", "_selected_action": [draft.pk, selected]},
            follow=True,
        )
        assert levelled_messages_of(response) == [("error", "Choose programmes from the list.")]
        draft.refresh_from_db()
        assert draft.status == "draft"

    def test_junk_in_a_step_form_is_shown_on_it(self, client_as, administrator, agreed):
        response = act(
            client_as(administrator),
            "record_agreement_selected",
            agreed,
            confirm="yes",
            agreed_on="2025-13-45",
            signatory="",
        )
        assert response.status_code == 200
        assert "Enter a valid date." in response.text
        assert "This field is required." in response.text
        agreed.refresh_from_db()
        assert agreed.partner_signatory == "Minister of Defence"

    def test_action_from_the_programme_page(self, client_as, administrator, draft):
        response = client_as(administrator).post(
            change_url(draft),
            {"CHANGE_FORM-action": "submit_selected", "_selected_action": [draft.pk]},
            follow=True,
        )
        assert response.redirect_chain == [(change_url(draft), 302)]
        assert levelled_messages_of(response) == [("success", "1 programme submitted.")]
        draft.refresh_from_db()
        assert draft.status == "submitted"

    def test_step_form_from_the_programme_page_posts_back_there(
        self, client_as, administrator, agreed
    ):
        client = client_as(administrator)
        page = client.post(
            change_url(agreed),
            {"CHANGE_FORM-action": "close_selected", "_selected_action": [agreed.pk]},
        )
        assert page.status_code == 200
        assert 'name="CHANGE_FORM-action" value="close_selected"' in page.text
        assert f'action="{change_url(agreed)}"' in page.text
        response = client.post(
            change_url(agreed),
            {
                "CHANGE_FORM-action": "close_selected",
                "_selected_action": [agreed.pk],
                "confirm": "yes",
                "reason": "Partner request.",
            },
        )
        assert response.status_code == 302
        agreed.refresh_from_db()
        assert agreed.status == "closed"


@pytest.mark.django_db
class TestOnlyAdministrators:
    @pytest.mark.parametrize("role", ["viewer", "officer", "approver", "menu_manager"])
    def test_other_roles_cannot_reach_the_programme_admin(
        self, request, client_as, role, drafter, approver, partner
    ):
        programme = programme_in_status(
            ProgrammeStatus.SUBMITTED, officer=drafter, approver=approver, partner=partner
        )
        client = client_as(request.getfixturevalue(role))
        # The product's 403 page with the reason (pfp.sites.AdminSite), never the admin's login.
        for url in (CHANGELIST, change_url(programme), ADD):
            response = client.get(url)
            assert response.status_code == 403
            assert "Only administrators use the admin site." in response.text
        response = client.post(
            CHANGELIST, {"action": "approve_selected", "_selected_action": [programme.pk]}
        )
        assert response.status_code == 403
        programme.refresh_from_db()
        assert programme.status == "submitted"
