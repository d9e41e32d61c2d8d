"""Importers: CSV, XLSX, ODS and JRWA sheets as municipalities and urzędy write them (no database)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook

from insyn.records.importers import read_plan
from insyn.records.importers.tabular import read_csv, read_ods, read_xlsx
from insyn.records.plandata import PlanData, PlanFileError, RetentionData


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Error messages are read in English here; the product speaks Swedish first (see test_import_structure)."""
    with translation.override("en"):
        yield


PLAIN_HEADER = [
    "Process",
    "Aktivitet",
    "Handlingstyp",
    "Format",
    "Förvaring",
    "Format",
    "Förvaring",
    "Bevaras/Gallras",
    "Format vid arkivering",
    "Anmärkning",
    "Personuppgifter",
]
PLAIN_ROWS = [
    ["Dokumenthanteringsplan för Kommunstyrelsen"],
    [],
    PLAIN_HEADER,
    [
        "2.9.2.1 Publicera på extern webb",
        "Publicera på extern webb",
        "Information på extern webb",
        "-",
        "-",
        "-",
        "Server",
        "Bevaras, se anmärkning",
        "Digital",
        "Lagras en gång/år; i PDF-format.",
        "nej",
    ],
    [
        "",
        "",
        "Bilder, filmer",
        "",
        "",
        "JPEG",
        "Server",
        "Gallras vid inaktualitet",
        "",
        'Se "Riktlinjer", avsnitt 2',
        "x",
    ],
    [
        "2.9.3.1 Diarieföra",
        "Registrera",
        "Diarium",
        "Papper",
        "Arkiv",
        "",
        "W3D3",
        "Bevaras",
        "Papper",
        "Rad ett\nRad två",
        "ja",
    ],
]


def _csv(rows: list[list[str]], delimiter: str, *, bom: bool = True, encoding: str = "utf-8") -> bytes:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)


def _xlsx(sheets: dict[str, list[list[Any]]], merge: str | None = None) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)  # type: ignore[arg-type]
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if merge and title == next(iter(sheets)):
            sheet.merge_cells(merge)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ods(sheets: dict[str, list[list[Any]]]) -> bytes:
    """An ODS as LibreOffice writes one: repeated empty cells, a covered cell, typed dates and numbers."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for title, rows in sheets.items():
        table = Table(name=title)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if value is None:
                    table_row.addElement(CoveredTableCell())
                elif value == "<2 empty>":
                    table_row.addElement(TableCell(numbercolumnsrepeated=2))  # two empty cells in one element
                elif value == "":
                    table_row.addElement(TableCell())
                elif isinstance(value, float):
                    cell = TableCell(valuetype="float", value=value)
                    cell.addElement(P(text=str(value)))
                    table_row.addElement(cell)
                elif value.startswith("date:"):
                    cell = TableCell(valuetype="date", datevalue=value[5:])
                    cell.addElement(P(text=value[5:]))
                    table_row.addElement(cell)
                else:
                    cell = TableCell(valuetype="string")
                    for line in value.split("\n"):
                        cell.addElement(P(text=line))
                    table_row.addElement(cell)
            table_row.addElement(TableCell(numbercolumnsrepeated=1000))
            table.addElement(table_row)
        table.addElement(TableRow(numberrowsrepeated=100000))
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def _plain_rows(plan: PlanData) -> list[tuple[tuple[object, ...], tuple[object, ...]]]:
    """((process, activity, name, analog format/storage, digital format/storage), (Bevaras/Gallras, …, row))."""
    return [
        (
            (process.code, activity.name, row.name, row.analog_format, row.analog_storage, row.digital_format),
            (
                row.digital_storage,
                row.retention_text,
                row.archival_format,
                row.remarks,
                row.personal_data,
                row.source_row,
            ),
        )
        for area in plan.areas
        for group in area.groups
        for process in group.processes
        for activity in process.activities
        for row in activity.document_types
    ]


PLAIN_EXPECTED = [
    (
        ("2.9.2.1", "Publicera på extern webb", "Information på extern webb", "", "", ""),
        ("Server", "Bevaras, se anmärkning", "Digital", "Lagras en gång/år; i PDF-format.", False, 4),
    ),
    (
        ("2.9.2.1", "Publicera på extern webb", "Bilder, filmer", "", "", "JPEG"),
        ("Server", "Gallras vid inaktualitet", "", 'Se "Riktlinjer", avsnitt 2', True, 5),
    ),
    (
        ("2.9.3.1", "Registrera", "Diarium", "Papper", "Arkiv", ""),
        ("W3D3", "Bevaras", "Papper", "Rad ett\nRad två", True, 6),
    ),
]


def _levels(plan: PlanData) -> list[list[tuple[str, str]]]:
    groups = [group for area in plan.areas for group in area.groups]
    processes = [process for group in groups for process in group.processes]
    return [[(level.code, level.name) for level in levels] for levels in (plan.areas, groups, processes)]


@pytest.mark.parametrize(("delimiter", "bom"), [(";", True), (",", False), ("\t", True)])
def test_plain_csv_with_semicolons_commas_or_tabs_imports_the_same_plan(delimiter: str, bom: bool) -> None:
    plan = read_plan(
        _csv(PLAIN_ROWS, delimiter, bom=bom), filename="ks_plan.csv", parse=lambda t, lang: RetentionData()
    )

    assert _plain_rows(plan) == PLAIN_EXPECTED
    assert plan.title == "Dokumenthanteringsplan för Kommunstyrelsen"
    assert _levels(plan) == [  # area and group derived from the process code
        [("2.9", "")],
        [("2.9.2", ""), ("2.9.3", "")],
        [("2.9.2.1", "Publicera på extern webb"), ("2.9.3.1", "Diarieföra")],
    ]


def test_csv_with_process_headings_as_rows_and_activities_that_look_like_labels() -> None:
    rows = [
        ["Processgrupp 2.9.2 Informationsförsörjning", "Beskrivning Information."],
        ["Processen 2.9.2.1 Publicera på extern webb"],
        ["Aktivitet", "Handlingstyp", "Bevaras/Gallras"],
        ["Publicera", "Webbsidor", "Bevaras"],
        ["Processen 2.9.2.5 Hantera broschyrer"],
        ["Aktivitet", "Handlingstyp", "Bevaras/Gallras"],
        ["Trycka", "Broschyr", "Bevaras i urval"],
        ["Revidering av broschyrer", "Korrektur", "Gallras vid inaktualitet"],
        ["Digital arkivering"],
    ]

    plan = read_csv(_csv(rows, ";"), file="plan.csv")

    assert _levels(plan) == [
        [("2.9", "")],
        [("2.9.2", "Informationsförsörjning")],
        [("2.9.2.1", "Publicera på extern webb"), ("2.9.2.5", "Hantera broschyrer")],
    ]
    assert plan.areas[0].groups[0].description == "Information."
    assert [(row.name, row.retention_text, row.source_row) for row in plan.document_types()] == [
        ("Webbsidor", "Bevaras", 4),
        ("Broschyr", "Bevaras i urval", 7),
        ("Korrektur", "Gallras vid inaktualitet", 8),
    ]
    assert [a.name for a in plan.areas[0].groups[0].processes[1].activities] == [
        "Trycka",
        "Revidering av broschyrer",
        "Digital arkivering",
    ]


def test_csv_saved_by_swedish_excel_in_windows_1252_is_read() -> None:
    data = _csv(PLAIN_ROWS, ";", bom=False, encoding="cp1252")

    plan = read_csv(data, file="ks_plan.csv")

    assert _plain_rows(plan) == PLAIN_EXPECTED


def test_csv_comment_rows_give_the_metadata() -> None:
    rows = [
        ["# Titel: Plan för KS"],
        ["# Antagen av: Kommunfullmäktige"],
        ["# Antagen datum: 2020-01-02"],
        *PLAIN_ROWS[2:],
    ]

    plan = read_csv(_csv(rows, ";"), file="x.csv")

    assert (plan.title, plan.adopted_by, plan.organisation, plan.adopted_on) == (
        "Plan för KS",
        "Kommunfullmäktige",
        "Kommunfullmäktige",
        "2020-01-02",
    )
    assert [what[-1] for _, what in _plain_rows(plan)] == [5, 6, 7]


def test_csv_cell_beyond_the_header_is_kept_as_an_extra_column_named_by_its_letter() -> None:
    rows = [*PLAIN_ROWS[:5], ["2.9.3.1 Diarieföra", "Registrera", "Diarium"] + [""] * 8 + ["en cell för mycket"]]

    plan = read_csv(_csv(rows, ";"), file="ks_plan.csv")

    assert plan.document_types()[-1].extra == {"Kolumn L": "en cell för mycket"}


def test_csv_with_an_unparseable_metadata_date_is_refused() -> None:
    rows = [["# Titel: Plan"], ["# Antagen datum: i höstas"], *PLAIN_ROWS[2:]]

    with pytest.raises(PlanFileError) as caught:
        read_csv(_csv(rows, ";"), file="ks_plan.csv")

    assert (caught.value.row, caught.value.column) == (2, "Antagen datum")


def test_plain_xlsx_with_merged_activity_and_named_analog_digital_columns() -> None:
    header = ["Processnr", "Process", "Aktivitet", "Rutin/Handling", "Format digitalt", "Förvaring digital"]
    header += ["Format analogt", "Förvaring analog", "Gallringsfrist", "Kommentar", "Lagrum", "Sorteringsform"]
    header += ["Tidsfrist för leverans", "Original/Kopia"]
    rows: list[list[Any]] = [
        header,
        ["2.1.1", "Hantera ärenden", "Registrera", "Diarium", "PDF/A", "W3D3", "Papper", "Arkiv", "Bevaras"],
        [
            None,
            None,
            None,
            "Kallelser",
            "Word",
            "Server",
            None,
            None,
            "2 år",
            None,
            "SFS 2009:400",
            "Datum",
            3,
            "Kopia",
        ],
    ]

    plan = read_xlsx(_xlsx({"KS": rows}, merge="C2:C3"), file="ks.xlsx")

    first, second = plan.document_types()
    assert [(p.code, p.name) for p in plan.areas[0].groups[0].processes] == [("2.1.1", "Hantera ärenden")]
    assert [a.name for a in plan.areas[0].groups[0].processes[0].activities] == ["Registrera"]
    assert (first.digital_format, first.digital_storage, first.analog_format, first.analog_storage) == (
        "PDF/A",
        "W3D3",
        "Papper",
        "Arkiv",
    )
    assert (second.retention_text, second.legal_reference, second.sorting) == ("2 år", "SFS 2009:400", "Datum")
    assert (second.delivery_deadline, second.original_or_copy, second.source_row) == ("3", "Kopia", 3)
    assert plan.title == "ks"


def test_xlsx_plan_sheet_gives_metadata_and_a_datetime_cell_is_a_date() -> None:
    import datetime

    rows = [PLAIN_HEADER, PLAIN_ROWS[3]]
    meta = [["Titel", "Plan"], ["Antagen datum", datetime.datetime(2016, 11, 28)], ["Version", 2.0]]

    plan = read_xlsx(_xlsx({"Blad1": rows, "Plan": meta}), file="ks.xlsx")

    assert (plan.title, plan.adopted_on, plan.version) == ("Plan", "2016-11-28", "2")


@pytest.mark.parametrize(
    ("rows", "meta", "where", "message"),
    [
        ([["Aktivitet", "Format", "Bevaras/Gallras"], ["A", "Papper", "Bevaras"]], [], (1, "Handlingstyp"), "header"),
        ([PLAIN_HEADER, ["2.1 X", "A", "", "Papper"]], [], (2, "Handlingstyp"), "empty while"),
        ([PLAIN_HEADER, [*PLAIN_ROWS[3][:10], "kanske"]], [], (2, "Personuppgifter"), "neither yes nor no"),
        (
            [PLAIN_HEADER, PLAIN_ROWS[3]],
            [["Titel", "X"], ["Antagen datum", "2016-02-30"]],
            (2, "Antagen datum"),
            "valid",
        ),
    ],
)
def test_xlsx_with_a_broken_row_is_refused_with_file_row_and_column(
    rows: list[list[Any]], meta: list[list[Any]], where: tuple[int | None, str], message: str
) -> None:
    sheets = {"Blad1": rows, "Plan": meta} if meta else {"Blad1": rows}

    with pytest.raises(PlanFileError, match=message) as caught:
        read_xlsx(_xlsx(sheets), file="ks.xlsx")

    assert (caught.value.file, caught.value.row, caught.value.column) == ("ks.xlsx", *where)


def test_ods_written_with_odfpy_imports_correctly() -> None:
    rows: list[list[Any]] = [
        [
            "Områdeskod",
            "Verksamhetsområde",
            "Processgruppkod",
            "Processgrupp",
            "Processkod",
            "Processnamn",
            "Aktivitet",
            "Handlingstyp",
            "Media",
            "Förvaringsplats",
            "Format",
            "Förvaring",
            "Bevaras/gallras",
            "Anmärkning",
        ],
        [
            "2.9",
            "Information",
            "2.9.2",
            "Informationsförsörjning",
            "2.9.2.5",
            "Hantera broschyrer",
            "Hantera broschyrer",
            "Broschyr",
            "Papper",
            "Tjänstemans rum",
            "<2 empty>",
            "Bevaras",
            "Ett ex  bevaras.\nI urval.",
        ],
        [None, None, None, None, None, None, None, "Affisch", "Papper", "", "PDF", "Server", "Gallras", "-"],
    ]
    meta: list[list[Any]] = [["Titel", "ODS-plan"], ["Antagen datum", "date:2016-11-28T00:00:00"], ["Version", 3.0]]

    plan = read_ods(_ods({"Plan 1": rows, "Plan": meta}), file="plan.ods")

    assert (plan.title, plan.adopted_on, plan.version) == ("ODS-plan", "2016-11-28", "3")
    [brochure, poster] = plan.document_types()
    assert (brochure.name, brochure.analog_format, brochure.analog_storage) == ("Broschyr", "Papper", "Tjänstemans rum")
    assert (brochure.remarks, brochure.source_row) == ("Ett ex  bevaras.\nI urval.", 2)
    assert (brochure.digital_format, brochure.digital_storage, brochure.retention_text) == ("", "", "Bevaras")
    assert (poster.name, poster.retention_text, poster.remarks, poster.source_row) == ("Affisch", "Gallras", "", 3)
    assert (poster.analog_storage, poster.digital_format, poster.digital_storage) == ("", "PDF", "Server")
    assert [(a.code, a.name) for a in plan.areas] == [("2.9", "Information")]


def test_ods_with_a_broken_row_is_refused_with_file_row_and_column() -> None:
    rows: list[list[Any]] = [
        ["Processkod", "Processnamn", "Aktivitet", "Handlingstyp", "retention.action", "retention.period"],
        ["1.1", "Styra", "Planera", "Verksamhetsplan", "dispose", "P2Y"],
        ["1.1", "Styra", "Planera", "Budget", "dispose", "två år"],
    ]

    with pytest.raises(PlanFileError, match="ISO 8601") as caught:
        read_ods(_ods({"Blad1": rows}), file="plan.ods")

    assert (caught.value.file, caught.value.row, caught.value.column) == ("plan.ods", 3, "retention.period")


def test_ods_with_a_dtd_is_refused() -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')

    from insyn.core.exceptions import UnsafeImportFile

    with pytest.raises(UnsafeImportFile, match="DTD") as caught:
        read_plan(buffer.getvalue(), filename="evil.ods")

    assert caught.value.detail == {"file": "evil.ods"}


JRWA_ROWS: list[list[Any]] = [
    ["Jednolity rzeczowy wykaz akt"],
    ["Symbol klasyfikacyjny", "Hasło klasyfikacyjne", "Kategoria archiwalna", "Uwagi"],
    ["0", "Zarządzanie", "", ""],
    ["00", "Organy jednostki", "", ""],
    ["000", "Wybory, organy stanowiące", "", ""],
    ["0000", "Wybory do organów", "A", ""],
    ["0001", "Sesje rady", "A", "Protokoły i uchwały"],
    ["0002", "Kopie uchwał", "B5", ""],
    ["001", "Organy doradcze", "BE10", ""],
    ["01", "Skargi i wnioski", "Bc", "Rejestr"],
    ["1", "Kadry", "", ""],
    ["10", "Zasady pracy", "", ""],
    ["100", "Regulaminy", "A", ""],
]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_jrwa_sheet_maps_symbols_onto_levels_and_categories_onto_retention_text(kind: str) -> None:
    data = _xlsx({"JRWA": JRWA_ROWS}) if kind == "xlsx" else _csv(JRWA_ROWS, ";")

    plan = read_plan(data, filename=f"jrwa.{kind}", lang="pl", parse=lambda t, lang: RetentionData(sampling=lang))

    assert (plan.classification, plan.title) == ("jrwa", "Jednolity rzeczowy wykaz akt")
    assert _levels(plan) == [
        [("0", "Zarządzanie"), ("1", "Kadry")],
        [("00", "Organy jednostki"), ("01", "Skargi i wnioski"), ("10", "Zasady pracy")],
        [
            ("000", "Wybory, organy stanowiące"),
            ("001", "Organy doradcze"),
            ("01", "Skargi i wnioski"),
            ("100", "Regulaminy"),
        ],
    ]
    leaves = [
        (process.code, activity.name, row.name, row.retention_text, row.remarks, row.source_row)
        for area in plan.areas
        for group in area.groups
        for process in group.processes
        for activity in process.activities
        for row in activity.document_types
    ]
    assert leaves == [
        ("000", "0000", "Wybory do organów", "A", "", 6),
        ("000", "0001", "Sesje rady", "A", "Protokoły i uchwały", 7),
        ("000", "0002", "Kopie uchwał", "B5", "", 8),
        ("001", "001", "Organy doradcze", "BE10", "", 9),
        ("01", "01", "Skargi i wnioski", "Bc", "Rejestr", 10),
        ("100", "100", "Regulaminy", "A", "", 13),
    ]
    assert {row.retention.sampling for row in plan.document_types() if row.retention} == {"pl"}


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["0a01", "Sesje", "A", ""], "Symbol klasyfikacyjny", "not a JRWA symbol"),
        (["0003", "Sesje", "X7", ""], "Kategoria archiwalna", "not a kategoria archiwalna"),
        (["0003", "Sesje", "", ""], "Kategoria archiwalna", "no kategoria"),
        (["0003", "", "A", ""], "Hasło klasyfikacyjne", "empty while"),
    ],
)
def test_jrwa_sheet_with_a_broken_row_is_refused(row: list[str], column: str, message: str) -> None:
    with pytest.raises(PlanFileError, match=message) as caught:
        read_xlsx(_xlsx({"JRWA": [*JRWA_ROWS[:8], row]}), file="jrwa.xlsx")

    assert (caught.value.file, caught.value.row, caught.value.column) == ("jrwa.xlsx", 9, column)
