"""The navigation bar fits on one line at 1,280 px for every role, in English and in French, and
collapses cleanly behind its button on a phone (390 px). With PFP_SCREENSHOT set, screenshots of
each are saved under test-results/navigation/ (ignored by git) to look at."""

import pytest

from tests.support.browser import assert_accessible, expect, keep_screenshot, log_in
from tests.support.factories import role_user

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROLES = ["viewer", "officer", "approver", "menu_manager", "administrator"]

# Where each item of the bar sits, and whether the page is wider than the window.
LAYOUT = """() => {
    const bar = document.querySelector("header nav.navbar");
    const items = [bar.querySelector(".navbar-brand"),
                   ...bar.querySelectorAll("#main-nav .nav-link")];
    return {
        barHeight: bar.getBoundingClientRect().height,
        middles: items.map((item) => {
            const box = item.getBoundingClientRect();
            return Math.round(box.top + box.height / 2);
        }),
        tops: items.map((item) => Math.round(item.getBoundingClientRect().top)),
        rights: items.map((item) => Math.round(item.getBoundingClientRect().right)),
        lefts: items.map((item) => Math.round(item.getBoundingClientRect().left)),
        pageWidth: document.documentElement.scrollWidth,
    };
}"""


def signed_in(browser, live_server, role, language, width):
    user = role_user(role)
    user.language = language
    user.save()
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-GB")
    page = context.new_page()
    log_in(page, live_server, user.username)
    expect(page.locator("html")).to_have_attribute("lang", language)
    return context, page


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "en"])
def test_one_line_at_1280_for_every_role(browser, live_server, language):
    for role in ROLES:
        context, page = signed_in(browser, live_server, role, language, 1280)
        try:
            expect(page.locator("#main-nav")).to_be_visible()
            expect(page.locator(".navbar-toggler")).to_be_hidden()
            layout = page.evaluate(LAYOUT)
            keep_screenshot(page, f"navigation/{role}-{language}-1280.png", full_page=False)
            assert max(layout["middles"]) - min(layout["middles"]) <= 4, (role, layout)
            assert layout["rights"][-1] <= 1280 - 12, (role, layout)
            assert layout["barHeight"] <= 64, (role, layout)
            assert layout["pageWidth"] <= 1280, (role, layout)
            assert_accessible(page)
        finally:
            context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["fr", "en"])
def test_collapsed_behind_its_button_at_390(browser, live_server, language):
    context, page = signed_in(browser, live_server, "administrator", language, 390)
    try:
        expect(page.locator("#main-nav")).to_be_hidden()
        toggler = page.locator(".navbar-toggler")
        expect(toggler).to_be_visible()
        assert page.evaluate(LAYOUT)["pageWidth"] <= 390
        keep_screenshot(page, f"navigation/administrator-{language}-390.png", full_page=False)
        toggler.click()
        expect(page.locator("#main-nav")).to_be_visible()
        expect(toggler).to_have_attribute("aria-expanded", "true")
        page.wait_for_timeout(400)  # Bootstrap's collapse transition
        layout = page.evaluate(LAYOUT)
        keep_screenshot(page, f"navigation/administrator-{language}-390-open.png")
        links = list(
            zip(layout["lefts"][1:], layout["rights"][1:], layout["tops"][1:], strict=True)
        )
        assert all(right <= 390 for _, right, _ in links), layout
        tops = [top for _, _, top in links]
        assert tops == sorted(set(tops)), "one item per line"
        assert layout["pageWidth"] <= 390
        assert_accessible(page)
    finally:
        context.close()
