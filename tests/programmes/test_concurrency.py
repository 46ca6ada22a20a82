"""Concurrent workflow steps: exactly one wins, the other gets a clear refusal, never an error.

Each trial starts real threads, each with its own database connection, released together by a
barrier; on PostgreSQL the workflow's row locks make them queue, on SQLite the immediate
transactions do. Run on both databases by ``make test`` (``DATABASE_URL`` for PostgreSQL).
"""

from __future__ import annotations

import threading
from collections import Counter
from string import ascii_uppercase

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from partners.models import Partner
from pfp.roles import Role
from programmes import workflow
from programmes.models import Programme, ProgrammeStatus
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    UserFactory,
    assigned_officer,
    draft_programme,
    programme_in_status,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TRIALS = 50


def race(*steps) -> list[str]:
    """Run each step in its own thread, all at once; return how each ended."""
    barrier = threading.Barrier(len(steps))
    outcomes: list[str] = [""] * len(steps)

    def run(index, step):
        try:
            barrier.wait(timeout=30)
            step()
            outcomes[index] = "won"
        except workflow.WorkflowError as refusal:
            outcomes[index] = type(refusal).__name__
        except ValidationError:
            outcomes[index] = "ValidationError"
        except Exception as error:  # any other outcome is what the test catches
            outcomes[index] = f"error: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, step)) for i, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.fixture
def people():
    partner = PartnerFactory(name="Raceland", code="RC")
    return {
        "partner": partner,
        "officer": assigned_officer(partner, "officer"),
        "second_officer": assigned_officer(partner, "officer2"),
        "approver": UserFactory(username="approver", role=Role.APPROVER),
        "second_approver": UserFactory(username="approver2", role=Role.APPROVER),
    }


def another_partner(people) -> Partner:
    """A new partner of both officers, for one trial: a partner has one version on its way for
    any year, so each trial's programme is a new partner's."""
    taken = set(Partner.objects.values_list("code", flat=True))
    code = next(a + b for a in ascii_uppercase for b in ascii_uppercase if a + b not in taken)
    partner = PartnerFactory(name=f"Raceland {code}", code=code)
    for officer in ("officer", "second_officer"):
        partner.officers.add(people[officer])
        people[officer].__dict__.pop("_pfp_assigned_partners", None)  # the cache, now stale
    return partner


def tally(trials: list[list[str]]) -> Counter:
    return Counter(tuple(sorted(outcome)) for outcome in trials)


def test_two_approvers_approving_at_once(people):
    trials = []
    for _ in range(TRIALS):
        programme = programme_in_status(
            ProgrammeStatus.SUBMITTED,
            officer=people["officer"],
            approver=people["approver"],
            partner=another_partner(people),
        )
        trials.append(
            race(
                lambda p=programme: workflow.approve(actor=people["approver"], programme=p),
                lambda p=programme: workflow.approve(actor=people["second_approver"], programme=p),
            )
        )
        programme.refresh_from_db()
        assert programme.status == ProgrammeStatus.APPROVED
        assert programme.history.filter(history_change_reason=workflow.Action.APPROVE).count() == 1
    assert tally(trials) == {("WrongStatus", "won"): TRIALS}


def test_approve_racing_return(people):
    trials = []
    for _ in range(TRIALS):
        programme = programme_in_status(
            ProgrammeStatus.SUBMITTED,
            officer=people["officer"],
            approver=people["approver"],
            partner=another_partner(people),
        )
        outcome = race(
            lambda p=programme: workflow.approve(actor=people["approver"], programme=p),
            lambda p=programme: workflow.return_programme(
                actor=people["second_approver"], programme=p, comment="Not yet."
            ),
        )
        trials.append(outcome)
        programme.refresh_from_db()
        approved_won = outcome[0] == "won"
        assert programme.status == (
            ProgrammeStatus.APPROVED if approved_won else ProgrammeStatus.RETURNED
        )
        # The loser left nothing behind: no return comment when the approval won.
        assert programme.comments.exists() is not approved_won
    assert tally(trials) == {("WrongStatus", "won"): TRIALS}


def test_a_period_changed_while_another_draft_is_created(people):
    """A draft moved onto years that a new draft takes at the same moment: whichever comes
    first wins. (Two overlapping agreements can no longer race: the partner has one version on
    its way for any year, so two overlapping versions are never both approved.)"""
    trials = []
    for _ in range(10):
        partner = another_partner(people)
        draft = workflow.create_programme(
            actor=people["officer"], partner=partner, title="Later", start_year=2035
        )
        trials.append(
            race(
                lambda d=draft: workflow.update_programme(
                    actor=people["officer"],
                    programme=d,
                    seen_stamp=d.edit_stamp,
                    title=d.title,
                    summary="",
                    start_year=2027,
                ),
                lambda p=partner: workflow.create_programme(
                    actor=people["second_officer"], partner=p, title="New", start_year=2029
                ),
            )
        )
        years = sorted(Programme.objects.filter(partner=partner).values_list("start_year"))
        assert years in ([(2027,)], [(2029,), (2035,)])
    assert tally(trials) == {("PeriodTaken", "won"): 10}


def test_two_drafts_for_overlapping_years_created_at_once(people):
    """The partner's lock queues the second creation behind the first, which it then sees:
    on SQLite too, where no constraint can tell 2027-2030 and 2029-2032 apart."""
    trials = []
    for _ in range(10):
        partner = another_partner(people)
        trials.append(
            race(
                *(
                    lambda o=o, start=start, p=partner: workflow.create_programme(
                        actor=people[o], partner=p, title=o, start_year=start
                    )
                    for o, start in (("officer", 2027), ("second_officer", 2029))
                )
            )
        )
        assert Programme.objects.filter(partner=partner).count() == 1
    assert tally(trials) == {("PeriodTaken", "won"): 10}


def test_two_officers_saving_the_same_form(people):
    trials = []
    for _ in range(10):
        programme = draft_programme(officer=people["officer"], partner=another_partner(people))
        objective = programme.objectives.get()
        seen = programme.edit_stamp
        trials.append(
            race(
                *(
                    lambda o=o, objective=objective, seen=seen: workflow.update_objective(
                        actor=people[o], objective=objective, seen_stamp=seen, title=o
                    )
                    for o in ("officer", "second_officer")
                )
            )
        )
        objective.refresh_from_db()
        assert objective.title in {"officer", "second_officer"}
        assert objective.history.filter(history_type="~").count() == 1
    assert tally(trials) == {("EditConflict", "won"): 10}


def test_the_same_activity_planned_twice_at_once(people):
    trials = []
    for _ in range(10):
        programme = draft_programme(officer=people["officer"], partner=another_partner(people))
        goal = programme.objectives.get().goals.get()
        activity = ActivityFactory()
        trials.append(
            race(
                *(
                    lambda o=o, p=programme, a=activity, g=goal: workflow.plan_activity(
                        actor=people[o], programme=p, activity=a, year=2, goal=g
                    )
                    for o in ("officer", "second_officer")
                )
            )
        )
        assert programme.planned_activities.filter(activity=activity).count() == 1
    assert tally(trials) == {("ValidationError", "won"): 10}


def test_two_approvers_clicking_approve_at_once_over_http(people):
    """Through the pages: one approval, one clear warning, no server error."""
    clients = {}
    for name in ("approver", "second_approver"):
        clients[name] = Client(raise_request_exception=False)
        clients[name].force_login(people[name])
    trials = []
    for _ in range(20):
        programme = programme_in_status(
            ProgrammeStatus.SUBMITTED,
            officer=people["officer"],
            approver=people["approver"],
            partner=another_partner(people),
        )
        url = reverse("programmes:programme_approve", args=[programme.pk])
        responses = {}

        def click(name, url=url, responses=responses):
            responses[name] = clients[name].post(url)

        outcome = race(*(lambda n=name: click(n) for name in clients))
        assert outcome == ["won", "won"]  # both requests were answered
        assert sorted(r.status_code for r in responses.values()) == [302, 302]
        said = sorted(
            next(iter(get_messages(r.wsgi_request))).level_tag for r in responses.values()
        )
        trials.append(tuple(said))
        programme.refresh_from_db()
        assert programme.status == ProgrammeStatus.APPROVED
    assert Counter(trials) == {("success", "warning"): 20}
