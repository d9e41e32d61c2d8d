"""Write a `PlanData` as JSON, XLSX, CSV or ODS; `insyn.records.importers.read_plan` reads each back.

Tabular layout (XLSX, ODS, CSV), one row per document type, every row complete (no "same as
above" blanks) so that sorting and filtering in Excel keep the meaning:

    Områdeskod | Verksamhetsområde | Områdesbeskrivning | Processgruppkod | Processgrupp | … |
    Processkod | Processnamn | Processbeskrivning | Aktivitet | Handlingstyp | Format analogt |
    Förvaring analog | Format digitalt | Förvaring digital | Bevaras/Gallras | Format vid arkivering |
    Anmärkning | Lagrum | Personuppgifter (ja/nej) | Sorteringsform | Tidsfrist för leverans |
    Original/Kopia | Referens | Gallringsföreskrift | Sekretess | retention.action | … |
    retention.sampling

(`columns.EXPORT_COLUMNS`), then one column per label of `extra` (the columns of the imported file
that map to no field, union of the labels in first-seen order) and one "retention_source.<label>"
column per label of `retention_sources`: a re-import puts both back. An area, group, process or
activity without document types gets a row of its own with the document columns empty. The
structured retention columns carry machine values (retain, P2Y, case_closed …) and are empty when
the retention is unparsed. Metadata goes to a second sheet "Plan" (label | value; a revision row:
Revidering | date | paragraph | description | version). CSV: UTF-8 with BOM and ";" as Swedish
Excel opens it, CRLF line ends, the metadata rows first as "# Label: value"; a cell a spreadsheet
would take for a formula ("=…", "+…", "-…", "@…") gets a leading apostrophe, which the CSV reader
takes off again (`insyn.core.export_safety`). XLSX and ODS cells are always text.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from insyn.core.export_safety import safe_csv_cell, write_text_cell
from insyn.records.importers.columns import DOCUMENT_FIELDS, EXPORT_COLUMNS, SOURCE_PREFIX
from insyn.records.importers.metadata import METADATA_SHEET, metadata_rows
from insyn.records.importers.values import retention_to_cells, yes_no_text
from insyn.records.plandata import DocumentTypeData, PlanData

CSV_DELIMITER = ";"
_WIDE = {"area_description", "group_description", "process_description", "name", "remarks", "retention_text"}


def export_json(plan: PlanData) -> bytes:
    """The issue's JSON shape (`PlanData.to_dict()`), keys in contract order, UTF-8, indent 2."""
    return (json.dumps(plan.to_dict(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _document_cells(row: DocumentTypeData) -> dict[str, str]:
    cells: dict[str, str] = {key: getattr(row, key) for key in DOCUMENT_FIELDS if key != "personal_data"}
    cells["personal_data"] = yes_no_text(row.personal_data)
    cells.update({f"retention_{key}": value for key, value in retention_to_cells(row.retention).items()})
    cells.update({f"{_EXTRA}{label}": value for label, value in row.extra.items()})
    cells.update({f"{_SOURCE}{label}": value for label, value in row.retention_sources.items()})
    return cells


# Row keys of the extra and retention source columns (no field key has a colon).
_EXTRA, _SOURCE = "extra:", "source:"


def _columns(plan: PlanData) -> list[tuple[str, str]]:
    """(row key, label): `EXPORT_COLUMNS`, then the extra labels and the retention sources, first seen first."""
    extra: dict[str, None] = {}
    sources: dict[str, None] = {}
    for row in plan.document_types():
        extra.update(dict.fromkeys(row.extra))
        sources.update(dict.fromkeys(row.retention_sources))
    return [
        *EXPORT_COLUMNS,
        *((f"{_EXTRA}{label}", label) for label in extra),
        *((f"{_SOURCE}{label}", f"{SOURCE_PREFIX}{label}") for label in sources),
    ]


def table_rows(plan: PlanData) -> list[list[str]]:
    """The header and one row per document type (or per level without document types)."""
    rows: list[dict[str, str]] = []
    for area in plan.areas:
        at_area = {"area_code": area.code, "area_name": area.name, "area_description": area.description}
        if not area.groups:
            rows.append(at_area)
        for group in area.groups:
            at_group = at_area | {"group_code": group.code, "group_name": group.name}
            at_group["group_description"] = group.description
            if not group.processes:
                rows.append(at_group)
            for process in group.processes:
                at_process = at_group | {"process_code": process.code, "process_name": process.name}
                at_process["process_description"] = process.description
                if not process.activities:
                    rows.append(at_process)
                for activity in process.activities:
                    at_activity = at_process | {"activity": activity.name}
                    if not activity.document_types:
                        rows.append(at_activity)
                    rows += [at_activity | _document_cells(row) for row in activity.document_types]
    columns = _columns(plan)
    return [[label for _, label in columns]] + [[row.get(key, "") for key, _ in columns] for row in rows]


def _sheet_title(plan: PlanData) -> str:
    return "JRWA" if plan.classification == "jrwa" else "Dokumenthanteringsplan"


def export_csv(plan: PlanData) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    for label, *values in metadata_rows(plan):
        writer.writerow([safe_csv_cell(cell) for cell in (f"# {label}: {values[0]}", *values[1:])])
    writer.writerows([safe_csv_cell(cell) for cell in row] for row in table_rows(plan))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(plan: PlanData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def fill(sheet: Any, rows: list[list[str]]) -> None:
        for row_number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value:
                    write_text_cell(sheet, row=row_number, column=column, value=value)  # never a formula

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _sheet_title(plan)
    rows = table_rows(plan)
    fill(sheet, rows)
    for column, (key, _) in enumerate(_columns(plan), start=1):
        sheet.cell(row=1, column=column).font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(column)].width = 40 if key in _WIDE else 16
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"
    meta = workbook.create_sheet(METADATA_SHEET)
    fill(meta, metadata_rows(plan))
    meta.column_dimensions["A"].width = 18
    meta.column_dimensions["B"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_ods(plan: PlanData) -> bytes:
    from insyn.records.exporters.ods import write_ods

    return write_ods([(_sheet_title(plan), table_rows(plan)), (METADATA_SHEET, metadata_rows(plan))])


__all__ = ["CSV_DELIMITER", "export_csv", "export_json", "export_ods", "export_xlsx", "table_rows"]
