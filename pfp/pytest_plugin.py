"""Loaded by pytest before pytest-django reads the settings (``-p pfp.pytest_plugin``).

Tests use the development settings (no HTTPS redirect); Django's test runner turns DEBUG off for
the tests themselves. Production settings are checked in their own tests, in subprocesses.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")
