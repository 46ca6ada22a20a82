"""The partner data file loads idempotently; seed_demo makes one user per role, once."""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from partners.loading import DATA_FILE, load_partners
from partners.models import Partner, StatusEvent
from pfp.models import User
from pfp.roles import Role
from programmes.devtools.demo.programmes import DemoProgrammes
from programmes.devtools.management.commands import seed_demo


@pytest.mark.django_db
class TestLoadPartners:
    def test_loads_the_53_real_partners(self):
        result = load_partners()
        assert result.partners_created == 53
        assert Partner.objects.count() == 53
        assert Partner.objects.get(code="MT").status_events.count() == 3

    def test_second_load_changes_nothing(self):
        load_partners()
        history_rows = Partner.history.count() + StatusEvent.history.count()
        result = load_partners()
        assert not result.changed
        assert Partner.history.count() + StatusEvent.history.count() == history_rows

    def test_command_is_idempotent(self, capsys):
        call_command("load_partners")
        call_command("load_partners")
        assert "0 created, 0 updated; status events: 0 added" in capsys.readouterr().out

    def test_impossible_history_in_file_writes_nothing(self, tmp_path):
        data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
        data["partners"][-1]["events"].append({"kind": "suspended", "on": "1900-01-01"})
        bad = tmp_path / "partners.json"
        bad.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(ValidationError) as refused:
            load_partners(path=bad)
        assert data["partners"][-1]["code"] in refused.value.messages[0]
        assert Partner.objects.count() == 0
        assert StatusEvent.objects.count() == 0

    @pytest.mark.parametrize("content", ["", "not json", "[]", '{"partners": [{"code": "XX"}]}'])
    def test_malformed_file_gives_a_clear_error(self, tmp_path, content):
        bad = tmp_path / "partners.json"
        bad.write_text(content, encoding="utf-8")
        with pytest.raises(CommandError):
            call_command("load_partners", file=bad)
        assert Partner.objects.count() == 0


@pytest.mark.django_db
class TestSeedDemo:
    @pytest.fixture
    def register(self, register_loaded_for_the_class, db):
        return Partner.objects.all()

    @pytest.fixture(autouse=True)
    def no_demo_menu_or_programmes(self, monkeypatch):
        """These tests are about the users: the demo menu (1,400 activities) and the demo
        programmes (built through the workflow) take seconds, and test_demo_menu.py and
        test_demo_programmes.py run the whole command."""
        monkeypatch.setattr(seed_demo, "seed_demo_menu", lambda size: 0)
        monkeypatch.setattr(seed_demo, "seed_demo_programmes", DemoProgrammes)

    def test_one_user_per_role_with_printed_passwords(self, register, capsys):
        call_command("seed_demo", if_empty=True)
        out = capsys.readouterr().out
        for username in ["viewer", "officer", "approver", "menumanager", "admin"]:
            line = next(line for line in out.splitlines() if line.strip().startswith(username))
            password = line.split()[1]
            assert User.objects.get(username=username).check_password(password)
        assert User.objects.get(username="admin").is_superuser
        assert User.objects.get(username="officer").groups.get().name == Role.PROGRAMME_OFFICER
        assert User.objects.get(username="officer").assigned_partners.count() == 5

    def test_passwords_are_random_and_long(self, register, capsys):
        call_command("seed_demo")
        passwords = re.findall(r"^\s+\S+\s+(\S+)", capsys.readouterr().out, re.MULTILINE)
        # One per role, and the demo programmes' second officer and second approver.
        assert len(set(passwords)) == 7
        assert all(len(p) >= 12 for p in passwords)

    def test_if_empty_does_nothing_when_users_exist(self, register, viewer, capsys):
        call_command("seed_demo", if_empty=True)
        assert User.objects.count() == 1
        assert "no demo data" in capsys.readouterr().out


@pytest.mark.django_db
def test_seed_demo_loads_an_empty_register_first(capsys):
    """Without partners the demo had no officer to assign nor programme to build ("Programmes:
    0 created"): it loads the register first, as ``load_partners`` does."""
    call_command("seed_demo", partners=1, menu_size=60)
    out = capsys.readouterr().out
    assert Partner.objects.count() == 53
    assert "The partner register was empty: 53 partners loaded" in out
    assert re.search(r"^Programmes: [1-9]\d* created", out, re.MULTILINE)
    assert User.objects.get(username="officer").assigned_partners.count() == 5
    Partner.objects.filter(code="MT").update(name="Malta (renamed here)")
    call_command("seed_demo", partners=1, menu_size=60)
    assert "register" not in capsys.readouterr().out
    assert Partner.objects.get(code="MT").name == "Malta (renamed here)"
