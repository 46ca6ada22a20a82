"""The demo menu: realistic, deterministic, idempotent, valid, with history rows."""

import re
import time

import pytest
from django.core.management import call_command

from pfp.models import User
from programmes.devtools.demo.menu import TOPICS, generate_demo_rows, seed_demo_menu
from programmes.menu.models import (
    ACTIVITY_CODE_PATTERN,
    Activity,
    ActivityType,
    Area,
    DeliveryMode,
    Provider,
    ProviderKind,
)

SMALL = 120


def snapshot():
    return list(Activity.objects.order_by("code").values_list("code", "title_en", "title_fr"))


@pytest.mark.django_db
class TestFullSizeMenu:
    def test_about_1400_activities_covering_the_whole_taxonomy(self):
        started = time.perf_counter()
        created = seed_demo_menu()
        elapsed = time.perf_counter() - started

        assert 1350 <= created <= 1450
        assert Activity.objects.count() == created
        assert elapsed < 10, f"seed_demo_menu took {elapsed:.1f} s"
        assert set(Activity.objects.values_list("area__code", flat=True)) == set(
            Area.objects.values_list("code", flat=True)
        )
        assert len(TOPICS) == Area.objects.count() == 21
        assert set(Activity.objects.values_list("type", flat=True)) == set(ActivityType.values)
        assert set(Activity.objects.values_list("delivery_mode", flat=True)) == set(
            DeliveryMode.values
        )
        assert set(Activity.objects.values_list("provider__kind", flat=True)) == set(
            ProviderKind.values
        )
        assert 20 <= Provider.objects.count() <= 30
        assert not Provider.objects.filter(activities__isnull=True).exists()

        codes = list(Activity.objects.values_list("code", flat=True))
        assert len(set(codes)) == len(codes)
        assert all(re.match(ACTIVITY_CODE_PATTERN, code) for code in codes)

        retired = Activity.objects.retired().count()
        assert 0.01 * created <= retired <= 0.04 * created
        # Titles repeat rarely: the same topic may come from two providers, not often.
        assert Activity.objects.values("title_en").distinct().count() > 0.95 * created
        assert Activity.history.count() == created


@pytest.fixture(scope="class")
def built_small_menu(class_transaction):
    """For ``TestSmallMenu``, which only reads it: the demo menu of ``SMALL`` activities."""
    seed_demo_menu(size=SMALL)


@pytest.fixture(scope="class")
def built_menu_of_400(class_transaction):
    """For ``TestMenuOf400``, which only reads it: a demo menu of 400 activities, enough for
    every kind of activity to show its range of values."""
    seed_demo_menu(size=400)


@pytest.mark.django_db
class TestTinyMenu:
    def test_every_area_type_mode_and_provider_kind_even_when_small(self):
        assert seed_demo_menu(size=25) == 25
        assert Activity.objects.values("area").distinct().count() == 21
        assert Activity.objects.values("type").distinct().count() == len(ActivityType.values)
        assert Activity.objects.values("delivery_mode").distinct().count() == len(
            DeliveryMode.values
        )
        assert Activity.objects.values("provider__kind").distinct().count() == len(
            ProviderKind.values
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("built_small_menu")
class TestSmallMenu:
    def test_codes_follow_the_area_and_the_pattern(self):
        for activity in Activity.objects.select_related("area"):
            assert re.match(ACTIVITY_CODE_PATTERN, activity.code)
            assert re.fullmatch(rf"{activity.area.code.upper()}-\d{{4}}", activity.code)

    def test_every_activity_passes_model_validation(self):
        for activity in Activity.objects.all():
            activity.full_clean()

    def test_titles_and_descriptions_in_english_and_french(self):
        assert not Activity.objects.filter(title_fr="").exists()
        assert not Activity.objects.filter(description_fr="").exists()
        assert not Activity.objects.filter(description_en="").exists()
        course = Activity.objects.filter(type=ActivityType.COURSE).first()
        assert course.title_en.endswith(" — course")
        assert course.title_fr.endswith(" — cours")
        assert "Organisateur" in course.description_fr
        assert course.provider.name in course.description_en

    def test_each_activity_has_a_creation_history_row(self):
        assert Activity.history.filter(history_type="+").count() == SMALL
        activity = Activity.objects.order_by("code").first()
        row = activity.history.get()
        assert row.title_en == activity.title_en
        assert row.history_user is None


@pytest.mark.django_db
@pytest.mark.usefixtures("built_menu_of_400")
class TestMenuOf400:
    def test_plausible_values(self):
        exercises = Activity.objects.filter(type=ActivityType.EXERCISE)
        visits = Activity.objects.filter(type=ActivityType.EXPERT_VISIT)
        assert exercises.exists()
        assert visits.exists()
        assert min(exercises.values_list("length_days", flat=True)) >= 7
        assert max(visits.values_list("length_days", flat=True)) <= 4
        assert set(Activity.objects.values_list("length_days", flat=True)) <= set(range(1, 21))
        years = set(Activity.objects.values_list("first_offered", flat=True))
        assert min(years) >= 2012
        assert max(years) <= 2026
        assert not exercises.filter(delivery_mode=DeliveryMode.ONLINE).exists()

    def test_some_retired_never_before_first_offered(self):
        retired = Activity.objects.retired()
        assert retired.exists()
        for activity in retired:
            assert activity.first_offered <= activity.retired_in <= 2026


@pytest.mark.django_db
class TestDeterministicAndIdempotent:
    def test_same_seed_same_menu_other_seed_other_titles(self):
        seed_demo_menu(size=SMALL)
        first = snapshot()
        Activity.objects.all().delete()

        assert seed_demo_menu(size=SMALL) == SMALL
        assert snapshot() == first
        Activity.objects.all().delete()

        assert seed_demo_menu(seed=7, size=SMALL) == SMALL
        other = snapshot()
        assert [title for _, title, _ in other] != [title for _, title, _ in first]

    def test_a_larger_menu_starts_with_the_smaller_one(self):
        small = generate_demo_rows(seed=1994, size=50, area_codes=list(TOPICS))
        large = generate_demo_rows(seed=1994, size=100, area_codes=list(TOPICS))
        assert large[:50] == small

    def test_second_run_creates_nothing(self):
        assert seed_demo_menu(size=SMALL) == SMALL
        providers = Provider.objects.count()
        history = Activity.history.count()
        assert seed_demo_menu(size=SMALL) == 0
        assert Activity.objects.count() == SMALL
        assert Provider.objects.count() == providers
        assert Activity.history.count() == history

    def test_existing_codes_are_left_alone(self):
        seed_demo_menu(size=SMALL)
        kept = Activity.objects.order_by("code").first()
        Activity.objects.exclude(pk=kept.pk).delete()
        Activity.objects.filter(pk=kept.pk).update(title_en="Changed by a menu manager")

        assert seed_demo_menu(size=SMALL) == SMALL - 1
        kept.refresh_from_db()
        assert kept.title_en == "Changed by a menu manager"


@pytest.mark.django_db
class TestSeedDemoCommand:
    # The whole demo, seeded once and again: tests/devtools/test_demo_programmes.py
    # (TestSeededDemo), which seeds it once for all its tests.

    def test_if_empty_with_users_adds_no_menu(self, viewer, capsys):
        call_command("seed_demo", if_empty=True)
        assert "no demo data" in capsys.readouterr().out
        assert not Activity.objects.exists()
        assert User.objects.count() == 1
