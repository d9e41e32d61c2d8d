"""Spreadsheets: XLSX (openpyxl), ODS (its content.xml) and CSV.

One sheet is one plan: the first sheet with a recognised header row (see `columns`), whatever
its name. Plan metadata comes from a sheet named "Plan" without such a header row (label in
column A, value in B; see `metadata`) or,
in CSV, from leading "# Label: value" rows; a sheet without either gets the title from rows
above the header or from the file name. Row numbers in errors are the ones the spreadsheet
shows (1-based; in CSV, the record number).
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from insyn.core.bounded_input import Budget, iterparse_xml, open_zip, stream_xml, text_rows, used_width
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
    """The plan is the first sheet with a header row, whatever its name ("Plan" too); metadata is a
    sheet named "Plan" without one. With no header anywhere, the first sheet that is not metadata
    is read, to say what it lacks."""
    metadata: list[MetadataRow] = []
    metadata_sheet: str | None = None
    tables: list[tuple[str, list[Row], bool]] = []
    for name, rows in sheets:
        has_header = any(match_header(row.cells) for row in rows)
        if normalize(name) == normalize(METADATA_SHEET) and not has_header:
            metadata += [MetadataRow(row.number, row.cells[0], row.cells[1:]) for row in rows if row.cells[0].strip()]
            metadata_sheet = name
        else:
            tables.append((name, rows, has_header))
    if not tables:
        raise PlanFileError(_("the file has no sheet with a plan"), file=file, column="Handlingstyp")
    name, rows, _header = next((table for table in tables if table[2]), tables[0])
    return _assemble(rows, metadata, file=file, sheet=name, metadata_sheet=metadata_sheet)


def _assemble(
    rows: list[Row],
    metadata: list[MetadataRow],
    *,
    file: str,
    sheet: str | None = None,
    metadata_sheet: str | None = None,
) -> PlanData:
    assembler = PlanAssembler(file=file, sheet=sheet)
    for row in rows:
        assembler.feed(row)
    plan = assembler.finish()
    try:
        apply_metadata(plan, metadata, file=file)
    except PlanFileError as error:
        raise error.at_sheet(metadata_sheet) from None
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
        raise PlanFileError(_("not an XLSX workbook (%(error)s)") % {"error": error}, file=file) from None
    try:
        sheets = [(sheet.title, list(xlsx_rows(sheet, budget))) for sheet in workbook.worksheets]
    except (SyntaxError, ValueError, LookupError, TypeError) as error:  # a broken sheet (ParseError is a SyntaxError)
        raise PlanFileError(_("not an XLSX workbook (%(error)s)") % {"error": error}, file=file) from None
    finally:
        workbook.close()
    return _plan_from_sheets(sheets, file=file)


def xlsx_rows(sheet: Any, budget: Budget) -> Iterator[Row]:
    """A read-only sheet's rows, counted; the declared dimension is ignored so nothing is padded.

    The sheet's XML is streamed through expat (`stream_xml`) rather than openpyxl's row parser,
    which built an object per inline string and took 60 % of the parse of 5,000 rows; the
    workbook (sheets, shared strings, date styles, epoch) is still openpyxl's. Values are those
    openpyxl's read-only `iter_rows(values_only=True)` gives, row for row (`_XlsxSheet`).
    """
    reader = _XlsxSheet(sheet.parent, budget)
    with sheet.parent._archive.open(sheet._worksheet_path) as source:
        stream_xml(source, budget=budget, start=reader.start, end=reader.end, text=reader.text)
    yield from reader.rows


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _V, _IS = f"{_MAIN}row", f"{_MAIN}v", f"{_MAIN}is"
_COORDINATE = re.compile(r"[^0-9]*")


def _local(name: str) -> str:
    return name.rpartition("}")[2]


class _XlsxSheet:
    """A worksheet's rows from expat events, with the values openpyxl's read-only parser gives.

    As openpyxl (`WorkSheetParser.parse_cell`, `ReadOnlyWorksheet._cells_by_row`) with
    `data_only`: every child of a `row` is a cell; its value is the first `v` child (a formula's
    cached value), or for `t="inlineStr"` the text of its `is` (plain `t` and the runs' `t`);
    numbers cast to int or float and to a date or duration by the cell's style; `s` indexes the
    shared strings, `b` is a boolean, `d` an ISO 8601 date; a row is as wide as its last cell;
    rows missing before a numbered row are empty, a row numbered lower than the one before is skipped.
    """

    def __init__(self, workbook: Any, budget: Budget) -> None:
        from openpyxl.utils.cell import column_index_from_string
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.from_excel, self.from_iso, self.column_index = from_excel, from_ISO8601, column_index_from_string
        self.shared = workbook.shared_strings
        self.epoch = workbook.epoch
        self.date_formats = workbook._date_formats
        self.timedelta_formats = workbook._timedelta_formats
        self.budget = budget
        self.rows: list[Row] = []
        self.letters: dict[str, int] = {}  # column letters → 1-based index
        self.depth = 0
        self.row_depth = 0  # depth of the open row element, 0 outside one
        self.row_number = 0  # openpyxl's row counter
        self.counter = 1  # the number of the next row to give
        self.column = 0  # openpyxl's column counter
        self.cells: list[tuple[int, Any]] = []
        self.cell: dict[str, str] | None = None  # the attributes of the open cell
        self.value: list[str] | None = None  # the text of the cell's first `v`, once seen
        self.inline: list[str] | None = None  # the runs' texts of the cell's first `is`, once seen
        self.plain: list[str] | None = None  # the text of the last plain `t` of the `is`
        self.run: list[str] | None = None  # the text of the last `t` of the open `r`
        self.in_run = False
        self.is_depth = 0  # depth of the open first `is`, 0 once read
        self.target: list[str] | None = None  # where text goes: an element's text up to its first child
        self.target_depth = 0

    # -- expat events

    def start(self, name: str, attributes: dict[str, str]) -> None:
        self.depth += 1
        depth = self.depth
        self.target = None  # an element's text ends where its first child begins
        if self.cell is not None:
            below = depth - self.row_depth - 1  # 1: a child of the cell
            if below == 1:
                if name == _V and self.value is None:
                    self.value = self._collect(depth)
                elif name == _IS and self.inline is None and self.cell.get("t") == "inlineStr":
                    self.inline, self.is_depth = [], depth
            elif self.inline is not None and self.is_depth and below == 2:
                local = _local(name)
                if local == "t":
                    self.plain = self._collect(depth)
                elif local == "r":
                    self.in_run, self.run = True, None
            elif self.in_run and below == 3 and _local(name) == "t":
                self.run = self._collect(depth)
        elif self.row_depth:
            if depth == self.row_depth + 1:
                self.cell = attributes
                self.value = self.inline = self.plain = None
                self.is_depth = 0
        elif name == _ROW:
            self._row_start(attributes)
            self.row_depth = depth

    def end(self, name: str) -> None:
        depth = self.depth
        self.depth -= 1
        self.target = None
        if self.cell is not None:
            below = depth - self.row_depth - 1
            if below == 0:
                self._cell_end()
                self.cell = None
            elif below == 1 and depth == self.is_depth:
                self.is_depth = 0  # the first `is` is read; later ones do not count
            elif below == 2 and self.in_run and self.is_depth:
                if self.run is not None:
                    self.inline.append("".join(self.run))  # type: ignore[union-attr]
                self.in_run, self.run = False, None
        elif depth == self.row_depth:
            self._row_end()
            self.row_depth = 0

    def text(self, data: str) -> None:
        if self.target is not None:
            self.target.append(data)

    def _collect(self, depth: int) -> list[str]:
        self.target, self.target_depth = [], depth
        return self.target

    # -- rows and cells

    def _row_start(self, attributes: dict[str, str]) -> None:
        number = attributes.get("r")
        if number is not None:
            try:
                self.row_number = int(number)
            except ValueError:
                value = float(number)
                if not value.is_integer():
                    raise ValueError(f"{number} is not a valid row number") from None
                self.row_number = int(value)
        else:
            self.row_number += 1
        self.column = 0
        self.cells = []

    def _cell_end(self) -> None:
        attributes = self.cell
        assert attributes is not None
        kind = attributes.get("t", "n")
        style: Any = attributes.get("s", 0)
        if style:
            style = int(style)
        value: Any = None if kind == "inlineStr" or self.value is None else "".join(self.value) or None
        coordinate = attributes.get("r")
        if coordinate:
            self.column = self._column(coordinate)
        else:
            self.column += 1
        if value is not None:
            if kind == "n":
                value = float(value) if "." in value or "E" in value or "e" in value else int(value)
                if style in self.date_formats:
                    try:
                        value = self.from_excel(value, self.epoch, timedelta=style in self.timedelta_formats)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"  # as openpyxl: a date serial out of range is an error cell
            elif kind == "s":
                value = self.shared[int(value)]
            elif kind == "b":
                value = bool(int(value))
            elif kind == "d":
                value = self.from_iso(value)
        elif kind == "inlineStr" and self.inline is not None:
            plain = "".join(self.plain) if self.plain is not None else ""
            value = plain + "".join(self.inline)
        self.cells.append((self.column, value))

    def _column(self, coordinate: str) -> int:
        # As openpyxl's coordinate_to_tuple: letters up to the first digit, then a number.
        split = _COORDINATE.match(coordinate).end()  # type: ignore[union-attr]
        if split == len(coordinate):
            raise ValueError(f"not a cell reference: {coordinate[:20]}")
        int(coordinate[split:])
        letters = coordinate[:split]
        column = self.letters.get(letters)
        if column is None:
            column = self.letters[letters] = self.column_index(letters)
        return column

    def _row_end(self) -> None:
        number = self.row_number
        while self.counter < number:  # rows missing from the file are empty
            self._give(())
        if self.counter <= number:
            values: list[Any] | tuple[()] = ()
            if self.cells:
                width = self.cells[-1][0]
                values = [None] * width
                for column, value in self.cells:
                    if column <= width:
                        values[column - 1] = value
            self._give(values)
        self.cells = []

    def _give(self, values: list[Any] | tuple[()]) -> None:
        width = used_width(values)
        self.budget.row(width)
        # Most cells are text already: cell_text(text) is the text itself.
        self.rows.append(Row(self.counter, [v if type(v) is str else cell_text(v) for v in values[:width]]))
        self.counter += 1


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
        raise PlanFileError(_("not an ODS spreadsheet (%(error)s)") % {"error": error}, file=file) from None
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
        raise PlanFileError(_("not a CSV file (%(error)s)") % {"error": error}, file=file) from None
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
