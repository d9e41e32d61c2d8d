"""Rows of cells → `PlanData`: the reading every table-shaped format shares (text, XLSX, ODS, CSV, DOCX).

A plan file is read top to bottom, row by row:

- before the first table, single-cell rows give the title and then the scope;
- "Antagen av, datum och paragraf | Version" is followed by the adoption row, and
  "Revidering: datum och paragraf | Revideringen avser | Version" by revision rows;
- "Verksamhetsområde 2.9 Name | Beskrivning …", "Processgrupp 2.9.2 Name | description" and
  "Processen 2.9.2.1 Name" open a level (as paragraphs, merged rows or text lines);
- a header row (see `columns.match_header`) says which column is what; "Analoga dokument /
  Digitala dokument" above it only groups the columns;
- every other row is a document type. An empty structure cell (area, group, process,
  activity) means "the same as the row above", which is how merged cells arrive.

With `continuation=True` (text extracted from Word/PDF) a line that only adds text to cells
the previous row already has is that row's wrapped text, joined with `join_wrapped`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import NoReturn

from insyn.records.importers.columns import (
    DOCUMENT_FIELDS,
    RETENTION_FIELDS,
    HeaderMap,
    clean,
    column_letter,
    join_wrapped,
    match_header,
    normalize,
    recognised_count,
    strip_markup,
)
from insyn.records.importers.jrwa import JrwaBuilder
from insyn.records.importers.metadata import (
    adoption_from_cell,
    description_segments,
    revision_from_cells,
    strip_label,
)
from insyn.records.importers.tree import PlanTree, describe, parent_code, split_code
from insyn.records.importers.values import CellValueError, retention_from_cells, yes_no
from insyn.records.plandata import (
    ActivityData,
    AreaData,
    DocumentTypeData,
    GroupData,
    PlanData,
    PlanFileError,
    ProcessData,
)

_HEADING = re.compile(r"^(?P<kind>verksamhetsområde|processgrupp|processen|process)\s+(?P<rest>\S.*)$", re.I | re.S)
_HEADING_LABELS = {
    "verksamhetsområde": "Verksamhetsområde",
    "processgrupp": "Processgrupp",
    "processen": "Process",
    "process": "Process",
}
_OUTLINE = re.compile(r"^\d+(?:\.\d+)*\.?\s")


@dataclass
class Row:
    number: int  # 1-based line or row number as the file shows it
    cells: list[str]


_MEDIUM_WORDS = ({"analog", "analoga", "analogt", "digital", "digitala", "digitalt"}, {"dokument", "handlingar"})


def _is_medium_label(text: str) -> bool:
    """'Analoga dokument', 'Digitala dokument': labels grouping the Format/Förvaring pairs."""
    words = normalize(text).split()
    return 1 <= len(words) <= 2 and words[0] in _MEDIUM_WORDS[0] and words[-1] in _MEDIUM_WORDS[0] | _MEDIUM_WORDS[1]


def _is_block_header(key: str, texts: list[str]) -> bool:
    """'Antagen av, datum och paragraf | Version' or 'Revidering: datum och paragraf | … | Version'.

    Not an activity that merely begins with the word ("Revidering av riktlinjer").
    """
    if not key.startswith(("antagen av", "faststalld av", "revidering")):
        return False
    return "datum" in key.split() or any(normalize(text) == "version" for text in texts)


class PlanAssembler:
    def __init__(self, *, file: str, continuation: bool = False, spreadsheet: bool = True) -> None:
        self.file = file
        self.plan = PlanData(title="")
        self.tree = PlanTree(self.plan)
        self.jrwa = JrwaBuilder(self.tree)
        self.continuation = continuation
        self.spreadsheet = spreadsheet
        self.header: HeaderMap | None = None
        self.candidate: Row | None = None  # a row that looks like a header but lacks the name column
        self.mode = "preamble"  # preamble | adoption | revision | table
        self.started = False
        self.block_columns: list[int] = []
        self.block_labels: list[str] = []
        self.pending: Row | None = None
        self.pending_is_header = False
        self.area: AreaData | None = None
        self.group: GroupData | None = None
        self.process: ProcessData | None = None
        self.activity: ActivityData | None = None
        self.derived_area = self.derived_group = False
        self.segments: list[tuple[GroupData, list[tuple[str, str]]]] = []

    # -- reading rows -----------------------------------------------------------------------

    def feed(self, row: Row) -> None:
        texts = [clean(cell) for cell in row.cells]
        filled = [index for index, text in enumerate(texts) if text]
        if not filled:
            return
        first = texts[0]
        key = normalize(first)
        if match_header(row.cells) is not None:
            self._flush()
            self.pending, self.pending_is_header = Row(row.number, list(row.cells)), True
            self.mode, self.started = "table", True
            if not self.continuation:
                self._flush()
        elif _is_block_header(key, texts):
            self._flush()
            self.mode = "revision" if key.startswith("revidering") else "adoption"
            self.block_columns, self.block_labels, self.started = filled, texts, True
        elif (heading := _HEADING.match(first)) and self._is_heading(heading["kind"], filled):
            self._flush()
            self._heading(heading["kind"].lower(), heading["rest"], row, filled)
        elif all(_is_medium_label(texts[index]) for index in filled):
            self._flush()
        elif self.continuation and self.pending is not None and self._continues(texts, filled):
            for index in filled:
                self.pending.cells[index] = join_wrapped(strip_markup(self.pending.cells[index]), texts[index])
        elif self.mode in ("adoption", "revision"):
            self._block_row(row, texts)
        elif self.header is None and self.pending is None:
            self._preamble(row, texts, filled)
        else:
            self._flush()
            self.pending, self.pending_is_header = Row(row.number, list(row.cells)), False
            if not self.continuation:
                self._flush()

    def finish(self) -> PlanData:
        self._flush()
        if self.header is None:
            where = self.candidate.number if self.candidate else None
            self._error(where, "Handlingstyp", "no header row with the column (or Handling, Rutin/Handling, Hasło)")
        for group, segments in self.segments:
            self._describe_processes(group, segments)
        plan = self.plan
        plan.title = plan.title or PurePath(self.file).stem.replace("_", " ")
        plan.organisation = plan.organisation or plan.adopted_by
        return plan

    def _error(self, row: int | None, column: str | None, message: str) -> NoReturn:
        raise PlanFileError(message, file=self.file, row=row, column=column)

    def _column_label(self, index: int) -> str:
        return column_letter(index) if self.spreadsheet else f"cell {index + 1}"

    def _flush(self) -> None:
        row, self.pending = self.pending, None
        if row is None:
            return
        if self.pending_is_header:
            self.header = match_header(row.cells)
            if self.header is not None and self.header.is_jrwa:
                self.plan.classification = "jrwa"
        else:
            self._data_row(row)

    def _continues(self, texts: list[str], filled: list[int]) -> bool:
        assert self.pending is not None
        before = {index for index, cell in enumerate(self.pending.cells) if clean(cell)}
        if not set(filled) <= before:
            return False
        header = match_header(self.pending.cells) if self.pending_is_header else self.header
        name_index = header.columns.get("name") if header else None
        return name_index not in filled or len(filled) == 1

    def _is_heading(self, kind: str, filled: list[int]) -> bool:
        if filled[0] != 0:
            return False
        return len(filled) == 1 or (kind.lower() not in ("processen", "process") and len(filled) == 2)

    def _preamble(self, row: Row, texts: list[str], filled: list[int]) -> None:
        if recognised_count(row.cells) >= 2 and self.candidate is None:
            self.candidate = row
        if len(filled) != 1 or self.started:
            return
        text = texts[filled[0]]
        if _OUTLINE.match(text):
            return
        if not self.plan.title:
            self.plan.title = text
        elif not self.plan.scope:
            self.plan.scope = text

    def _block_row(self, row: Row, texts: list[str]) -> None:
        """The row under an adoption or revision header, cells taken by the header's positions."""
        columns = self.block_columns
        cells = [texts[index] if index < len(texts) else "" for index in columns] + ["", "", ""]
        if len(columns) == 1:  # "Kommunstyrelsen, 2016-11-28 § 208" and the version in one row, no positions
            cells = [text for text in texts if text] + ["", ""]
        try:
            if self.mode == "adoption":
                adoption_from_cell(self.plan, cells[0], cells[1])
                self.mode = "table" if self.header else "preamble"
            else:
                description, version = (cells[1], cells[2]) if len(columns) != 2 else ("", cells[1])
                self.plan.revisions.append(revision_from_cells(cells[0], description, version))
        except ValueError as error:
            self._error(row.number, self.block_labels[columns[0]], str(error))

    # -- levels -----------------------------------------------------------------------------

    def _heading(self, kind: str, rest: str, row: Row, filled: list[int]) -> None:
        code, name = split_code(strip_markup(rest))
        if not code:
            self._error(row.number, _HEADING_LABELS[kind], f"heading {rest!r} has no code (e.g. 2.9.2.1)")
        raw = row.cells[filled[1]] if len(filled) > 1 else ""
        self.mode, self.started = "table", True
        if kind in ("processen", "process"):
            self._enter_process(code, name, "")
        elif kind == "processgrupp":
            intro, segments = description_segments(raw)
            self._enter_group(code, name, strip_label(intro, "Beskrivning"))
            if segments and self.group is not None:
                self.segments.append((self.group, segments))
        else:
            self._enter_area(code, name, strip_label(clean(raw), "Beskrivning"))

    def _describe_processes(self, group: GroupData, segments: list[tuple[str, str]]) -> None:
        """Give each process the text after its italic name in the group description; keep the rest."""
        unmatched: list[str] = []
        for name, text in segments:
            process = next((p for p in group.processes if normalize(p.name) == normalize(name)), None)
            if process is not None and not process.description:
                process.description = text
            else:
                unmatched.append(f"{name} {text}".strip())
        group.description = " ".join([group.description, *unmatched]).strip()

    def _enter_area(self, code: str, name: str, description: str, *, derived: bool = False) -> None:
        area = self.tree.area(code, name)
        describe(area, description)
        if area is not self.area:
            self.area, self.group, self.process, self.activity = area, None, None, None
        self.derived_area = derived

    def _enter_group(self, code: str, name: str, description: str, *, derived: bool = False) -> None:
        if self.area is None or (self.derived_area and code):
            self._enter_area(parent_code(code), "", "", derived=True)
        assert self.area is not None
        group = self.tree.group(self.area, code, name)
        describe(group, description)
        if group is not self.group:
            self.group, self.process, self.activity = group, None, None
        self.derived_group = derived

    def _enter_process(self, code: str, name: str, description: str) -> None:
        if self.group is None or (self.derived_group and code):
            self._enter_group(parent_code(code), "", "", derived=True)
        assert self.group is not None
        process = self.tree.process(self.group, code, name)
        describe(process, description)
        if process is not self.process:
            self.process, self.activity = process, None

    def _structure(self, header: HeaderMap, values: dict[str, str], row: Row) -> None:
        for level, enter in (("area", self._enter_area), ("group", self._enter_group)):
            code, name = values.get(f"{level}_code", ""), values.get(f"{level}_name", "")
            if name and not header.has(f"{level}_code"):
                code, name = split_code(name)
            if code or name:
                enter(code, name, values.get(f"{level}_description", ""))
        code, name = values.get("process_code", ""), values.get("process_name") or values.get("process", "")
        if name and not header.has("process_code"):
            code, name = split_code(name)
        if code or name:
            self._enter_process(code, name, values.get("process_description", ""))
        if activity := values.get("activity"):
            if self.process is None:
                self._error(row.number, header.label("process"), "no process for this activity")
            self.activity = self.tree.activity(self.process, activity)

    # -- document types ---------------------------------------------------------------------

    def _data_row(self, row: Row) -> None:
        header = self.header
        assert header is not None
        for index in range(header.width, len(row.cells)):
            if clean(row.cells[index]):
                self._error(row.number, self._column_label(index), "a cell beyond the last column of the header")
        values = {key: header.value(row.cells, key) for key in header.columns}
        if header.is_jrwa:
            self._jrwa_row(header, values, row)
            return
        self._structure(header, values, row)
        document = self._document(header, values, row)
        if document is None:
            return
        if self.process is None:
            self._error(row.number, header.label("process"), "no process for this document type")
        if self.activity is None:
            self._error(row.number, header.label("activity"), "no activity for this document type")
        self.activity.document_types.append(document)

    def _jrwa_row(self, header: HeaderMap, values: dict[str, str], row: Row) -> None:
        symbol = values.get("jrwa_symbol", "")
        document = self._document(header, values, row)
        if not symbol and document is None:
            return
        if document is None:
            self._error(row.number, header.label("name"), f"JRWA symbol {symbol} has no hasło")
        if not symbol:
            self._error(row.number, header.label("jrwa_symbol"), "row without a JRWA symbol")
        try:
            self.jrwa.add(symbol, document)
        except CellValueError as error:
            self._error(row.number, header.label(error.key), str(error))

    def _document(self, header: HeaderMap, values: dict[str, str], row: Row) -> DocumentTypeData | None:
        fields = {key: values.get(key, "") for key in DOCUMENT_FIELDS}
        retention_cells = {key: values.get(f"retention_{key}", "") for key in RETENTION_FIELDS}
        if not fields["name"]:
            rest = [key for key in (*DOCUMENT_FIELDS, *(f"retention_{k}" for k in RETENTION_FIELDS)) if values.get(key)]
            if rest:
                self._error(row.number, header.label("name"), f"empty while {header.label(rest[0])!r} is filled")
            return None
        try:
            personal_data = yes_no(fields.pop("personal_data"))
        except ValueError as error:
            self._error(row.number, header.label("personal_data"), str(error))
        try:
            retention = retention_from_cells(retention_cells)
        except CellValueError as error:
            self._error(row.number, header.label(f"retention_{error.key}"), str(error))
        return DocumentTypeData(**fields, personal_data=personal_data, retention=retention, source_row=row.number)
