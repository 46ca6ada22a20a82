"""SQLite gets the same options whatever names the file (the default ``data/pfp.sqlite3`` or a
``DATABASE_URL``): a transaction that reads, then writes while another connection holds the write
lock waits for it and succeeds, instead of failing at once with "database is locked".

Settings are read once per process, so each case runs ``manage.py shell`` in a subprocess with
its own environment, on a SQLite file in a tmp folder."""

import json

import pytest

from tests.support.security_production import manage

# The same answer on every engine: the subprocesses use SQLite files of their own.
pytestmark = pytest.mark.database_independent

DEVELOPMENT_ENV = {"DJANGO_DEBUG": "1"}

SHOW_DATABASE = (
    "import json; from django.conf import settings as s; d = s.DATABASES['default']; "
    "print(json.dumps({'options': d['OPTIONS'], 'test_name': str(d['TEST'].get('NAME'))}))"
)

# Another connection (another server, as far as SQLite knows) holds the write lock for half a
# second; meanwhile this one reads, then writes, in one transaction, as every workflow step does.
WRITE_UNDER_A_HELD_LOCK = """
import json, sqlite3, threading, time
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE probe (n integer)")
holder = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None,
                         check_same_thread=False)
holder.execute("BEGIN IMMEDIATE")
holder.execute("INSERT INTO probe VALUES (0)")
threading.Timer(0.5, holder.execute, ["COMMIT"]).start()
started = time.monotonic()
try:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM probe")
        cursor.execute("INSERT INTO probe VALUES (1)")
    outcome = "written"
except Exception as error:
    outcome = f"{type(error).__name__}: {error}"
waited = time.monotonic() - started
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM probe ORDER BY n")
    rows = [n for (n,) in cursor.fetchall()]
print(json.dumps({"outcome": outcome, "waited": waited, "rows": rows}))
"""


def run(code, env):
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def without_database_url(env):
    return {**env, "DATABASE_URL": "", "PFP_TEST_DB_SUFFIX": ""}


@pytest.mark.parametrize("file_name", ["pfp.sqlite3", "bench_1.db"])
def test_a_database_url_naming_a_sqlite_file_gets_the_default_options(tmp_path, file_name):
    default = run(SHOW_DATABASE, without_database_url(DEVELOPMENT_ENV))
    assert default["options"] == {"transaction_mode": "IMMEDIATE", "timeout": 20}
    env = {**DEVELOPMENT_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / file_name}"}
    named = run(SHOW_DATABASE, {**env, "PFP_TEST_DB_SUFFIX": "x"})
    assert named["options"] == default["options"]
    # Tests run on a file beside it (not in memory), kept apart by the suffix.
    stem = file_name.partition(".")[0]
    assert named["test_name"] == str(tmp_path / f"test_{stem}x.sqlite3")


def test_an_option_in_the_url_wins(tmp_path):
    env = {**DEVELOPMENT_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'pfp.sqlite3'}?timeout=3"}
    options = run(SHOW_DATABASE, env)["options"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 3


def test_a_write_waits_for_a_held_lock_and_succeeds(tmp_path):
    env = {**DEVELOPMENT_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'pfp.sqlite3'}"}
    result = run(WRITE_UNDER_A_HELD_LOCK, env)
    assert result["outcome"] == "written"
    assert result["waited"] >= 0.4
    assert result["rows"] == [0, 1]
