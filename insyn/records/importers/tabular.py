"""Spreadsheets: XLSX (openpyxl), ODS (its content.xml) and CSV.

One sheet is one plan: the first sheet with a recognised header row (see `columns`). Plan
metadata comes from a sheet named "Plan" (label in column A, value in B; see `metadata`) or,
in CSV, from leading "# Label: value" rows; a sheet without either gets the title from rows
above the header or from the file name. Row numbers in errors are the ones the spreadsheet
shows (1-based; in CSV, the record number).
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree import ElementTree

from insyn.core.bounded_input import Budget, iterparse_xml, open_zip, text_rows, used_width
from insyn.core.export_safety import unescape_csv_cell
from insyn.records.importers.assembler import PlanAssembler, Row
from insyn.records.importers.columns import match_header, normalize
from insyn.records.importers.metadata import METADATA_SHEET, MetadataRow, apply_metadata, csv_comment
from insyn.records.importers.text import decode_text
from insyn.records.plandata import PlanData, PlanFileError


def cell_text(value: object) -> str:
    """A spreadsheet value as the text a plan means by it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _plan_from_sheets(sheets: list[tuple[str, list[Row]]], *, file: str) -> PlanData:
    metadata: list[MetadataRow] = []
    tables: list[list[Row]] = []
    for name, rows in sheets:
        if normalize(name) == normalize(METADATA_SHEET):
            metadata += [MetadataRow(row.number, row.cells[0], row.cells[1:]) for row in rows if row.cells[0].strip()]
        else:
            tables.append(rows)
    if not tables:
        raise PlanFileError("the file has no sheet with a plan", file=file, column="Handlingstyp")
    chosen = next((rows for rows in tables if any(match_header(row.cells) for row in rows)), tables[0])
    return _assemble(chosen, metadata, file=file)


def _assemble(rows: list[Row], metadata: list[MetadataRow], *, file: str) -> PlanData:
    assembler = PlanAssembler(file=file)
    for row in rows:
        assembler.feed(row)
    plan = assembler.finish()
    apply_metadata(plan, metadata, file=file)
    return plan


# -- XLSX ---------------------------------------------------------------------------------------


def read_xlsx(data: bytes, *, file: str) -> PlanData:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    budget = Budget(file)
    try:
        open_zip(data, budget=budget).close()  # sizes, ratio and DTDs before openpyxl opens it
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, SyntaxError, ValueError) as error:
        raise PlanFileError(f"not an XLSX workbook ({error})", file=file) from None
    try:
        sheets = [(sheet.title, list(xlsx_rows(sheet, budget))) for sheet in workbook.worksheets]
    except (SyntaxError, ValueError, KeyError, TypeError) as error:  # a broken sheet (XML ParseError is a SyntaxError)
        raise PlanFileError(f"not an XLSX workbook ({error})", file=file) from None
    finally:
        workbook.close()
    return _plan_from_sheets(sheets, file=file)


def xlsx_rows(sheet: Any, budget: Budget) -> Iterator[Row]:
    """A read-only sheet's rows, counted; the declared dimension is ignored so nothing is padded."""
    sheet.reset_dimensions()
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        width = used_width(values)
        budget.row(width)
        yield Row(number, [cell_text(value) for value in values[:width]])


# -- ODS ----------------------------------------------------------------------------------------
# Read with (defused) ElementTree rather than odfpy: odfpy took ~9 s for a 6,000-row plan. ODF
# content never has a DTD; one is refused in any encoding (`insyn.core.bounded_input`).

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")


class _CellText:
    """A cell's text as it is put together; `text:s text:c="…"` may not make it longer than the limit."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> None:
        self.length += len(text)
        self.budget.text(self.length)
        self.parts.append(text)

    def spaces(self, count: str) -> None:
        self.budget.text(self.length + int(count))
        self.add(" " * int(count))

    def element(self, element: ElementTree.Element) -> None:
        self.add(element.text or "")
        for child in element:
            if child.tag == f"{_TEXT}s":
                self.spaces(child.get(f"{_TEXT}c", "1"))
            elif child.tag == f"{_TEXT}tab":
                self.add("\t")
            elif child.tag == f"{_TEXT}line-break":
                self.add("\n")
            elif child.tag != f"{_OFFICE}annotation":
                self.element(child)
            self.add(child.tail or "")


def _ods_value(cell: ElementTree.Element, budget: Budget) -> str:
    kind = cell.get(f"{_OFFICE}value-type")
    if kind == "date":
        return cell_text(datetime.datetime.fromisoformat(cell.get(f"{_OFFICE}date-value", "")))
    if kind in ("float", "percentage", "currency"):
        return cell_text(float(cell.get(f"{_OFFICE}value", "")))
    if kind == "boolean":
        return cell_text(cell.get(f"{_OFFICE}boolean-value") == "true")
    text = _CellText(budget)
    for number, paragraph in enumerate(cell.findall(f"{_TEXT}p")):
        if number:
            text.add("\n")
        text.element(paragraph)
    return "".join(text.parts)


def _repeat(element: ElementTree.Element, attribute: str) -> int:
    count = int(element.get(f"{_TABLE}{attribute}", "1"))
    if count < 1:
        raise ValueError(f"{attribute}={count}")
    return count


class _OdsRow:
    """One table row while it is read: repeats are counted against the budget, never expanded first."""

    def __init__(self) -> None:
        self.cells: list[str] = []
        self.empty_run = 0

    def add(self, cell: ElementTree.Element, budget: Budget) -> None:
        text = _ods_value(cell, budget)
        count = _repeat(cell, "number-columns-repeated")
        if not text:
            self.empty_run += count  # trailing empty cells often repeat to column 1024: add them lazily
            return
        budget.columns(len(self.cells) + self.empty_run + count)
        self.cells += [""] * self.empty_run + [text] * count
        self.empty_run = 0


def _ods_sheets(content: IO[bytes], budget: Budget) -> list[tuple[str, list[Row]]]:
    """The sheets of content.xml, streamed: a row is read at its end tag and then dropped."""
    sheets: list[tuple[str, list[Row]]] = []
    rows: list[Row] = []
    name = ""
    tables = number = 0
    row: _OdsRow | None = None
    for event, element in iterparse_xml(content, budget=budget):
        tag = element.tag
        if event == "start":
            if tag == f"{_TABLE}table":
                tables += 1
                if tables == 1:
                    name, rows, number = element.get(f"{_TABLE}name", ""), [], 0
            elif tag == f"{_TABLE}table-row" and tables == 1:
                row = _OdsRow()
            continue
        if tag in _CELLS and tables == 1 and row is not None:
            row.add(element, budget)
            element.clear()
        elif tag == f"{_TABLE}table-row" and tables == 1 and row is not None:
            count = _repeat(element, "number-rows-repeated")
            if row.cells:
                budget.row(len(row.cells), count)
                for _ in range(count):
                    number += 1
                    rows.append(Row(number, list(row.cells)))
            else:
                number += count
            row = None
            element.clear()
        elif tag == f"{_TABLE}table":
            tables -= 1
            if not tables:
                sheets.append((name, rows))
                element.clear()
    return sheets


def read_ods(data: bytes, *, file: str) -> PlanData:
    budget = Budget(file)
    try:
        with open_zip(data, budget=budget) as archive, archive.open("content.xml") as content:
            sheets = _ods_sheets(content, budget)
    except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError) as error:
        raise PlanFileError(f"not an ODS spreadsheet ({error})", file=file) from None
    return _plan_from_sheets(sheets, file=file)


# -- CSV ----------------------------------------------------------------------------------------


def sniff_delimiter(text: str) -> str:
    """';' (Swedish Excel), tab or ',': the one that splits a header row we recognise.

    Failing that, the one a row of the first 50 (comments aside) holds most of.
    """
    head = "\n".join(text.splitlines()[:50])
    for delimiter in (";", "\t", ","):
        with contextlib.suppress(csv.Error):
            if any(match_header(cells) for cells in csv.reader(io.StringIO(head), delimiter=delimiter)):
                return delimiter
    lines = [line for line in head.splitlines() if line.strip() and not line.lstrip('"').startswith("#")]
    best = {delimiter: max((line.count(delimiter) for line in lines), default=0) for delimiter in (";", "\t", ",")}
    delimiter = max(best, key=lambda key: best[key])
    return delimiter if best[delimiter] else ","


def read_csv(data: bytes, *, file: str, lang: str = "sv") -> PlanData:
    text = decode_text(data, file=file, lang=lang)
    budget = Budget(file)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
        records = list(text_rows(reader, budget))
    except csv.Error as error:
        raise PlanFileError(f"not a CSV file ({error})", file=file) from None
    metadata: list[MetadataRow] = []
    rows: list[Row] = []
    for number, cells in enumerate(records, start=1):
        cells = [unescape_csv_cell(cell) for cell in cells]  # the formula guard of our CSV export, taken off
        comment = csv_comment(cells) if not rows else None
        if comment is not None:
            comment.row = number
            metadata.append(comment)
        elif rows or any(cell.strip() for cell in cells):
            rows.append(Row(number, cells))
    return _assemble(rows, metadata, file=file)
