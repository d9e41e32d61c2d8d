"""Exporters: JSON, XLSX, CSV and ODS write what the importers read back, exactly (no database)."""

from __future__ import annotations

import io
import json
from dataclasses import replace

import pytest
from openpyxl import load_workbook

from insyn.records.exporters import export_csv, export_json, export_ods, export_xlsx, table_rows
from insyn.records.importers import read_plan
from insyn.records.importers.columns import EXPORT_COLUMNS, match_header
from insyn.records.importers.tabular import read_csv, read_xlsx
from insyn.records.plandata import PlanData, RetentionData
from insyn.records.tests.fixtures.sample_plans import rich_plan


def _no_parser(text: str, lang: str) -> RetentionData:
    raise AssertionError(f"every row has its retention; the parser was asked about {text!r}")


def _workbook_values(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    workbook = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook.worksheets}


def test_json_export_import_export_is_byte_identical() -> None:
    first = export_json(rich_plan())

    second = export_json(read_plan(first, filename="plan.json", parse=_no_parser))

    assert second == first
    assert read_plan(first, filename="plan.json", parse=_no_parser) == rich_plan()


def test_json_export_keeps_the_contract_key_order_and_unicode() -> None:
    data = export_json(rich_plan())
    text = data.decode("utf-8")

    keys = list(json.loads(text))

    assert keys == [
        "title",
        "organisation",
        "adopted_by",
        "adopted_on",
        "paragraph",
        "version",
        "status",
        "scope",
        "areas",
        "revisions",
    ]
    assert "Informationsförsörjning" in text  # ensure_ascii=False
    assert '\n  "organisation"' in text  # indent 2
    assert "source_row" not in text


def test_xlsx_export_import_export_gives_the_same_plan_and_the_same_cells() -> None:
    first = export_xlsx(rich_plan())

    imported = read_plan(first, filename="plan.xlsx", parse=_no_parser)
    second = export_xlsx(imported)

    assert imported == rich_plan()
    assert imported.to_dict() == rich_plan().to_dict()
    assert _workbook_values(second) == _workbook_values(first)


def test_xlsx_export_has_the_plan_sheet_and_a_string_never_a_formula() -> None:
    sheets = _workbook_values(export_xlsx(rich_plan()))

    assert list(sheets) == ["Dokumenthanteringsplan", "Plan"]
    header = sheets["Dokumenthanteringsplan"][0]
    assert header == tuple(label for _, label in EXPORT_COLUMNS)
    names = [row[10] for row in sheets["Dokumenthanteringsplan"][1:]]
    assert "=Formel som text" in names
    plan_sheet = {row[0]: row[1:] for row in sheets["Plan"]}
    assert plan_sheet["Antagen datum"][0] == "2016-11-28"
    assert plan_sheet["Revidering"] == ("2018-03-12", "§ 45", "Ny process 2.9.2.8", "1.1")
    workbook = load_workbook(io.BytesIO(export_xlsx(rich_plan())))
    formula_cells = [cell for row in workbook.worksheets[0].iter_rows() for cell in row if cell.data_type == "f"]
    assert formula_cells == []


def test_csv_export_import_export_is_byte_identical() -> None:
    first = export_csv(rich_plan())

    imported = read_plan(first, filename="plan.csv", parse=_no_parser)

    assert imported == rich_plan()
    assert export_csv(imported) == first


def test_csv_export_is_utf8_with_bom_semicolons_and_metadata_comments() -> None:
    data = export_csv(rich_plan())
    lines = data.decode("utf-8").split("\r\n")

    assert data.startswith(b"\xef\xbb\xbf# Titel: Dokumenthanteringsplan")
    assert lines[3] == "# Antagen datum: 2016-11-28"
    assert lines[7] == '"# Omfattning: Stödprocesser i Torsby kommun; gäller från 2017"'  # quoted: holds a ";"
    assert "# Revidering: 2018-03-12;§ 45;Ny process 2.9.2.8;1.1" in lines
    assert lines[10].startswith("Områdeskod;Verksamhetsområde;Områdesbeskrivning;")


def test_ods_export_import_gives_the_same_plan() -> None:
    data = export_ods(rich_plan())

    imported = read_plan(data, filename="plan.ods", parse=_no_parser)

    assert imported == rich_plan()
    assert export_json(imported) == export_json(rich_plan())


def test_ods_export_import_export_is_byte_identical() -> None:
    first = export_ods(rich_plan())

    assert export_ods(read_plan(first, filename="plan.ods", parse=_no_parser)) == first


def test_ods_export_opens_in_odfpy_with_the_text_as_written() -> None:
    from odf import teletype
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    plan = rich_plan()
    plan.document_types()[1].remarks = "  två  mellanslag\tflik\nny rad"
    document = load(io.BytesIO(export_ods(plan)))

    tables = document.spreadsheet.getElementsByType(Table)
    assert [table.getAttribute("name") for table in tables] == ["Dokumenthanteringsplan", "Plan"]
    rows = tables[0].getElementsByType(TableRow)
    cells = rows[2].getElementsByType(TableCell)
    assert [teletype.extractText(p) for p in cells[17].getElementsByType(P)] == ["  två  mellanslag\tflik", "ny rad"]
    assert teletype.extractText(rows[0].getElementsByType(TableCell)[10]) == "Handlingstyp"


def test_unparsed_retention_stays_unparsed_through_xlsx_and_csv() -> None:
    plan = rich_plan()
    first = plan.document_types()[0]
    first.retention = None

    from_xlsx = read_xlsx(export_xlsx(plan), file="plan.xlsx")
    from_csv = read_csv(export_csv(plan), file="plan.csv")

    assert from_xlsx.document_types()[0].retention is None
    assert from_csv.document_types()[0].retention is None
    assert from_xlsx == plan
    assert from_csv == plan


def test_empty_levels_get_rows_of_their_own() -> None:
    rows = table_rows(rich_plan())

    by_key = {(row[0], row[3], row[6], row[9], row[10]) for row in rows[1:]}

    assert ("2.9", "2.9.2", "2.9.2.3", "Aktivitet utan handlingar", "") in by_key
    assert ("2.9", "2.9.2", "2.9.2.8", "", "") in by_key
    assert ("2.9", "2.9.3", "", "", "") in by_key
    assert ("3.1", "", "", "", "") in by_key
    assert len(rows) == 1 + 3 + 1 + 1 + 1 + 1


def test_every_exported_column_is_read_back_as_the_same_field() -> None:
    header = match_header([label for _, label in EXPORT_COLUMNS])

    assert header is not None
    assert header.columns == {key: index for index, (key, _) in enumerate(EXPORT_COLUMNS)}


@pytest.mark.parametrize("export", [export_xlsx, export_csv, export_ods, export_json])
def test_a_jrwa_plan_round_trips_with_its_classification(export: object) -> None:
    plan = replace(rich_plan(), classification="jrwa", title="Jednolity rzeczowy wykaz akt")
    assert callable(export)
    data = export(plan)
    suffix = {"export_xlsx": "xlsx", "export_csv": "csv", "export_ods": "ods", "export_json": "json"}

    imported: PlanData = read_plan(data, filename=f"jrwa.{suffix[export.__name__]}", parse=_no_parser)

    assert imported.classification == "jrwa"
    assert imported == plan
