"""Reading an uploaded CSV file or Excel workbook into records, within limits the caller gives.

The menu import (``programmes.menu.importing``) and the import of events
(``programmes.delivery.importing``) read their files here; each keeps its own limits and
columns, and turns records into rows. Every refusal is a ``ValidationError`` with the code
``"file"``, in the reader's language.
"""

from __future__ import annotations

import csv
import io
import itertools
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pfp.exports import FORMULA_TRIGGERS

EXTENSIONS = (".csv", ".xlsx")


def file_error(message: str) -> ValidationError:
    return ValidationError(message, code="file")


def check_file(file_name: str, size: int, *, max_bytes: int) -> None:
    """Refuse a file by its name and size alone, before reading it."""
    if Path(file_name).suffix.lower() not in EXTENSIONS:
        raise file_error(
            _("Upload a CSV file (.csv) or an Excel workbook (.xlsx), not “%(name)s”.")
            % {"name": Path(file_name).name}
        )
    if size > max_bytes:
        raise file_error(
            _("The file is larger than %(limit)s MB; split it into smaller files.")
            % {"limit": max_bytes // (1024 * 1024)}
        )
    if size == 0:
        raise file_error(_("The file is empty."))


def csv_records(
    content: bytes, *, max_columns: int, too_wide: Callable[[], ValidationError]
) -> Iterator[list[str]]:
    """The records of a UTF-8 CSV file (comma or semicolon). A header of ``max_columns`` columns
    or more is refused with ``too_wide()`` before the file is parsed: counting the first line's
    delimiters takes linear time, and trailing empty cells are forgiven."""
    if b"\x00" in content:
        raise file_error(
            _("The file contains binary data, not text: save it as “CSV UTF-8” or as .xlsx.")
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise file_error(
            _("The file is not UTF-8 text: in your spreadsheet, save it as “CSV UTF-8”.")
        ) from error
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    # Spreadsheets set to French (and other) locales save CSV files with semicolons.
    delimiter = ";" if ";" in first_line and "," not in first_line else ","
    if first_line.rstrip(f"{delimiter} \t\r").count(delimiter) >= max_columns:
        raise too_wide()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise file_error(
            _("The CSV file is malformed near line %(line)s: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error


def xlsx_records(
    content: bytes, *, max_columns: int, max_rows: int, max_unzipped_bytes: int
) -> list[tuple]:
    """The first sheet's records: at most ``max_columns + 1`` cells each (to notice a header
    that is wider) and ``max_rows + 1`` records (to notice a sheet that is too long, without
    reading all of it). A workbook larger than ``max_unzipped_bytes`` once unzipped is refused
    before openpyxl reads it."""
    unreadable = _("The file could not be read as an Excel workbook (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except Exception as error:  # a bad zip takes many shapes: BadZipFile, OSError, ValueError...
        raise file_error(unreadable) from error
    if unzipped > max_unzipped_bytes:
        raise file_error(_("The workbook is too large once uncompressed; split it."))
    try:
        # openpyxl warns about features it skips (data validation, styles); they do not matter.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                rows = workbook.worksheets[0].iter_rows(values_only=True, max_col=max_columns + 1)
                return list(itertools.islice(rows, max_rows + 1))
            finally:
                workbook.close()
    except Exception as error:  # any failure of openpyxl on a corrupt workbook
        raise file_error(unreadable) from error


def cell(value):
    """A cell as the importers use it: text stripped and un-neutralised (``pfp.exports`` quotes
    text a spreadsheet could run as a formula); numbers, booleans and dates kept as they are."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
            value = value[1:]
    return value
