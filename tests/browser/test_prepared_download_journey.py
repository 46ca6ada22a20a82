"""A download built by the worker, in a real browser, its page checked with axe-core.

A viewer asks for a partner's PDF in the background from the report's page, sees the page that
says it is being prepared, the worker (the real database queue, run here) builds it, the page's
script reads the status again and offers the file without a reload, and the file downloads.
"""

import pytest
from django.utils import timezone

from programmes.models import ProgrammeStatus
from tests.outbox.worker import run_worker
from tests.support.browser import assert_accessible, expect, keep_screenshot, log_in
from tests.support.factories import (
    drafter_of,
    partnerland,
    programme_in_status,
    role_user,
)

pytestmark = [
    # See test_journeys.py: live_server flushes the database, so the data-migration rows (role
    # groups, areas) are restored from a serialized copy.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.browser
def test_a_pdf_prepared_in_the_background(page, live_server, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    partner = partnerland()
    programme_in_status(
        ProgrammeStatus.AGREED,
        officer=drafter_of(partner),
        approver=role_user("approver"),
        partner=partner,
        start_year=timezone.localdate().year - 1,
        objectives=1,
        goals=1,
        activities=2,
    )
    viewer = role_user("viewer")
    log_in(page, live_server, viewer.username)
    page.goto(f"{live_server.url}/reports/partners/{partner.code}/")
    page.get_by_role("button", name="Prepare the PDF in the background").click()

    expect(page.locator("#prepared-status")).to_contain_text("Your file is being prepared")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Report on {partner}")
    assert_accessible(page)

    run_worker()
    expect(page.get_by_text("Your file is ready.")).to_be_visible(timeout=10_000)
    assert_accessible(page)
    keep_screenshot(page, "prepared-download.png")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download ITPP-").click()
    path = tmp_path / "report.pdf"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
