"""Downloads built by the worker on the real database queue (``tests.outbox.worker``): asked for
with a POST, shown as being prepared, built, offered to the one who asked only while they may
still see what it holds; failures shown; a few at a time per user; old files cleaned up. And the
PDF of an agreed version laid out once until something in it changes."""

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from partners import actions as partners_actions
from pfp.downloads import storage
from pfp.downloads.models import PreparedFile
from pfp.downloads.tasks import delete_old_files
from programmes.models import Programme, ProgrammeStatus
from programmes.reports import prepared
from tests.outbox.worker import run_worker
from tests.support.factories import (
    PartnerFactory,
    drafter_of,
    partnerland,
    programme_in_status,
    representative_of,
    role_user,
)
from tests.support.pages import messages_of

S = PreparedFile.Status
CROSS_SLUG = "programmes-by-status"


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def agreed(db):
    partner = partnerland()
    return programme_in_status(
        ProgrammeStatus.AGREED,
        officer=drafter_of(partner),
        approver=role_user("approver"),
        partner=partner,
        start_year=timezone.localdate().year - 1,
        objectives=1,
        goals=1,
        activities=2,
    )


@pytest.fixture
def layouts(monkeypatch):
    """Counts the times WeasyPrint lays a PDF out."""
    calls = []
    real = prepared.lay_out

    def counted(html, *, base_url):
        calls.append(html)
        return real(html, base_url=base_url)

    monkeypatch.setattr(prepared, "lay_out", counted)
    return calls


def ask_for_pdf(client, programme):
    url = reverse("programmes:partner_report_prepare", args=[programme.partner.code])
    return client.post(url, {"version": programme.pk})


def ask_for_excel(client):
    url = reverse("programmes:cross_report_prepare", args=[CROSS_SLUG])
    return client.post(url)


def status_page(pk):
    return reverse("programmes:prepared_file", args=[pk])


def file_url(pk):
    return reverse("programmes:prepared_file_download", args=[pk])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_pdf_is_built_by_the_worker_and_offered_to_the_one_who_asked(
    queue, client, agreed, layouts
):
    viewer = role_user("viewer")
    client.force_login(viewer)
    response = ask_for_pdf(client, agreed)
    file = PreparedFile.objects.get()
    assert response.url == status_page(file.pk)
    assert (file.requested_by, file.status, file.params) == (
        viewer,
        S.PENDING,
        {"code": agreed.partner.code, "version": agreed.pk},
    )
    # Enqueued on the real queue, not run yet.
    assert DBTaskResult.objects.filter(task_path__contains="build_prepared_file").count() == 1
    page = client.get(status_page(file.pk))
    assert b'data-refresh="2"' in page.content  # read again every two seconds
    assert b"pfp/prepared.js" in page.content
    assert "Your file is being prepared" in page.text
    assert client.get(file_url(file.pk)).status_code == 404  # not ready

    run_worker()

    file.refresh_from_db()
    assert (file.status, file.progress, file.error) == (S.READY, 100, "")
    assert default_storage.exists(file.file.name)
    page = client.get(status_page(file.pk))
    assert b"pfp/prepared.js" not in page.content
    assert "Your file is ready." in page.text
    download = client.get(file_url(file.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        f'attachment; filename="ITPP-{agreed.partner.code}-{agreed.start_year}-'
        f'{agreed.end_year}-v{agreed.version}.pdf"'
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "private, no-store"
    assert len(layouts) == 1

    # Another user: neither the page nor the file.
    client.force_login(role_user("approver"))
    assert client.get(status_page(file.pk)).status_code == 404
    assert client.get(file_url(file.pk)).status_code == 404


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_excel_of_every_version_is_built_and_visibility_is_asked_again_on_download(
    queue, client, agreed
):
    viewer = role_user("viewer")
    client.force_login(viewer)
    ask_for_excel(client)
    file = PreparedFile.objects.get()
    run_worker()
    file.refresh_from_db()
    assert file.status == S.READY
    download = client.get(file_url(file.pk))
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert "About" in workbook.sheetnames
    cells = {
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    }
    assert agreed.title in cells

    viewer.groups.clear()  # no role left: may no longer read programmes
    refused = client.get(file_url(file.pk))
    assert refused.status_code == 403


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_representative_moved_to_another_partner_is_no_longer_served(queue, client, agreed):
    representative = representative_of(agreed.partner)
    client.force_login(representative)
    assert ask_for_pdf(client, agreed).status_code == 302
    run_worker()
    file = PreparedFile.objects.get(status=S.READY)
    assert client.get(file_url(file.pk)).status_code == 200

    partners_actions.appoint_representative(
        actor=None, user=representative, partner=PartnerFactory(code="OT", name="Otherland")
    )
    response = client.get(file_url(file.pk))
    assert response.status_code == 403
    assert "You may no longer see what this file holds." in response.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failure_is_shown_clearly(queue, client, agreed, monkeypatch, caplog):
    def broken(user, params, progress):
        raise RuntimeError("the renderer crashed")

    monkeypatch.setitem(prepared.BUILDERS, prepared.PARTNER_PDF, broken)
    client.force_login(role_user("viewer"))
    ask_for_pdf(client, agreed)
    run_worker()
    file = PreparedFile.objects.get()
    assert file.status == S.FAILED
    page = client.get(status_page(file.pk))
    assert "The file could not be prepared." in page.text
    assert "because of an error on our side" in page.text
    assert "the renderer crashed" not in page.text
    assert b"pfp/prepared.js" not in page.content
    assert client.get(file_url(file.pk)).status_code == 404
    assert "could not be built" in caplog.text


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_error_is_in_the_requesters_language(queue, agreed):
    viewer = role_user("viewer")
    file = prepared.request_file(
        actor=viewer,
        kind=prepared.PARTNER_PDF,
        params={"code": agreed.partner.code, "version": 2**31 - 1},
        title="t",
    )
    PreparedFile.objects.filter(pk=file.pk).update(language="fr")
    run_worker()
    file.refresh_from_db()
    assert file.status == S.FAILED
    assert file.error.startswith("Ce que vous avez demandé")


@pytest.mark.django_db
def test_a_user_has_a_few_files_in_preparation_at_most(client, agreed, queue):
    client.force_login(role_user("viewer"))
    for _ in range(prepared.MAX_ACTIVE_REQUESTS):
        assert ask_for_pdf(client, agreed).status_code == 302
    refused = ask_for_pdf(client, agreed)
    assert PreparedFile.objects.count() == prepared.MAX_ACTIVE_REQUESTS
    page = reverse("programmes:partner_report", args=[agreed.partner.code])
    assert refused.url == f"{page}?version={agreed.pk}"
    assert messages_of(refused) == [
        "You already have 3 files being prepared: wait until one is ready."
    ]
    # Another user is not counted with them.
    client.force_login(role_user("approver"))
    assert ask_for_excel(client).status_code == 302
    assert PreparedFile.objects.count() == prepared.MAX_ACTIVE_REQUESTS + 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_tasks_for_one_file_build_it_once(queue, agreed, layouts):
    viewer = role_user("viewer")
    file = prepared.request_file(
        actor=viewer,
        kind=prepared.PARTNER_PDF,
        params={"code": agreed.partner.code, "version": agreed.pk},
        title="t",
    )
    prepared.build_prepared_file.enqueue(file.pk)  # a second task for the same file
    run_worker()
    builds = DBTaskResult.objects.filter(task_path__contains="build_prepared_file")
    assert sorted(build.return_value for build in builds) == ["not pending", "ready"]
    assert len(layouts) == 1


@pytest.mark.django_db
def test_the_cleanup_deletes_old_files_and_keeps_recent_ones(agreed):
    viewer = role_user("viewer")
    now = timezone.now()

    def ready(requested_at):
        file = PreparedFile.objects.create(
            requested_by=viewer, kind=prepared.CROSS_XLSX, title="t", language="en"
        )
        storage.store(file, "report.xlsx", "application/octet-stream", b"content")
        PreparedFile.objects.filter(pk=file.pk).update(requested_at=requested_at)
        file.refresh_from_db()
        return file

    old, recent = ready(now - datetime.timedelta(days=2)), ready(now)
    before = set(kept_files())
    storage.cached("key", lambda: b"%PDF", suffix=".pdf")
    assert storage.delete_old_files(now=now) == {"prepared": 1, "kept": 0}
    assert list(PreparedFile.objects.all()) == [recent]
    assert not default_storage.exists(old.file.name)
    assert default_storage.exists(recent.file.name)
    assert len(set(kept_files()) - before) == 1
    cleaned = storage.delete_old_files(now=now + storage.CACHED_KEPT * 2)
    assert cleaned == {"prepared": 1, "kept": len(before) + 1}
    assert not PreparedFile.objects.exists()
    assert not default_storage.exists(old.file.name)
    assert not default_storage.exists(recent.file.name)
    assert kept_files() == []
    assert settings.PFP_SCHEDULE["downloads-cleanup"]["task"] == (
        "pfp.downloads.tasks.delete_old_files"
    )


@pytest.mark.django_db
def test_the_status_page_and_the_file_cost_the_same_whatever_the_files(
    client, agreed, django_assert_num_queries
):
    viewer = role_user("viewer")
    client.force_login(viewer)

    def ready_file():
        file = PreparedFile.objects.create(
            requested_by=viewer,
            kind=prepared.PARTNER_PDF,
            params={"code": agreed.partner.code, "version": agreed.pk},
            title="t",
            language="en",
        )
        storage.store(file, "report.pdf", "application/pdf", b"%PDF")
        return file

    first = ready_file()
    client.get(status_page(first.pk))  # the session's first read
    with CaptureQueriesContext(connection) as page_queries:
        client.get(status_page(first.pk))
    with CaptureQueriesContext(connection) as file_queries:
        client.get(file_url(first.pk))
    for _ in range(20):
        last = ready_file()
    with django_assert_num_queries(len(page_queries)):
        assert client.get(status_page(last.pk)).status_code == 200
    with django_assert_num_queries(len(file_queries)):
        assert client.get(file_url(last.pk)).status_code == 200


# --- The agreed version's PDF, laid out once ------------------------------------------------------


def direct_pdf(client, programme, **query):
    url = reverse("programmes:partner_report_download", args=[programme.partner.code, "pdf"])
    return client.get(url, {"version": programme.pk, **query})


def kept_files():
    try:
        return default_storage.listdir(storage.CACHED_DIRECTORY)[1]
    except FileNotFoundError:  # nothing kept yet
        return []


@pytest.mark.django_db
def test_an_agreed_versions_pdf_is_laid_out_once_until_it_changes(client, agreed, layouts):
    viewer = role_user("viewer")
    client.force_login(viewer)
    before = set(kept_files())
    first = direct_pdf(client, agreed)
    second = direct_pdf(client, agreed)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.content.startswith(b"%PDF")
    assert len(layouts) == 1
    assert f"by {viewer}" in layouts[0]  # the reader it was made for, and the day only
    assert timezone.localtime().strftime("%H:%M") not in layouts[0]

    # Another reader: their own copy (it names them), kept too.
    approver = role_user("approver")
    client.force_login(approver)
    theirs = direct_pdf(client, agreed)
    assert len(layouts) == 2
    assert f"by {approver}" in layouts[1]
    assert direct_pdf(client, agreed).content == theirs.content
    assert len(layouts) == 2

    Programme.objects.filter(pk=agreed.pk).update(
        edit_stamp=F("edit_stamp") + 1, title="Renamed programme"
    )
    changed = direct_pdf(client, agreed)
    assert len(layouts) == 3
    assert "Renamed programme" in layouts[-1]
    assert changed.content != theirs.content
    assert len(set(kept_files()) - before) == 3


@pytest.mark.django_db
def test_the_kept_pdf_differs_by_language(client, agreed, layouts):
    viewer = role_user("viewer")
    client.force_login(viewer)
    direct_pdf(client, agreed)
    viewer.language = "fr"
    viewer.save()
    direct_pdf(client, agreed)
    direct_pdf(client, agreed)
    assert len(layouts) == 2
    assert 'lang="fr"' in layouts[1]


@pytest.mark.django_db
def test_a_version_not_agreed_is_laid_out_every_time(client, db, layouts):
    partner = partnerland()
    draft = programme_in_status(
        ProgrammeStatus.SUBMITTED,
        officer=drafter_of(partner),
        approver=role_user("approver"),
        partner=partner,
        start_year=timezone.localdate().year + 1,
    )
    client.force_login(role_user("viewer"))
    direct_pdf(client, draft)
    direct_pdf(client, draft)
    assert len(layouts) == 2


@pytest.mark.django_db
def test_a_file_waiting_too_long_is_given_up_in_its_requesters_language(client):
    viewer = role_user("viewer")
    now = timezone.now()

    def waiting(minutes, language="en"):
        file = PreparedFile.objects.create(
            requested_by=viewer, kind=prepared.CROSS_XLSX, title="t", language=language
        )
        PreparedFile.objects.filter(pk=file.pk).update(
            requested_at=now - datetime.timedelta(minutes=minutes)
        )
        return file

    stale, stale_fr, fresh = waiting(31), waiting(45, "fr"), waiting(5)
    assert delete_old_files.call() == {"stale": 2, "prepared": 0, "kept": 0}
    for file in (stale, stale_fr, fresh):
        file.refresh_from_db()
    assert (stale.status, stale.error) == (
        S.FAILED,
        "The file took too long to prepare: ask for it again.",
    )
    assert stale_fr.error.startswith("La préparation du fichier a pris trop de temps")
    assert fresh.status == S.PENDING
    client.force_login(viewer)
    page = client.get(status_page(stale.pk))
    assert b"pfp/prepared.js" not in page.content
    assert "ask for it again" in page.text


@pytest.mark.django_db
def test_the_excel_button_asks_with_the_reports_options(client, agreed):
    from programmes.reports.cross_partner import UptakeScope

    client.force_login(role_user("viewer"))
    page = client.get(
        reverse("programmes:cross_report", args=["menu-uptake"]), {"scope": UptakeScope.ALL}
    )
    prepare = page.context["prepare_url"]
    assert prepare == (
        reverse("programmes:cross_report_prepare", args=["menu-uptake"])
        + f"?scope={UptakeScope.ALL}"
    )
    assert f'action="{prepare}"' in page.text
    client.post(prepare + "&unknown=1")
    assert PreparedFile.objects.get().params == {
        "slug": "menu-uptake",
        "query": {"scope": UptakeScope.ALL},
    }
