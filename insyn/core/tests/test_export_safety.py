"""Formula injection: every door that writes CSV, XLSX or ODS writes the OWASP payloads as text.

"Opens as text" is checked on the files themselves: CSV parsed with the csv module (each payload cell
starts with the apostrophe), XLSX loaded with openpyxl (data type "s", the literal text), ODS content
read as XML (office:value-type="string"). Decision: docs/decisions/0003-formula-safe-exports.md.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from django.core.management import call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from insyn.core.export_safety import safe_csv_cell, safe_sheet_cell, unescape_csv_cell
from insyn.core.models import GoverningDocument
from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import make_document, make_municipality, make_organ, make_user_with_role
from insyn.officials.models import Person
from insyn.officials.services import membership_create, person_create

# OWASP "CSV Injection" payloads, and the same with spaces in front.
PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example","x")',
    "+1+1",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
    "'=1+1",
]
# Values that must come back exactly as they were (they may carry the apostrophe in CSV).
LEGITIMATE = ["-", "+46 70 123 45 67", "2.9.2.1", "a=b", "'quoted'", "O'Brien", "", "#N/A", "@"]
# The plan importer trims cells (and reads "-" as "nothing"), so these come back exactly.
KEPT_BY_IMPORT = [payload for payload in PAYLOADS if payload == payload.strip()]
CONTROL = "Anna\x00\x07\x1bLind"
CONTROL_STORED = "Anna\x07\x1b\x0bLind"  # no NUL: PostgreSQL cannot store it in text at all


# --- The functions ------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_csv_cell_with_a_formula_trigger_gets_the_apostrophe_and_loses_it_on_import(payload: str) -> None:
    escaped = safe_csv_cell(payload)

    assert escaped == "'" + payload
    assert unescape_csv_cell(escaped) == payload


@pytest.mark.parametrize("value", LEGITIMATE)
def test_legitimate_values_round_trip_through_the_csv_escape(value: str) -> None:
    assert unescape_csv_cell(safe_csv_cell(value)) == value


def test_text_without_a_trigger_is_left_alone() -> None:
    for value in ("2.9.2.1", "Kommunstyrelsen", "O'Brien", "a=b", "'quoted'"):
        assert safe_csv_cell(value) == value
    assert safe_csv_cell(42) == 42
    assert safe_csv_cell(None) is None


@given(st.text(alphabet=st.sampled_from(list("'= +-@\t\rab1")), max_size=8))
def test_the_csv_escape_is_exactly_reversible(value: str) -> None:
    escaped = safe_csv_cell(value)

    assert unescape_csv_cell(escaped) == value
    assert not escaped or escaped[0] not in "=+-@\t\r"


def test_sheet_cell_drops_control_characters_xml_cannot_hold() -> None:
    assert safe_sheet_cell(CONTROL) == "AnnaLind"
    assert safe_sheet_cell("rad 1\nrad 2\tflik") == "rad 1\nrad 2\tflik"
    assert safe_sheet_cell(3) == 3


# --- Helpers: read the files as a spreadsheet program would -------------------------------------


def csv_cells(data: bytes, delimiter: str) -> list[str]:
    text = data.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]


def assert_csv_payloads_are_text(cells: list[str], payloads: list[str]) -> None:
    for payload in payloads:
        assert "'" + payload in cells, payload
        assert payload not in cells, f"{payload!r} written without the apostrophe"
    for cell in cells:
        assert not cell or cell[0] not in "=+-@\t\r", f"a cell a spreadsheet would evaluate: {cell!r}"


def xlsx_cells(data: bytes) -> Iterator[Any]:
    workbook = load_workbook(io.BytesIO(data))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from (cell for cell in row if cell.value is not None)


def assert_xlsx_payloads_are_text(data: bytes, payloads: list[str]) -> None:
    cells = list(xlsx_cells(data))
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    for payload in payloads:
        matching = [cell for cell in cells if cell.value == payload]
        assert matching, f"{payload!r} is not in the workbook as written"
        assert {cell.data_type for cell in matching} == {"s"}


# --- Retention plans: file exports, CLI and the public API --------------------------------------


def _no_parser(text: str, lang: str) -> Any:
    raise AssertionError(f"every row has its retention; the parser was asked about {text!r}")


def payload_plan(payloads: list[str] = PAYLOADS) -> tuple[Any, list[str]]:
    """The rich sample plan with a document type per payload (names and remarks) and a payload scope."""
    from dataclasses import replace

    from insyn.records.tests.fixtures.sample_plans import rich_plan

    plan = rich_plan()
    activity = plan.areas[0].groups[0].processes[0].activities[0]
    template = activity.document_types[0]
    activity.document_types += [
        replace(template, name=payload, remarks=payload, legal_reference="+46 70 123 45 67") for payload in payloads
    ]
    plan.scope = '=HYPERLINK("http://evil.example","scope")'
    return plan, payloads


def test_plan_csv_writes_payloads_as_text_and_round_trips_byte_for_byte() -> None:
    from insyn.records.exporters import CSV_DELIMITER, export_csv
    from insyn.records.importers import read_plan

    plan, payloads = payload_plan(KEPT_BY_IMPORT)
    first = export_csv(plan)

    assert_csv_payloads_are_text(csv_cells(first, CSV_DELIMITER), payloads)
    imported = read_plan(first, filename="plan.csv", parse=_no_parser)
    assert imported == plan
    assert export_csv(imported) == first


def test_plan_csv_import_reads_every_payload_as_the_xlsx_import_does() -> None:
    """Also those the importer trims (a leading tab, CR or space): the apostrophe changes nothing there."""
    from insyn.records.exporters import CSV_DELIMITER, export_csv, export_xlsx
    from insyn.records.importers import read_plan

    plan, payloads = payload_plan()
    as_csv = export_csv(plan)

    assert_csv_payloads_are_text(csv_cells(as_csv, CSV_DELIMITER), payloads)
    from_csv = read_plan(as_csv, filename="plan.csv", parse=_no_parser)
    assert from_csv == read_plan(export_xlsx(plan), filename="plan.xlsx", parse=_no_parser)


def test_plan_xlsx_writes_payloads_as_string_cells_and_round_trips() -> None:
    from insyn.records.exporters import export_xlsx
    from insyn.records.importers import read_plan

    plan, payloads = payload_plan(KEPT_BY_IMPORT)
    first = export_xlsx(plan)

    assert_xlsx_payloads_are_text(first, payloads)
    imported = read_plan(first, filename="plan.xlsx", parse=_no_parser)
    assert [c.value for c in xlsx_cells(export_xlsx(imported))] == [c.value for c in xlsx_cells(first)]


def test_plan_ods_writes_every_payload_cell_as_a_string() -> None:
    from insyn.records.exporters import export_ods

    plan, _payloads = payload_plan()
    with zipfile.ZipFile(io.BytesIO(export_ods(plan))) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - our own file
    office = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
    table = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
    text = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    cells = [cell for cell in root.iter(f"{table}table-cell") if len(cell)]
    assert {cell.get(f"{office}value-type") for cell in cells} == {"string"}
    assert not [cell for cell in cells if cell.get(f"{table}formula")]
    firsts = {"".join(cell.find(f"{text}p").itertext()) for cell in cells}  # type: ignore[union-attr]
    for payload in ("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)"):
        assert payload in firsts


@pytest.fixture
def adopted_payload_plan(db: Any) -> Any:
    from insyn.records.tests.factories import import_plan

    plan_data, _payloads = payload_plan()
    plan_data.status = "adopted"
    organ = make_organ(make_municipality("Formelby kommun"))
    return import_plan(organ, plan_data)


def test_public_api_csv_and_xlsx_of_an_adopted_plan_hold_payloads_as_text(
    client: Any, adopted_payload_plan: Any
) -> None:
    _plan, payloads = payload_plan()
    url = f"/api/v1/records/plans/{adopted_payload_plan.pk}/export"

    as_csv = client.get(url, {"format": "csv"})  # anonymous: adopted plans are public
    as_xlsx = client.get(url, {"format": "xlsx"})

    assert as_csv.status_code == 200
    assert_csv_payloads_are_text(csv_cells(as_csv.content, ";"), payloads)
    assert as_xlsx.status_code == 200
    assert_xlsx_payloads_are_text(as_xlsx.content, payloads)


def test_cli_export_writes_payloads_as_text(adopted_payload_plan: Any, tmp_path: Path) -> None:
    _plan, payloads = payload_plan()
    target = tmp_path / "plan.csv"

    call_command("records", "export", str(adopted_payload_plan.pk), "--format", "csv", "-o", str(target))

    assert_csv_payloads_are_text(csv_cells(target.read_bytes(), ";"), payloads)


# --- Officials register (Popolo XLSX) and the admin's list exports --------------------------------


@pytest.fixture
def formelby(db: Any) -> Any:
    municipality = make_municipality("Formelby kommun")
    board = make_organ(municipality)
    administrator = make_user_with_role(municipality, "administrator", username="formelby.admin")
    for payload in PAYLOADS[:5]:
        make_document(board, title=payload, registration_number="-", decision_body="@KS")
    person = person_create(
        actor=SYSTEM,
        municipality=municipality,
        given_name='=HYPERLINK("http://evil.example","x")',
        family_name="-2+3",
        party="@SUM(1+1)",
        phone="+46 70 123 45 67",
    )
    membership_create(actor=SYSTEM, person=person, organisation=board, role="ledamot")
    # A name with control characters from before they were refused (written around the services).
    Person.objects.create(municipality=municipality, given_name=CONTROL_STORED, family_name="=1+1")
    return municipality, administrator


def test_popolo_xlsx_export_writes_payloads_as_string_cells(formelby: Any) -> None:
    from insyn.officials.popolo import export_xlsx

    municipality, administrator = formelby
    data = export_xlsx(administrator, municipality)

    assert_xlsx_payloads_are_text(data, ['=HYPERLINK("http://evil.example","x")', "-2+3", "@SUM(1+1)", "=1+1"])
    assert "AnnaLind" in {cell.value for cell in xlsx_cells(data)}


NAME = '=HYPERLINK("http://evil.example","x") -2+3'


@pytest.mark.parametrize(
    ("viewset", "in_csv", "in_xlsx"),
    [
        ("governing_documents", [*PAYLOADS[:5], "-", "@KS"], PAYLOADS[:5]),
        ("officials_persons", [NAME, "@SUM(1+1)", "+46 70 123 45 67"], [NAME, "@SUM(1+1)", "AnnaLind =1+1"]),
    ],
)
def test_admin_list_exports_write_payloads_as_text(
    client: Any, formelby: Any, viewset: str, in_csv: list[str], in_xlsx: list[str]
) -> None:
    _municipality, administrator = formelby
    client.force_login(administrator)
    url = reverse(f"{viewset}:index")

    as_csv = client.get(url, {"export": "csv"})
    as_xlsx = client.get(url, {"export": "xlsx"})  # a control character in a name broke this (IllegalCharacterError)

    assert as_csv.status_code == 200
    csv_text = b"".join(as_csv.streaming_content).decode("utf-8")
    assert_csv_payloads_are_text([c for row in csv.reader(io.StringIO(csv_text, newline="")) for c in row], in_csv)
    assert as_xlsx.status_code == 200
    assert_xlsx_payloads_are_text(b"".join(as_xlsx.streaming_content), in_xlsx)


def test_a_control_character_in_a_name_is_refused_at_input(formelby: Any) -> None:
    from insyn.core.exceptions import ValidationFailed

    municipality, _administrator = formelby

    with pytest.raises(ValidationFailed) as refused:
        person_create(actor=SYSTEM, municipality=municipality, given_name="Anna\x07", family_name="Lind")

    assert set(refused.value.detail) == {"given_name"}
    assert GoverningDocument.objects.filter(title__startswith="=").count() == 2


def test_every_admin_list_export_goes_through_the_formula_guard() -> None:
    """A viewset with `list_export` whose index view skipped `ScopedIndexView` would write raw cells."""
    from django.urls import reverse
    from wagtail.admin.viewsets import viewsets

    from insyn.core.export_safety import SafeSpreadsheetExportMixin

    reverse("wagtailadmin_home")  # loads the admin URLs, which registers the viewsets
    exporting = [vs for vs in viewsets.viewsets if isinstance(getattr(vs, "list_export", None), list | tuple)]

    assert {"governing_documents", "officials_persons", "loans_loans"} <= {vs.name for vs in exporting}
    unsafe = [vs.name for vs in exporting if not issubclass(vs.index_view_class, SafeSpreadsheetExportMixin)]
    assert unsafe == []
