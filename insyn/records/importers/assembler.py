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
  activity) means "the same as the row above", which is how merged cells arrive;
- in a spreadsheet or DOCX table, a row whose only filled cell is the first (not a structure
  column) is a heading when the next row is a document type or another heading: numbered
  headings ("1 Ledning", "1.1 Nämnd") are area, group or process by their depth, an unnumbered
  heading is a process, and one directly above another heading is a level above it.

A level the file does not have (no area, group, activity column or heading) stays empty, with
no invented name or code: `name == ""`. Templates and exporters show nothing for it. The
text layout (Word/PDF extraction) always has processes and activities, so there a missing one
means a broken file and is refused.

With `continuation=True` (text extracted from Word/PDF) a line that only adds text to cells
the previous row already has is that row's wrapped text, joined with `join_wrapped`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath
from typing import NoReturn

from django.utils.translation import gettext as _

from insyn.records.importers.columns import (
    DOCUMENT_FIELDS,
    RETENTION_FIELDS,
    RULE_FIELDS,
    STRUCTURE_FIELDS,
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
from insyn.records.importers.rule_columns import combine_rule
from insyn.records.importers.tree import PlanTree, describe, parent_code, split_code
from insyn.records.importers.values import CellValueError, retention_from_cells, yes_no
from insyn.records.plandata import (
    ActivityData,
    AreaData,
    DocumentTypeData,
    GroupData,
    ImportWarning,
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
    def __init__(
        self, *, file: str, continuation: bool = False, spreadsheet: bool = True, sheet: str | None = None
    ) -> None:
        self.file = file
        self.sheet = sheet
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
        self.headings: list[Row] = []  # single-cell rows waiting for the row that tells what they are
        self.process_depth: int | None = None  # code depth of a numbered heading that is a process

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
            self._settle_headings(document_follows=False)
            self.pending, self.pending_is_header = Row(row.number, list(row.cells)), True
            self.mode, self.started = "table", True
            if not self.continuation:
                self._flush()
        elif _is_block_header(key, texts):
            self._flush()
            self._settle_headings(document_follows=False)
            self.mode = "revision" if key.startswith("revidering") else "adoption"
            self.block_columns, self.block_labels, self.started = filled, texts, True
        elif (heading := _HEADING.match(first)) and self._is_heading(heading["kind"], filled):
            self._flush()
            self._settle_headings(document_follows=False)
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
        elif self._heading_candidate(filled):
            self._flush()
            self.headings.append(Row(row.number, list(row.cells)))
        else:
            self._flush()
            self._settle_headings(document_follows=True)
            self.pending, self.pending_is_header = Row(row.number, list(row.cells)), False
            if not self.continuation:
                self._flush()

    def finish(self) -> PlanData:
        self._flush()
        self._settle_headings(document_follows=False)
        if self.header is None:
            where = self.candidate.number if self.candidate else None
            self._error(where, "Handlingstyp", _("no header row with the column (or Handling, Rutin/Handling, Hasło)"))
        for group, segments in self.segments:
            self._describe_processes(group, segments)
        plan = self.plan
        plan.title = plan.title or PurePath(self.file).stem.replace("_", " ")
        plan.organisation = plan.organisation or plan.adopted_by
        return plan

    def _error(self, row: int | None, column: str | None, message: str) -> NoReturn:
        raise PlanFileError(message, file=self.file, row=row, column=column, sheet=self.sheet)

    def _column_label(self, index: int) -> str:
        return column_letter(index) if self.spreadsheet else _("cell %(number)s") % {"number": index + 1}

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
            message = _("heading “%(heading)s” has no code (e.g. 2.9.2.1)") % {"heading": rest}
            self._error(row.number, _HEADING_LABELS[kind], message)
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

    # -- heading rows -----------------------------------------------------------------------

    def _heading_candidate(self, filled: list[int]) -> bool:
        """Only the first cell filled, in a table whose first column is not a structure or retention column."""
        header = self.header
        if self.continuation or header is None or header.is_jrwa or self.mode != "table" or filled != [0]:
            return False
        first = next((key for key, index in header.columns.items() if index == 0), None)
        if first is None:
            return True
        return not (first in (*STRUCTURE_FIELDS, *RULE_FIELDS, "process") or first.startswith("retention"))

    def _settle_headings(self, *, document_follows: bool) -> None:
        """The waiting single-cell rows are headings if a document type follows; else the last is one."""
        rows, self.headings = self.headings, []
        if not rows:
            return
        last = None if document_follows else rows.pop()
        for position, row in enumerate(rows):
            self._heading_row(row, below=len(rows) - 1 - position)
        if last is not None:
            self._data_row(last)

    def _heading_row(self, row: Row, *, below: int) -> None:
        """Enter the level a heading row opens; `below`: how many headings follow it before the rows."""
        code, name = split_code(strip_markup(clean(row.cells[0])))
        if code:  # numbered: the depth of the first numbered process tells the levels of the rest
            depth = code.count(".") + 1
            if self.process_depth is None and below == 0:
                self.process_depth = depth
            process_depth = self.process_depth if self.process_depth is not None else depth + below
            level = 2 - min(2, max(0, process_depth - depth))
        else:  # unnumbered: a process, a group right above it, an area above that
            level = 2 - min(2, below)
        self.mode, self.started = "table", True
        # "2.1" after area "1": its own area, derived from the code, not the one above.
        if code and level >= 1 and self.area and self.area.code and not code.startswith(f"{self.area.code}."):
            self.area = self.group = self.process = self.activity = None
        if code and level == 2 and self.group and self.group.code and not code.startswith(f"{self.group.code}."):
            self.group = self.process = self.activity = None
        if level == 2:
            self._enter_process(code, name, "")
        elif level == 1:
            self._enter_group(code, name, "")
        else:
            self._enter_area(code, name, "")

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
                if self.continuation:
                    self._error(row.number, header.label("process"), _("no process for this activity"))
                self._enter_process("", "", "")
            assert self.process is not None
            self.activity = self.tree.activity(self.process, activity)

    # -- document types ---------------------------------------------------------------------

    def _data_row(self, row: Row) -> None:
        header = self.header
        assert header is not None
        # A cell beyond the last labelled column is kept in `extra` as "Kolumn H" (`HeaderMap.extra_cells`).
        cells, width = row.cells, len(row.cells)  # header.value() for each column, inline: it runs per cell
        values = {key: clean(cells[index]) if index < width else "" for key, index in header.columns.items()}
        if header.is_jrwa:
            self._jrwa_row(header, values, row)
            return
        self._structure(header, values, row)
        document = self._document(header, values, row)
        if document is None:
            return
        if self.process is None:
            if self.continuation:
                self._error(row.number, header.label("process"), _("no process for this document type"))
            self._enter_process("", "", "")  # a plan without processes: one without a name, not shown
        assert self.process is not None
        if self.activity is None:
            if self.continuation and header.has("activity"):
                self._error(row.number, header.label("activity"), _("no activity for this document type"))
            # No activity level: the document types belong to the process (an activity without a name).
            self.activity = self.tree.activity(self.process, "")
        self.activity.document_types.append(document)

    def _jrwa_row(self, header: HeaderMap, values: dict[str, str], row: Row) -> None:
        symbol = values.get("jrwa_symbol", "")
        document = self._document(header, values, row)
        if not symbol and document is None:
            return
        if document is None:
            self._error(row.number, header.label("name"), _("JRWA symbol %(symbol)s has no hasło") % {"symbol": symbol})
        if not symbol:
            self._error(row.number, header.label("jrwa_symbol"), _("row without a JRWA symbol"))
        try:
            self.jrwa.add(symbol, document)
        except CellValueError as error:
            self._error(row.number, header.label(error.key), str(error))

    def _document(self, header: HeaderMap, values: dict[str, str], row: Row) -> DocumentTypeData | None:
        fields = {key: values.get(key, "") for key in DOCUMENT_FIELDS}
        retention_cells = {key: values.get(f"retention_{key}", "") for key in RETENTION_FIELDS}
        extra = header.extra_cells(row.cells)
        if not fields["name"]:
            keys = (*DOCUMENT_FIELDS, *RULE_FIELDS, *(f"retention_{k}" for k in RETENTION_FIELDS))
            rest = [key for key in keys if values.get(key)]
            if rest:
                message = _("empty while %(column)s is filled") % {"column": repr(header.label(rest[0]))}
                self._error(row.number, header.label("name"), message)
            if extra:
                message = _("Cells in a row without a document type were not imported: %(columns)s.") % {
                    "columns": ", ".join(f"“{label}”: {text}" for label, text in extra.items())
                }
                self.plan.warnings.append(ImportWarning(row=row.number, columns=list(extra), message=message))
            return None
        rule = combine_rule(header, row.cells, row.number)
        fields["retention_text"] = rule.text
        if rule.warning is not None:
            self.plan.warnings.append(rule.warning)
        try:
            personal_data = yes_no(fields.pop("personal_data"))
        except ValueError as error:
            self._error(row.number, header.label("personal_data"), str(error))
        try:
            retention = retention_from_cells(retention_cells)
        except CellValueError as error:
            self._error(row.number, header.label(f"retention_{error.key}"), str(error))
        return DocumentTypeData(
            **fields,
            personal_data=personal_data,
            retention=retention or rule.retention,
            extra=extra,
            retention_sources=header.source_cells(row.cells) or rule.sources,
            source_row=row.number,
        )
