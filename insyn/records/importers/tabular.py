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
from xml.etree import ElementTree

from insyn.records.importers.assembler import PlanAssembler, Row
from insyn.records.importers.columns import match_header, normalize
from insyn.records.importers.metadata import METADATA_SHEET, MetadataRow, apply_metadata, csv_comment
from insyn.records.importers.text import decode_text
from insyn.records.plandata import PlanData, PlanFileError

MAX_REPEAT = 10_000  # ODS repeats a row or cell N times; more than this with content is refused


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

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        raise PlanFileError(f"not an XLSX workbook ({error})", file=file) from None
    try:
        sheets = []
        for sheet in workbook.worksheets:
            rows = [
                Row(number, [cell_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)
            ]
            sheets.append((sheet.title, rows))
    finally:
        workbook.close()
    return _plan_from_sheets(sheets, file=file)


# -- ODS ----------------------------------------------------------------------------------------
# Read with ElementTree rather than odfpy: odfpy took ~9 s for a 6,000-row plan. ODF content
# never has a DTD; one is refused, so no entity can expand (what defusedxml would forbid).

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CELLS = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")


def _ods_text(element: ElementTree.Element) -> str:
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_TEXT}s":
            parts.append(" " * int(child.get(f"{_TEXT}c", "1")))
        elif child.tag == f"{_TEXT}tab":
            parts.append("\t")
        elif child.tag == f"{_TEXT}line-break":
            parts.append("\n")
        elif child.tag != f"{_OFFICE}annotation":
            parts.append(_ods_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _ods_value(cell: ElementTree.Element) -> str:
    kind = cell.get(f"{_OFFICE}value-type")
    if kind == "date":
        return cell_text(datetime.datetime.fromisoformat(cell.get(f"{_OFFICE}date-value", "")))
    if kind in ("float", "percentage", "currency"):
        return cell_text(float(cell.get(f"{_OFFICE}value", "")))
    if kind == "boolean":
        return cell_text(cell.get(f"{_OFFICE}boolean-value") == "true")
    return "\n".join(_ods_text(paragraph) for paragraph in cell.findall(f"{_TEXT}p"))


def _repeat(element: ElementTree.Element, attribute: str, *, file: str, filled: bool) -> int:
    count = int(element.get(f"{_TABLE}{attribute}", "1"))
    if filled and count > MAX_REPEAT:
        raise PlanFileError(f"a cell or row repeated {count} times", file=file)
    return count


def _ods_rows(table: ElementTree.Element, *, file: str) -> Iterator[Row]:
    number = 0
    for element in table.iter(f"{_TABLE}table-row"):
        cells: list[str] = []
        empty_run = 0
        for cell in element:
            if cell.tag not in _CELLS:
                continue
            text = _ods_value(cell)
            count = _repeat(cell, "number-columns-repeated", file=file, filled=bool(text))
            if not text:
                empty_run += count  # trailing empty cells often repeat to column 1024: add them lazily
                continue
            cells += [""] * empty_run + [text] * count
            empty_run = 0
        count = _repeat(element, "number-rows-repeated", file=file, filled=bool(cells))
        for _ in range(count if cells else 0):
            number += 1
            yield Row(number, list(cells))
        if not cells:
            number += count


def read_ods(data: bytes, *, file: str) -> PlanData:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            content = archive.read("content.xml")
        if b"<!DOCTYPE" in content:
            raise ValueError("a DTD in content.xml")
        root = ElementTree.fromstring(content)  # noqa: S314 - no DTD (refused above), so nothing can expand
    except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError) as error:
        raise PlanFileError(f"not an ODS spreadsheet ({error})", file=file) from None
    sheets = [
        (table.get(f"{_TABLE}name", ""), list(_ods_rows(table, file=file))) for table in root.iter(f"{_TABLE}table")
    ]
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
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))
    except csv.Error as error:
        raise PlanFileError(f"not a CSV file ({error})", file=file) from None
    metadata: list[MetadataRow] = []
    rows: list[Row] = []
    for number, cells in enumerate(records, start=1):
        comment = csv_comment(cells) if not rows else None
        if comment is not None:
            comment.row = number
            metadata.append(comment)
        elif rows or any(cell.strip() for cell in cells):
            rows.append(Row(number, cells))
    return _assemble(rows, metadata, file=file)
