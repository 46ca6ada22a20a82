"""The demo programmes: built through the workflow by the demo users, realistic states,
deterministic, idempotent.

The full ``seed_demo`` (real register, 1,400 activities, about 3,300 planned activities) takes
tens of seconds, so it runs once, for ``TestSeededDemo``, inside a transaction rolled back after
its last test (``class_transaction``); each test runs in a savepoint of it, as usual. One class,
and few tests in it: ``make test`` hands tests to its two workers a few at a time (pytest-xdist's
``load``), so a worker that gets some of a class's tests builds the class's data for them.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from partners.loading import load_partners
from partners.models import Partner, PartnerStatus
from pfp.models import User
from programmes.devtools.demo.plans import DemoPartner, MenuEntry, plan_demo_programmes
from programmes.devtools.demo.programmes import demo_menu, demo_partners, seed_demo_programmes
from programmes.menu.models import Activity
from programmes.models import Comment, Document, PlannedActivity, Programme, ProgrammeStatus
from programmes.workflow import Action

AGREED_PERIODS = {(2025, 2028), (2026, 2029)}


@pytest.fixture(scope="class")
def built_demo(class_transaction) -> str:
    """For ``TestSeededDemo``: ``seed_demo`` on the real register, once; its output."""
    load_partners()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    """What the demo programmes are, without their database ids."""
    return sorted(
        (
            p.partner.code,
            p.version,
            p.status,
            p.start_year,
            p.created_by.username,
            p.approved_by.username if p.approved_by else "",
            str(p.agreed_on or ""),
            tuple(
                sorted(p.planned_activities.values_list("activity__code", "year", "goal__title"))
            ),
        )
        for p in Programme.objects.select_related("partner", "created_by", "approved_by")
    )


@pytest.fixture
def demo(built_demo, db) -> str:
    return built_demo


class TestSeededDemo:
    # The states the demo shows.
    def test_most_active_partners_have_a_programme(self, demo):
        active = Partner.objects.with_status().filter(status=PartnerStatus.ACTIVE)
        with_programme = active.filter(programmes__isnull=False).distinct().count()
        assert 0.85 * active.count() <= with_programme < active.count()
        # Suspended partners, NATO members and those that left get none.
        assert not Programme.objects.exclude(partner__in=active).exists()
        # Every active partner has an officer.
        assert not active.filter(officers__isnull=True).exists()

    def test_the_states_a_demo_needs(self, demo):
        counts = dict(
            Programme.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        )
        assert counts[ProgrammeStatus.AGREED] >= 20
        assert counts[ProgrammeStatus.DRAFT] >= 3
        assert counts[ProgrammeStatus.SUBMITTED] == 1
        assert counts[ProgrammeStatus.RETURNED] == 1
        assert counts[ProgrammeStatus.APPROVED] == 1
        assert counts[ProgrammeStatus.SUPERSEDED] == 1
        assert ProgrammeStatus.CLOSED not in counts
        assert ProgrammeStatus.WITHDRAWN not in counts

    def test_agreed_programmes_cover_2025_or_2026_and_never_overlap(self, demo):
        today = timezone.localdate()
        agreed = Programme.objects.agreed()
        assert {(p.start_year, p.end_year) for p in agreed} == AGREED_PERIODS
        for programme in agreed:
            assert programme.agreed_on <= today
            assert programme.partner_signatory
        per_partner = agreed.values("partner").annotate(n=Count("pk"))
        assert {row["n"] for row in per_partner} == {1}
        assert Programme.objects.in_force().count() == agreed.count()

    def test_each_programme_plans_40_to_150_activities_in_every_goal(self, demo):
        programmes = Programme.objects.annotate(n=Count("planned_activities"))
        assert {40 <= p.n <= 150 for p in programmes} == {True}
        assert PlannedActivity.objects.filter(activity__retired_in__isnull=False).count() == 0
        for programme in programmes.exclude(status=ProgrammeStatus.DRAFT):
            goals = programme.objectives.annotate(n=Count("goals")).values_list("n", flat=True)
            assert 0 not in goals
            assert not programme.objectives.filter(goals__planned_activities__isnull=True).exists()

    def test_one_returned_with_a_comment(self, demo):
        returned = Programme.objects.get(status=ProgrammeStatus.RETURNED)
        comment = returned.comments.get(kind=Comment.Kind.RETURN)
        assert comment.author.username in ("approver", "approver2")
        assert "building integrity" in comment.text
        assert returned.created_by.username == "officer"

    def test_one_awaiting_approval_the_demo_approvers_may_approve(self, demo):
        submitted = Programme.objects.awaiting_approval().get()
        assert submitted.submitted_by.username == "officer"
        assert submitted.comments.filter(kind=Comment.Kind.REVIEW).exists()
        assert not submitted.editors.filter(username__in=["approver", "approver2"]).exists()

    def test_one_revised_version_2_agreed_superseding_version_1(self, demo):
        revised = Programme.objects.get(version=2, status=ProgrammeStatus.AGREED)
        assert revised.revises.status == ProgrammeStatus.SUPERSEDED
        assert revised.revises.lineage == revised.lineage
        assert revised.created_by.username == "officer"
        assert revised.approved_by != revised.revises.approved_by
        old = set(revised.revises.planned_activities.values_list("key", flat=True))
        new = set(revised.planned_activities.values_list("key", flat=True))
        assert old - new
        assert new - old
        # And one revision still being drafted.
        drafting = Programme.objects.get(version=2, status=ProgrammeStatus.DRAFT)
        assert drafting.revises.status == ProgrammeStatus.AGREED

    def test_built_through_the_workflow_by_the_demo_users(self, demo):
        drafters = {"officer", "officer2"}
        for programme in Programme.objects.select_related("created_by", "approved_by"):
            assert programme.created_by.username in drafters
            if programme.approved_by:
                assert programme.approved_by.username in ("approver", "approver2")
                assert not programme.editors.filter(pk=programme.approved_by.pk).exists()
        agreed = Programme.objects.agreed().filter(version=1).first()
        steps = list(
            agreed.history.order_by("history_date", "history_id").values_list(
                "history_change_reason", "history_user__username"
            )
        )
        approver = agreed.approved_by.username
        assert steps == [
            ("create", agreed.created_by.username),
            (Action.SUBMIT, agreed.created_by.username),
            (Action.APPROVE, approver),
            (Action.RECORD_AGREEMENT, approver),
        ]
        planned = agreed.planned_activities.first()
        assert planned.history.get().history_user == agreed.created_by

    def test_each_step_happens_on_a_plausible_day(self, demo):
        """Drafted, submitted, approved, then agreed, in that order and never in the future."""
        today = timezone.localdate()
        for programme in Programme.objects.all():
            steps = [programme.created_at, programme.submitted_at, programme.approved_at]
            steps = [step for step in steps if step]
            assert steps == sorted(steps), programme
            assert all(step.date() <= today for step in steps), programme
            if programme.agreed_on:
                assert programme.approved_at.date() < programme.agreed_on <= today, programme
            dates = list(programme.history.values_list("history_date", flat=True))
            first_row_after = min(dates) - programme.created_at
            assert datetime.timedelta(0) <= first_row_after < datetime.timedelta(hours=1)
        revision = Programme.objects.get(version=2, status=ProgrammeStatus.AGREED)
        assert revision.created_at.date() > revision.revises.agreed_on

    def test_demo_officer_sees_each_step(self, demo):
        officer = User.objects.get(username="officer")
        statuses = set(
            Programme.objects.filter(partner__officers=officer).values_list("status", flat=True)
        )
        assert {"draft", "submitted", "returned", "superseded", "agreed"} <= statuses

    def test_new_demo_users_passwords_printed(self, demo):
        for username in ("officer2", "approver2"):
            line = next(line for line in demo.splitlines() if line.split()[:1] == [username])
            assert User.objects.get(username=username).check_password(line.split()[1])
        assert "Programmes: 36 created, with " in demo

    def test_seeds_the_menu_once(self, demo):
        created = Activity.objects.count()
        assert f"Menu: {created} activities created." in demo
        assert 1350 <= created <= 1450

    # Idempotent and deterministic.
    def test_seed_demo_again_adds_nothing(self, demo):
        before = snapshot()
        history = Programme.history.count() + PlannedActivity.history.count()
        activities = Activity.objects.count()

        out = io.StringIO()
        call_command("seed_demo", if_empty=True, stdout=out)
        assert "no demo data added" in out.getvalue()
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        assert "The demo users exist already." in out.getvalue()
        assert "Menu: 0 activities created." in out.getvalue()
        assert "Programmes: 0 created, with 0 planned activities." in out.getvalue()
        assert Activity.objects.count() == activities

        assert snapshot() == before
        assert Programme.history.count() + PlannedActivity.history.count() == history

    def test_the_plan_is_the_same_every_time(self, demo):
        partners, menu = demo_partners(), demo_menu()
        first = plan_demo_programmes(partners, menu)
        assert plan_demo_programmes(partners, menu) == first
        assert plan_demo_programmes(partners, menu, seed=7) != first

    def test_a_second_run_builds_the_same_programmes(self, demo):
        first = snapshot()
        # Partners without a programme get theirs again (rebuilding all would take as long as
        # the first run): the revised one, the returned one and two others.
        revised = Programme.objects.get(version=2, status=ProgrammeStatus.AGREED).partner
        returned = Programme.objects.get(status=ProgrammeStatus.RETURNED).partner
        others = Partner.objects.filter(programmes__status=ProgrammeStatus.AGREED)
        partners = [revised, returned, *others.exclude(pk=revised.pk).order_by("code")[:2]]
        removed = Programme.objects.filter(partner__in=partners)
        count = removed.count()
        # Their signed agreements first: a document protects its version.
        Document.objects.filter(programme__in=removed).delete()
        for programme in removed.order_by("-version"):
            programme.delete()

        result = seed_demo_programmes()
        assert result.programmes == count == 5
        assert snapshot() == first


def test_small_plan_shows_every_state():
    partners = [DemoPartner("AM", "Armenia", "officer")] + [
        DemoPartner(f"P{i}", f"Partner {i}", "officer2") for i in range(14)
    ]
    menu = [MenuEntry(f"DPP-{i:04d}", "dpp", 2015) for i in range(200)]
    plans = plan_demo_programmes(partners, menu)
    scenarios = sorted(plan.scenario for plan in plans)
    assert scenarios.count("revised") == 1
    assert {"submitted", "returned", "approved", "revising", "draft", "agreed"} <= set(scenarios)
    assert all(40 <= plan.planned_count <= 150 for plan in plans)
