"""The schedule: each periodic task enqueued once per occasion, whoever runs the scheduler and
however often; the real settings name tasks that exist."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.tasks import Task
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from pfp.outbox import schedule
from pfp.outbox.models import ScheduledRun

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
MONDAY_MORNING = datetime.datetime(2026, 12, 7, 7, 30, tzinfo=BRUSSELS)

PLAN = {
    "sweep": {"task": "pfp.outbox.tasks.sweep_outbox", "every": "minute"},
    "daily": {"task": "pfp.outbox.tasks.send_daily_digests", "every": "day", "at": "07:00"},
    "weekly": {"task": "pfp.outbox.tasks.send_weekly_digests", "every": "week", "at": "07:00"},
    "monthly": {
        "task": "programmes.reminders.send_ending_reminders",
        "every": "month",
        "at": "06:30",
    },
}


def test_the_settings_schedule_tasks_that_exist(settings):
    for entry in settings.PFP_SCHEDULE.values():
        assert isinstance(import_string(entry["task"]), Task)
        assert schedule.occasion(entry["every"], entry.get("at", ""), MONDAY_MORNING)


@pytest.mark.parametrize(
    ("every", "at", "when", "expected"),
    [
        ("minute", "", MONDAY_MORNING, "2026-12-07T07:30"),
        ("hour", "", MONDAY_MORNING, "2026-12-07T07"),
        ("day", "07:00", MONDAY_MORNING, "2026-12-07"),
        ("day", "08:00", MONDAY_MORNING, None),  # not yet that time of day
        ("week", "07:00", MONDAY_MORNING, "2026-W50"),
        ("week", "07:00", MONDAY_MORNING + datetime.timedelta(days=3), "2026-W50"),
        ("month", "06:30", MONDAY_MORNING, "2026-12"),
    ],
)
def test_occasions(every, at, when, expected):
    assert schedule.occasion(every, at, when) == expected


@pytest.mark.django_db
def test_each_occasion_is_enqueued_once(
    settings, queue_and_relay, django_capture_on_commit_callbacks
):
    settings.PFP_SCHEDULE = PLAN
    with django_capture_on_commit_callbacks(execute=True):
        first = schedule.run_due(now=MONDAY_MORNING)
        again = schedule.run_due(now=MONDAY_MORNING)  # another scheduler, the same minute
        later = schedule.run_due(now=MONDAY_MORNING + datetime.timedelta(minutes=1))
        next_day = schedule.run_due(now=MONDAY_MORNING + datetime.timedelta(days=1))
    assert sorted(first) == [
        "daily 2026-12-07",
        "monthly 2026-12",
        "sweep 2026-12-07T07:30",
        "weekly 2026-W50",
    ]
    assert again == []
    assert later == ["sweep 2026-12-07T07:31"]
    assert sorted(next_day) == ["daily 2026-12-08", "sweep 2026-12-08T07:30"]
    assert ScheduledRun.objects.count() == 7
    enqueued = sorted(DBTaskResult.objects.values_list("task_path", flat=True))
    assert enqueued.count("pfp.outbox.tasks.sweep_outbox") == 3
    assert enqueued.count("pfp.outbox.tasks.send_daily_digests") == 2
    assert enqueued.count("programmes.reminders.send_ending_reminders") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_command_checks_once(settings, queue_and_relay):
    settings.PFP_SCHEDULE = {"sweep": PLAN["sweep"]}
    call_command("run_schedule", "--once", verbosity=0)
    assert DBTaskResult.objects.get().task_path == "pfp.outbox.tasks.sweep_outbox"
    assert ScheduledRun.objects.get().name == "sweep"
