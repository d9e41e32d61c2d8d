"""Read a retention plan from a file into `PlanData`: `read_plan(…)` is the one entry point.

Formats: the text extracted from a Word/PDF plan (tab-separated, wrapped cells), XLSX, ODS,
CSV, DOCX and our own JSON export. Every reader returns a `PlanData` or raises
`PlanFileError` naming the file, row and column. Rows whose file gave only the retention
text get `retention` from the parser (`insyn.records.retention.parse_retention`).
"""

from __future__ import annotations

import importlib
import zipfile
from collections.abc import Callable
from io import BytesIO
from pathlib import Path, PurePath

from django.utils.translation import gettext as _

from insyn.core.bounded_input import check_zip_entries
from insyn.records.plandata import PlanData, PlanFileError, RetentionData

RetentionParser = Callable[[str, str], RetentionData]

SUPPORTED_FORMATS = ("text", "xlsx", "ods", "csv", "docx", "json")
_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".ods": "ods",
    ".csv": "csv",
    ".tsv": "csv",
    ".docx": "docx",
    ".json": "json",
}
_ZIP_MEMBERS = {"xl/workbook.xml": "xlsx", "word/document.xml": "docx", "content.xml": "ods"}


def detect_format(data: bytes, filename: str) -> str | None:
    """The format by extension, else by content (a zip's members, JSON, tab-separated text, CSV)."""
    by_extension = _EXTENSIONS.get(PurePath(filename).suffix.lower())
    if by_extension:
        return by_extension
    if data[:4] == b"PK\x03\x04":
        check_zip_entries(data, file=filename)
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        return next((kind for member, kind in _ZIP_MEMBERS.items() if member in names), None)
    head = data[:65536].decode("utf-8", errors="ignore").lstrip("\ufeff \r\n\t")
    if head.startswith(("{", "[")):
        return "json"
    if "\t" in head and ("Processen" in head or "Handlingstyp" in head):
        return "text"
    return "csv" if head else None


def default_parser() -> RetentionParser | None:
    """`insyn.records.retention.parse_retention` if that module exists yet, else None."""
    try:
        module = importlib.import_module("insyn.records.retention")
    except ModuleNotFoundError as error:
        if error.name == "insyn.records.retention":
            return None
        raise
    parser: RetentionParser | None = getattr(module, "parse_retention", None)
    return parser


def read_plan(
    path_or_bytes: str | Path | bytes,
    *,
    filename: str,
    format: str = "auto",
    lang: str = "sv",
    parse: RetentionParser | None = None,
) -> PlanData:
    """Read a plan; `filename` names the file in errors and gives the format when `format="auto"`."""
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    kind = detect_format(data, filename) if format == "auto" else format
    if kind not in SUPPORTED_FORMATS:
        message = _("unsupported format '%(format)s'; supported: %(formats)s")
        raise PlanFileError(
            message % {"format": kind or _("unknown"), "formats": ", ".join(SUPPORTED_FORMATS)}, file=filename
        )
    plan = _read(kind, data, filename, lang)
    if kind in {"text", "docx"} and plan.adopted_on and plan.status == "draft":
        # A Word/PDF plan with "Antagen av, datum och paragraf" filled in is the adopted document itself.
        plan.status = "adopted"
    parser = parse or default_parser()
    if parser is not None:
        for row in plan.document_types():
            if row.retention is None:
                try:
                    row.retention = parser(row.retention_text, lang)
                except ValueError as error:
                    message, line = str(error), row.source_row
                    raise PlanFileError(message, file=filename, row=line, column="Bevaras/Gallras") from None
    return plan


def _read(kind: str, data: bytes, filename: str, lang: str) -> PlanData:
    if kind == "text":
        from insyn.records.importers.text import read_text

        return read_text(data, file=filename, lang=lang)
    if kind == "docx":
        from insyn.records.importers.docx import read_docx

        return read_docx(data, file=filename)
    if kind == "json":
        from insyn.records.importers.jsonfile import read_json

        return read_json(data, file=filename)
    from insyn.records.importers import tabular

    if kind == "xlsx":
        return tabular.read_xlsx(data, file=filename)
    if kind == "ods":
        return tabular.read_ods(data, file=filename)
    return tabular.read_csv(data, file=filename, lang=lang)
