"""``manage.py`` in a subprocess under the production settings (``DJANGO_DEBUG`` off, a secret
key, an allowed host), for the tests of what a production start really gets
(``tests/security/test_security.py``, ``tests/security/test_sessions_headers.py``)."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "pfp.example.org",
    "DATABASE_URL": "sqlite:////tmp/pfp-deploy-check.sqlite3",
}


def manage(*args, env):
    """``manage.py *args`` with ``env`` instead of the ``DJANGO_*`` variables of this run."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
