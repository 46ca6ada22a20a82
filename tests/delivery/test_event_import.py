"""The import of events (``programmes.delivery.importing``): the preview with every row error by
row and column, all or nothing, the same file twice, the command, the pages and bad files."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from programmes.delivery import actions, importing
from programmes.delivery.importing import COLUMNS
from programmes.delivery.models import Event, EventImport, EventStatus
from tests.support.factories import (
    ActivityFactory,
    PartnerFactory,
    assigned_officer,
    programme_in_force,
)
from tests.support.pages import templates_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def programme(drafter, approver, partner):
    """In force since last year: year 1 is over, year 2 under way; two activities a year."""
    return programme_in_force(officer=drafter, approver=approver, partner=partner)


def planned(programme, year: int, index: int = 0):
    return list(programme.planned_activities.filter(year=year).order_by("pk"))[index]


def row(programme, year=1, index=0, **overrides) -> dict:
    """A valid row: the ``index``-th activity planned in ``year``, delivered in March of that
    year (scheduled when that is still to come)."""
    first_day = datetime.date(programme.start_year + year - 1, 3, 10)
    delivered = first_day <= TODAY
    values = {
        "partner_code": programme.partner.code,
        "programme_year": year,
        "activity_code": planned(programme, year, index).activity.code,
        "external_ref": f"EMS-{year}-{index}",
        "first_day": first_day.isoformat(),
        "last_day": (first_day + datetime.timedelta(days=2)).isoformat(),
        "place": "Brussels",
        "online": "no",
        "status": "delivered" if delivered else "scheduled",
        "cancellation_reason": "",
        "postponed_to": "",
        "participants": 12 if delivered else "",
        "women": 5 if delivered else "",
        "rating": 4 if delivered else "",
        "evaluation": "Useful." if delivered else "",
    }
    values.update(overrides)
    return values


def csv_bytes(*rows: dict, header=COLUMNS, delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(name, "") for name in header])
    return buffer.getvalue().encode()


def xlsx_bytes(*rows: dict, header=COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for values in rows:
        sheet.append([values.get(name, "") for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def preview(content: bytes, actor, name="events.csv") -> EventImport:
    return importing.preview_import(file_name=name, content=content, actor=actor)


def errors_of(event_import) -> set[tuple[int, str]]:
    return {(e["row"], e["column"]) for e in importing.stored_preview(event_import).row_errors}


def messages_of(event_import) -> list[str]:
    return [e["message"] for e in importing.stored_preview(event_import).row_errors]


class TestPreviewAndApply:
    def test_a_file_is_previewed_without_writing_then_applied(self, programme, drafter):
        content = csv_bytes(row(programme, 1), row(programme, 2, 1))
        event_import = preview(content, drafter)
        assert event_import.status == EventImport.Status.PREVIEWED
        assert (event_import.rows, event_import.created, event_import.error_count) == (2, 2, 0)
        assert [e["external_ref"] for e in importing.stored_preview(event_import).created] == [
            "EMS-1-0",
            "EMS-2-1",
        ]
        assert not Event.objects.exists()

        plan = importing.apply_import(event_import=event_import, actor=drafter)
        assert len(plan.created) == 2
        event = Event.objects.get(external_ref="EMS-1-0")
        assert event.planned_key == planned(programme, 1).key
        assert (event.status, event.participants, event.women, event.rating) == (
            EventStatus.DELIVERED,
            12,
            5,
            4,
        )
        history = event.history.get()
        assert (history.history_user, history.history_change_reason) == (
            drafter,
            actions.Step.RECORD,
        )
        event_import.refresh_from_db()
        assert event_import.status == EventImport.Status.APPLIED
        assert event_import.applied_by == drafter
        assert [done["external_ref"] for done in event_import.result["created"]] == [
            "EMS-1-0",
            "EMS-2-1",
        ]

    def test_the_same_file_twice_changes_nothing(self, programme, drafter):
        content = csv_bytes(row(programme, 1), row(programme, 1, 1), row(programme, 2))
        importing.apply_import(event_import=preview(content, drafter), actor=drafter)
        history_rows = Event.history.count()

        again = preview(content, drafter)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
        plan = importing.apply_import(event_import=again, actor=drafter)
        assert (len(plan.created), len(plan.updated), plan.unchanged) == (0, 0, 3)
        assert Event.objects.count() == 3
        assert Event.history.count() == history_rows

    def test_a_known_reference_corrects_only_what_differs(self, programme, drafter):
        importing.apply_import(
            event_import=preview(csv_bytes(row(programme, 1)), drafter), actor=drafter
        )
        event = Event.objects.get()
        content = csv_bytes(row(programme, 1, rating=5, evaluation="Excellent."))
        event_import = preview(content, drafter)
        assert event_import.updated == 1
        [correction] = importing.stored_preview(event_import).updated
        assert correction["changes"] == {"rating": [4, 5], "evaluation": ["Useful.", "Excellent."]}

        importing.apply_import(event_import=event_import, actor=drafter)
        event.refresh_from_db()
        assert (event.rating, event.evaluation, event.edit_stamp) == (5, "Excellent.", 1)
        assert event.history.latest().history_change_reason == actions.Step.CORRECT
        event_import.refresh_from_db()
        assert event_import.result["updated"][0]["columns"] == ["evaluation", "rating"]

    def test_a_workbook_and_a_semicolon_csv_are_read(self, programme, drafter):
        values = row(programme, 1)
        values |= {
            "first_day": datetime.datetime(programme.start_year, 3, 10),
            "last_day": datetime.date(programme.start_year, 3, 12),
            "participants": 12.0,
            "online": False,
        }
        workbook = preview(xlsx_bytes(values), drafter, name="EVENTS.XLSX")
        assert (workbook.created, workbook.error_count) == (1, 0)
        semicolons = preview(csv_bytes(row(programme, 1), delimiter=";"), drafter)
        assert (semicolons.created, semicolons.error_count) == (1, 0)

    def test_all_or_nothing(self, programme, drafter, monkeypatch):
        """A failure while writing (here the second event) leaves no event and the import
        previewed."""
        event_import = preview(csv_bytes(row(programme, 1), row(programme, 1, 1)), drafter)
        real = actions.record_event
        calls = []

        def failing(**kwargs):
            calls.append(kwargs)
            if len(calls) == 2:
                raise ValidationError("The disk is full.")
            return real(**kwargs)

        monkeypatch.setattr(importing.actions, "record_event", failing)
        with pytest.raises(ValidationError):
            importing.apply_import(event_import=event_import, actor=drafter)
        assert not Event.objects.exists()
        event_import.refresh_from_db()
        assert event_import.status == EventImport.Status.PREVIEWED

    def test_an_event_changed_since_the_preview_makes_it_stale(self, programme, drafter):
        importing.apply_import(
            event_import=preview(csv_bytes(row(programme, 1)), drafter), actor=drafter
        )
        event = Event.objects.get()
        event_import = preview(csv_bytes(row(programme, 1, rating=5)), drafter)
        actions.update_event(actor=drafter, event=event, seen_stamp=0, place="Mons")
        with pytest.raises(ValidationError) as refusal:
            importing.apply_import(event_import=event_import, actor=drafter)
        assert refusal.value.code == "stale"
        event.refresh_from_db()
        assert (event.place, event.rating) == ("Mons", 4)

    def test_what_another_import_did_meanwhile_is_not_done_again(self, programme, drafter):
        content = csv_bytes(row(programme, 1))
        first, second = preview(content, drafter), preview(content, drafter)
        importing.apply_import(event_import=first, actor=drafter)
        plan = importing.apply_import(event_import=second, actor=drafter)
        assert (len(plan.created), plan.unchanged) == (0, 1)
        assert Event.objects.count() == 1

    def test_only_the_uploader_applies_a_previewed_file_once(
        self, programme, drafter, administrator
    ):
        event_import = preview(csv_bytes(row(programme, 1)), drafter)
        with pytest.raises(ValidationError) as refusal:
            importing.apply_import(event_import=event_import, actor=administrator)
        assert refusal.value.code == "uploader"
        importing.apply_import(event_import=event_import, actor=drafter)
        with pytest.raises(ValidationError) as refusal:
            importing.apply_import(event_import=event_import, actor=drafter)
        assert refusal.value.code == "applied"
        assert Event.objects.count() == 1

    def test_a_rejected_file_is_logged_and_never_applied(self, programme, drafter):
        event_import = preview(csv_bytes(row(programme, 1, programme_year=9)), drafter)
        assert event_import.status == EventImport.Status.REJECTED
        with pytest.raises(ValidationError) as refusal:
            importing.apply_import(event_import=event_import, actor=drafter)
        assert refusal.value.code == "rejected"
        assert not Event.objects.exists()

    def test_administrators_import_for_any_partner(self, programme, administrator):
        event_import = preview(csv_bytes(row(programme, 1)), administrator)
        importing.apply_import(event_import=event_import, actor=administrator)
        assert Event.objects.get().recorded_by == administrator


class TestRowErrors:
    def test_every_error_is_named_by_row_and_column(self, programme, drafter):
        other = PartnerFactory(name="Otherland", code="OT")
        unplanned = ActivityFactory()
        year3 = programme.start_year + 2
        rows = [
            row(programme, 1),  # 2: valid
            row(programme, 1, 1, partner_code="ZZ", external_ref="a"),  # 3
            row(programme, 1, 1, partner_code=other.code, external_ref="b"),  # 4: not theirs
            row(programme, 1, 1, programme_year="two", external_ref="c"),  # 5
            row(programme, 1, 1, activity_code="NOPE-0001", external_ref="d"),  # 6
            row(programme, 1, 1, activity_code=unplanned.code, external_ref="e"),  # 7: unplanned
            row(programme, 1, 1, first_day="10/03/2025", external_ref="f"),  # 8
            row(programme, 1, 1, last_day=f"{programme.start_year}-03-01", external_ref="g"),  # 9
            row(programme, 1, 1, status="done", external_ref="h"),  # 10
            row(  # 11: delivered before it starts
                programme,
                3,
                external_ref="i",
                first_day=f"{year3}-03-10",
                last_day=f"{year3}-03-11",
                status="delivered",
            ),
            row(programme, 1, 1, status="cancelled", rating="", external_ref="j"),  # 12
            row(programme, 1, 1, participants=3, women=4, external_ref="k"),  # 13
            row(programme, 1, 1, rating=7, external_ref="l"),  # 14
            row(programme, 1, 1),  # 15: EMS-1-1
            row(programme, 1, 1),  # 16: EMS-1-1 again
            row(programme, 1, 1, online="maybe", external_ref="m"),  # 17
            row(programme, 1, 1, external_ref="", place="", online="no"),  # 18
            row(programme, 2, first_day=f"{programme.start_year}-06-01", external_ref="n"),  # 19
        ]
        event_import = preview(csv_bytes(*rows), drafter)
        assert event_import.status == EventImport.Status.REJECTED
        assert errors_of(event_import) == {
            (3, "partner_code"),
            (4, "partner_code"),
            (5, "programme_year"),
            (6, "activity_code"),
            (7, "activity_code"),
            (8, "first_day"),
            (9, "last_day"),
            (10, "status"),
            (11, "status"),
            (12, "cancellation_reason"),
            (13, "women"),
            (14, "rating"),
            (16, "external_ref"),
            (17, "online"),
            (18, "external_ref"),
            (18, "place"),
            (19, "first_day"),
        }
        assert event_import.error_count == 17
        messages = messages_of(event_import)
        assert "No partner has the code ZZ." in messages
        assert "You are not an assigned programme officer of Otherland." in messages
        assert any("is not planned in year 1" in m and "unplanned" in m for m in messages)
        assert "The reference EMS-1-1 of PL already appears on row 15." in messages
        assert not Event.objects.exists()

    def test_errors_are_kept_in_every_language(self, programme, drafter):
        event_import = preview(csv_bytes(row(programme, 1, partner_code="ZZ")), drafter)
        kept = event_import.preview["row_errors"]
        assert set(kept) == {"en", "fr"}
        assert kept["en"][0]["message"] == "No partner has the code ZZ."
        assert kept["fr"][0]["message"] != kept["en"][0]["message"]

    def test_a_partner_without_a_programme_in_force(self, programme, drafter):
        other = PartnerFactory(name="Draftland", code="DL")
        other.officers.add(drafter)
        drafter.__dict__.pop("_pfp_assigned_partners", None)
        event_import = preview(csv_bytes(row(programme, 1, partner_code="DL")), drafter)
        assert errors_of(event_import) == {(2, "partner_code")}
        assert "has no programme in force" in messages_of(event_import)[0]

    def test_an_import_does_not_move_an_event(self, programme, drafter):
        importing.apply_import(
            event_import=preview(csv_bytes(row(programme, 1)), drafter), actor=drafter
        )
        moved = row(programme, 1, 1, external_ref="EMS-1-0")
        event_import = preview(csv_bytes(moved), drafter)
        assert errors_of(event_import) == {(2, "external_ref")}

    def test_values_beyond_the_header_are_an_error(self, programme, drafter):
        content = csv_bytes(row(programme, 1)).replace(b"Useful.", b"Useful.,extra")
        assert errors_of(preview(content, drafter)) == {(2, "")}

    def test_checking_takes_a_fixed_number_of_queries(self, programme, drafter):
        def queries(count):
            rows = [row(programme, 1, external_ref=f"X{n}") for n in range(count)]
            with CaptureQueriesContext(connection) as captured:
                importing.plan_import("e.csv", csv_bytes(*rows), drafter)
            return len(captured)

        assert queries(1) == queries(40)


class TestBadFiles:
    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("events.txt", b"a,b", "Upload a CSV file"),
            ("events.csv", b"", "The file is empty."),
            ("events.csv", b"\x00\x01junk", "binary data"),
            ("events.csv", "é,".encode("latin-1"), "not UTF-8"),
            ("events.xlsx", b"PK\x03\x04 junk", "could not be read as an Excel workbook"),
            ("events.csv", b"partner_code,year\r\n", "Missing columns"),
            ("events.csv", ",".join(COLUMNS).encode() + b"\r\n", "no events"),
            ("events.csv", b"a," * 40 + b"b\r\n", "more than 30 columns"),
            ("events.csv", b'"unclosed\r\n' + b"x" * 10, "header row must name"),
        ],
    )
    def test_a_file_that_cannot_be_read_is_refused_and_not_logged(
        self, drafter, name, content, message
    ):
        with pytest.raises(ValidationError) as refusal:
            preview(content, drafter, name=name)
        assert message in " ".join(refusal.value.messages)
        assert not EventImport.objects.exists()

    def test_too_big(self, drafter):
        with pytest.raises(ValidationError, match="larger than 2 MB"):
            preview(b"x" * (importing.MAX_FILE_BYTES + 1), drafter)

    def test_too_many_rows(self, programme, drafter, monkeypatch):
        monkeypatch.setattr(importing, "MAX_ROWS", 3)
        rows = [row(programme, 1, external_ref=f"R{n}") for n in range(4)]
        with pytest.raises(ValidationError, match="more than 3 events"):
            preview(csv_bytes(*rows), drafter)

    def test_a_wide_workbook_is_read_no_further_than_its_cap(self, drafter):
        workbook = Workbook()
        workbook.active.cell(row=1, column=16_000, value="far")
        for column, name in enumerate(COLUMNS, start=1):
            workbook.active.cell(row=1, column=column, value=name)
        buffer = io.BytesIO()
        workbook.save(buffer)
        with pytest.raises(ValidationError, match="no events"):
            preview(buffer.getvalue(), drafter, name="wide.xlsx")

    def test_someone_who_may_not_import(self, viewer, programme):
        with pytest.raises(ValidationError, match="Only programme officers import events"):
            preview(csv_bytes(row(programme, 1)), viewer)


class TestCommand:
    def test_check_then_apply(self, programme, drafter, tmp_path):
        path = tmp_path / "events.csv"
        path.write_bytes(csv_bytes(row(programme, 1)))
        out = io.StringIO()
        call_command("import_events", str(path), "--user", drafter.username, stdout=out)
        assert "1 to record" in out.getvalue()
        assert not Event.objects.exists()
        call_command("import_events", str(path), "--user", drafter.username, "--apply", stdout=out)
        assert "1 recorded" in out.getvalue()
        assert Event.objects.get().recorded_by == drafter
        assert EventImport.objects.filter(status=EventImport.Status.APPLIED).count() == 1
        call_command("import_events", str(path), "--user", drafter.username, "--apply", stdout=out)
        assert "0 recorded, 0 corrected, 1 unchanged" in out.getvalue()

    def test_errors_write_nothing(self, programme, drafter, tmp_path):
        path = tmp_path / "events.csv"
        path.write_bytes(csv_bytes(row(programme, 1, programme_year=7)))
        err = io.StringIO()
        with pytest.raises(CommandError, match="1 error"):
            call_command(
                "import_events",
                str(path),
                "--user",
                drafter.username,
                "--apply",
                stdout=io.StringIO(),
                stderr=err,
            )
        assert "Row 2, column programme_year" in err.getvalue()
        assert not Event.objects.exists()

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            (["--user", "nobody"], "No user is named"),
            (["--user", "drafter", "--apply"], "Cannot read"),
        ],
    )
    def test_refusals(self, drafter, arguments, message):
        with pytest.raises(CommandError, match=message):
            call_command("import_events", "/nonexistent/events.csv", *arguments)


class TestPages:
    def test_upload_preview_and_apply(self, programme, drafter, client_as):
        client = client_as(drafter)
        page = client.get(reverse("programmes:event_import_upload"))
        assert page.status_code == 200
        for name in COLUMNS:
            assert f"<code>{name}</code>" in page.text
        upload = SimpleUploadedFile("events.csv", csv_bytes(row(programme, 1)))
        response = client.post(reverse("programmes:event_import_upload"), {"file": upload})
        event_import = EventImport.objects.get()
        assert response.url == event_import.get_absolute_url()
        detail = client.get(response.url)
        assert "1 to record, 0 to correct, 0 unchanged, 0 errors" in detail.text
        assert "EMS-1-0" in detail.text
        applied = client.post(
            reverse("programmes:event_import_apply", args=[event_import.pk]), follow=True
        )
        assert "1 events recorded" in applied.text
        assert Event.objects.count() == 1
        listing = client.get(reverse("programmes:event_import_list"))
        assert "events.csv" in listing.text

    def test_a_bad_file_is_shown_again_with_its_error(self, drafter, client_as):
        upload = SimpleUploadedFile("events.exe", b"MZ")
        response = client_as(drafter).post(
            reverse("programmes:event_import_upload"), {"file": upload}
        )
        assert response.status_code == 200
        assert "Upload a CSV file" in response.text
        assert not EventImport.objects.exists()

    def test_row_errors_are_listed(self, programme, drafter, client_as):
        upload = SimpleUploadedFile("events.csv", csv_bytes(row(programme, 1, status="done")))
        client = client_as(drafter)
        response = client.post(reverse("programmes:event_import_upload"), {"file": upload})
        detail = client.get(response.url)
        assert "<code>status</code>" in detail.text
        assert "Apply these changes" not in detail.text

    def test_the_pages_take_a_fixed_number_of_queries(self, programme, drafter, client_as):
        client = client_as(drafter)

        def queries(count):
            rows = [row(programme, 1, external_ref=f"Q{count}-{n}") for n in range(count)]
            event_import = preview(csv_bytes(*rows), drafter)
            counts = []
            for url in (
                event_import.get_absolute_url(),
                reverse("programmes:event_import_list"),
            ):
                with CaptureQueriesContext(connection) as captured:
                    assert client.get(url).status_code == 200
                counts.append(len(captured))
            importing.apply_import(event_import=event_import, actor=drafter)
            with CaptureQueriesContext(connection) as captured:
                assert client.get(event_import.get_absolute_url()).status_code == 200
            return [*counts, len(captured)]

        assert queries(1) == queries(15)

    def test_the_pages_are_built_on_the_imports_frames(self, programme, drafter, client_as):
        """The upload page and an import's page are the menu import's frames filled in, and
        the log shows the same status badge: the two imports' pages cannot drift apart."""
        client = client_as(drafter)
        form = client.get(reverse("programmes:event_import_upload"))
        assert "programmes/import_upload_frame.html" in templates_of(form)
        upload = SimpleUploadedFile("events.csv", csv_bytes(row(programme, 1, status="done")))
        response = client.post(reverse("programmes:event_import_upload"), {"file": upload})
        page = client.get(response.url)
        assert "programmes/import_detail_frame.html" in templates_of(page)
        assert "programmes/import_detail_frame.html#row_errors" in templates_of(page)
        log = client.get(reverse("programmes:event_import_list"))
        assert "programmes/import_detail_frame.html#status" in templates_of(log)

    def test_viewers_read_the_log_but_do_not_upload(self, viewer, client_as):
        client = client_as(viewer)
        assert client.get(reverse("programmes:event_import_list")).status_code == 200
        assert client.get(reverse("programmes:event_import_upload")).status_code == 403


def test_an_officer_of_another_partner_imports_only_their_rows(programme):
    other = PartnerFactory(name="Otherland", code="OT")
    officer = assigned_officer(other, "other-officer")
    event_import = preview(csv_bytes(row(programme, 1)), officer)
    assert errors_of(event_import) == {(2, "partner_code")}
