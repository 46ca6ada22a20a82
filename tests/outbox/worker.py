"""The real queue for tests: tasks stored by django-tasks-db, run by its worker
(``db_worker --batch``: until nothing is ready), in this process or in subprocesses."""

import os
import signal
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection

ROOT = Path(settings.BASE_DIR)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


def run_worker() -> None:
    """The worker, in this process, until the queue has nothing ready (its batch mode); the
    signal handlers it installs are given back to the test run afterwards."""
    handlers = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    try:
        _db_worker()
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def _db_worker() -> None:
    call_command(
        "db_worker",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        "--interval=0",
        "--verbosity=0",
    )


def database_url() -> str:
    """The test database, for a worker started in another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(relay_file: Path, worker_id: str, **extra_env) -> subprocess.Popen:
    """``manage.py db_worker --batch`` in a process of its own, on the test database, with the
    file-backed relay as its mail server."""
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": database_url(),
        "DJANGO_EMAIL_BACKEND": "tests.outbox.relay.Relay",
        "PFP_TEST_RELAY": str(relay_file),
        **extra_env,
    }
    env.pop("DJANGO_TASKS_IMMEDIATE", None)
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0",
            "--verbosity=0",
            f"--worker-id={worker_id}",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(process: subprocess.Popen) -> tuple[int, str]:
    """Wait for a worker started by ``start_worker``: its exit code and what it wrote."""
    _, errors = process.communicate(timeout=120)
    return process.returncode, errors
