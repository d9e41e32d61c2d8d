"""Issue 8, item 3 (structure): plans as municipalities really write them, without our export's layout.

A plan sheet named "Plan", no Aktivitet column, processes as heading rows above their document
types (numbered or not), no numbering at all, no title: all import, with no invented levels or
names. Errors name file, sheet, row and column once, in the user's language.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from insyn.records.headings import heading_label
from insyn.records.importers import read_plan
from insyn.records.importers.tabular import read_csv, read_xlsx
from insyn.records.plandata import PlanData, PlanFileError


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _outline(plan: PlanData) -> list[tuple[str, ...]]:
    """(area, group, process, activity, document type) per document type, code and name joined."""
    return [
        (
            heading_label(area.code, area.name),
            heading_label(group.code, group.name),
            heading_label(process.code, process.name),
            activity.name,
            row.name,
        )
        for area in plan.areas
        for group in area.groups
        for process in group.processes
        for activity in process.activities
        for row in activity.document_types
    ]


HEADER = ["Handlingstyp", "Bevaras/Gallras", "Anmärkning"]
# Personalenheten's plan: numbered headings above the document types, no activities.
NUMBERED = [
    HEADER,
    ["1 Ledning och styrning"],
    ["1.1 Nämndadministration"],
    ["Protokoll", "Bevaras", ""],
    ["Kallelser", "Gallras efter 2 år", ""],
    ["1.2 Ärendehantering"],
    ["Diarium", "Bevaras", "Registreras i W3D3"],
    ["2 Personal"],
    ["2.1 Anställning"],
    ["Personalakter", "Bevaras", ""],
]
# A förvaltning's plan: unnumbered headings, a group where two headings follow each other.
UNNUMBERED = [
    HEADER,
    ["Personaladministration"],
    ["Anställning"],
    ["Personalakter", "Bevaras", ""],
    ["Löneunderlag", "Gallras efter 5 år", ""],
    ["Avslut av anställning"],
    ["Tjänstgöringsintyg", "Bevaras", ""],
    ["Ekonomi"],
    ["Budget"],
    ["Budgetbeslut", "Bevaras", ""],
    ["Minnesanteckningar"],
]


# -- 1. the plan sheet is the one with a header row -------------------------------------------


def test_workbook_whose_plan_sheet_is_named_plan_is_read() -> None:
    plan = read_xlsx(_xlsx({"Plan": [["Dokumenthanteringsplan för Socialnämnden"], [], *NUMBERED]}), file="sn.xlsx")

    assert plan.title == "Dokumenthanteringsplan för Socialnämnden"
    assert [row.name for row in plan.document_types()] == [
        "Protokoll",
        "Kallelser",
        "Diarium",
        "Personalakter",
    ]


def test_plan_sheet_is_found_by_its_header_among_several_sheets() -> None:
    sheets = {
        "Instruktioner": [["Så här läser du planen"], ["Bevaras = lämnas till arkivet"]],
        "Plan": [["Titel", "Plan för Barn- och utbildningsnämnden"], ["Version", "2.1"]],
        "Bou": [HEADER, ["Elevakter"], ["Betyg", "Bevaras", ""]],
    }

    plan = read_xlsx(_xlsx(sheets), file="bou.xlsx")

    assert (plan.title, plan.version) == ("Plan för Barn- och utbildningsnämnden", "2.1")
    assert _outline(plan) == [("", "", "Elevakter", "", "Betyg")]


def test_a_plan_sheet_named_plan_wins_over_a_sheet_without_a_header() -> None:
    sheets = {"Försättsblad": [["Kommunstyrelsen"], ["Antagen 2021-03-01"]], "Plan": [HEADER, ["Diarium", "Bevaras"]]}

    plan = read_xlsx(_xlsx(sheets), file="ks.xlsx")

    assert [row.name for row in plan.document_types()] == ["Diarium"]


def test_ods_plan_sheet_named_plan_is_found_by_its_header() -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    sheets = {
        "Läsanvisning": [["Bevaras = lämnas till arkivet"]],
        "Plan": [HEADER, ["Diarium", "Bevaras"], ["Post", ""]],
    }
    for title, rows in sheets.items():
        table = Table(name=title)
        for row in rows:
            table_row = TableRow()
            for value in row:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=value))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)

    plan = read_plan(buffer.getvalue(), filename="plan.ods")

    assert [row.name for row in plan.document_types()] == ["Diarium", "Post"]


# -- 2. no activity column ----------------------------------------------------------------------


def test_plan_without_activity_column_puts_document_types_directly_under_the_process() -> None:
    rows = [
        ["Process", "Handlingstyp", "Bevaras/Gallras"],
        ["Anställning", "Personalakter", "Bevaras"],
        ["", "Lön", ""],
    ]

    plan = read_csv(_csv(rows), file="personal.csv")

    assert _outline(plan) == [("", "", "Anställning", "", "Personalakter"), ("", "", "Anställning", "", "Lön")]
    assert [activity.name for activity in plan.areas[0].groups[0].processes[0].activities] == [""]


def test_plan_with_only_document_type_columns_is_one_unnamed_process() -> None:
    plan = read_csv(
        _csv([HEADER, ["Personalakter", "Bevaras", ""], ["Löneunderlag", "Gallras efter 5 år", ""]]), file="p.csv"
    )

    assert _outline(plan) == [("", "", "", "", "Personalakter"), ("", "", "", "", "Löneunderlag")]
    area = plan.areas[0]
    assert (area.code, area.name, area.groups[0].code, area.groups[0].name) == ("", "", "", "")


# -- 3. heading rows ----------------------------------------------------------------------------


def test_numbered_heading_rows_give_groups_and_processes_by_depth() -> None:
    plan = read_csv(_csv(NUMBERED), file="personal.csv")

    assert _outline(plan) == [
        ("", "1 Ledning och styrning", "1.1 Nämndadministration", "", "Protokoll"),
        ("", "1 Ledning och styrning", "1.1 Nämndadministration", "", "Kallelser"),
        ("", "1 Ledning och styrning", "1.2 Ärendehantering", "", "Diarium"),
        ("", "2 Personal", "2.1 Anställning", "", "Personalakter"),
    ]
    assert plan.document_types()[2].remarks == "Registreras i W3D3"


def test_three_levels_of_numbered_headings_are_area_group_and_process() -> None:
    rows = [
        HEADER,
        ["3 Stöd"],
        ["3.1 Ekonomi"],
        ["3.1.1 Budget"],
        ["Budget", "Bevaras"],
        ["3.1.2 Bokföring"],
        ["Verifikationer", "Gallras efter 7 år"],
    ]

    plan = read_csv(_csv(rows), file="ekonomi.csv")

    assert _outline(plan) == [
        ("3 Stöd", "3.1 Ekonomi", "3.1.1 Budget", "", "Budget"),
        ("3 Stöd", "3.1 Ekonomi", "3.1.2 Bokföring", "", "Verifikationer"),
    ]


def test_unnumbered_headings_are_processes_and_one_above_another_a_group() -> None:
    plan = read_csv(_csv(UNNUMBERED), file="forvaltning.csv")

    assert _outline(plan) == [
        ("", "Personaladministration", "Anställning", "", "Personalakter"),
        ("", "Personaladministration", "Anställning", "", "Löneunderlag"),
        ("", "Personaladministration", "Avslut av anställning", "", "Tjänstgöringsintyg"),
        ("", "Ekonomi", "Budget", "", "Budgetbeslut"),
        # The last row has only its name, and no document type follows: it is a document type.
        ("", "Ekonomi", "Budget", "", "Minnesanteckningar"),
    ]
    assert [area.code for area in plan.areas] == [""]
    assert not any(group.code for area in plan.areas for group in area.groups)


def test_a_name_only_row_is_a_document_type_when_the_name_is_not_the_first_column() -> None:
    rows = [["Nr", "Handlingstyp", "Bevaras/Gallras"], ["", "Diarium", ""], ["", "Protokoll", "Bevaras"]]

    plan = read_csv(_csv(rows), file="nr.csv")

    assert [row.name for row in plan.document_types()] == ["Diarium", "Protokoll"]


def test_heading_rows_in_a_workbook_and_metadata_sheet() -> None:
    sheets = {"Blad1": UNNUMBERED[:4], "Plan": [["Titel", "Socialförvaltningen"]]}

    plan = read_xlsx(_xlsx(sheets), file="sf.xlsx")

    assert plan.title == "Socialförvaltningen"
    assert _outline(plan)[0] == ("", "Personaladministration", "Anställning", "", "Personalakter")


# -- 4. no invented names or codes --------------------------------------------------------------


def test_levels_derived_from_a_process_code_have_a_code_and_no_name() -> None:
    rows = [["Processkod", "Processnamn", "Handlingstyp"], ["3.1.2", "Bokföra", "Verifikationer"]]

    plan = read_csv(_csv(rows), file="koder.csv")

    area, group = plan.areas[0], plan.areas[0].groups[0]
    assert (area.code, area.name, group.code, group.name) == ("3", "", "3.1", "")
    assert _outline(plan) == [("3", "3.1", "3.1.2 Bokföra", "", "Verifikationer")]


@pytest.mark.parametrize(
    ("code", "name", "label"),
    [("2.9", "Styrning", "2.9 Styrning"), ("3", "3", "3"), ("3", "", "3"), ("", "", ""), ("", "Budget", "Budget")],
)
def test_heading_label_never_repeats_a_code_as_a_name(code: str, name: str, label: str) -> None:
    assert heading_label(code, name) == label


# -- 5. the title from the file name --------------------------------------------------------------


def test_file_without_a_title_is_named_after_the_file() -> None:
    plan = read_csv(_csv([HEADER, ["Diarium", "Bevaras", ""]]), file="Plan_for_tekniska_namnden.csv")

    assert plan.title == "Plan for tekniska namnden"


# -- 6. errors --------------------------------------------------------------------------------


def test_error_names_file_sheet_row_and_column_in_swedish() -> None:
    rows = [["Process", "Aktivitet", "Handlingstyp", "Personuppgifter"], ["1.1 Leda", "Styra", "Delegation", "kanske"]]

    with translation.override("sv"), pytest.raises(PlanFileError) as caught:
        read_xlsx(_xlsx({"Personal": rows}), file="personal.xlsx")

    error = caught.value
    assert (error.file, error.sheet, error.row, error.column) == ("personal.xlsx", "Personal", 2, "Personuppgifter")
    assert str(error).startswith("personal.xlsx, blad ”Personal”, rad 2, kolumn ”Personuppgifter”: ")


def test_error_is_in_the_active_language() -> None:
    with translation.override("pl"), pytest.raises(PlanFileError) as caught:
        read_plan(b"x", filename="plan.pdf", format="pdf")

    assert str(caught.value).startswith("plan.pdf: nieobsługiwany format")
    with translation.override("en"), pytest.raises(PlanFileError) as caught:
        read_xlsx(_xlsx({"Blad1": [["Titel"]]}), file="tom.xlsx")

    assert str(caught.value).startswith("tom.xlsx, sheet “Blad1”, column 'Handlingstyp': no header row")


def test_metadata_error_names_the_metadata_sheet() -> None:
    sheets = {"Blad1": [HEADER, ["Diarium", "Bevaras"]], "Plan": [["Titel", "X"], ["Antagen datum", "i höstas"]]}

    with translation.override("en"), pytest.raises(PlanFileError) as caught:
        read_xlsx(_xlsx(sheets), file="ks.xlsx")

    assert (caught.value.sheet, caught.value.row, caught.value.column) == ("Plan", 2, "Antagen datum")


# -- Through the database: CLI and admin --------------------------------------------------------


def _write(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    path = tmp_path / name
    path.write_bytes(_csv(rows))
    return path


def _cli_import(path: Path, organisation: Any, *args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command(
        "records", "import", str(path), "--organisation", str(organisation.pk), "--user", "system", *args, stdout=out
    )
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


@pytest.mark.django_db
def test_cli_imports_a_plan_with_only_a_header_and_rows_under_the_file_name(pitea: Any, tmp_path: Path) -> None:
    from insyn.records.models import RetentionPlan

    path = _write(
        tmp_path,
        "Plan_for_Socialnamnden.csv",
        [HEADER, ["Personalakter", "Bevaras", ""], ["Lön", "Gallras efter 5 år", ""]],
    )

    result = _cli_import(path, pitea.board)

    plan = RetentionPlan.objects.get(pk=result["plan"])
    assert plan.title == "Plan for Socialnamnden"
    assert result["counts"]["document_types"] == 2


@pytest.mark.django_db
def test_cli_import_takes_the_plan_name(pitea: Any, tmp_path: Path) -> None:
    from insyn.records.models import RetentionPlan

    path = _write(tmp_path, "export.csv", [HEADER, ["Diarium", "Bevaras", ""]])

    result = _cli_import(path, pitea.board, "--name", "Dokumenthanteringsplan för Socialnämnden")

    assert RetentionPlan.objects.get(pk=result["plan"]).title == "Dokumenthanteringsplan för Socialnämnden"


@pytest.mark.django_db
def test_unnumbered_plan_round_trips_through_the_database_and_exports(pitea: Any, tmp_path: Path) -> None:
    from insyn.records.export import export_plan
    from insyn.records.models import RetentionPlan
    from insyn.records.selectors import plan_data

    result = _cli_import(_write(tmp_path, "forvaltning.csv", UNNUMBERED), pitea.board)
    plan = RetentionPlan.objects.get(pk=result["plan"])
    data = plan_data(plan)
    assert _outline(data) == _outline(read_csv(_csv(UNNUMBERED), file="forvaltning.csv"))

    for fmt in ("csv", "xlsx", "json"):
        again = read_plan(export_plan(plan, fmt), filename=f"again.{fmt}")
        assert _outline(again) == _outline(data), fmt
    # The same file again changes nothing.
    assert _cli_import(_write(tmp_path, "forvaltning.csv", UNNUMBERED), pitea.board)["unchanged"] is True


@pytest.mark.django_db
def test_numbered_plan_shows_no_invented_or_empty_headings(pitea: Any, tmp_path: Path, client: Any) -> None:
    from insyn.records.models import RetentionPlan

    rows = [
        ["Processkod", "Processnamn", "Handlingstyp", "Bevaras/Gallras"],
        ["3.1.2", "Bokföra", "Verifikationer", "Bevaras"],
    ]
    plan = RetentionPlan.objects.get(pk=_cli_import(_write(tmp_path, "koder.csv", rows), pitea.board)["plan"])
    client.force_login(pitea.archivist)

    page = client.get(f"/admin/records/plan/{plan.pk}/").content.decode()

    assert "3.1.2 Bokföra" in page
    assert "3 3" not in page and "3.1 3.1" not in page
    assert '<h2 class="w-h2"> </h2>' not in page


@pytest.mark.django_db
def test_cli_error_is_in_swedish_by_default(pitea: Any, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "trasig.csv",
        [["Process", "Aktivitet", "Handlingstyp", "Personuppgifter"], ["1.1 Leda", "Styra", "Delegation", "kanske"]],
    )

    with pytest.raises(CommandError) as caught:
        _cli_import(path, pitea.board)

    assert str(caught.value).startswith("trasig.csv, rad 2, kolumn ”Personuppgifter”: ")


@pytest.mark.django_db
def test_admin_shows_a_file_error_once_in_the_users_language(
    pitea: Any, client: Any, settings: Any, tmp_path: Path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    rows = [["Process", "Aktivitet", "Handlingstyp", "Personuppgifter"], ["1.1 Leda", "Styra", "Delegation", "kanske"]]
    client.force_login(pitea.archivist)

    response = client.post(
        "/admin/records/import/",
        {
            "file": SimpleUploadedFile("trasig.csv", _csv(rows)),
            "organisation": pitea.board.pk,
            "format": "auto",
            "lang": "sv",
        },
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("trasig.csv, rad 2, kolumn ”Personuppgifter”") == 1, page
