"""Browser tests: Playwright's sync API drives Debian's chromium against pytest-django's live server.

- One chromium for the whole session; each test gets a fresh context and page
  (``new_page()`` opens more, one per user).
- Chromium or Playwright missing: the tests are skipped with the reason, or fail when ``CI`` is
  set, so that a CI run never passes without them.
- While Playwright runs, its event loop is marked as running in the main thread, so Django's
  "async unsafe" guard would refuse every database query made by the test and its fixtures:
  ``DJANGO_ALLOW_ASYNC_UNSAFE`` is set for as long as the browser is up (and only then), the
  database connections made before are kept (see ``_start_keeping_django_connections``), and
  the browser tests are moved to the end of the run so that no other test runs beside that loop.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last (after pytest-django's own ordering), see the module docstring."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def _unavailable(reason):
    """Skip, or fail when running in CI: browser tests must never vanish silently there."""
    if os.environ.get("CI"):
        pytest.fail(f"Browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def _start_keeping_django_connections(sync_playwright):
    """Start Playwright, and keep using the database connections the tests used so far.

    Django keeps its connections in an asgiref ``Local``: thread-local while no event loop runs,
    but per-context once one does. Without this, the tests would get new connection objects
    when Playwright starts, without the test database's serialized contents (which
    ``serialized_rollback`` restores) if earlier tests had already created it.
    """
    from django.db import connections

    kept = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in kept.items():
        connections[alias] = connection
    return playwright


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _unavailable(f"Playwright is not installed ({exc}); install the dev extras.")
    try:
        import axe_playwright_python.sync_playwright  # noqa: F401
    except ImportError as exc:
        _unavailable(f"axe-playwright-python is not installed ({exc}); install the dev extras.")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium).")

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = _start_keeping_django_connections(sync_playwright)
    try:
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as exc:
            pytest.fail(f"Chromium at {CHROMIUM} did not start: {exc}", pytrace=False)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        # The loop is stopped: Django's guard may come back.
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _new_context(browser):
    """A fresh browser context (its own cookies) whose language is English."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(browser):
    context = _new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def new_page(browser):
    """``new_page()``: a page in a fresh browser context of its own (its own cookies: one user
    each), whose language is English."""
    contexts = []

    def open_page():
        contexts.append(_new_context(browser))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()
