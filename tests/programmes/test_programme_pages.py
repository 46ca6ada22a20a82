"""The drafting pages: list, new programme, programme page, editing a draft, the activity picker,
comments, submit, withdraw and revise; permissions over HTTP and pinned query counts."""

import copy

import pytest
from django.urls import reverse

from partners.models import Framework
from programmes import workflow
from programmes.menu.models import Activity
from programmes.models import (
    Comment,
    Goal,
    Objective,
    PlannedActivity,
    Priority,
    Programme,
    ProgrammeStatus,
)
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    assigned_officer,
    draft_programme,
    drafter_of,
    moved_around_the_workflow,
    partnerland,
    programme_in_status,
    role_user,
)
from tests.support.pages import messages_of

LIST = reverse("programmes:programme_list")
DASH = "\N{EN DASH}"  # between the years of a programme's period
CREATE = reverse("programmes:programme_create")


def url(name, programme, *args):
    return reverse(f"programmes:{name}", args=[programme.pk, *args])


def titles(response):
    return [p.title for p in response.context["page_obj"].object_list]


def state(programme):
    """What a refused request must leave as it was."""
    programme.refresh_from_db()
    return {
        "programme": (programme.title, programme.summary, programme.start_year, programme.status),
        "stamp": programme.edit_stamp,
        "objectives": list(programme.objectives.order_by("pk").values_list("pk", "title", "order")),
        "goals": list(
            Goal.objects.filter(objective__programme=programme)
            .order_by("pk")
            .values_list("pk", "title", "order", "objective_id")
        ),
        "planned": list(
            programme.planned_activities.order_by("pk").values_list(
                "pk", "activity_id", "year", "goal_id", "priority", "notes"
            )
        ),
        "comments": programme.comments.count(),
        "programmes": Programme.objects.count(),
    }


def complete_draft(drafter, partner):
    """A complete draft: 2 objectives of 2 goals, 4 planned activities (one per goal and year)."""
    return draft_programme(
        officer=drafter, partner=partner, objectives=2, goals=2, activities=4, title="Draft ITPP"
    )


@pytest.fixture(scope="class")
def built_draft(class_transaction):
    """``complete_draft`` by the ``drafter`` of the ``partner``, built once for a class."""
    partner = partnerland()
    return complete_draft(drafter_of(partner), partner)


@pytest.fixture
def draft(built_draft, db):
    return copy.deepcopy(built_draft)


@pytest.fixture
def other_officer(db):
    """A programme officer assigned to another partner only."""
    return assigned_officer(PartnerFactory(name="Elsewhere", code="EW"), username="elsewhere")


def programmes_for_list(count, start=0):
    """``count`` drafts for as many partners, each with its own officer, titled "ITPP nnn"."""
    made = []
    for n in range(start, start + count):
        partner = PartnerFactory(
            name=f"Country {n:03d}", code=f"{chr(65 + n // 26)}{chr(65 + n % 26)}"
        )
        officer = assigned_officer(partner, username=f"officer-{n}")
        made.append(
            workflow.create_programme(
                actor=officer, partner=partner, title=f"ITPP {n:03d}", start_year=2026
            )
        )
    return made


@pytest.fixture(scope="class")
def built_programmes(class_transaction):
    """For ``TestProgrammeList``: a draft of the ``partner`` by its ``drafter``, and an agreed
    programme of a Mediterranean partner approved by the ``approver``; built once for the class."""
    partner = partnerland()
    mediterranean = PartnerFactory(
        name="Seaside", code="SE", framework=Framework.MEDITERRANEAN_DIALOGUE
    )
    sea_officer = assigned_officer(mediterranean)
    return {
        "draft": draft_programme(
            officer=drafter_of(partner),
            partner=partner,
            title="Cyber resilience",
            start_year=2024,
        ),
        "agreed": programme_in_status(
            ProgrammeStatus.AGREED,
            officer=sea_officer,
            approver=role_user("approver"),
            partner=mediterranean,
            title="Maritime security",
            start_year=2022,
        ),
    }


@pytest.mark.django_db
class TestProgrammeList:
    @pytest.fixture
    def programmes(self, built_programmes, db):
        return copy.deepcopy(built_programmes)

    def test_shows_each_programme(self, client_as, viewer, programmes):
        response = client_as(viewer).get(LIST)
        assert response.status_code == 200
        assert titles(response) == ["Cyber resilience", "Maritime security"]
        for text in [
            "Partnerland",
            "Seaside",
            f"2024{DASH}2027",
            f"2022{DASH}2025",
            "Draft",
            "Agreed",
        ]:
            assert text in response.text
        assert "New programme" not in response.text

    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"partner": "SE"}, ["Maritime security"]),
            ({"status": "draft"}, ["Cyber resilience"]),
            ({"framework": "md"}, ["Maritime security"]),
            ({"year": "2027"}, ["Cyber resilience"]),
            ({"year": "2025"}, ["Cyber resilience", "Maritime security"]),
            ({"year": "2030"}, []),
            ({"q": "maritime"}, ["Maritime security"]),
            ({"q": "partnerland"}, ["Cyber resilience"]),
            ({"q": "se"}, ["Maritime security"]),  # an ISO code
            ({"status": "agreed", "framework": "eapc_pfp"}, []),
        ],
    )
    def test_filters_and_search(self, client_as, viewer, programmes, params, expected):
        assert titles(client_as(viewer).get(LIST, params)) == expected

    def test_sorting(self, client_as, viewer, programmes):
        client = client_as(viewer)
        assert titles(client.get(LIST, {"ordering": "-title"})) == [
            "Maritime security",
            "Cyber resilience",
        ]
        assert titles(client.get(LIST, {"ordering": "period"}))[0] == "Maritime security"
        workflow.add_comment(
            actor=programmes["agreed"].created_by, programme=programmes["agreed"], text="x"
        )
        workflow.add_objective(
            actor=programmes["draft"].created_by, programme=programmes["draft"], title="Latest"
        )
        assert titles(client.get(LIST, {"ordering": "-last_change"}))[0] == "Cyber resilience"

    @pytest.mark.parametrize(
        "params",
        [
            {"partner": "ZZ"},
            {"partner": "<script>"},
            {"status": "undead"},
            {"framework": "\x00"},
            {"year": "abc"},
            {"year": "99999999999999999999"},
            {"year": "2027.5"},
            {"ordering": "secret"},
            {"q": "%" * 5000},
        ],
    )
    def test_junk_query_strings_are_ignored_with_a_notice(
        self, client_as, viewer, programmes, params
    ):
        response = client_as(viewer).get(LIST, params)
        assert response.status_code == 200
        assert "were not understood and were ignored" in response.text
        assert len(titles(response)) == 2

    @pytest.mark.parametrize("page", ["abc", "-1", "0", "999"])
    def test_bad_pages_show_a_real_page(self, client_as, viewer, programmes, page):
        assert client_as(viewer).get(LIST, {"page": page}).status_code == 200


@pytest.mark.django_db
def test_officers_with_partners_get_the_new_button(client_as, drafter, officer, db):
    assert "New programme" in client_as(drafter).get(LIST).text
    assert "New programme" not in client_as(officer).get(LIST).text  # assigned to nobody


@pytest.mark.django_db
def test_programme_list_paginated(client_as, viewer, settings, db):
    programmes_for_list(30)
    response = client_as(viewer).get(LIST, {"page": 2})
    assert len(titles(response)) == 30 - settings.PAGINATE_BY
    assert response.context["paginator"].num_pages == 2


@pytest.mark.django_db
def test_programme_list_refuses_a_user_without_role(client_as, no_role_user):
    assert client_as(no_role_user).get(LIST).status_code == 403


@pytest.mark.django_db
def test_programme_list_query_count_does_not_grow(client_as, viewer, db, django_assert_num_queries):
    client = client_as(viewer)
    programmes_for_list(3)
    with django_assert_num_queries(11) as small:
        client.get(LIST)
    programmes_for_list(40, start=3)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(LIST)


@pytest.mark.django_db
class TestCreate:
    def test_partner_preselected_from_the_query_string(self, client_as, drafter, partner):
        second = PartnerFactory(name="Another", code="AN")
        second.officers.add(drafter)
        response = client_as(drafter).get(CREATE, {"partner": "pl"})
        assert response.status_code == 200
        assert '<option value="PL" selected>' in response.text
        assert '<option value="AN">' in response.text
        assert "Elsewhere" not in response.text

    def test_creates_a_draft(self, client_as, drafter, partner):
        data = {"partner": "PL", "title": "  New ITPP ", "start_year": 2027, "summary": "Why."}
        response = client_as(drafter).post(CREATE, data)
        programme = Programme.objects.get()
        assert response["Location"] == programme.get_absolute_url()
        assert (programme.title, programme.period, programme.status) == (
            "New ITPP",
            f"2027{DASH}2030",
            ProgrammeStatus.DRAFT,
        )
        record = programme.history.get()
        assert (record.history_user, record.history_change_reason) == (drafter, "create")

    def test_partner_not_assigned_is_refused(self, client_as, drafter, other_officer):
        data = {"partner": "EW", "title": "Not mine", "start_year": 2027}
        response = client_as(drafter).post(CREATE, data)
        assert response.status_code == 200
        assert "Select a valid choice" in response.text
        assert not Programme.objects.exists()

    @pytest.mark.parametrize(
        "data",
        [
            {"partner": "PL", "title": "T" * 201, "start_year": 2027},
            {"partner": "PL", "title": "T", "start_year": "abc"},
            {"partner": "PL", "title": "T", "start_year": 1900},
            {"partner": "PL", "title": "T", "start_year": 2099},
            {"partner": "\x00", "title": "T", "start_year": 2027},
        ],
    )
    def test_bad_input_keeps_the_form(self, client_as, drafter, data):
        response = client_as(drafter).post(CREATE, data)
        assert response.status_code == 200
        assert response.context["form"].errors
        assert not Programme.objects.exists()

    @pytest.mark.parametrize("role", ["viewer", "approver", "menu_manager", "officer"])
    def test_only_officers_with_partners_create(self, request, client_as, partner, role):
        client = client_as(request.getfixturevalue(role))
        assert client.get(CREATE).status_code == 403
        data = {"partner": "PL", "title": "T", "start_year": 2027}
        assert client.post(CREATE, data).status_code == 403
        assert not Programme.objects.exists()

    def test_years_taken_are_refused_with_a_link_to_the_version(
        self, client_as, drafter, approver, partner
    ):
        submitted = programme_in_status(
            ProgrammeStatus.SUBMITTED,
            officer=drafter,
            approver=approver,
            partner=partner,
            start_year=2027,
        )
        data = {"partner": "PL", "title": "Another ITPP", "start_year": 2029}
        response = client_as(drafter).post(CREATE, data)
        assert response.status_code == 200
        [error] = response.context["form"].errors["start_year"]
        assert "on its way (Submitted)" in error
        link = f'<a href="{submitted.get_absolute_url()}">Open version 1 of 2027{DASH}2030</a>'
        assert link in response.text
        assert Programme.objects.get() == submitted

    def test_administrator_creates_for_any_partner(self, client_as, administrator, partner):
        data = {"partner": "PL", "title": "By the admin", "start_year": 2027}
        client_as(administrator).post(CREATE, data)
        assert Programme.objects.get().created_by == administrator


def codes_by_year(response):
    return {
        plan.calendar_year: [planned.activity.code for planned in plan.activities]
        for plan in response.context["years"]
    }


@pytest.mark.django_db
class TestProgrammePage:
    @pytest.fixture
    def draft(self, drafter, partner):
        """``complete_draft``, for each test: not every test of the class uses it."""
        return complete_draft(drafter, partner)

    def test_shows_the_programme(self, client_as, viewer, draft):
        response = client_as(viewer).get(draft.get_absolute_url())
        assert response.status_code == 200
        for text in ["Draft ITPP", "Partnerland", "Objective 1", "Goal 2.2", "History"]:
            assert text in response.text
        codes = [p.activity.code for p in draft.planned_activities.order_by("year")]
        assert codes_by_year(response) == {
            2026: codes[:1],
            2027: codes[1:2],
            2028: codes[2:3],
            2029: codes[3:],
        }
        whats = [entry.what for entry in response.context["timeline"]]
        assert whats[-1] == "Created version 1"
        assert "Added objective “Objective 1”" in whats
        assert "Added goal “Goal 1.2”" in whats
        assert f"Planned {codes[3]} in 2029" in whats

    @pytest.mark.parametrize(
        ("role", "edit", "comment"),
        [
            ("viewer", False, False),
            ("officer", False, False),  # an officer, but not of this partner
            ("other_officer", False, False),
            ("drafter", True, True),
            ("approver", False, True),
            ("administrator", True, True),
        ],
    )
    def test_what_each_role_is_offered_on_a_draft(
        self, request, client_as, draft, role, edit, comment
    ):
        response = client_as(request.getfixturevalue(role)).get(draft.get_absolute_url())
        assert response.status_code == 200
        text = response.text
        for button in [
            "Edit the overview",
            "Add an objective",
            "Add activities from the menu",
            "Submit for approval",
            "Withdraw",
            "Move down",
            url("planned_remove", draft, draft.planned_activities.first().pk),
        ]:
            assert (button in text) is edit, button
        assert ("Before submitting" in text) is edit
        assert ("Add the comment" in text) is comment
        for review in ["programme_approve", "programme_return", "programme_revise"]:
            assert url(review, draft) not in text

    def test_submitted_programme_offers_review_to_approvers(
        self, client_as, drafter, approver, partner
    ):
        programme = programme_in_status(
            ProgrammeStatus.SUBMITTED, officer=drafter, approver=approver, partner=partner
        )
        text = client_as(approver).get(programme.get_absolute_url()).text
        assert url("programme_approve", programme) in text
        assert url("programme_return", programme) in text
        text = client_as(drafter).get(programme.get_absolute_url()).text
        assert url("programme_approve", programme) not in text
        assert "Edit the overview" not in text
        assert "read-only" in text

    def test_agreed_programme_offers_revision_and_closing(
        self, client_as, drafter, approver, partner
    ):
        programme = programme_in_status(
            ProgrammeStatus.AGREED, officer=drafter, approver=approver, partner=partner
        )
        text = client_as(drafter).get(programme.get_absolute_url()).text
        assert url("programme_revise", programme) in text
        assert url("programme_close", programme) not in text
        assert "signed by Minister of Defence" in text
        text = client_as(approver).get(programme.get_absolute_url()).text
        assert url("programme_close", programme) in text
        assert url("programme_revise", programme) not in text

    def test_revisions_link_both_ways(self, client_as, viewer, drafter, approver, partner):
        previous = programme_in_status(
            ProgrammeStatus.AGREED, officer=drafter, approver=approver, partner=partner
        )
        revision = workflow.revise(actor=drafter, programme=previous)
        text = client_as(viewer).get(revision.get_absolute_url()).text
        assert previous.get_absolute_url() in text
        assert url("programme_compare", revision) in text
        assert "Version 2 started, revising version 1" in text
        assert "Added objective" not in text  # the copies are not listed one by one
        previous_page = client_as(viewer).get(previous.get_absolute_url()).text
        assert revision.get_absolute_url() in previous_page
        assert url("programme_compare", previous) in previous_page

    def test_history_names_each_step(self, client_as, viewer, drafter, approver, partner):
        programme = programme_in_status(
            ProgrammeStatus.SUPERSEDED, officer=drafter, approver=approver, partner=partner
        )
        response = client_as(viewer).get(programme.get_absolute_url())
        steps = [
            (entry.what, entry.who)
            for entry in response.context["timeline"]
            if not entry.what.startswith(("Added", "Planned"))
        ]
        assert steps == [
            ("Superseded by a newer agreed version", approver),
            ("Partner's agreement recorded", approver),
            ("Approved", approver),
            ("Submitted for approval", drafter),
            ("Created version 1", drafter),
        ]
        assert "Signed by Minister of Defence" in response.text

    def test_history_of_a_returned_and_closed_programme(
        self, client_as, viewer, drafter, approver, partner
    ):
        returned = programme_in_status(
            ProgrammeStatus.RETURNED, officer=drafter, approver=approver, partner=partner
        )
        text = client_as(viewer).get(returned.get_absolute_url()).text
        assert "Returned to the drafters" in text
        assert "Reason for return: Please add a cyber defence goal." in text
        closed = programme_in_status(
            ProgrammeStatus.CLOSED,
            officer=drafter,
            approver=approver,
            partner=partner,
            start_year=2030,
        )
        response = client_as(viewer).get(closed.get_absolute_url())
        assert response.context["timeline"][0].what == "Closed"
        assert response.context["timeline"][0].detail == "Ended early."

    def test_checklist_lists_what_is_missing(self, client_as, drafter, partner):
        programme = draft_programme(
            officer=drafter, partner=partner, objectives=1, goals=0, activities=0
        )
        response = client_as(drafter).get(programme.get_absolute_url())
        assert response.context["missing"] == [
            "The objective “Objective 1” has no partnership goal.",
            "No activity is planned.",
        ]
        assert "has no partnership goal" in response.text

    def test_checklist_lists_an_agreed_programme_for_the_same_years(
        self, client_as, drafter, approver, partner
    ):
        agreed = programme_in_status(
            ProgrammeStatus.AGREED,
            officer=drafter,
            approver=approver,
            partner=partner,
            start_year=2030,
        )
        draft = moved_around_the_workflow(complete_draft(drafter, partner), 2031)
        response = client_as(drafter).get(draft.get_absolute_url())
        assert response.context["missing"] == [
            f"The agreed programme of Partnerland, “{agreed}”, covers some of the years "
            f"2031{DASH}2034: revise it instead, or choose other years."
        ]

    @pytest.mark.parametrize("pk", [0, 999999, 99999999999999999999])
    def test_unknown_programme_is_404(self, client_as, viewer, draft, pk):
        assert client_as(viewer).get(f"/programmes/{pk}/").status_code == 404

    def test_user_without_role_is_refused(self, client_as, no_role_user, draft):
        assert client_as(no_role_user).get(draft.get_absolute_url()).status_code == 403

    def test_query_count_does_not_grow_with_the_programme(
        self, client_as, drafter, approver, partner, django_assert_num_queries
    ):
        small = draft_programme(
            officer=drafter, partner=partner, objectives=2, goals=2, activities=10
        )
        large = draft_programme(
            officer=drafter, partner=partner, start_year=2030, objectives=5, goals=4, activities=150
        )
        for programme in (small, large):
            workflow.add_comment(actor=approver, programme=programme, text="Looks fine.")
        # The drafter's page has the checklist (what blocks submission, the period among it);
        # both read the documents the user may see (+1).
        for user, count in ((drafter, 28), (approver, 22)):
            client = client_as(user)
            with django_assert_num_queries(count) as queries:
                client.get(small.get_absolute_url())
            with django_assert_num_queries(len(queries.captured_queries)):
                response = client.get(large.get_absolute_url())
            assert sum(len(codes) for codes in codes_by_year(response).values()) == 150


def last_history(model_history, **filters):
    return model_history.filter(**filters).order_by("-history_date", "-history_id").first()


@pytest.mark.django_db
class TestEditing:
    """Every edit page through HTTP, and what it wrote (with a history row naming the user)."""

    def test_edit_the_overview(self, client_as, drafter, draft):
        client = client_as(drafter)
        response = client.get(url("programme_edit", draft))
        assert f'name="seen_stamp" value="{draft.edit_stamp}"' in response.text
        data = {
            "title": "Renamed ITPP",
            "summary": "New summary.",
            "start_year": 2027,
            "seen_stamp": draft.edit_stamp,
        }
        response = client.post(url("programme_edit", draft), data)
        assert response["Location"] == draft.get_absolute_url()
        draft.refresh_from_db()
        assert (draft.title, draft.summary, draft.start_year, draft.end_year) == (
            "Renamed ITPP",
            "New summary.",
            2027,
            2030,
        )
        record = last_history(draft.history)
        assert (record.history_user, record.history_change_reason) == (drafter, "edit")
        page = client.get(draft.get_absolute_url())
        assert "Overview saved." in messages_of(page)
        assert "Changed the overview: title, summary, first year" in page.text

    def test_overview_moved_onto_an_agreed_programme_is_refused(
        self, client_as, drafter, approver, draft
    ):
        agreed = programme_in_status(
            ProgrammeStatus.AGREED,
            officer=drafter,
            approver=approver,
            partner=draft.partner,
            start_year=2030,
        )
        before = state(draft)
        data = {"title": "Moved", "summary": "", "start_year": 2028, "seen_stamp": draft.edit_stamp}
        response = client_as(drafter).post(url("programme_edit", draft), data)
        assert response.status_code == 200
        [error] = response.context["form"].errors["start_year"]
        assert "revise it instead" in error
        assert f'<a href="{agreed.get_absolute_url()}">Open version 1 of 2030{DASH}2033</a>' in (
            response.text
        )
        assert state(draft) == before

    def test_add_and_edit_an_objective(self, client_as, drafter, draft):
        client = client_as(drafter)
        response = client.post(
            url("objective_create", draft), {"title": "Cyber defence", "description": "Why."}
        )
        objective = draft.objectives.get(title="Cyber defence")
        assert response["Location"] == f"{draft.get_absolute_url()}#objective-{objective.pk}"
        assert objective.order == 3
        assert last_history(objective.history).history_user == drafter
        draft.refresh_from_db()
        data = {"title": "Cyber resilience", "description": "", "seen_stamp": draft.edit_stamp}
        client.post(url("objective_edit", draft, objective.pk), data)
        objective.refresh_from_db()
        assert (objective.title, objective.description) == ("Cyber resilience", "")
        record = last_history(objective.history)
        assert (record.history_user, record.history_type) == (drafter, "~")
        assert "Formerly “Cyber defence”." in client.get(draft.get_absolute_url()).text

    def test_delete_an_empty_objective(self, client_as, drafter, draft):
        client = client_as(drafter)
        objective = workflow.add_objective(actor=drafter, programme=draft, title="Spare")
        workflow.add_goal(actor=drafter, objective=objective, title="Spare goal")
        page = client.get(url("objective_delete", draft, objective.pk))
        assert "Delete the objective “Spare”?" in page.text
        draft.refresh_from_db()
        response = client.post(
            url("objective_delete", draft, objective.pk), {"seen_stamp": draft.edit_stamp}
        )
        assert response["Location"] == f"{draft.get_absolute_url()}#objectives"
        assert not Objective.objects.filter(pk=objective.pk).exists()
        assert not Goal.objects.filter(title="Spare goal").exists()
        record = last_history(Objective.history, id=objective.pk)
        assert (record.history_type, record.history_user) == ("-", drafter)
        assert "Removed objective “Spare”" in client.get(draft.get_absolute_url()).text

    def test_objective_with_activities_is_not_deleted(self, client_as, drafter, draft):
        objective = draft.objectives.first()
        before = state(draft)
        response = client_as(drafter).post(
            url("objective_delete", draft, objective.pk),
            {"seen_stamp": draft.edit_stamp},
            follow=True,
        )
        assert any("Activities are planned" in m for m in messages_of(response))
        assert state(draft) == before

    def test_move_objectives_and_goals(self, client_as, drafter, draft):
        client = client_as(drafter)
        first, second = draft.objectives.order_by("order")
        client.post(url("objective_move", draft, second.pk), {"direction": "up"})
        assert list(draft.objectives.order_by("order")) == [second, first]
        goal_a, goal_b = first.goals.order_by("order")
        client.post(url("goal_move", draft, goal_a.pk), {"direction": "down"})
        assert list(first.goals.order_by("order")) == [goal_b, goal_a]
        assert last_history(Goal.history, id=goal_a.pk).history_user == drafter
        before = state(draft)
        client.post(url("goal_move", draft, goal_a.pk), {"direction": "sideways"})
        client.post(url("objective_move", draft, second.pk), {})
        assert state(draft) == before

    def test_add_edit_move_and_delete_a_goal(self, client_as, drafter, draft):
        client = client_as(drafter)
        first, second = draft.objectives.order_by("order")
        client.post(url("goal_create", draft, first.pk), {"title": "Exercises", "description": ""})
        goal = first.goals.get(title="Exercises")
        assert last_history(goal.history).history_user == drafter
        draft.refresh_from_db()
        page = client.get(url("goal_edit", draft, goal.pk))
        assert "Objective 2" in page.text  # the objectives to move it to
        data = {
            "objective": second.pk,
            "title": "Joint exercises",
            "description": "With allies.",
            "seen_stamp": draft.edit_stamp,
        }
        client.post(url("goal_edit", draft, goal.pk), data)
        goal.refresh_from_db()
        assert (goal.objective, goal.title, goal.order) == (second, "Joint exercises", 3)
        text = client.get(draft.get_absolute_url()).text
        assert "Moved goal “Joint exercises” to objective “Objective 2”" in text
        draft.refresh_from_db()
        client.post(url("goal_delete", draft, goal.pk), {"seen_stamp": draft.edit_stamp})
        assert not Goal.objects.filter(pk=goal.pk).exists()
        assert last_history(Goal.history, id=goal.pk).history_type == "-"

    def test_goal_with_activities_is_not_deleted(self, client_as, drafter, draft):
        goal = Goal.objects.filter(objective__programme=draft).first()
        before = state(draft)
        response = client_as(drafter).post(
            url("goal_delete", draft, goal.pk), {"seen_stamp": draft.edit_stamp}, follow=True
        )
        assert any("Activities are planned under this goal" in m for m in messages_of(response))
        assert state(draft) == before

    def test_edit_a_planned_activity(self, client_as, drafter, draft):
        client = client_as(drafter)
        planned = draft.planned_activities.get(year=1)
        other_goal = Goal.objects.filter(objective__programme=draft).exclude(pk=planned.goal_id)[0]
        page = client.get(url("planned_edit", draft, planned.pk))
        assert '<option value="2026" selected>' in page.text
        data = {
            "year": 2028,
            "goal": other_goal.pk,
            "priority": Priority.HIGH,
            "notes": "Send two officers.",
            "seen_stamp": draft.edit_stamp,
        }
        response = client.post(url("planned_edit", draft, planned.pk), data)
        assert response["Location"] == f"{draft.get_absolute_url()}#year-3"
        planned.refresh_from_db()
        assert (planned.year, planned.goal, planned.priority, planned.notes) == (
            3,
            other_goal,
            Priority.HIGH,
            "Send two officers.",
        )
        assert last_history(planned.history).history_user == drafter
        code = planned.activity.code
        assert f"Moved {code} from 2026 to 2028" in client.get(draft.get_absolute_url()).text

    @pytest.mark.parametrize(
        "change",
        [{"year": 2030}, {"year": "abc"}, {"goal": 999999}, {"priority": 7}, {"seen_stamp": "x"}],
    )
    def test_bad_planned_activity_input_changes_nothing(self, client_as, drafter, draft, change):
        planned = draft.planned_activities.get(year=1)
        data = {
            "year": 2027,
            "goal": planned.goal_id,
            "priority": Priority.LOW,
            "notes": "",
            "seen_stamp": draft.edit_stamp,
            **change,
        }
        before = state(draft)
        response = client_as(drafter).post(url("planned_edit", draft, planned.pk), data)
        assert response.status_code == 200
        assert response.context["form"].errors
        assert state(draft) == before

    def test_remove_a_planned_activity(self, client_as, drafter, draft):
        planned = draft.planned_activities.get(year=2)
        response = client_as(drafter).post(url("planned_remove", draft, planned.pk), follow=True)
        assert f"{planned.activity.code} removed from 2027." in messages_of(response)
        assert not PlannedActivity.objects.filter(pk=planned.pk).exists()
        record = last_history(PlannedActivity.history, id=planned.pk)
        assert (record.history_type, record.history_user) == ("-", drafter)
        assert f"Removed {planned.activity.code} from 2027" in response.text

    def test_comment(self, client_as, approver, draft):
        client = client_as(approver)
        response = client.post(
            url("comment_add", draft), {"text": "Add a cyber goal.", "kind": "review"}, follow=True
        )
        comment = draft.comments.get()
        assert (comment.author, comment.kind, comment.text) == (
            approver,
            Comment.Kind.REVIEW,
            "Add a cyber goal.",
        )
        assert "Review remark: Add a cyber goal." in response.text

    @pytest.mark.parametrize("data", [{"text": ""}, {"text": "   "}, {}, {"text": "x" * 5000}])
    def test_empty_comment_is_refused(self, client_as, drafter, draft, data):
        response = client_as(drafter).post(url("comment_add", draft), data, follow=True)
        assert messages_of(response)
        assert not draft.comments.exists()


@pytest.mark.django_db
class TestEditConflicts:
    """A form loaded before someone else's change keeps the input, changes nothing, and a second
    save (once the user has looked) goes through."""

    def test_overview(self, client_as, drafter, draft):
        client = client_as(drafter)
        stale = draft.edit_stamp
        workflow.add_objective(actor=drafter, programme=draft, title="Meanwhile")
        before = state(draft)
        data = {"title": "Mine", "summary": "My summary", "start_year": 2026, "seen_stamp": stale}
        response = client.post(url("programme_edit", draft), data)
        assert response.status_code == 409
        assert "Someone changed this programme" in response.text
        assert 'value="Mine"' in response.text
        assert "My summary" in response.text
        assert f'name="seen_stamp" value="{before["stamp"]}"' in response.text
        assert state(draft) == before
        client.post(url("programme_edit", draft), {**data, "seen_stamp": before["stamp"]})
        draft.refresh_from_db()
        assert draft.title == "Mine"

    def test_objective_goal_and_planned_activity(self, client_as, drafter, draft):
        client = client_as(drafter)
        stale = draft.edit_stamp
        objective = draft.objectives.first()
        goal = objective.goals.first()
        planned = draft.planned_activities.first()
        workflow.add_comment(actor=drafter, programme=draft, text="Comments change no content")
        workflow.add_objective(actor=drafter, programme=draft, title="Meanwhile")
        before = state(draft)
        posts = [
            (url("objective_edit", draft, objective.pk), {"title": "Mine"}),
            (url("goal_edit", draft, goal.pk), {"title": "Mine", "objective": objective.pk}),
            (
                url("planned_edit", draft, planned.pk),
                {"year": 2029, "goal": goal.pk, "priority": 1, "notes": "Mine"},
            ),
        ]
        for address, data in posts:
            response = client.post(address, {**data, "seen_stamp": stale})
            assert response.status_code == 409, address
            assert "Mine" in response.text
        for address in (
            url("objective_delete", draft, objective.pk),
            url("goal_delete", draft, goal.pk),
            url("programme_submit", draft),
        ):
            response = client.post(address, {"seen_stamp": stale}, follow=True)
            assert any("Someone changed this programme" in m for m in messages_of(response))
        assert state(draft) == before


def edit_requests(programme):
    """Every drafting URL of ``programme`` with a POST that would change it if allowed."""
    objective = programme.objectives.order_by("order").first()
    goal = objective.goals.order_by("order").first()
    planned = programme.planned_activities.order_by("year").first()
    stamp = programme.edit_stamp
    return [
        (url("programme_edit", programme), {"title": "X", "start_year": 2027, "seen_stamp": stamp}),
        (url("objective_create", programme), {"title": "X"}),
        (url("objective_edit", programme, objective.pk), {"title": "X", "seen_stamp": stamp}),
        (url("objective_delete", programme, objective.pk), {"seen_stamp": stamp}),
        (url("objective_move", programme, objective.pk), {"direction": "down"}),
        (url("goal_create", programme, objective.pk), {"title": "X"}),
        (
            url("goal_edit", programme, goal.pk),
            {"title": "X", "objective": objective.pk, "seen_stamp": stamp},
        ),
        (url("goal_delete", programme, goal.pk), {"seen_stamp": stamp}),
        (url("goal_move", programme, goal.pk), {"direction": "down"}),
        (
            url("planned_edit", programme, planned.pk),
            {"year": 2029, "goal": goal.pk, "priority": 1, "seen_stamp": stamp},
        ),
        (url("planned_remove", programme, planned.pk), {}),
        (
            url("activity_pick", programme),
            {"activity": ActivityFactory().pk, "year": 2027, "goal": goal.pk, "priority": 2},
        ),
        (url("programme_submit", programme), {"seen_stamp": stamp}),
        (url("programme_withdraw", programme), {"seen_stamp": stamp}),
    ]


@pytest.mark.django_db
class TestRefusals:
    @pytest.mark.parametrize(
        "role", ["other_officer", "officer", "viewer", "approver", "menu_manager"]
    )
    def test_who_may_not_edit_gets_403_and_nothing_changes(self, request, client_as, draft, role):
        client = client_as(request.getfixturevalue(role))
        requests = edit_requests(draft)
        before = state(draft)
        for address, data in requests:
            if not address.endswith(("/move/", "/remove/")):
                assert client.get(address).status_code == 403, address
            assert client.post(address, data).status_code == 403, address
        assert client.post(url("programme_revise", draft)).status_code == 403
        assert state(draft) == before

    @pytest.mark.parametrize("role", ["viewer", "officer", "menu_manager"])
    def test_who_may_not_comment_gets_403(self, request, client_as, draft, role):
        client = client_as(request.getfixturevalue(role))
        assert client.post(url("comment_add", draft), {"text": "Hi"}).status_code == 403
        assert not draft.comments.exists()

    def test_items_of_another_programme_are_404(self, client_as, drafter, partner, draft):
        other = draft_programme(officer=drafter, partner=partner, start_year=2030)
        client = client_as(drafter)
        objective = other.objectives.get()
        goal = objective.goals.get()
        planned = other.planned_activities.get()
        before = state(draft), state(other)
        for address in (
            url("objective_edit", draft, objective.pk),
            url("objective_delete", draft, objective.pk),
            url("goal_create", draft, objective.pk),
            url("goal_edit", draft, goal.pk),
            url("goal_delete", draft, goal.pk),
            url("planned_edit", draft, planned.pk),
        ):
            assert client.get(address).status_code == 404, address
            assert client.post(address, {"title": "X", "seen_stamp": 0}).status_code == 404
        for address in (
            url("objective_move", draft, objective.pk),
            url("goal_move", draft, goal.pk),
            url("planned_remove", draft, planned.pk),
        ):
            assert client.post(address, {"direction": "up"}).status_code == 404, address
        assert (state(draft), state(other)) == before

    def test_goal_cannot_move_to_another_programmes_objective(
        self, client_as, drafter, partner, draft
    ):
        other = draft_programme(officer=drafter, partner=partner, start_year=2030)
        goal = Goal.objects.filter(objective__programme=draft).first()
        before = state(draft), state(other)
        data = {
            "title": "X",
            "objective": other.objectives.get().pk,
            "seen_stamp": draft.edit_stamp,
        }
        response = client_as(drafter).post(url("goal_edit", draft, goal.pk), data)
        assert response.status_code == 200
        assert "objective" in response.context["form"].errors
        assert (state(draft), state(other)) == before

    @pytest.mark.parametrize("method", ["get", "put", "delete"])
    def test_post_only_steps_refuse_other_methods(self, client_as, drafter, draft, method):
        client = client_as(drafter)
        objective = draft.objectives.first()
        for address in (
            url("objective_move", draft, objective.pk),
            url("planned_remove", draft, draft.planned_activities.first().pk),
            url("comment_add", draft),
            url("programme_revise", draft),
        ):
            assert getattr(client, method)(address).status_code == 405, address

    @pytest.mark.parametrize("data", [{}, {"seen_stamp": "abc"}, {"seen_stamp": "-1"}])
    def test_junk_confirmation_changes_nothing(self, client_as, drafter, draft, data):
        objective = workflow.add_objective(actor=drafter, programme=draft, title="Empty")
        before = state(draft)
        client = client_as(drafter)
        for address in (
            url("objective_delete", draft, objective.pk),
            url("goal_delete", draft, Goal.objects.filter(objective__programme=draft)[0].pk),
            url("programme_submit", draft),
            url("programme_withdraw", draft),
        ):
            response = client.post(address, data, follow=True)
            assert response.status_code == 200
            assert "The form was not understood: nothing was changed." in messages_of(response)
        assert state(draft) == before


@pytest.mark.django_db
def test_submitted_programme_cannot_be_edited(client_as, drafter, approver, partner):
    programme = programme_in_status(
        ProgrammeStatus.SUBMITTED, officer=drafter, approver=approver, partner=partner
    )
    client = client_as(drafter)
    before = state(programme)
    for address, data in edit_requests(programme):
        response = client.post(address, data)
        assert response.status_code == 302, address
        assert response["Location"] == programme.get_absolute_url()
    page = client.get(programme.get_absolute_url())
    assert "“Edit” is not possible now" in " ".join(messages_of(page))
    assert state(programme) == before


@pytest.mark.django_db
class TestSubmitWithdrawRevise:
    @pytest.fixture
    def draft(self, drafter, partner):
        """``complete_draft``, for each test: not every test of the class uses it."""
        return complete_draft(drafter, partner)

    def test_submit_page_lists_what_is_missing(self, client_as, drafter, partner):
        programme = draft_programme(
            officer=drafter, partner=partner, objectives=1, goals=1, activities=0
        )
        client = client_as(drafter)
        page = client.get(url("programme_submit", programme))
        assert "The goal “Goal 1.1” has no planned activity." in page.text
        assert "Submit for approval</button>" not in page.text
        before = state(programme)
        response = client.post(
            url("programme_submit", programme), {"seen_stamp": programme.edit_stamp}
        )
        assert response.status_code == 200
        assert response.context["problems"] == [
            "The goal “Goal 1.1” has no planned activity.",
            "No activity is planned.",
        ]
        assert "<li>No activity is planned.</li>" in response.text
        assert state(programme) == before

    def test_retired_activity_stops_submission(self, client_as, drafter, draft):
        planned = draft.planned_activities.first()
        Activity.objects.filter(pk=planned.activity_id).update(retired_in=2025)
        response = client_as(drafter).post(
            url("programme_submit", draft), {"seen_stamp": draft.edit_stamp}
        )
        assert f"{planned.activity.code} has been retired from the menu" in response.text
        draft.refresh_from_db()
        assert draft.status == ProgrammeStatus.DRAFT

    def test_submit(self, client_as, drafter, draft):
        client = client_as(drafter)
        page = client.get(url("programme_submit", draft))
        assert "Submit for approval</button>" in page.text
        response = client.post(url("programme_submit", draft), {"seen_stamp": draft.edit_stamp})
        assert response["Location"] == draft.get_absolute_url()
        draft.refresh_from_db()
        assert (draft.status, draft.submitted_by) == (ProgrammeStatus.SUBMITTED, drafter)
        record = last_history(draft.history)
        assert (record.history_user, record.history_change_reason) == (drafter, "submit")
        text = client.get(draft.get_absolute_url()).text
        assert "Submitted for approval" in text
        assert "Edit the overview" not in text

    def test_submit_page_of_a_submitted_programme_says_why_not(
        self, client_as, drafter, approver, partner
    ):
        programme = programme_in_status(
            ProgrammeStatus.SUBMITTED, officer=drafter, approver=approver, partner=partner
        )
        response = client_as(drafter).get(url("programme_submit", programme), follow=True)
        assert "“Submit” is not possible now" in " ".join(messages_of(response))

    def test_withdraw(self, client_as, drafter, draft):
        client = client_as(drafter)
        assert "Withdraw the programme" in client.get(url("programme_withdraw", draft)).text
        client.post(url("programme_withdraw", draft), {"seen_stamp": draft.edit_stamp})
        draft.refresh_from_db()
        assert draft.status == ProgrammeStatus.WITHDRAWN
        assert last_history(draft.history).history_change_reason == "withdraw"
        assert "Withdrawn" in client.get(draft.get_absolute_url()).text

    def test_revise_opens_the_new_draft(self, client_as, drafter, approver, partner):
        agreed = programme_in_status(
            ProgrammeStatus.AGREED, officer=drafter, approver=approver, partner=partner
        )
        client = client_as(drafter)
        response = client.post(url("programme_revise", agreed))
        revision = Programme.objects.get(revises=agreed)
        assert response["Location"] == revision.get_absolute_url()
        assert (revision.version, revision.status) == (2, ProgrammeStatus.DRAFT)
        assert revision.planned_activities.count() == agreed.planned_activities.count()
        # A second revision of the same version is refused with a message.
        response = client.post(url("programme_revise", agreed), follow=True)
        assert "Version 2 already revises this programme." in messages_of(response)
        assert Programme.objects.filter(revises=agreed).count() == 1


@pytest.fixture
def menu(db):
    return {
        "cyber": ActivityFactory(code="CYB-0042", title_en="Cyber incident handling — course"),
        "exercise": ActivityFactory(code="CYB-0043", title_en="Cyber coalition — exercise"),
        "medical": ActivityFactory(code="MED-0001", title_en="Field hospital — seminar"),
        "retired": ActivityFactory(code="CYB-0001", title_en="Old cyber course", retired=True),
    }


@pytest.mark.django_db
class TestActivityPicker:
    def found(self, response):
        return [a.code for a in response.context["page_obj"].object_list]

    def test_search_shows_active_activities_only(self, client_as, drafter, draft, menu):
        response = client_as(drafter).get(url("activity_pick", draft), {"q": "cyber"})
        assert response.status_code == 200
        assert self.found(response) == ["CYB-0042", "CYB-0043"]
        assert "state" not in response.context["filter"].form.fields

    def test_add_keeps_the_search_and_the_choices(self, client_as, drafter, draft, menu):
        client = client_as(drafter)
        goal = Goal.objects.filter(objective__programme=draft).last()
        address = url("activity_pick", draft) + "?q=cyber&page=1"
        data = {"activity": menu["cyber"].pk, "year": 2027, "goal": goal.pk, "priority": 1}
        response = client.post(address, data)
        assert response["Location"] == (
            f"{url('activity_pick', draft)}?q=cyber&page=1&y=2027&g={goal.pk}"
        )
        planned = draft.planned_activities.get(activity=menu["cyber"])
        assert (planned.year, planned.goal, planned.priority) == (2, goal, Priority.HIGH)
        record = last_history(planned.history)
        assert (record.history_user, record.history_type) == (drafter, "+")
        page = client.get(response["Location"])
        assert f"CYB-0042 planned in 2027 for “{goal.title}”." in messages_of(page)
        assert self.found(page) == ["CYB-0042", "CYB-0043"]
        assert page.context["chosen_year"] == 2027
        assert page.context["chosen_goal"] == goal.pk
        assert f'<option value="{goal.pk}" selected>' in page.text
        cyber = page.context["page_obj"].object_list[0]
        assert cyber.planned_years == [2027]
        # A second year for the same activity is fine.
        client.post(address, {**data, "year": 2029})
        assert sorted(
            draft.planned_activities.filter(activity=menu["cyber"]).values_list("year", flat=True)
        ) == [2, 4]

    def test_the_same_activity_twice_in_a_year_is_refused(self, client_as, drafter, draft, menu):
        client = client_as(drafter)
        goal = Goal.objects.filter(objective__programme=draft).first()
        data = {"activity": menu["cyber"].pk, "year": 2026, "goal": goal.pk, "priority": 2}
        client.post(url("activity_pick", draft), data)
        before = state(draft)
        response = client.post(url("activity_pick", draft), data, follow=True)
        assert response.status_code == 200
        assert any("already planned for that year" in m for m in messages_of(response))
        assert state(draft) == before

    @pytest.mark.parametrize(
        "change",
        [
            {"activity": "retired"},
            {"activity": 999999},
            {"activity": "abc"},
            {"year": 2025},
            {"year": 2030},
            {"goal": "other"},
            {"goal": ""},
            {"priority": 9},
        ],
    )
    def test_bad_choices_add_nothing(self, client_as, drafter, partner, draft, menu, change):
        other = draft_programme(officer=drafter, partner=partner, start_year=2030)
        goal = Goal.objects.filter(objective__programme=draft).first()
        data = {"activity": menu["cyber"].pk, "year": 2026, "goal": goal.pk, "priority": 2}
        data.update(change)
        if data["activity"] == "retired":
            data["activity"] = menu["retired"].pk
        if data["goal"] == "other":
            data["goal"] = Goal.objects.get(objective__programme=other).pk
        before = state(draft)
        response = client_as(drafter).post(url("activity_pick", draft), data, follow=True)
        assert response.status_code == 200
        assert messages_of(response)
        assert state(draft) == before

    @pytest.mark.parametrize(
        "params", [{"area": "atlantis"}, {"page": "abc"}, {"y": "abc", "g": "-1"}, {"q": "%" * 300}]
    )
    def test_junk_query_strings_get_a_page(self, client_as, drafter, draft, menu, params):
        assert client_as(drafter).get(url("activity_pick", draft), params).status_code == 200

    def test_twenty_five_per_page(self, client_as, drafter, draft):
        ActivityFactory.create_batch(30)
        response = client_as(drafter).get(url("activity_pick", draft), {"page": 2})
        active = Activity.objects.active().count()
        assert len(self.found(response)) == active - 25

    def test_query_count_does_not_grow_with_the_menu(
        self, client_as, drafter, draft, django_assert_num_queries
    ):
        client = client_as(drafter)
        ActivityFactory.create_batch(10)
        with django_assert_num_queries(16) as small:
            client.get(url("activity_pick", draft))
        ActivityFactory.create_batch(200)
        for planned in ActivityFactory.create_batch(3):
            workflow.plan_activity(
                actor=drafter,
                programme=draft,
                activity=planned,
                year=2,
                goal=Goal.objects.filter(objective__programme=draft).first(),
            )
        with django_assert_num_queries(len(small.captured_queries)):
            response = client.get(url("activity_pick", draft))
        assert len(self.found(response)) == 25


@pytest.mark.django_db
def test_programme_without_goals_says_what_to_do(client_as, drafter, partner, menu):
    programme = draft_programme(
        officer=drafter, partner=partner, objectives=0, goals=0, activities=0
    )
    response = client_as(drafter).get(url("activity_pick", programme))
    assert "this programme has none yet" in response.text
    assert 'name="activity"' not in response.text


@pytest.mark.django_db
class TestJunkInput:
    HUGE = "99999999999999999999"

    def test_junk_posts_change_nothing(self, client_as, drafter, draft):
        client = client_as(drafter)
        objective = draft.objectives.first()
        goal = objective.goals.first()
        planned = draft.planned_activities.first()
        before = state(draft)
        for address, data in [
            (url("programme_edit", draft), {"title": "\x00", "start_year": self.HUGE}),
            (
                url("programme_edit", draft),
                {"title": "T", "start_year": 2026, "seen_stamp": self.HUGE},
            ),
            (url("objective_create", draft), {"title": "x" * 301}),
            (url("objective_edit", draft, objective.pk), {"title": "", "seen_stamp": 0}),
            (url("goal_create", draft, objective.pk), {"title": "\x00"}),
            (url("goal_edit", draft, goal.pk), {"title": "T", "objective": self.HUGE}),
            (url("planned_edit", draft, planned.pk), {"goal": self.HUGE, "year": self.HUGE}),
            (url("activity_pick", draft), {"activity": self.HUGE, "year": 2026, "goal": goal.pk}),
            (url("activity_pick", draft), {"activity": ["1", "2"], "goal": [self.HUGE]}),
            (url("objective_move", draft, objective.pk), {"direction": "\x00"}),
            (url("comment_add", draft), {"text": "\x00"}),
            (url("programme_submit", draft), {"seen_stamp": self.HUGE}),
        ]:
            response = client.post(address, data, follow=True)
            assert response.status_code == 200, address
        assert state(draft) == before

    @pytest.mark.parametrize(
        "address",
        [
            "/programmes/1/objectives/99999999999999999999/edit/",
            "/programmes/1/goals/99999999999999999999/edit/",
            "/programmes/1/activities/99999999999999999999/edit/",
        ],
    )
    def test_huge_ids_are_404(self, client_as, drafter, draft, address):
        address = address.replace("/1/", f"/{draft.pk}/")
        assert client_as(drafter).get(address).status_code == 404
