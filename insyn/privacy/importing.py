"""Read an existing register (XLSX, ODS, CSV) into `ActivityData` rows, with every problem located.

`read_register(data, filename=…, terms=…)` is the one entry point; it writes nothing. The file is bounded
before it is parsed (`insyn.core.bounded_input`: byte size, zip bombs, DTDs, rows, columns, cells, time)
by the spreadsheet readers the records plan import uses. Every sheet with a header row
(`import_columns.match_header`) holds activities (registers keep one sheet per committee: "KS", "BUN"); every
later non-empty row is one activity, located by sheet and row. A non-empty sheet without a header is reported
by name. Nothing is dropped: a column that maps to no field, and a second column for a field, go to the
activity's `extra` under their heading, and the preview lists them; a cell that is cut to fit a field, or only
partly read, is kept whole in `extra` under its heading with a problem naming sheet, row and column. Taxonomy
terms are matched by label (sv/en) or key; what matches none becomes a municipality's own term, listed as a
"new term". Cell texts are kept beside the structure
(`legal_basis_text`, `sources_text`, `recipients_text`, retention text), because notices quote them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any
from xml.etree import ElementTree

from django.utils.text import slugify
from django.utils.translation import gettext as _

from insyn.core.bounded_input import Budget, open_zip, text_rows
from insyn.core.exceptions import ValidationFailed
from insyn.core.export_safety import unescape_csv_cell
from insyn.privacy.activity_data import ActivityData, PersonalDataCategoryData, SubjectCategoryData
from insyn.privacy.import_columns import (
    LAW_REFERENCE_LIMIT,
    dpia_read,
    law_reference_of,
    legal_bases_of,
    match_header,
    sources_of,
    split_items,
    transfers_of,
)
from insyn.records.importers.assembler import Row
from insyn.records.importers.columns import normalize

FORMATS = ("xlsx", "ods", "csv")
_EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".ods": "ods", ".csv": "csv", ".tsv": "csv", ".txt": "csv"}
_HEADER_SEARCH_ROWS = 30
LOCAL_PREFIX = "local."
TERM_LABEL_LIMIT = 200  # a new term's label_sv


class RegisterFileError(ValidationFailed):
    """The file cannot be read as a register; the message and `detail` name the file, sheet, row and column."""

    default_code = "register_file"

    def __init__(self, message: str, *, file: str, sheet: str = "", row: int | None = None, column: str = "") -> None:
        where = ", ".join(
            part
            for part in (
                file,
                _("sheet %(sheet)s") % {"sheet": sheet} if sheet else "",
                _("row %(row)s") % {"row": row} if row is not None else "",
                _("column %(column)s") % {"column": column} if column else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}", detail={"file": file, "sheet": sheet, "row": row, "column": column})


@dataclass
class Problem:
    """Something the importer had to guess or could not read: shown in the preview, never silently dropped."""

    code: str
    message: str
    file: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
        }


@dataclass(frozen=True)
class KnownTerm:
    """A taxonomy term the importer may match: the built-ins and the municipality's own."""

    kind: str  # TermKind value
    key: str
    label_sv: str
    label_en: str = ""


@dataclass
class NewTerm:
    kind: str
    key: str
    label_sv: str
    rows: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "label_sv": self.label_sv, "rows": self.rows}


@dataclass
class ImportedActivity:
    row: int
    data: ActivityData
    sheet: str = ""


@dataclass
class RegisterFile:
    """What a file holds, as it will be written: activities, new terms, unmapped columns and problems.

    `sheet`, `header_row` and `columns` are the first register sheet's; `sheets` names every sheet read and
    `columns` gains the headings of later sheets that the first lacks."""

    file: str
    format: str
    sheet: str
    header_row: int
    columns: list[tuple[str, str | None]]  # (heading as the file shows it, field or None: kept in `extra`)
    sheets: list[str] = field(default_factory=list)
    activities: list[ImportedActivity] = field(default_factory=list)
    new_terms: list[NewTerm] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def extra_labels(self) -> list[str]:
        return [label for label, key in self.columns if key is None]

    def preview(self) -> dict[str, Any]:
        """The preview as data (CLI, API, admin): exactly what the import will create."""
        return {
            "file": self.file,
            "format": self.format,
            "sheet": self.sheet,
            "sheets": self.sheets,
            "header_row": self.header_row,
            "columns": [{"label": label, "field": key} for label, key in self.columns],
            "extra_columns": self.extra_labels,
            "activities": [{"sheet": item.sheet, "row": item.row, **item.data} for item in self.activities],
            "new_terms": [term.as_dict() for term in self.new_terms],
            "problems": [problem.as_dict() for problem in self.problems],
        }


# -- Reading sheets ----------------------------------------------------------------------------


def detect_format(data: bytes, filename: str) -> str | None:
    by_extension = _EXTENSIONS.get(PurePath(filename).suffix.lower())
    if by_extension:
        return by_extension
    if data[:4] == b"PK\x03\x04":
        return "zip"  # XLSX or ODS: told apart once the archive is proven safe
    return "csv" if data.strip() else None


def _zip_kind(data: bytes, file: str) -> str:
    budget = Budget(file)
    try:
        with open_zip(data, budget=budget) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as error:
        raise RegisterFileError(_("not a spreadsheet (%(error)s)") % {"error": error}, file=file) from None
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:
        return "ods"
    raise RegisterFileError(_("a zip archive that is neither XLSX nor ODS"), file=file)


def read_sheets(data: bytes, *, file: str, format: str = "auto") -> tuple[str, list[tuple[str, list[Row]]]]:
    """(format, [(sheet name, rows)]) of the file, bounded; raises RegisterFileError for what is no spreadsheet."""
    from insyn.records.importers import tabular
    from insyn.records.importers.text import decode_text
    from insyn.records.plandata import PlanFileError

    kind = detect_format(data, file) if format == "auto" else format
    if kind == "zip":
        kind = _zip_kind(data, file)
    if kind not in FORMATS:
        raise RegisterFileError(
            _("unsupported format; supported: %(formats)s") % {"formats": ", ".join(FORMATS)}, file=file
        )
    budget = Budget(file)
    if kind == "xlsx":
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        try:
            open_zip(data, budget=budget).close()  # sizes, ratio and DTDs before openpyxl opens it
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, SyntaxError, ValueError) as error:
            raise RegisterFileError(_("not an XLSX workbook (%(error)s)") % {"error": error}, file=file) from None
        try:
            return kind, [(sheet.title, list(tabular.xlsx_rows(sheet, budget))) for sheet in workbook.worksheets]
        except (SyntaxError, ValueError, LookupError, TypeError) as error:
            raise RegisterFileError(_("not an XLSX workbook (%(error)s)") % {"error": error}, file=file) from None
        finally:
            workbook.close()
    if kind == "ods":
        try:
            with open_zip(data, budget=budget) as archive, archive.open("content.xml") as content:
                return kind, tabular._ods_sheets(content, budget)  # the records reader: bounded, streamed
        except (zipfile.BadZipFile, KeyError, ValueError, ElementTree.ParseError) as error:
            raise RegisterFileError(_("not an ODS spreadsheet (%(error)s)") % {"error": error}, file=file) from None
    try:
        text = decode_text(data, file=file)
    except PlanFileError as error:
        raise RegisterFileError(error.message if hasattr(error, "message") else str(error), file=file) from None
    delimiter = _sniff_delimiter(text)
    try:
        records = list(text_rows(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), budget))
    except csv.Error as error:
        raise RegisterFileError(_("not a CSV file (%(error)s)") % {"error": error}, file=file) from None
    rows = [Row(number, [unescape_csv_cell(cell) for cell in cells]) for number, cells in enumerate(records, 1)]
    return kind, [("", rows)]


def _sniff_delimiter(text: str) -> str:
    head = "\n".join(text.splitlines()[:_HEADER_SEARCH_ROWS])
    for delimiter in (";", "\t", ","):
        try:
            if any(match_header(cells) for cells in csv.reader(io.StringIO(head), delimiter=delimiter)):
                return delimiter
        except csv.Error:
            continue
    return ";"


# -- Terms -------------------------------------------------------------------------------------


class TermMatcher:
    """Labels to taxonomy keys of one kind; what matches nothing becomes a new (local) term, once."""

    def __init__(self, kind: str, terms: Iterable[KnownTerm], new_terms: list[NewTerm]) -> None:
        self.kind = kind
        self.by_label: dict[str, str] = {}
        for term in terms:
            if term.kind != kind:
                continue
            for text in (term.key, term.label_en, term.label_sv):  # Swedish last: it wins a clash
                if text:
                    self.by_label[normalize(text)] = term.key
        self.new_terms = new_terms

    def key(self, label: str, row: int) -> str:
        normal = normalize(label)
        found = self.by_label.get(normal)
        if found is not None:
            return found
        key = LOCAL_PREFIX + (slugify(label)[:100].replace("-", "_").strip("_") or "term")
        existing = next((t for t in self.new_terms if t.kind == self.kind and t.key == key), None)
        if existing is None:
            existing = NewTerm(kind=self.kind, key=key, label_sv=label[:1].upper() + label[1:TERM_LABEL_LIMIT])
            self.new_terms.append(existing)
        if row not in existing.rows:
            existing.rows.append(row)
        self.by_label[normal] = key
        return key


# -- Rows into activities ----------------------------------------------------------------------


def _find_header(rows: list[Row]) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        mapping = match_header(row.cells)
        if mapping:
            return index, mapping
    return None


def _columns(rows: list[Row], header_index: int, mapping: dict[int, str]) -> list[tuple[str, str | None]]:
    header = rows[header_index]
    width = max([len(header.cells), *(len(row.cells) for row in rows[header_index + 1 :])])
    columns: list[tuple[str, str | None]] = []
    for index in range(width):
        label = header.cells[index].strip() if index < len(header.cells) else ""
        columns.append((label or f"Kolumn {_column_letter(index)}", mapping.get(index)))
    return columns


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def read_register(
    data: bytes,
    *,
    filename: str,
    terms: Sequence[KnownTerm] = (),
    format: str = "auto",
) -> RegisterFile:
    """Read a register file into activities; raises RegisterFileError (or a bounded-input error) to refuse it."""
    kind, sheets = read_sheets(data, file=filename, format=format)
    found = [(name, rows, *header) for name, rows in sheets if (header := _find_header(rows)) is not None]
    if not found:
        first = sheets[0][0] if sheets else ""
        raise RegisterFileError(
            _("no header row: a register needs a column for the processing activity (e.g. %(example)s) and two more")
            % {"example": "Behandlingsaktivitet"},
            file=filename,
            sheet=first,
            column="Behandlingsaktivitet",
        )
    sheet, rows, header_index, mapping = found[0]
    result = RegisterFile(
        file=filename,
        format=kind,
        sheet=sheet,
        header_row=rows[header_index].number,
        columns=_columns(rows, header_index, mapping),
    )
    reader = _RowReader(result, terms)
    for sheet, rows, header_index, mapping in found:
        columns = _columns(rows, header_index, mapping)
        result.sheets.append(sheet)
        result.columns += [column for column in columns if column not in result.columns]
        reader.start(sheet, columns)
        before = len(result.activities)
        for row in rows[header_index + 1 :]:
            if any(cell.strip() for cell in row.cells):
                reader.read(row)
        if len(result.activities) == before:
            result.problems.append(
                Problem(
                    "no_activities",
                    _("the register has a header row but no activities"),
                    filename,
                    sheet,
                    rows[header_index].number,
                )
            )
    read = {name for name, *_rest in found}
    for name, rows in sheets:
        filled = [row for row in rows if any(cell.strip() for cell in row.cells)]
        if name not in read and filled:
            # An instructions sheet, or a register whose headings Insyn does not know: either way, said.
            result.problems.append(
                Problem(
                    "sheet_not_read",
                    _("the sheet has no header row of a register; its %(count)s filled rows were not imported")
                    % {"count": len(filled)},
                    filename,
                    name,
                    filled[0].number,
                )
            )
    return result


class _RowReader:
    def __init__(self, result: RegisterFile, terms: Sequence[KnownTerm]) -> None:
        self.result = result
        self.subjects = TermMatcher("subject_category", terms, result.new_terms)
        self.data = TermMatcher("data_category", terms, result.new_terms)
        self.previous_name = ""
        self.sheet = result.sheet
        self.columns = result.columns

    def start(self, sheet: str, columns: list[tuple[str, str | None]]) -> None:
        self.sheet, self.columns = sheet, columns
        self.previous_name = ""  # a merged name cell does not reach over to another sheet

    def problem(self, code: str, message: str, row: int, column: str = "") -> None:
        r = self.result
        r.problems.append(Problem(code, message, r.file, self.sheet, row, column))

    def cut(self, extra: dict[str, str], label: str, cell: str, text: str, limit: int, number: int) -> str:
        """`text` (from `cell`) cut to `limit`; when that loses something the whole cell goes to `extra`."""
        if len(text) <= limit:
            return text
        if extra.get(label) != cell:
            extra[label] = cell
            self.problem(
                "text_cut",
                _("a text longer than %(limit)s characters was shortened; the whole cell is kept in the other columns")
                % {"limit": limit},
                number,
                label,
            )
        return text[:limit]

    def partly_read(self, extra: dict[str, str], label: str, cell: str, message: str, number: int) -> None:
        extra[label] = cell
        self.problem("partly_read", message, number, label)

    def read(self, row: Row) -> None:
        values: dict[str, tuple[str, str]] = {}  # field → (heading, text)
        extra: dict[str, str] = {}
        for index, (label, key) in enumerate(self.columns):
            text = row.cells[index].strip() if index < len(row.cells) else ""
            if key is None:
                if text:
                    extra[label] = text
            else:
                values[key] = (label, text)
        number = row.number

        def text_of(key: str) -> str:
            return values.get(key, ("", ""))[1]

        def heading(key: str) -> str:
            return values.get(key, (key, ""))[0]

        name = text_of("name")
        if not name:
            if not self.previous_name:
                self.problem(
                    "no_name",
                    _("the row has no processing activity; it is imported as unnamed"),
                    number,
                    heading("name"),
                )
                name = _("Unnamed activity (row %(row)s)") % {"row": number}
            else:
                # A merged cell (one activity over several rows with other bases): the name is the one above.
                name = self.previous_name
                self.problem(
                    "name_from_row_above",
                    _("no processing activity: the one of the row above is used (%(name)s)") % {"name": name},
                    number,
                    heading("name"),
                )
        self.previous_name = name
        activity: ActivityData = {
            "name": name[:300],
            "purposes": split_items(text_of("purposes"), sentences=True),
            "legal_bases": [],
            "data_subject_categories": [],
            "personal_data_categories": [],
            "retention": {"text": text_of("retention")},
        }
        if len(name) > 300:
            extra[heading("name")] = name
            self.problem(
                "name_too_long",
                _("the name is longer than 300 characters; kept whole in the other columns"),
                number,
                heading("name"),
            )
        basis_text = text_of("legal_basis")
        reference = text_of("legal_reference")
        bases, unknown = legal_bases_of(basis_text, reference=reference)
        activity["legal_bases"] = bases
        activity["legal_basis_text"] = basis_text
        law = law_reference_of(basis_text, reference=reference)
        if bases and len(law) > LAW_REFERENCE_LIMIT:
            self.cut(
                extra,
                heading("legal_reference" if reference else "legal_basis"),
                reference or basis_text,
                law,
                LAW_REFERENCE_LIMIT,
                number,
            )
        elif reference and not bases:
            # The reference belongs to a basis; with none read it would have nowhere to go.
            self.partly_read(
                extra,
                heading("legal_reference"),
                reference,
                _("the law reference is kept in the other columns: no legal basis was read to attach it to"),
                number,
            )
        if basis_text and unknown:
            self.problem(
                "legal_basis_unread",
                _("no Art. 6(1) basis read from: %(text)s") % {"text": unknown},
                number,
                heading("legal_basis"),
            )
        elif not basis_text:
            self.problem("legal_basis_missing", _("no legal basis"), number, heading("legal_basis"))
        for column in ("subjects", "data", "sensitive"):
            for label in split_items(text_of(column)):
                self.cut(extra, heading(column), text_of(column), label, TERM_LABEL_LIMIT, number)
        subjects: list[SubjectCategoryData] = []
        for label in split_items(text_of("subjects")):
            key = self.subjects.key(label, number)
            if all(item["key"] != key for item in subjects):
                subjects.append({"key": key})
        activity["data_subject_categories"] = subjects
        categories: list[PersonalDataCategoryData] = []
        for label in [*split_items(text_of("data")), *split_items(text_of("sensitive"))]:
            key = self.data.key(label, number)
            if all(item["key"] != key for item in categories):
                categories.append({"key": key})
        activity["personal_data_categories"] = categories
        self._optional(activity, values, extra, number)
        if extra:
            activity["extra"] = extra
        self.result.activities.append(ImportedActivity(row=number, data=activity, sheet=self.sheet))

    def _optional(
        self, activity: ActivityData, values: dict[str, tuple[str, str]], extra: dict[str, str], number: int
    ) -> None:
        def text_of(key: str) -> str:
            return values.get(key, ("", ""))[1]

        def cut(key: str, text: str, limit: int) -> str:
            return self.cut(extra, values[key][0], text_of(key), text, limit, number)

        for key, target, limit in (
            ("description", "description", None),
            ("owning_unit", "owning_unit", 200),  # ProcessingActivity's field lengths
            ("contact", "contact", 200),
            ("joint_controllers", "joint_controllers", None),
            ("security", "security_measures", None),
        ):
            if text_of(key):
                text = text_of(key) if limit is None else cut(key, text_of(key), limit)
                activity[target] = text  # type: ignore[literal-required]
        if text_of("sources"):
            activity["sources_text"] = text_of("sources")
            activity["sources"] = sources_of(text_of("sources"))
        if text_of("recipients"):
            activity["recipients_text"] = text_of("recipients")
            activity["recipients"] = [
                {"kind": "category", "name": cut("recipients", item, 300)}
                for item in split_items(text_of("recipients"))
            ]
        if text_of("processors"):
            activity["processors"] = [
                {"name": cut("processors", item, 300)} for item in split_items(text_of("processors"))
            ]
        if text_of("systems"):
            activity["systems_text"] = cut("systems", text_of("systems"), 500)
            activity["systems"] = [{"name": cut("systems", item, 200)} for item in split_items(text_of("systems"))]
        if text_of("dpia"):
            need, whole = dpia_read(text_of("dpia"))
            activity["dpia"] = {"need": need}
            if not need:
                self.partly_read(
                    extra,
                    values["dpia"][0],
                    text_of("dpia"),
                    _("no DPIA need read from: %(text)s") % {"text": text_of("dpia")},
                    number,
                )
            elif not whole:
                self.partly_read(
                    extra,
                    values["dpia"][0],
                    text_of("dpia"),
                    _("the DPIA is read as %(need)s; the rest of the cell is kept in the other columns: %(text)s")
                    % {"need": need, "text": text_of("dpia")},
                    number,
                )
        transfer_text = text_of("transfers")
        if transfer_text:
            transfers, readable = transfers_of(transfer_text)
            activity["transfers"] = transfers
            if not readable:
                label = values["transfers"][0]
                extra[label] = transfer_text  # kept as written
                self.problem(
                    "transfer_unread",
                    _("a transfer is stated but no country was recognised: %(text)s") % {"text": transfer_text},
                    number,
                    label,
                )
            elif len(transfer_text) > 300:  # each transfer's mechanism_reference holds 300 characters
                cut("transfers", transfer_text, 300)
            for transfer in transfers:
                if not transfer["mechanism"]:
                    self.problem(
                        "transfer_without_mechanism",
                        _("the transfer to %(country)s names no mechanism") % {"country": transfer["country"]},
                        number,
                        values["transfers"][0],
                    )


def known_terms(rows: Iterable[Any]) -> list[KnownTerm]:
    """`KnownTerm`s of TaxonomyTerm rows (from the taxonomy selector)."""
    return [KnownTerm(row.kind, row.key, row.label_sv, row.label_en or "") for row in rows]
