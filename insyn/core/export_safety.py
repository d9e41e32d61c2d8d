"""Spreadsheet exports that a spreadsheet program reads as text, never as a formula (CSV/formula injection).

One place for every door that writes CSV, XLSX or ODS: the plan exports (`insyn.records.exporters`),
the officials register (`insyn.officials.popolo`) and Wagtail's list exports in the admin
(`SafeSpreadsheetExportMixin`, mixed into `insyn.core.admin_views.ScopedIndexView`).
Decision and reasons: docs/decisions/0003-formula-safe-exports.md.

CSV
    A cell that, after any leading apostrophes and spaces, begins with ``=``, ``+``, ``-``, ``@``,
    tab or carriage return gets one more apostrophe in front (OWASP's advice): Excel and LibreOffice
    then show it as text. `unescape_csv_cell` takes exactly that apostrophe off again, so a plan
    exported to CSV and imported back is unchanged: the escape is reversible because every value
    of that shape (also one that already began with an apostrophe) gets one, and nothing else does.
XLSX
    Every string cell is written with data type ``s`` (openpyxl would make ``=…`` a formula and
    ``#N/A`` an error value), and the control characters XML 1.0 cannot hold
    (`openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE`) are removed instead of raising
    ``IllegalCharacterError``.
ODS
    Cells are always ``office:value-type="string"`` (`insyn.records.exporters.ods`), and the same
    control characters are removed there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# The control characters XML 1.0 cannot hold, as `openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE` has them (tab, LF
# and CR stay). Copied, not imported: this module is loaded with the admin at `django.setup()`, and importing
# openpyxl there costs every `insyn` command about a tenth of a second.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")

# Leading characters that make Excel, LibreOffice or Google Sheets evaluate a cell (OWASP "CSV Injection").
FORMULA_TRIGGERS = "=+-@\t\r"
CSV_TEXT_PREFIX = "'"

# A value a spreadsheet would read as a formula (spaces before the trigger do not stop LibreOffice),
# or one that already has apostrophes in front of that (escaped too, so that unescaping is exact).
_NEEDS_PREFIX = re.compile(r"'* *[=+\-@\t\r]")
_HAS_PREFIX = re.compile(r"'+ *[=+\-@\t\r]")

FORMAT_CSV = "csv"
FORMAT_XLSX = "xlsx"


def safe_csv_cell(value: Any) -> Any:
    """`value` for a CSV cell: text a spreadsheet would evaluate gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and _NEEDS_PREFIX.match(value):
        return CSV_TEXT_PREFIX + value
    return value


def unescape_csv_cell(text: str) -> str:
    """The value `safe_csv_cell` was given: one apostrophe off when it stands before a trigger character.

    A text with an apostrophe before ``=``, ``+``, ``-``, ``@``, tab or CR is what Insyn's export (and
    any spreadsheet user typing "'=…" to force text) writes, so taking it off is safe for other files too.
    """
    if _HAS_PREFIX.match(text):
        return text[len(CSV_TEXT_PREFIX) :]
    return text


def safe_sheet_text(text: str) -> str:
    """Text without the control characters an XLSX/ODS file cannot hold."""
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", text)  # XML 1.0 cannot hold them; tab, LF and CR stay
    return cleaned


def safe_sheet_cell(value: Any) -> Any:
    """`value` for an XLSX cell: text loses the control characters XML cannot hold; other values pass.

    Write the cell with ``cell.data_type = "s"`` for text (see `write_text_cell`), or openpyxl makes
    ``=…`` a formula.
    """
    if isinstance(value, str):
        return safe_sheet_text(value)
    return value


def write_text_cell(sheet: Any, *, row: int, column: int, value: str) -> Any:
    """An openpyxl cell holding `value` as a string: never a formula, never an error value."""
    cell = sheet.cell(row=row, column=column, value=safe_sheet_text(value))
    cell.data_type = "s"
    return cell


class SafeSpreadsheetExportMixin:
    """Wagtail's list export (`SpreadsheetExportMixin`: ``?export=csv`` / ``?export=xlsx``) made formula-safe.

    Put it before Wagtail's view in the bases (``class ScopedIndexView(SafeSpreadsheetExportMixin, …,
    generic.IndexView)``): every value goes through Wagtail's own preprocessing first, then through
    `safe_csv_cell` (CSV) or `safe_sheet_cell` (XLSX), and each XLSX text cell is written as a string.
    """

    def preprocess_field_value(self, field: str, value: Any, export_format: str) -> Any:
        value = super().preprocess_field_value(field, value, export_format)  # type: ignore[misc]
        if export_format == FORMAT_CSV:
            return safe_csv_cell(value)
        if export_format == FORMAT_XLSX:
            return safe_sheet_cell(value)
        return value

    def generate_xlsx_row(self, worksheet: Any, row_dict: Any, date_format: Any = None) -> Iterator[Any]:
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):  # type: ignore[misc]
            if isinstance(cell.value, str):
                cell.data_type = "s"  # Wagtail turns only formulas back into text; "#N/A" would be an error cell
            yield cell
