"""Issue 8, item 1: nothing is dropped. Every column of a plan file ends up somewhere.

Layouts below are small excerpts in the shapes Swedish plans use; the rows are written for the
tests, not copied from a plan:

- separate rule columns: Process | Handlingstyp | Bevaras | Gallras | Gallringsfrist | Anmärkning,
  with X (or Ja/Nej) under Bevaras or Gallras and the period in Gallringsfrist;
- "Bevaras/Gallras" + "Gallringsfrist";
- "Gallras efter" and "Bevaras, levereras till arkiv efter" side by side;
- a column "Hänvisning till gallringsbeslut eller lagrum", as Region Stockholm's
  hanteringsanvisningar (VIR) name it, plus ID, Sekretess and columns Insyn has no field for.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from insyn.records import exporters
from insyn.records.importers import read_plan
from insyn.records.importers.columns import ALIASES, SOURCE_PREFIX, match_header, normalize
from insyn.records.plandata import DocumentTypeData, PlanData


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row_number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value:
                cell = sheet.cell(row=row_number, column=column)
                cell.value = value
                cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rows(plan: PlanData) -> dict[str, DocumentTypeData]:
    return {row.name: row for row in plan.document_types()}


SEPARATE_RULE_COLUMNS = [
    ["Process", "Aktivitet", "Handlingstyp", "Bevaras", "Gallras", "Gallringsfrist", "Anmärkning"],
    ["1.1 Ekonomi", "Betala", "Leverantörsfaktura", "", "X", "10 år", "Efter räkenskapsårets slut"],
    ["", "", "Protokoll", "X", "", "", "Original i diariet"],
    ["", "", "Minnesanteckningar", "", "Ja", "vid inaktualitet", ""],
    ["", "", "Kallelser", "Nej", "", "2 år", "Skickas per e-post"],
    ["", "", "Delegationsbeslut", "X", "X", "", ""],
    ["", "", "Arbetsmaterial", "X", "", "Gallras efter 1 år", ""],
]


@pytest.mark.parametrize("write", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_separate_bevaras_gallras_gallringsfrist_columns_keep_every_period_and_remark(write: Any) -> None:
    plan = read_plan(write(SEPARATE_RULE_COLUMNS), filename="plan.csv" if write is _csv else "plan.xlsx")

    rows = _rows(plan)
    invoice = rows["Leverantörsfaktura"]
    assert invoice.retention_text == "Gallras 10 år"
    assert (invoice.retention.action, invoice.retention.period) == ("dispose", "P10Y")
    assert invoice.retention_sources == {"Bevaras": "", "Gallras": "X", "Gallringsfrist": "10 år"}
    assert invoice.remarks == "Efter räkenskapsårets slut"
    assert (rows["Protokoll"].retention_text, rows["Protokoll"].retention.action) == ("Bevaras", "retain")
    notes = rows["Minnesanteckningar"]
    assert notes.retention_text == "Gallras vid inaktualitet"
    assert (notes.retention.action, notes.retention.trigger) == ("dispose", "obsolete")
    notices = rows["Kallelser"]  # "Nej" under Bevaras: not kept, and the period says when it goes
    assert (notices.retention_text, notices.retention.period) == ("Gallras 2 år", "P2Y")
    assert notices.retention_sources["Bevaras"] == "Nej"
    assert notices.remarks == "Skickas per e-post"
    for row in rows.values():  # every cell of the file, verbatim, somewhere in the row
        source = next(r for r in SEPARATE_RULE_COLUMNS[1:] if r[2] == row.name)
        assert list(row.retention_sources.values()) == source[3:6]


def test_both_marks_set_is_unclear_with_a_warning_naming_both_cells() -> None:
    plan = read_plan(_csv(SEPARATE_RULE_COLUMNS), filename="plan.csv")

    row = _rows(plan)["Delegationsbeslut"]
    assert row.retention.action == "unclear"
    assert row.retention_text == "Bevaras: X; Gallras: X"
    warning = next(w for w in plan.warnings if w.row == 6)
    assert warning.columns == ["Bevaras", "Gallras"]
    assert "Bevaras" in warning.message and "Gallras" in warning.message


def test_retain_mark_against_a_disposal_period_is_unclear_with_a_warning() -> None:
    plan = read_plan(_csv(SEPARATE_RULE_COLUMNS), filename="plan.csv")

    row = _rows(plan)["Arbetsmaterial"]
    assert row.retention.action == "unclear"
    assert row.retention_sources == {"Bevaras": "X", "Gallras": "", "Gallringsfrist": "Gallras efter 1 år"}
    assert [(w.row, w.columns) for w in plan.warnings] == [
        (6, ["Bevaras", "Gallras"]),
        (7, ["Bevaras", "Gallringsfrist"]),
    ]


def test_combined_column_with_a_separate_period_column() -> None:
    rows = [
        ["Process", "Aktivitet", "Handlingstyp", "Bevaras/Gallras", "Gallringsfrist"],
        ["1.1 Personal", "Anställa", "Ansökningar, ej anställda", "Gallras", "2 år efter avslutad rekrytering"],
        ["", "", "Anställningsavtal", "Bevaras", ""],
    ]

    plan = read_plan(_csv(rows), filename="plan.csv")

    applications, contract = plan.document_types()
    assert applications.retention_text == "Gallras 2 år efter avslutad rekrytering"
    assert applications.retention.action == "dispose"
    assert applications.retention_sources == {
        "Bevaras/Gallras": "Gallras",
        "Gallringsfrist": "2 år efter avslutad rekrytering",
    }
    assert (contract.retention_text, contract.retention.action) == ("Bevaras", "retain")
    assert plan.warnings == []


def test_gallras_efter_and_bevaras_levereras_columns_read_as_one_rule() -> None:
    rows = [
        ["Process", "Aktivitet", "Handlingstyp", "Gallras efter", "Bevaras, levereras till arkiv efter"],
        ["1.1 Bygglov", "Pröva", "Bygglovsansökan", "", "10 år"],
        ["", "", "Kvitto", "2 år", ""],
    ]

    plan = read_plan(_csv(rows), filename="plan.csv")

    permit, receipt = plan.document_types()
    assert permit.retention_text == "Bevaras, levereras till arkiv efter 10 år"
    assert permit.retention.action == "retain"
    assert permit.retention_sources == {"Gallras efter": "", "Bevaras, levereras till arkiv efter": "10 år"}
    assert (receipt.retention_text, receipt.retention.period) == ("Gallras 2 år", "P2Y")


def test_a_single_gallringsfrist_column_is_the_rule_text_as_before() -> None:
    rows = [["Process", "Aktivitet", "Handlingstyp", "Gallringsfrist"], ["1.1 Ekonomi", "Betala", "Faktura", "7 år"]]

    (row,) = read_plan(_csv(rows), filename="plan.csv").document_types()

    assert (row.retention_text, row.retention_sources) == ("7 år", {})


EXTRA_COLUMNS = [
    [
        "ID dok",
        "Process",
        "Aktivitet",
        "Handlingstyp",
        "Bevaras/Gallras",
        "Hänvisning till gallringsbeslut eller lagrum",
        "Lagrum",
        "Sekretess OSL",
        "Ansvarig",
        "Anmärkning",
        "",
        "Anmärkning",
    ],
    [
        "E-12",
        "1.1 Ekonomi",
        "Betala",
        "Faktura",
        "Gallras 10 år",
        "RA-FS 2019:3",
        "Bokföringslagen 7 kap",
        "OSL 31:16",
        "Ekonomichef",
        "Se rutin",
        "utan rubrik",
        "andra anmärkningen",
        "bortom rubriken",
    ],
]


def test_new_fields_and_every_unknown_repeated_or_unlabelled_column_are_kept() -> None:
    (row,) = read_plan(_csv(EXTRA_COLUMNS), filename="plan.csv").document_types()

    assert (row.reference_code, row.disposal_authority, row.legal_reference, row.secrecy) == (
        "E-12",
        "RA-FS 2019:3",
        "Bokföringslagen 7 kap",
        "OSL 31:16",
    )
    assert row.remarks == "Se rutin"
    assert row.extra == {
        "Ansvarig": "Ekonomichef",
        "Kolumn K": "utan rubrik",
        "Anmärkning (2)": "andra anmärkningen",
        "Kolumn M": "bortom rubriken",
    }
    assert list(row.extra) == ["Ansvarig", "Kolumn K", "Anmärkning (2)", "Kolumn M"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "ods", "json"])
def test_extra_columns_and_rule_sources_survive_export_and_reimport(fmt: str) -> None:
    plan = read_plan(_csv(EXTRA_COLUMNS), filename="plan.csv")
    plan.document_types()[0].retention_sources = {"Bevaras": "", "Gallras": "X"}

    again = read_plan(getattr(exporters, f"export_{fmt}")(plan), filename=f"plan.{fmt}")

    assert again.to_dict() == plan.to_dict()
    (row,) = again.document_types()
    assert row.extra["Anmärkning (2)"] == "andra anmärkningen"
    assert row.retention_sources == {"Bevaras": "", "Gallras": "X"}


def test_json_export_omits_the_new_keys_when_empty_and_carries_them_when_set() -> None:
    rows = [
        ["Process", "Aktivitet", "Handlingstyp", "Bevaras/Gallras"],
        ["1.1 Ekonomi", "Betala", "Faktura", "Bevaras"],
    ]
    plain = read_plan(_csv(rows), filename="plan.csv")
    full = read_plan(_csv(EXTRA_COLUMNS), filename="plan.csv")

    (plain_row,) = [r for a in plain.to_dict()["areas"] for g in a["groups"] for p in g["processes"]
                    for act in p["activities"] for r in act["document_types"]]  # fmt: skip
    assert not {"reference_code", "disposal_authority", "secrecy", "extra", "retention_sources"} & set(plain_row)
    exported = json.loads(exporters.export_json(full))
    (full_row,) = [r for a in exported["areas"] for g in a["groups"] for p in g["processes"]
                   for act in p["activities"] for r in act["document_types"]]  # fmt: skip
    assert full_row["extra"]["Ansvarig"] == "Ekonomichef"
    assert "warnings" not in exported


def test_json_import_refuses_extra_values_that_are_not_texts() -> None:
    from insyn.records.plandata import PlanFileError

    plan = read_plan(_csv(EXTRA_COLUMNS), filename="plan.csv")
    data = plan.to_dict()
    data["areas"][0]["groups"][0]["processes"][0]["activities"][0]["document_types"][0]["extra"] = {"Ansvarig": 3}

    with pytest.raises(PlanFileError) as caught:
        read_plan(json.dumps(data).encode(), filename="plan.json")

    assert caught.value.column.endswith("document_types[0].extra")


def test_a_row_without_a_document_type_but_with_extra_cells_is_reported() -> None:
    rows = [
        ["Process", "Aktivitet", "Handlingstyp", "Bevaras/Gallras", "Ansvarig"],
        ["1.1 Ekonomi", "Betala", "Faktura", "Bevaras", ""],
        ["", "", "", "", "Ekonomichef"],
    ]

    plan = read_plan(_csv(rows), filename="plan.csv")

    assert [(w.row, w.columns) for w in plan.warnings] == [(3, ["Ansvarig"])]
    assert "Ekonomichef" in plan.warnings[0].message


@pytest.mark.django_db
def test_new_fields_are_stored_and_read_back(torsby: Any) -> None:
    from insyn.core.permissions import SYSTEM
    from insyn.records.selectors import plan_data
    from insyn.records.services import plan_import

    header, row = EXTRA_COLUMNS
    row = ["1 Styrning", "1.1 Ekonomi", row[0], "1.1.1 Betala", *row[2:]]
    data = read_plan(_csv([["Verksamhetsområde", "Processgrupp", *header], row]), filename="plan.csv")
    data.areas[0].groups[0].processes[0].activities[0].document_types[0].retention_sources = {"Gallras": "X"}
    plan = plan_import(actor=SYSTEM, organisation=torsby.board, data=data).plan

    assert plan_data(plan).to_dict()["areas"] == data.to_dict()["areas"]


# -- property: any file, any extra columns, nothing lost -----------------------------------------

_KNOWN = {  # field → labels real plans use for it (all aliases)
    "name": ["Handlingstyp", "Handling", "Handlingsslag"],
    "remarks": ["Anmärkning", "Kommentar", "Anmärkningar"],
    "legal_reference": ["Lagrum"],
    "reference_code": ["ID dok", "Dok-id", "Referens", "Nr"],
    "disposal_authority": ["Gallringsföreskrift", "Gallringsbeslut", "Hänvisning till gallringsbeslut"],
    "secrecy": ["Sekretess", "Sekretessbestämmelse", "Sekretess OSL"],
    "sorting": ["Sorteringsform", "Sortering"],
    "archival_format": ["Format vid arkivering", "Arkivformat"],
}
_RULE_LAYOUTS = [
    ["Bevaras/Gallras"],
    ["Bevaras", "Gallras", "Gallringsfrist"],
    ["Bevaras/Gallras", "Gallringsfrist"],
    ["Gallras"],
    ["Gallras efter", "Bevaras, levereras till arkiv efter"],
]
_TEXT = st.text(
    alphabet=st.characters(categories=("L", "N", "Zs", "Po", "Ps", "Pe"), exclude_characters="<>#'\"\u2028\u2029"),
    min_size=1,
    max_size=12,
).filter(lambda text: text.strip() not in {"", "-"} and normalize(text) not in ALIASES and text.strip() == text)
_LABEL = _TEXT.filter(lambda text: normalize(text) != "" and not text.startswith(SOURCE_PREFIX))


@st.composite
def _sheet(draw: Any) -> list[list[str]]:
    others = sorted(key for key in _KNOWN if key != "name")
    fields = ["name", *draw(st.lists(st.sampled_from(others), unique=True, max_size=4))]
    known = [draw(st.sampled_from(_KNOWN[key])) for key in fields]
    rule = draw(st.sampled_from(_RULE_LAYOUTS))
    extra = draw(st.lists(_LABEL, max_size=3))
    labels = known + rule + extra
    order = draw(st.permutations(range(len(labels))))
    header = ["Process", "Aktivitet", *(labels[i] for i in order)]
    count = draw(st.integers(min_value=1, max_value=3))
    rows = [header]
    for _ in range(count):
        cells = [draw(_TEXT) if draw(st.booleans()) else "" for _ in order]
        name_at = header.index(known[0]) - 2
        cells[name_at] = draw(_TEXT)
        beyond = [draw(_TEXT)] if draw(st.booleans()) else []
        rows.append(["1.1 Styra", "Registrera", *cells, *beyond])
    return rows


def _found(cells: set[str], plan: PlanData) -> set[str]:
    """The cells whose text is nowhere in the plan (a rule cell may sit inside "Gallras <cell>")."""
    texts = _texts(plan.to_dict())
    return {cell for cell in cells if cell not in texts and not any(cell in text for text in texts)}


def _texts(value: Any) -> set[str]:
    if isinstance(value, dict):
        return {text for item in value.values() for text in _texts(item)}
    if isinstance(value, list):
        return {text for item in value for text in _texts(item)}
    return {value} if isinstance(value, str) else set()


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet=_sheet(), source=st.sampled_from(["csv", "xlsx"]))
def test_every_cell_survives_import_export_and_reimport_in_every_format(sheet: list[list[str]], source: str) -> None:
    write = _csv if source == "csv" else _xlsx
    assert match_header(sheet[0]) is not None
    first = read_plan(write(sheet), filename=f"plan.{source}")
    cells = {cell for row in sheet[1:] for cell in row[2:] if cell}

    assert _found(cells, first) == set()
    for fmt in ("csv", "xlsx", "ods", "json"):
        again = read_plan(getattr(exporters, f"export_{fmt}")(first), filename=f"plan.{fmt}")
        assert again.to_dict() == first.to_dict(), fmt
        assert _found(cells, again) == set(), fmt


def test_a_single_mark_column_keeps_the_mark_in_the_rule_text() -> None:
    rows = [
        ["Process", "Aktivitet", "Handlingstyp", "Gallras"],
        ["1.1 Ekonomi", "Betala", "Faktura", "Nej"],
        ["", "", "Kvitto", "Ja"],
        ["", "", "Påminnelse", "efter 1 år"],
    ]

    invoice, receipt, reminder = read_plan(_csv(rows), filename="plan.csv").document_types()

    assert (invoice.retention_text, invoice.retention.action) == ("Gallras: Nej", "retain")
    assert (receipt.retention_text, receipt.retention.action) == ("Gallras: Ja", "unclear")  # not when
    assert (reminder.retention_text, reminder.retention.period) == ("Gallras efter 1 år", "P1Y")


@pytest.mark.django_db
def test_frozen_plan_triggers_are_back_after_the_migration_that_adds_the_new_columns() -> None:
    from django.db import connection

    from insyn.core.db_triggers import sqlite_triggers

    if connection.vendor != "sqlite":
        pytest.skip("SQLite rebuilds the table to add a column; PostgreSQL adds it in place")
    names = {name for name, _ in sqlite_triggers(connection)}
    for table in ("records_documenttype", "records_documenttype_it_systems", "records_unclearruleconfirmation"):
        assert {f"{table}_frozen_{op}" for op in ("insert", "update", "delete")} <= names


def test_versions_of_an_unnumbered_plan_are_compared_by_process_name_and_extra_cell() -> None:
    """Processes without codes must not collapse into one key, and an other column's change is named by its label."""
    from django.utils import translation

    from insyn.records.diff import plan_diff
    from insyn.records.plandata import ActivityData, AreaData, DocumentTypeData, GroupData, PlanData, ProcessData

    def plan(extra: str) -> PlanData:
        processes = [
            ProcessData(
                "", name, activities=[ActivityData("", [DocumentTypeData("Protokoll", extra={"Ansvarig": extra})])]
            )
            for name in ("Nämndadministration", "Upphandling")
        ]
        return PlanData(title="Plan", areas=[AreaData("", "", groups=[GroupData("", "", processes=processes)])])

    old, new = plan("Nämndsekreterare"), plan("Registrator")
    new.areas[0].groups[0].processes[1].activities[0].document_types.append(DocumentTypeData("Anbud"))
    diff = plan_diff(old, new)
    assert diff.added == [("Upphandling", "", "Anbud")]
    assert {change.key for change in diff.changed} == {
        ("Nämndadministration", "", "Protokoll"),
        ("Upphandling", "", "Protokoll"),
    }
    with translation.override("sv"):
        labelled = diff.changed[0].labelled()
    assert labelled == [("Övriga kolumner: Ansvarig", "Nämndsekreterare", "Registrator")]
