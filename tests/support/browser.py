"""What the browser tests (tests/browser) share: signing in, the axe-core check, screenshots to
look at, and Playwright's ``expect`` (None when Playwright is not installed: the ``browser``
fixture then skips the tests, or fails them in CI)."""

import os
from pathlib import Path

import pytest

try:
    from axe_playwright_python.base import AXE_SCRIPT
    from playwright.sync_api import expect
except ImportError:
    AXE_SCRIPT = expect = None

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


# Where the screenshots to look at go (ignored by git), when PFP_SCREENSHOT is set.
RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def keep_screenshot(page, path, *, full_page=True):
    """Save a screenshot of the page as ``path`` (under test-results/) to look at, when
    ``PFP_SCREENSHOT`` is set (``make screenshots``). The suite itself does not take them: a
    full-page screenshot is a quarter to half a second of Chromium's time, and what the pages
    must show is checked by the tests, not by the pictures."""
    if os.environ.get("PFP_SCREENSHOT"):
        target = RESULTS / path
        target.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=target, full_page=full_page)


# What axe-core's rules look at, per element: its tag, classes, role, type, the ARIA and other
# attributes it has (their values are ids and text, different on every row), whether it holds
# text of its own, with the page's language and width. A page whose set of such
# element kinds was already checked (the same page again after a step added a table row, or
# another programme's page) cannot show a violation the first check did not: it is not
# checked again. A page with anything new (an error list, a message, a form) is.
PAGE_STRUCTURE = """() => {
    const kinds = new Set();
    for (const element of document.querySelectorAll("*")) {
        const attributes = [];
        for (const attribute of element.attributes) {
            const name = attribute.name;
            if (["role", "type", "scope", "lang"].includes(name)) {
                attributes.push(name + "=" + attribute.value);
            } else if (name.startsWith("aria-") || ["alt", "for", "tabindex", "disabled",
                    "hidden", "title", "headers", "href", "name", "id"].includes(name)) {
                attributes.push(name);
            }
        }
        const text = Array.from(element.childNodes).some(
            (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
        kinds.add([element.tagName, element.getAttribute("class"), attributes.sort().join(" "), text].join("|"));
    }
    return [document.documentElement.lang, window.innerWidth, ...Array.from(kinds).sort()]
        .join("\\n");
}"""

# Structures already checked in this test process (a worker of pytest-xdist).
_checked: set[int] = set()


def assert_accessible(page):
    """Fail with each axe-core violation (id, help and the nodes concerned) found on the page,
    unless a page of the same structure was already checked (``PAGE_STRUCTURE``). The page is
    checked once it has loaded: a document still arriving lacks the end of its text, which axe
    would report (a button without its label). axe-core is put in the page once (a page after a
    click is a new page), and only its violations come back (its whole results, with every rule
    that passed, took a third of the time)."""
    page.wait_for_load_state("load")
    structure = hash(page.evaluate(PAGE_STRUCTURE))
    if structure in _checked:
        return
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    violations = page.evaluate(
        "options => axe.run(document, options).then(results => results.violations)", AXE_OPTIONS
    )
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {' '.join(map(str, node['target']))}: {node['html']}")
                summary = node.get("failureSummary") or ""
                lines.extend(f"      {line.strip()}" for line in summary.splitlines()[1:])
        pytest.fail("\n".join(lines), pytrace=False)
    _checked.add(structure)


def log_in(page, live_server, username):
    """Sign ``username`` in and open the dashboard, where the sign-in form lands: the session a
    sign-in makes (Django's ``force_login``, which sends ``user_logged_in`` as the form does),
    its cookie given to the page's browser context. The form itself (0.7 s a time) is driven by
    the journeys that test signing in (``sign_in_with_form``)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )
    page.goto(f"{live_server.url}/")


def sign_in_with_form(page, live_server, username, password):
    """Sign in through the login page's form, as a person does."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
