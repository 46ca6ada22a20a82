"""The benchmark's tools: ``seed_demo --scale`` is deterministic and multiplies the programmes;
``bench`` runs end to end on a tiny demo and writes its results as JSON.

Small demos only (a few partners, a short menu): the full benchmark is ``make bench``.
"""

import datetime
import json
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from partners.loading import load_partners
from programmes.delivery.models import AnnualReview, Event, EventStatus, ReviewStatus
from programmes.devtools.demo.plans import CURRENT_CYCLE_START
from programmes.models import PROGRAMME_YEARS, PlannedActivity, Programme, ProgrammeStatus
from programmes.workflow import Action

SMALL = {"partners": 3, "menu_size": 120}


def snapshot():
    """The programmes, without database ids or random keys."""
    return sorted(
        (
            p.partner.code,
            p.start_year,
            p.version,
            p.status,
            p.created_by.username,
            p.approved_by.username if p.approved_by else "",
            str(p.agreed_on or ""),
            p.partner_signatory,
            tuple(sorted(p.planned_activities.values_list("activity__code", "year", "priority"))),
        )
        for p in Programme.objects.select_related("partner", "created_by", "approved_by")
    )


def events_of_the_cycle():
    """The events of the current cycle's years (those a report of this year or last year
    counts), without database ids."""
    return sorted(
        Event.objects.filter(start_date__year__gte=CURRENT_CYCLE_START).values_list(
            "external_ref", "status", "start_date", "end_date", "participants", "women"
        )
    )


def seeded(**options) -> tuple[list, list]:
    """The snapshot and the events of the cycle of a small demo, seeded in a savepoint that is
    rolled back."""
    with transaction.atomic():
        call_command("seed_demo", stdout=StringIO(), **SMALL, **options)
        result = snapshot(), events_of_the_cycle()
        transaction.set_rollback(True)
    return result


@dataclass
class ScaledDemos:
    """The snapshots of the small demo at scale 2 (the one in the database), of a second
    scale-2 demo and of the scale-1 demo, each seeded on the real register alone; and the
    events of the current cycle's years at scales 2 and 1."""

    scale_two: list
    scale_two_again: list
    scale_one: list
    events_two: list
    events_one: list


@pytest.fixture(scope="class")
def built_scaled_demos(class_transaction) -> ScaledDemos:
    """For ``TestSeedDemoScale``: the small demo at scale 2 on the real register, seeded once
    for the class and kept; before it, a second scale-2 demo and the scale-1 demo, each seeded
    on the register alone in a savepoint rolled back."""
    load_partners()
    scale_two_again, _events = seeded(scale=2)
    scale_one, events_one = seeded()
    call_command("seed_demo", stdout=StringIO(), scale=2, **SMALL)
    return ScaledDemos(
        scale_two=snapshot(),
        scale_two_again=scale_two_again,
        scale_one=scale_one,
        events_two=events_of_the_cycle(),
        events_one=events_one,
    )


@pytest.fixture
def scaled_demos(built_scaled_demos, db) -> ScaledDemos:
    return built_scaled_demos


@pytest.mark.django_db
class TestSeedDemoScale:
    def test_scale_two_is_deterministic_and_keeps_the_scale_one_demo(self, scaled_demos):
        first = scaled_demos.scale_two
        assert scaled_demos.scale_two_again == first
        current = [row for row in first if row[1] >= CURRENT_CYCLE_START]
        assert current == scaled_demos.scale_one
        earlier = [row for row in first if row[1] < CURRENT_CYCLE_START]
        # One earlier four-year programme per partner with a programme (version 2 when revised).
        assert {row[0] for row in earlier} == {row[0] for row in current}
        assert {row[3] for row in earlier} <= {ProgrammeStatus.AGREED, ProgrammeStatus.SUPERSEDED}
        assert all(row[8] for row in earlier)
        # What a report of this year or last year counts is the same as at scale 1 (what
        # ``bench`` compares): every earlier programme ended before the current cycle, also
        # for a partner whose current programme starts later, and the cycle's years have the
        # same events; the earlier programmes have theirs in their own years.
        assert {row[1] + PROGRAMME_YEARS - 1 for row in earlier} == {CURRENT_CYCLE_START - 1}
        assert any(row[1] > CURRENT_CYCLE_START for row in current)
        assert scaled_demos.events_one
        assert scaled_demos.events_two == scaled_demos.events_one
        assert Event.objects.filter(start_date__year__lt=CURRENT_CYCLE_START).exists()

    def test_earlier_programmes_go_through_the_workflow(self, scaled_demos):
        earlier = Programme.objects.filter(start_year__lt=CURRENT_CYCLE_START, version=1)
        assert earlier.exists()
        for programme in earlier:
            reasons = list(
                programme.history.order_by("history_date", "history_id").values_list(
                    "history_change_reason", flat=True
                )
            )
            assert reasons[:4] == ["create", Action.SUBMIT, Action.APPROVE, Action.RECORD_AGREEMENT]
            # Agreed in the months before its first year, after its approval.
            assert programme.approved_at.date() < programme.agreed_on
            assert programme.agreed_on < datetime.date(programme.start_year, 3, 1)
            # Every planned activity has its creation history row, in the drafter's name.
            history = PlannedActivity.history.filter(programme_id=programme.pk, history_type="+")
            assert history.count() == programme.planned_activities.count() > 0
            assert {row.history_user for row in history} == {programme.created_by}

    def test_earlier_programmes_have_a_finished_history(self, scaled_demos):
        """What a programme that ended leaves to do is nothing: every year reviewed and the
        review acknowledged by an approver who did not write it, every event an outcome."""
        earlier = Programme.objects.filter(
            start_year__lt=CURRENT_CYCLE_START, status=ProgrammeStatus.AGREED
        )
        lineages = set(earlier.values_list("lineage", flat=True))
        assert lineages
        reviews = AnnualReview.objects.filter(lineage__in=lineages).prefetch_related("writers")
        assert {(r.lineage, r.year) for r in reviews} == {
            (lineage, year) for lineage in lineages for year in range(1, PROGRAMME_YEARS + 1)
        }
        for review in reviews:
            assert review.status == ReviewStatus.ACKNOWLEDGED
            assert review.acknowledged_by not in {review.submitted_by, *review.writers.all()}
            assert review.submitted_at < review.acknowledged_at
            assert (
                review.acknowledged_at.year == CURRENT_CYCLE_START - PROGRAMME_YEARS + review.year
            )
        events = Event.objects.filter(lineage__in=lineages)
        assert events.exists()
        assert not events.filter(status=EventStatus.SCHEDULED).exists()


@pytest.mark.django_db
class TestSeedDemoArguments:
    def test_bad_scale_is_refused(self, register):
        with pytest.raises(CommandError):
            call_command("seed_demo", scale=0, stdout=StringIO())
        assert not Programme.objects.exists()


def test_bench_runs_on_a_tiny_demo_and_writes_json(tmp_path):
    out = StringIO()
    result = tmp_path / "bench.json"
    call_command(
        "bench",
        scales=[1, 2],
        requests=1,
        backends=["sqlite"],
        dir=str(tmp_path),
        json=str(result),
        # Two partners show an agreed revision (the version comparison) besides a submitted
        # programme; a short menu makes short programmes, so a short PDF, the slowest page.
        partners=2,
        menu_size=30,
        stdout=out,
    )
    data = json.loads(result.read_text(encoding="utf-8"))
    sqlite = data["backends"]["sqlite"]
    assert set(sqlite["runs"]) == {"1", "2"}
    pages = {row["page"] for row in sqlite["rows"]}
    assert {"home (officer)", "programme page", "partner report PDF", "trivial view"} - pages == {
        "trivial view"
    }
    for row in sqlite["rows"]:
        assert row["median"]["1"] > 0
        assert row["queries"]["1"] > 0
    runs = sqlite["runs"]
    assert runs["2"]["data"]["programmes"] > runs["1"]["data"]["programmes"]
    assert all(target["target"] for target in sqlite["targets"])
    assert "partner report PDF" in out.getvalue()
    # The benchmark databases are removed unless --keep.
    assert not list(tmp_path.glob("*.sqlite3"))
