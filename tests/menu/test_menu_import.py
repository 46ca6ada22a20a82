"""Menu import: reading files, every class of row error, all-or-nothing apply, the command, the pages."""

import csv
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook

from pfp import exports, spreadsheets
from programmes.menu import actions as menu
from programmes.menu import importing
from programmes.menu.importing import COLUMNS, RowError
from programmes.menu.models import Activity, MenuImport
from programmes.menu.permissions import can_edit_menu
from tests.support.factories import ActivityFactory, ProviderFactory
from tests.support.pages import templates_of

PROVIDER = "NATO School Oberammergau"


def row(**overrides) -> list:
    """One valid data row (an online cyber course), in COLUMNS order, with ``overrides``."""
    values = {
        "code": "CYB-0001",
        "title_en": "Cyber defence basics",
        "title_fr": "Bases de la cyberdéfense",
        "description_en": "Two weeks online.",
        "description_fr": "",
        "area": "cyber",
        "type": "course",
        "provider": PROVIDER,
        "delivery_mode": "online",
        "length_days": "5",
        "first_offered": "2020",
        "retired_in": "",
    }
    values.update(overrides)
    return [values[name] for name in COLUMNS]


def csv_bytes(*rows, header=COLUMNS, bom=False, delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode()


def xlsx_bytes(*rows, header=COLUMNS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for values in rows:
        sheet.append(list(values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def written() -> tuple[int, int, int]:
    """What an import could write: activities, their history rows, import log rows."""
    return Activity.objects.count(), Activity.history.count(), MenuImport.objects.count()


@pytest.fixture
def provider(db):
    return ProviderFactory(name=PROVIDER)


@pytest.fixture
def existing(provider):
    """CYB-0001 on the menu exactly as ``row()`` describes it."""
    return ActivityFactory(
        code="CYB-0001",
        title_en="Cyber defence basics",
        title_fr="Bases de la cyberdéfense",
        description_en="Two weeks online.",
        description_fr="",
        area=importing.Area.objects.get(code="cyber"),
        provider=provider,
        delivery_mode="online",
        length_days=5,
        first_offered=2020,
    )


def only_error(plan) -> RowError:
    assert not plan.file_errors
    assert len(plan.row_errors) == 1, plan.row_errors
    return plan.row_errors[0]


@pytest.mark.django_db
class TestRowErrors:
    """One test per class of row error: the row number, the column and a message that says why."""

    @pytest.mark.parametrize(
        ("overrides", "column", "message"),
        [
            pytest.param({"code": ""}, "code", "A value is required", id="missing-code"),
            pytest.param({"code": "cyb-1"}, "code", "capital letters", id="bad-code-format"),
            pytest.param({"title_en": ""}, "title_en", "A value is required", id="missing-title"),
            pytest.param({"title_en": "x" * 201}, "title_en", "at most 200", id="long-title-en"),
            pytest.param({"title_fr": "x" * 201}, "title_fr", "at most 200", id="long-title-fr"),
            pytest.param(
                {"description_en": "x" * 4001}, "description_en", "at most 4000", id="long-desc"
            ),
            pytest.param({"area": "atlantis"}, "area", "“atlantis”", id="unknown-area"),
            pytest.param({"area": ""}, "area", "A value is required", id="missing-area"),
            pytest.param({"type": "party"}, "type", "not a valid choice", id="unknown-type"),
            pytest.param({"provider": "Nobody"}, "provider", "“Nobody”", id="unknown-provider"),
            pytest.param(
                {"delivery_mode": "teleport"}, "delivery_mode", "not a valid", id="unknown-mode"
            ),
            pytest.param({"length_days": "five"}, "length_days", "integer", id="number-text"),
            pytest.param({"length_days": "2.5"}, "length_days", "integer", id="number-fraction"),
            pytest.param({"length_days": "0"}, "length_days", "greater than", id="number-zero"),
            pytest.param({"length_days": "366"}, "length_days", "less than", id="number-over"),
            pytest.param({"length_days": ""}, "length_days", "required", id="number-missing"),
            pytest.param({"first_offered": "1850"}, "first_offered", "1994", id="year-too-early"),
            pytest.param({"first_offered": "20x0"}, "first_offered", "integer", id="year-text"),
            pytest.param({"retired_in": "3000"}, "retired_in", "2100", id="retired-too-late"),
            pytest.param(
                {"first_offered": "2020", "retired_in": "2019"},
                "retired_in",
                "cannot be retired before",
                id="retired-before-first-offer",
            ),
        ],
    )
    def test_row_error(self, provider, overrides, column, message):
        plan = importing.plan_import(
            "menu.csv", csv_bytes(row(), row(**{"code": "CYB-0002", **overrides}))
        )
        error = only_error(plan)
        assert (error.row, error.column) == (3, column)
        assert message in error.message
        assert plan.has_errors
        assert len(plan.added) == 1  # the good row is still checked

    def test_duplicate_code_in_the_file(self, provider):
        plan = importing.plan_import("menu.csv", csv_bytes(row(), row(title_en="Again")))
        error = only_error(plan)
        assert (error.row, error.column) == (3, "code")
        assert "already appears on row 2" in error.message

    def test_an_import_does_not_reinstate(self, existing):
        menu.retire_activity(activity=existing, year=2024, actor=None)
        plan = importing.plan_import("menu.csv", csv_bytes(row(retired_in="")))
        error = only_error(plan)
        assert (error.row, error.column) == (2, "retired_in")
        assert "does not reinstate" in error.message
        assert "2024" in error.message

    def test_cells_beyond_the_header(self, provider):
        plan = importing.plan_import("menu.csv", csv_bytes([*row(), "stray"]))
        assert only_error(plan) == RowError(
            2, "", "This row has more cells than the header has columns."
        )

    def test_several_errors_in_one_row_are_all_reported(self, provider):
        plan = importing.plan_import(
            "menu.csv", csv_bytes(row(area="atlantis", type="party", length_days="x"))
        )
        assert {error.column for error in plan.row_errors} == {"area", "type", "length_days"}

    def test_row_numbers_count_blank_rows(self, provider):
        content = csv_bytes(row(), [], row(code="BAD"))
        assert only_error(importing.plan_import("menu.csv", content)).row == 4

    def test_excel_row_errors_and_numbers(self, provider):
        content = xlsx_bytes(
            row(length_days=5, first_offered=2020.0),
            row(code="CYB-0002", length_days=2.5),
            row(code="CYB-0003", length_days=True),
        )
        plan = importing.plan_import("menu.xlsx", content)
        assert [(e.row, e.column) for e in plan.row_errors] == [
            (3, "length_days"),
            (4, "length_days"),
        ]
        assert plan.added[0]["length_days"] == 5
        assert plan.added[0]["first_offered"] == 2020


FILE_ERRORS = [
    pytest.param("menu.csv", b"", "empty", id="empty"),
    pytest.param("menu.csv", b"\n\n  \n", "empty", id="blank-lines"),
    pytest.param("menu.csv", "\ufeff".encode(), "empty", id="bom-only"),
    pytest.param("menu.csv", csv_bytes(), "no activities", id="header-only"),
    pytest.param("menu.csv", bytes(range(256)) * 8, "binary", id="binary-junk"),
    pytest.param("menu.csv", csv_bytes(row()).replace(b"Two", b"T\x00o"), "binary", id="nul"),
    pytest.param("menu.csv", "code,titre\n".encode("utf-16"), "binary", id="utf-16"),
    pytest.param("menu.csv", csv_bytes(row()).replace(b"Bases", b"Bas\xe9s"), "UTF-8", id="latin1"),
    pytest.param("menu.csv", csv_bytes(row()[:-1], header=COLUMNS[:-1]), "Missing", id="missing"),
    pytest.param(
        "menu.csv", csv_bytes([*row(), "x"], header=[*COLUMNS, "notes"]), "Unknown", id="extra"
    ),
    pytest.param(
        "menu.csv",
        csv_bytes([*row(), "x"], header=[*COLUMNS, "code"]),
        "more than once",
        id="duplicate-column",
    ),
    pytest.param("menu.csv", csv_bytes(["x" * 200_000]), "malformed", id="huge-field"),
    pytest.param("menu.txt", csv_bytes(row()), ".xlsx", id="txt"),
    pytest.param("menu.xls", csv_bytes(row()), ".xlsx", id="xls"),
    pytest.param("menu", csv_bytes(row()), ".xlsx", id="no-extension"),
    pytest.param("menu.xlsx", csv_bytes(row()), "Excel", id="csv-named-xlsx"),
    pytest.param("menu.xlsx", b"PK\x03\x04" + b"junk" * 100, "Excel", id="broken-zip"),
    pytest.param("menu.xlsx", xlsx_bytes(header=[]), "empty", id="empty-workbook"),
]


def zip_of(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.django_db
class TestFileErrors:
    """A file that cannot be read as a menu gets a clear message and writes nothing at all."""

    @pytest.mark.parametrize(("name", "content", "message"), FILE_ERRORS)
    def test_file_error(self, provider, menu_manager, name, content, message):
        plan = importing.plan_import(name, content)
        assert plan.file_errors
        assert message in " ".join(plan.file_errors)
        before = written()
        with pytest.raises(ValidationError):
            importing.preview_import(file_name=name, content=content, actor=menu_manager)
        assert written() == before

    def test_a_zip_that_is_not_a_workbook(self, provider):
        plan = importing.plan_import("menu.xlsx", zip_of("hello.txt", b"hello"))
        assert "Excel" in plan.file_errors[0]

    def test_over_size(self, provider, monkeypatch):
        monkeypatch.setattr(importing, "MAX_FILE_BYTES", 100)
        plan = importing.plan_import("menu.csv", csv_bytes(row()))
        assert "larger than" in plan.file_errors[0]

    def test_too_many_rows(self, provider, monkeypatch):
        monkeypatch.setattr(importing, "MAX_ROWS", 2)
        content = csv_bytes(*(row(code=f"CYB-000{n}") for n in range(1, 4)))
        assert "more than 2 activities" in importing.plan_import("menu.csv", content).file_errors[0]
        two = csv_bytes(*(row(code=f"CYB-000{n}") for n in range(1, 3)))
        assert not importing.plan_import("menu.csv", two).has_errors

    def test_too_many_empty_rows(self, provider, monkeypatch):
        monkeypatch.setattr(importing, "MAX_ROWS", 2)
        content = xlsx_bytes(row(), *([None] * len(COLUMNS) for _ in range(10)))
        assert "empty ones included" in importing.plan_import("menu.xlsx", content).file_errors[0]

    def test_a_workbook_that_unzips_too_large(self, provider, monkeypatch):
        monkeypatch.setattr(importing, "MAX_UNZIPPED_BYTES", 1000)
        plan = importing.plan_import("menu.xlsx", xlsx_bytes(row()))
        assert "uncompressed" in plan.file_errors[0]

    def test_a_wide_csv_header_is_refused_before_the_file_is_parsed(self, provider, monkeypatch):
        def unexpected(*args, **kwargs):
            raise AssertionError("the CSV file was parsed")

        monkeypatch.setattr(spreadsheets.csv, "reader", unexpected)
        header = ",".join(f"column{n}" for n in range(200_000))
        plan = importing.plan_import("menu.csv", f"{header}\nx\n".encode())
        assert plan.file_errors == [
            "The header row has more than 50 columns; a menu file has these 12: "
            + ", ".join(COLUMNS)
            + "."
        ]

    def test_a_wide_header_hidden_behind_a_quoted_line_break(self, provider):
        content = ('"co\nde",' + ",".join(["x"] * 100) + "\n").encode() + csv_bytes(row())
        assert "more than 50 columns" in importing.plan_import("menu.csv", content).file_errors[0]

    def test_a_wide_excel_header_is_refused(self, provider):
        header = [*COLUMNS, *(f"notes{n}" for n in range(importing.MAX_COLUMNS))]
        plan = importing.plan_import("menu.xlsx", xlsx_bytes(row(), header=header))
        assert "more than 50 columns" in plan.file_errors[0]

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_empty_columns_after_the_header_are_forgiven(self, provider, fmt):
        blank = [""] * (importing.MAX_COLUMNS + 20)
        make = csv_bytes if fmt == "csv" else xlsx_bytes
        plan = importing.plan_import(f"menu.{fmt}", make(row() + blank, header=COLUMNS + blank))
        assert not plan.has_errors, plan.file_errors

    def test_a_wide_row_is_not_read_cell_by_cell(self, provider, monkeypatch):
        read = []
        real_cell = importing._cell
        monkeypatch.setattr(
            importing, "_cell", lambda value: read.append(value) or real_cell(value)
        )
        plan = importing.plan_import("menu.csv", csv_bytes(row() + [""] * 100_000))
        assert not plan.has_errors
        assert len(read) <= 2 * (importing.MAX_COLUMNS + 1)

    def test_a_workbook_that_unzips_beyond_what_a_menu_needs(self, provider):
        # A file of 30 KB whose one cell unzips to 26 MB; a menu of 1,400 activities needs 1.5.
        # (openpyxl writes no cell longer than Excel's 32,767 characters: the zip is rewritten.)
        workbook = xlsx_bytes(row(description_en="PLACEHOLDER"))
        buffer = io.BytesIO()
        with (
            zipfile.ZipFile(io.BytesIO(workbook)) as source,
            zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for info in source.infolist():
                part = source.read(info).replace(b"PLACEHOLDER", b"x" * (26 * 1024 * 1024))
                archive.writestr(info.filename, part)
        content = buffer.getvalue()
        assert len(content) < 100_000
        assert "uncompressed" in importing.plan_import("menu.xlsx", content).file_errors[0]

    def test_wrong_columns_are_listed(self, provider):
        content = csv_bytes(["x"] * 3, header=["code", "title", "area"])
        messages = " ".join(importing.plan_import("menu.csv", content).file_errors)
        assert "Missing columns: title_en" in messages
        assert "Unknown columns: title." in messages


@pytest.mark.django_db
class TestReading:
    @pytest.mark.parametrize("bom", [False, True])
    def test_csv_with_or_without_bom(self, provider, bom):
        plan = importing.plan_import("menu.csv", csv_bytes(row(), bom=bom))
        assert not plan.has_errors
        assert plan.added[0]["code"] == "CYB-0001"

    def test_semicolon_csv_from_a_french_spreadsheet(self, provider):
        plan = importing.plan_import("menu.csv", csv_bytes(row(), delimiter=";"))
        assert not plan.has_errors
        assert plan.added[0]["title_fr"] == "Bases de la cyberdéfense"

    def test_columns_in_any_order_and_cells_stripped(self, provider):
        header = list(reversed(COLUMNS))
        values = [f"  {value}  " for value in reversed(row())]
        rows = importing.read_rows("MENU.CSV", csv_bytes(values, header=header))
        assert rows == [dict(zip(COLUMNS, row(), strict=True), row=2)]

    def test_excel_keeps_numbers(self, provider):
        rows = importing.read_rows("menu.xlsx", xlsx_bytes(row(length_days=5, retired_in=None)))
        assert rows[0]["length_days"] == 5
        assert rows[0]["retired_in"] == ""

    def test_trailing_blank_excel_rows_are_ignored(self, provider):
        content = xlsx_bytes(row(), [None] * len(COLUMNS), ["", "  "])
        assert len(importing.read_rows("menu.xlsx", content)) == 1


@pytest.mark.django_db
class TestPlan:
    def test_added_changed_retired_unchanged(self, existing, provider):
        changing = ActivityFactory(code="CYB-0002", provider=provider)
        retiring = ActivityFactory(code="CYB-0003", provider=provider, first_offered=2020)
        plan = importing.plan_import(
            "menu.csv",
            csv_bytes(
                row(),
                row(code="CYB-0002", title_en="New title", area="et", length_days="10"),
                row(code="CYB-0003", title_en=retiring.title_en, retired_in="2025"),
                row(code="CYB-0004"),
            ),
        )
        assert not plan.has_errors
        assert plan.unchanged == 1
        assert [fields["code"] for fields in plan.added] == ["CYB-0004"]
        [(code, fields)] = plan.changed
        assert code == "CYB-0002"
        assert fields["title_en"] == (changing.title_en, "New title")
        assert fields["length_days"] == (5, 10)
        assert fields["area"][1].code == "et"
        assert plan.retired_codes == ["CYB-0003"]
        # Retiring also brings the file's other values (the factory's are not the row's).
        assert plan.retired[0].fields["retired_in"] == (None, 2025)
        assert plan.counts() == {
            "rows": 4,
            "added": 1,
            "changed": 1,
            "retired": 1,
            "unchanged": 1,
            "error_count": 0,
        }

    def test_digest_follows_the_menu(self, existing):
        content = csv_bytes(row(title_en="Renamed"))
        first = importing.plan_import("menu.csv", content).digest
        assert importing.plan_import("menu.csv", content).digest == first
        menu.update_activity(activity=existing, actor=None, title_en="Changed meanwhile")
        assert importing.plan_import("menu.csv", content).digest != first

    def test_planning_takes_a_fixed_number_of_queries(self, provider):
        ActivityFactory.create_batch(5, provider=provider)
        small = csv_bytes(row())
        large = csv_bytes(*(row(code=f"CYB-{n:04d}") for n in range(1, 60)))
        with CaptureQueriesContext(connection) as few:
            importing.plan_import("menu.csv", small)
        with CaptureQueriesContext(connection) as many:
            importing.plan_import("menu.csv", large)
        assert len(few) == len(many) == 3


@pytest.mark.django_db
class TestRoundTrip:
    """The menu export re-imports as "no changes", formulas neutralised and all."""

    @pytest.fixture
    def menu_rows(self, provider):
        ActivityFactory(code="CYB-0001", provider=provider, description_en="=SUM(A1:A2)")
        ActivityFactory(code="CYB-0002", provider=provider, title_fr="", description_fr="")
        ActivityFactory(
            code="DPP-0001",
            provider=ProviderFactory(name="+Centre"),
            description_en="-5 °C\nand a second line",
            title_en="@home",
        )
        ActivityFactory(code="DPP-0002", provider=provider, retired=True)
        return [importing.activity_to_row(a) for a in Activity.objects.for_pages()]

    def test_columns_and_row(self, existing):
        assert COLUMNS[0] == "code"
        assert importing.activity_to_row(existing) == row(
            length_days=5, first_offered=2020, retired_in=None
        )

    def test_csv_export(self, menu_rows):
        content = exports.csv_response("menu.csv", COLUMNS, menu_rows).content
        plan = importing.plan_import("menu.csv", content)
        assert not plan.has_errors, plan.row_errors
        assert (plan.added, plan.changed, plan.retired, plan.unchanged) == ([], [], [], 4)

    def test_excel_export(self, menu_rows):
        response = exports.single_sheet_xlsx_response("menu.xlsx", "Menu", COLUMNS, menu_rows)
        plan = importing.plan_import("menu.xlsx", response.content)
        assert not plan.has_errors, plan.row_errors
        assert (plan.added, plan.changed, plan.retired, plan.unchanged) == ([], [], [], 4)


def preview_and_apply(content, actor, name="menu.csv"):
    menu_import = importing.preview_import(file_name=name, content=content, actor=actor)
    return menu_import, importing.apply_import(menu_import=menu_import, actor=actor)


@pytest.mark.django_db
class TestApply:
    def test_preview_writes_only_the_log(self, provider, menu_manager):
        before = Activity.objects.count(), Activity.history.count()
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row()), actor=menu_manager
        )
        assert (Activity.objects.count(), Activity.history.count()) == before
        assert menu_import.status == MenuImport.Status.PREVIEWED
        assert (menu_import.rows, menu_import.added, menu_import.uploaded_by) == (
            1,
            1,
            menu_manager,
        )
        assert bytes(menu_import.content) == csv_bytes(row())

    def test_row_errors_are_logged_as_rejected_and_change_nothing(self, provider, menu_manager):
        before = Activity.objects.count(), Activity.history.count()
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row(), row(area="?")), actor=menu_manager
        )
        assert menu_import.status == MenuImport.Status.REJECTED
        assert menu_import.error_count == 2  # the bad area and the duplicate code
        assert (Activity.objects.count(), Activity.history.count()) == before
        with pytest.raises(ValidationError, match="has errors"):
            importing.apply_import(menu_import=menu_import, actor=menu_manager)
        assert (Activity.objects.count(), Activity.history.count()) == before

    def test_apply_writes_through_the_menu_actions(self, existing, provider, menu_manager):
        ActivityFactory(code="CYB-0003", provider=provider, first_offered=2020)
        content = csv_bytes(
            row(title_en="Cyber defence, revised"),
            row(code="CYB-0002"),
            row(code="CYB-0003", retired_in="2025"),
        )
        menu_import, _plan = preview_and_apply(content, menu_manager)
        menu_import.refresh_from_db()
        assert menu_import.status == MenuImport.Status.APPLIED
        assert menu_import.applied_at is not None
        assert (menu_import.added, menu_import.changed, menu_import.retired) == (1, 1, 1)
        assert Activity.objects.get(code="CYB-0001").title_en == "Cyber defence, revised"
        assert Activity.objects.get(code="CYB-0002").title_en == "Cyber defence basics"
        assert Activity.objects.get(code="CYB-0003").retired_in == 2025
        latest = Activity.history.filter(code__in=["CYB-0001", "CYB-0002", "CYB-0003"])
        assert {
            record.history_user
            for record in latest.filter(history_date__gte=menu_import.uploaded_at)
        } == {menu_manager}
        done = importing.import_history(menu_import)
        assert {action: [r.code for r in records] for action, records in done.items()} == {
            "added": ["CYB-0002"],
            "changed": ["CYB-0001"],
            "retired": ["CYB-0003"],
        }

    def test_reimporting_the_same_file_changes_nothing(self, existing, provider, menu_manager):
        content = csv_bytes(row(title_en="Revised"), row(code="CYB-0002", retired_in="2024"))
        preview_and_apply(content, menu_manager)
        state = list(Activity.objects.values())
        history = Activity.history.count()
        again = importing.plan_import("menu.csv", content)
        assert (again.added, again.changed, again.retired, again.unchanged) == ([], [], [], 2)
        menu_import, _plan = preview_and_apply(content, menu_manager)
        assert (menu_import.added, menu_import.changed, menu_import.retired) == (0, 0, 0)
        assert list(Activity.objects.values()) == state
        assert Activity.history.count() == history

    def test_applying_twice_is_refused(self, provider, menu_manager):
        menu_import, _plan = preview_and_apply(csv_bytes(row()), menu_manager)
        before = written()
        with pytest.raises(ValidationError, match="already been applied"):
            importing.apply_import(menu_import=menu_import, actor=menu_manager)
        assert written() == before

    def test_menu_changed_since_the_preview_is_refused(self, existing, menu_manager):
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row(title_en="Mine")), actor=menu_manager
        )
        menu.update_activity(activity=existing, actor=None, title_en="Someone else's")
        before = written()
        with pytest.raises(ValidationError, match="changed since"):
            importing.apply_import(menu_import=menu_import, actor=menu_manager)
        assert written() == before
        assert Activity.objects.get(code="CYB-0001").title_en == "Someone else's"
        menu_import.refresh_from_db()
        assert menu_import.status == MenuImport.Status.PREVIEWED

    def test_a_failure_half_way_writes_nothing(self, provider, menu_manager, monkeypatch):
        for n in (1, 2, 3):
            ActivityFactory(code=f"CYB-000{n}", provider=provider, title_en=f"Old {n}")
        content = csv_bytes(
            *(row(code=f"CYB-000{n}", title_en=f"New {n}") for n in (1, 2, 3)), row(code="CYB-0009")
        )
        menu_import = importing.preview_import(
            file_name="menu.csv", content=content, actor=menu_manager
        )
        real_update = menu.update_activity
        calls = []

        def failing_update(**kwargs):
            calls.append(kwargs["activity"].code)
            if len(calls) == 2:
                raise RuntimeError("database went away")
            return real_update(**kwargs)

        monkeypatch.setattr(menu, "update_activity", failing_update)
        before = written()
        with pytest.raises(RuntimeError):
            importing.apply_import(menu_import=menu_import, actor=menu_manager)
        assert len(calls) == 2
        assert written() == before
        assert sorted(Activity.objects.values_list("title_en", flat=True)) == [
            "Old 1",
            "Old 2",
            "Old 3",
        ]
        menu_import.refresh_from_db()
        assert menu_import.status == MenuImport.Status.PREVIEWED

    def test_only_the_uploader_applies(self, provider, menu_manager, administrator):
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row()), actor=menu_manager
        )
        with pytest.raises(ValidationError, match="uploaded this file"):
            importing.apply_import(menu_import=menu_import, actor=administrator)
        assert not Activity.objects.filter(code="CYB-0001").exists()

    @pytest.mark.parametrize("role", ["viewer", "officer", "approver"])
    def test_only_menu_managers_preview_and_apply(self, request, provider, menu_manager, role):
        user = request.getfixturevalue(role)
        before = written()
        with pytest.raises(PermissionDenied):
            importing.preview_import(file_name="menu.csv", content=csv_bytes(row()), actor=user)
        assert written() == before
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row()), actor=menu_manager
        )
        with pytest.raises(PermissionDenied):
            importing.apply_import(menu_import=menu_import, actor=user)
        menu_import.refresh_from_db()
        assert menu_import.status == MenuImport.Status.PREVIEWED


@pytest.mark.django_db
class TestCommand:
    @pytest.fixture
    def menu_file(self, tmp_path):
        def write(content: bytes, name="menu.csv"):
            path = tmp_path / name
            path.write_bytes(content)
            return str(path)

        return write

    def run(self, *args):
        out, err = io.StringIO(), io.StringIO()
        call_command("import_menu", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_dry_run_writes_nothing(self, existing, menu_file):
        before = written()
        out, _err = self.run(
            menu_file(csv_bytes(row(title_en="New"), row(code="CYB-0002"))), "--dry-run"
        )
        assert "2 rows: 1 to add, 1 to change, 0 to retire, 0 unchanged, 0 errors." in out
        assert "nothing was written" in out
        assert written() == before

    def test_applies_as_the_command_line(self, provider, menu_file):
        out, _err = self.run(menu_file(xlsx_bytes(row()), name="menu.xlsx"))
        assert "1 added" in out
        menu_import = MenuImport.objects.get()
        assert (menu_import.status, menu_import.uploaded_by) == ("applied", None)
        assert Activity.history.get(code="CYB-0001").history_user is None

    def test_applies_as_a_user(self, provider, menu_manager, menu_file):
        self.run(menu_file(csv_bytes(row())), "--user", "menumanager")
        assert Activity.history.get(code="CYB-0001").history_user == menu_manager
        assert MenuImport.objects.get().uploaded_by == menu_manager

    @pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
    def test_row_errors_are_printed_and_nothing_is_written(self, provider, menu_file, dry_run):
        before = written()
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(CommandError, match="1 error"):
            call_command(
                "import_menu",
                menu_file(csv_bytes(row(), row(code="CYB-0002", area="atlantis"))),
                *dry_run,
                stdout=out,
                stderr=err,
            )
        assert (
            "Row 3, column area: No area of cooperation has the code “atlantis”." in err.getvalue()
        )
        assert written() == before

    def test_file_errors_and_missing_files(self, provider, menu_file, tmp_path):
        before = written()
        with pytest.raises(CommandError):
            self.run(menu_file(b"\x00\x01", name="menu.csv"))
        with pytest.raises(CommandError, match="Cannot read"):
            self.run(str(tmp_path / "absent.csv"))
        assert written() == before

    def test_users_without_the_role_or_unknown(self, provider, viewer, menu_file):
        before = written()
        with pytest.raises(CommandError, match="Only menu managers"):
            self.run(menu_file(csv_bytes(row())), "--user", "viewer")
        with pytest.raises(CommandError, match="No user"):
            self.run(menu_file(csv_bytes(row())), "--user", "ghost")
        assert written() == before


def upload(client, content, name="menu.csv"):
    return client.post(
        reverse("programmes:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )


@pytest.mark.django_db
class TestPages:
    @pytest.mark.parametrize("role", ["viewer", "officer", "approver"])
    def test_other_roles_may_not_import(self, request, client_as, provider, menu_manager, role):
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row()), actor=menu_manager
        )
        client = client_as(request.getfixturevalue(role))
        before = written()
        assert client.get(reverse("programmes:import_upload")).status_code == 403
        assert upload(client, csv_bytes(row(code="CYB-0002"))).status_code == 403
        apply_url = reverse("programmes:import_apply", args=[menu_import.pk])
        assert client.post(apply_url).status_code == 403
        assert written() == before
        # They read the log and the preview, without a button to apply it.
        assert client.get(reverse("programmes:import_list")).status_code == 200
        page = client.get(menu_import.get_absolute_url())
        assert page.status_code == 200
        assert apply_url not in page.text

    def test_users_without_a_role_see_no_import(
        self, client_as, no_role_user, provider, menu_manager
    ):
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row()), actor=menu_manager
        )
        client = client_as(no_role_user)
        assert client.get(reverse("programmes:import_list")).status_code == 403
        assert client.get(menu_import.get_absolute_url()).status_code == 403

    @pytest.mark.parametrize("role", ["menu_manager", "administrator"])
    def test_menu_managers_and_administrators_import(self, request, client_as, provider, role):
        user = request.getfixturevalue(role)
        assert can_edit_menu(user)
        client = client_as(user)
        assert client.get(reverse("programmes:import_upload")).status_code == 200
        response = upload(client, csv_bytes(row()))
        menu_import = MenuImport.objects.get()
        assert response["Location"] == menu_import.get_absolute_url()
        response = client.post(reverse("programmes:import_apply", args=[menu_import.pk]))
        assert response["Location"] == menu_import.get_absolute_url()
        assert Activity.history.get(code="CYB-0001").history_user == user

    def test_full_flow(self, client_as, existing, provider, menu_manager):
        client = client_as(menu_manager)
        form = client.get(reverse("programmes:import_upload"))
        assert "<code>retired_in</code>" in form.text
        assert "<code>cyber</code>" in form.text
        content = xlsx_bytes(row(title_en="Cyber defence, revised"), row(code="CYB-0002"))
        response = upload(client, content, name="menu 2026.xlsx")
        menu_import = MenuImport.objects.get()
        assert menu_import.file_name == "menu 2026.xlsx"
        page = client.get(response["Location"])
        assert (
            "Check what the file will do" in page.text or "check what the file will do" in page.text
        )
        assert "1 activity to add" in page.text
        assert "1 activity to change" in page.text
        assert "Cyber defence, revised" in page.text
        assert "Cyber defence basics" in page.text  # the value before the change
        apply_url = reverse("programmes:import_apply", args=[menu_import.pk])
        assert apply_url in page.text
        assert not Activity.objects.filter(code="CYB-0002").exists()

        page = client.post(apply_url, follow=True)
        assert "The import was applied: 1 added, 1 changed, 0 retired." in page.text
        assert "CYB-0002" in page.text
        assert apply_url not in page.text
        created = Activity.objects.get(code="CYB-0002")
        assert created.history.get().history_user == menu_manager
        assert Activity.objects.get(code="CYB-0001").title_en == "Cyber defence, revised"

        log = client.get(reverse("programmes:import_list"))
        assert "menu 2026.xlsx" in log.text
        assert "Applied" in log.text

        page = client.post(apply_url, follow=True)
        assert "already been applied" in page.text
        assert Activity.history.filter(code="CYB-0002").count() == 1

    def test_the_pages_are_built_on_the_imports_frames(self, client_as, provider, menu_manager):
        """The upload page and an import's page are the event import's frames filled in, and
        the log shows the same status badge: the two imports' pages cannot drift apart."""
        client = client_as(menu_manager)
        form = client.get(reverse("programmes:import_upload"))
        assert "programmes/import_upload_frame.html" in templates_of(form)
        page = client.get(upload(client, csv_bytes(row(), row(code="bad"))).url)
        assert "programmes/import_detail_frame.html" in templates_of(page)
        assert "programmes/import_detail_frame.html#row_errors" in templates_of(page)
        log = client.get(reverse("programmes:import_list"))
        assert "programmes/import_detail_frame.html#status" in templates_of(log)

    def test_errors_are_shown_by_row_and_column(self, client_as, provider, menu_manager):
        client = client_as(menu_manager)
        before = Activity.objects.count(), Activity.history.count()
        response = upload(client, csv_bytes(row(), row(code="CYB-0002", length_days="ten")))
        page = client.get(response["Location"])
        assert "The file has errors" in page.text
        assert "<td>3</td>" in page.text
        assert "<code>length_days</code>" in page.text
        assert "“ten” value must be an integer." in page.text
        menu_import = MenuImport.objects.get()
        assert menu_import.status == MenuImport.Status.REJECTED
        assert reverse("programmes:import_apply", args=[menu_import.pk]) not in page.text
        assert (Activity.objects.count(), Activity.history.count()) == before

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("menu.txt", csv_bytes(row()), "not “menu.txt”"),
            ("menu.csv", b"", "The submitted file is empty."),
            ("menu.csv", bytes(range(256)), "binary data"),
            ("menu.csv", csv_bytes(["x"], header=["code"]), "Missing columns"),
            ("menu.xlsx", b"not a workbook", "Excel workbook"),
        ],
    )
    def test_malformed_files_are_explained_on_the_form(
        self, client_as, provider, menu_manager, name, content, message
    ):
        before = written()
        response = upload(client_as(menu_manager), content, name=name)
        assert response.status_code == 200
        assert message in response.text
        assert written() == before

    def test_over_size_upload(self, client_as, provider, menu_manager, monkeypatch):
        monkeypatch.setattr(importing, "MAX_FILE_BYTES", 100)
        response = upload(client_as(menu_manager), csv_bytes(row()))
        assert "larger than" in response.text
        assert written() == (0, 0, 0)

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_the_menu_download_uploads_as_no_change(self, client_as, provider, menu_manager, fmt):
        ActivityFactory(code="CYB-0001", provider=provider, description_en="=1+1")
        ActivityFactory(code="CYB-0002", provider=provider, retired=True)
        client = client_as(menu_manager)
        download = client.get(reverse("programmes:activity_export", args=[fmt]), {"state": "all"})
        history = Activity.history.count()
        upload(client, download.content, name=f"menu.{fmt}")
        menu_import = MenuImport.objects.get()
        assert (menu_import.status, menu_import.rows, menu_import.unchanged) == ("previewed", 2, 2)
        client.post(reverse("programmes:import_apply", args=[menu_import.pk]))
        assert Activity.history.count() == history

    def test_stale_preview_offers_no_apply(self, client_as, existing, menu_manager):
        client = client_as(menu_manager)
        upload(client, csv_bytes(row(title_en="Mine")))
        menu_import = MenuImport.objects.get()
        menu.update_activity(activity=existing, actor=None, title_en="Theirs")
        page = client.get(menu_import.get_absolute_url())
        assert "The menu has changed since this file was checked" in page.text
        assert reverse("programmes:import_apply", args=[menu_import.pk]) not in page.text
        page = client.post(reverse("programmes:import_apply", args=[menu_import.pk]), follow=True)
        assert "upload it again" in page.text
        assert Activity.objects.get(code="CYB-0001").title_en == "Theirs"

    def test_apply_needs_post(self, client_as, provider, menu_manager):
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row()), actor=menu_manager
        )
        response = client_as(menu_manager).get(
            reverse("programmes:import_apply", args=[menu_import.pk])
        )
        assert response.status_code == 405
        assert not Activity.objects.exists()

    def test_unknown_import_is_404(self, client_as, menu_manager):
        client = client_as(menu_manager)
        assert client.get(reverse("programmes:import_detail", args=[999])).status_code == 404
        assert client.post(reverse("programmes:import_apply", args=[999])).status_code == 404

    def test_query_counts_do_not_grow(self, client_as, provider, menu_manager, viewer):
        client = client_as(viewer)

        def queries(url):
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            return len(context)

        def preview(*rows):
            return importing.preview_import(
                file_name="menu.csv", content=csv_bytes(*rows), actor=menu_manager
            )

        small, small_rejected = preview(row()), preview(row(area="?"))
        list_small = queries(reverse("programmes:import_list"))
        detail_small = queries(small.get_absolute_url())
        rejected_small = queries(small_rejected.get_absolute_url())
        large = preview(*(row(code=f"CYB-{n:04d}") for n in range(1, 40)))
        rows = [row(code=f"CYB-{n:04d}", area="?" if n % 2 else "cyber") for n in range(1, 40)]
        large_rejected = preview(*rows)
        for _n in range(5):
            preview(row())
        assert queries(reverse("programmes:import_list")) == list_small
        assert queries(large.get_absolute_url()) == detail_small
        assert queries(large_rejected.get_absolute_url()) == rejected_small

    def test_applied_import_page_query_count(self, client_as, provider, menu_manager):
        client = client_as(menu_manager)
        small, _plan = preview_and_apply(csv_bytes(row()), menu_manager)
        large, _plan = preview_and_apply(
            csv_bytes(*(row(code=f"DPP-{n:04d}") for n in range(1, 20))), menu_manager
        )

        def queries(url):
            with CaptureQueriesContext(connection) as context:
                assert client.get(url).status_code == 200
            return len(context)

        assert queries(small.get_absolute_url()) == queries(large.get_absolute_url())


@pytest.mark.django_db
class TestStoredPreview:
    """What an import's page shows is kept at upload: the page never reads the file again."""

    def test_kept_at_upload(self, existing, provider, menu_manager):
        ActivityFactory(code="CYB-0003", provider=provider, first_offered=2020, title_en="Old")
        content = csv_bytes(
            row(area="et"),
            row(code="CYB-0002"),
            row(code="CYB-0003", title_en="Old", retired_in="2025"),
        )
        menu_import = importing.preview_import(
            file_name="menu.csv", content=content, actor=menu_manager
        )
        menu_import.refresh_from_db()
        preview = menu_import.preview
        assert preview["added"] == [
            dict(zip(COLUMNS, row(code="CYB-0002"), strict=True))
            | {"length_days": 5, "first_offered": 2020, "retired_in": None}
        ]
        assert preview["changed"] == [{"code": "CYB-0001", "fields": {"area": ["cyber", "et"]}}]
        [retired] = preview["retired"]
        assert (retired["code"], retired["fields"]["retired_in"]) == ("CYB-0003", [None, 2025])
        assert preview["row_errors"] == {"en": [], "fr": []}

    def test_the_page_never_reads_the_file(self, client_as, provider, menu_manager, monkeypatch):
        previewed = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row()), actor=menu_manager
        )
        rejected = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row(area="?")), actor=menu_manager
        )

        def unexpected(*args, **kwargs):
            raise AssertionError("the stored file was read")

        monkeypatch.setattr(importing, "read_rows", unexpected)
        monkeypatch.setattr(importing, "plan_import", unexpected)
        client = client_as(menu_manager)
        for menu_import, shown in [(previewed, "1 activity to add"), (rejected, "“?”")]:
            with CaptureQueriesContext(connection) as context:
                page = client.get(menu_import.get_absolute_url())
            assert page.status_code == 200
            assert shown in page.text
            sql = " ".join(query["sql"] for query in context.captured_queries)
            assert '"programmes_menuimport"."content"' not in sql

    def test_row_errors_in_the_readers_language(self, client_as, provider, menu_manager, settings):
        client = client_as(menu_manager)
        response = upload(client, csv_bytes(row(area="atlantis")))
        assert (
            "No area of cooperation has the code “atlantis”."
            in client.get(response["Location"]).text
        )
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        page = client.get(response["Location"])
        french = "Aucun domaine de coopération n’a le code «\u00a0atlantis\u00a0»."  # noqa: RUF001
        assert french in page.text

    def test_any_change_of_the_menu_since_the_upload_is_told(
        self, client_as, existing, provider, menu_manager
    ):
        client = client_as(menu_manager)
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row(code="CYB-0002")), actor=menu_manager
        )
        apply_url = reverse("programmes:import_apply", args=[menu_import.pk])
        assert apply_url in client.get(menu_import.get_absolute_url()).text
        # Another activity than the file's: the page cannot tell without reading the file.
        menu.update_activity(activity=existing, actor=None, title_en="Theirs")
        page = client.get(menu_import.get_absolute_url())
        assert "The menu has changed since this file was checked" in page.text
        assert apply_url not in page.text
        # Applying checks the file itself: this one would still do the same.
        client.post(apply_url)
        assert Activity.objects.filter(code="CYB-0002").exists()

    def test_an_import_checked_before_previews_were_kept(self, client_as, provider, menu_manager):
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(row()), actor=menu_manager
        )
        MenuImport.objects.filter(pk=menu_import.pk).update(preview=None)
        page = client_as(menu_manager).get(menu_import.get_absolute_url())
        assert "upload it again to see what it would do" in page.text
        assert "1 to add" in page.text  # the counts were always kept
        assert reverse("programmes:import_apply", args=[menu_import.pk]) not in page.text

    def test_a_huge_cell_is_not_quoted_whole(self, provider, menu_manager):
        content = csv_bytes(row(area="x" * 100_000))
        menu_import = importing.preview_import(
            file_name="menu.csv", content=content, actor=menu_manager
        )
        [error] = menu_import.preview["row_errors"]["en"]
        assert error["column"] == "area"
        assert error["message"].startswith("No area of cooperation has the code “xxx")
        assert len(error["message"]) == importing.MAX_MESSAGE_CHARS

    def test_the_page_lists_the_first_errors(self, client_as, provider, menu_manager, monkeypatch):
        monkeypatch.setattr(importing, "MAX_LISTED_ERRORS", 2)
        rows = [row(code=f"CYB-000{n}", area="?") for n in (1, 2, 3)]
        menu_import = importing.preview_import(
            file_name="menu.csv", content=csv_bytes(*rows), actor=menu_manager
        )
        assert len(menu_import.preview["row_errors"]["fr"]) == 2
        page = client_as(menu_manager).get(menu_import.get_absolute_url())
        assert "3 errors" in page.text
        assert "The first 2 errors are listed." in page.text
