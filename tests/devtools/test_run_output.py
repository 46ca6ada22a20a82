"""What ``make run`` prints: the demo users and their passwords last, in a framed block; on a
second run, how to give them new passwords (``seed_demo --reset-passwords``), which touches
the demo users' passwords and nothing else."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from partners.models import Partner
from pfp.models import PASSWORD_CHANGED, User
from programmes.devtools.demo.programmes import DemoProgrammes
from programmes.devtools.management.commands import seed_demo
from programmes.devtools.users import demo_usernames
from tests.support.factories import TEST_PASSWORD, UserFactory

RULE = re.compile(r"^=+$")
ROW = re.compile(r"^  (\S+)\s+(\S+)\s+(.+)$")


@pytest.fixture
def register(register_loaded_for_the_class, db):
    return Partner.objects.all()


@pytest.fixture(autouse=True)
def no_demo_menu_or_programmes(monkeypatch):
    """The output is what matters here: the demo menu and programmes take seconds, and
    test_demo_menu.py and test_demo_programmes.py run the whole command."""
    monkeypatch.setattr(seed_demo, "seed_demo_menu", lambda size: 0)
    monkeypatch.setattr(seed_demo, "seed_demo_programmes", DemoProgrammes)


def last_box(out: str) -> tuple[list[str], list[str]]:
    """The lines of the last framed block of ``out``, and what was printed after it."""
    lines = out.splitlines()
    rules = [i for i, line in enumerate(lines) if RULE.match(line)]
    assert len(rules) >= 2, out
    first, last = rules[-2], rules[-1]
    assert lines[first] == lines[last], "the two rules of a block have one length"
    return lines[first + 1 : last], lines[last + 1 :]


def rows(box: list[str]) -> dict[str, str]:
    """username: password, from the block's rows."""
    return {match[1]: match[2] for line in box if (match := ROW.match(line))}


class TestFirstRun:
    def test_the_users_are_the_last_thing_printed_in_a_framed_block(self, register, capsys):
        call_command("seed_demo", if_empty=True)
        out = capsys.readouterr().out
        box, after = last_box(out)
        assert after == []
        passwords = rows(box)
        assert list(passwords) == demo_usernames()
        for username, password in passwords.items():
            assert User.objects.get(username=username).check_password(password)
        assert "shown only this once" in box[0]
        assert "seed_demo --reset-passwords" in box[-1]
        # Everything else (the menu, programmes and delivery lines) comes before the block.
        before = out[: out.index(box[0])]
        assert "Programmes:" in before
        assert "Delivery:" in before

    def test_the_rules_are_as_wide_as_the_longest_line(self, register, capsys):
        call_command("seed_demo")
        out = capsys.readouterr().out
        box, _ = last_box(out)
        rule = next(line for line in reversed(out.splitlines()) if RULE.match(line))
        assert len(rule) == max(len(line) for line in box)


class TestSecondRun:
    def test_says_how_to_get_new_passwords_and_shows_none(self, register, capsys):
        call_command("seed_demo", if_empty=True)
        capsys.readouterr()
        call_command("seed_demo", if_empty=True)
        out = capsys.readouterr().out
        assert "no demo data added" in out
        box, after = last_box(out)
        assert after == []
        assert rows(box) == {}
        assert any(".venv/bin/python manage.py seed_demo --reset-passwords" in line for line in box)

    def test_no_hint_when_the_users_are_not_the_demo_ones(self, register, no_role_user, capsys):
        call_command("seed_demo", if_empty=True)
        out = capsys.readouterr().out
        assert "no demo data added" in out
        assert "--reset-passwords" not in out


class TestResetPasswords:
    def test_gives_only_the_demo_users_new_passwords_and_prints_them(self, register, capsys):
        call_command("seed_demo")
        first = rows(last_box(capsys.readouterr().out)[0])
        someone = UserFactory(username="someone")
        hashes = dict(User.objects.values_list("username", "password"))
        partners = Partner.objects.count()

        call_command("seed_demo", reset_passwords=True)
        box, after = last_box(capsys.readouterr().out)

        assert after == []
        new = rows(box)
        assert list(new) == demo_usernames()
        for username, password in new.items():
            user = User.objects.get(username=username)
            assert password != first[username]
            assert user.check_password(password)
            assert user.password != hashes[username]
            latest = user.history.latest()
            assert latest.history_change_reason == PASSWORD_CHANGED
            assert latest.history_user is None
        someone.refresh_from_db()
        assert someone.password == hashes["someone"]
        assert someone.check_password(TEST_PASSWORD)
        assert User.objects.count() == len(demo_usernames()) + 1
        assert Partner.objects.count() == partners

    def test_with_no_demo_user_changes_nothing(self, register, no_role_user, capsys):
        before = no_role_user.password
        call_command("seed_demo", reset_passwords=True)
        out = capsys.readouterr().out
        assert "no demo user" in out
        no_role_user.refresh_from_db()
        assert no_role_user.password == before


def test_make_run_seeds_last_before_serving():
    """The block is the last thing before the processes' own lines: seed_demo is the run
    target's last step before it starts the worker, the scheduler and the server (in one shell
    line, so that Ctrl-C stops the three), and the server comes last."""
    makefile = (Path(settings.BASE_DIR) / "Makefile").read_text(encoding="utf-8")
    target = re.search(r"^run:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)[1]
    steps = [line.strip() for line in target.splitlines()]
    seeding = next(n for n, step in enumerate(steps) if "manage.py seed_demo --if-empty" in step)
    started = steps[seeding + 1 :]
    assert [step for step in started if "manage.py" in step] == [
        step
        for step in started
        if any(name in step for name in ("db_worker", "run_schedule", "runserver"))
    ]
    assert "manage.py runserver" in started[-1]
    assert all(step.endswith("\\") for step in started[:-1])  # one shell line
