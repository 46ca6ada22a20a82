"""The accessibility check itself: it reports what axe-core finds, and skips a page only when
one of the same structure was checked."""

import pytest

from tests.support.browser import assert_accessible


@pytest.mark.browser
def test_a_violation_fails_with_the_rule_and_the_element(page):
    page.set_content(
        '<html lang="en"><head><title>A page</title></head><body><main>'
        '<h1>A page</h1><img src="data:," id="unlabelled-picture"></main></body></html>'
    )

    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)

    assert "image-alt" in str(failure.value)
    assert "#unlabelled-picture" in str(failure.value)


@pytest.mark.browser
def test_an_accessible_page_passes_and_its_twin_is_not_checked_again(page):
    page.set_content(
        '<html lang="en"><head><title>A page</title></head><body><main>'
        '<h1>A page</h1><img src="data:," alt="A picture"></main></body></html>'
    )
    assert_accessible(page)

    page.set_content(
        '<html lang="en"><head><title>Another page</title></head><body><main>'
        '<h1>Another page</h1><img src="data:," alt="Another picture"></main></body></html>'
    )
    # A second check would call this axe-core, and fail.
    page.evaluate("() => { window.axe = {run: () => { throw new Error('checked again'); }}; }")
    assert_accessible(page)
