"""What the browser tests (tests/browser) share: signing in, the axe-core check, and Playwright's
``expect`` (None when Playwright is not installed: the ``browser`` fixture then skips the tests,
or fails them in CI)."""

import pytest

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def assert_accessible(page):
    """Fail with each axe-core violation (id, help and the nodes concerned) found on the page."""
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {' '.join(map(str, node['target']))}: {node['html']}")
                summary = node.get("failureSummary") or ""
                lines.extend(f"      {line.strip()}" for line in summary.splitlines()[1:])
        pytest.fail("\n".join(lines), pytrace=False)


def log_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
