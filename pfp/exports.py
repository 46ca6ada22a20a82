"""CSV and Excel responses for every export and report, with formula injection neutralised.

A cell that begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return, which some
spreadsheets skip before reading a formula) is prefixed with an apostrophe, so a spreadsheet
shows it as text instead of running it. Numbers and dates stay typed in Excel.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """The value as a spreadsheet should receive it: text that could run as a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _download(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """UTF-8 with a byte-order mark, so that Excel opens accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(cell)) for cell in header])
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    return _download(response, filename)


def add_sheet(
    workbook: Workbook,
    title: str,
    header: Sequence[str],
    rows: Iterable[Sequence],
    *,
    first: bool = False,
):
    """A sheet with a bold, frozen header row, filters on and columns sized to their content."""
    from openpyxl.styles import Font

    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title[:31]
    sheet.append([neutralise(str(cell)) for cell in header])
    widths = [len(str(cell)) for cell in header]
    for row in rows:
        values = [neutralise(cell) for cell in row]
        sheet.append(values)
        for index, value in enumerate(values):
            text = value.isoformat() if isinstance(value, datetime.date) else str(value or "")
            widths[index] = max(widths[index], min(len(text), 60))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(8, width + 2)
    return sheet


def xlsx_response(filename: str, workbook: Workbook) -> HttpResponse:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _download(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename)


def single_sheet_xlsx_response(
    filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]
) -> HttpResponse:
    workbook = Workbook()
    add_sheet(workbook, title, header, rows, first=True)
    return xlsx_response(filename, workbook)
