"""Review finding 6: the register import dropped data without a word: every sheet after the first register
sheet, the end of long processor/recipient/system texts, and the rest of a DPIA cell after its need."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.utils import translation
from openpyxl import Workbook

from insyn.privacy.importing import read_register

HEADINGS = [
    "Behandlingsaktivitet",
    "Ändamål med behandlingen",
    "Rättslig grund",
    "Lagrum",
    "Personuppgiftsbiträden",
    "Mottagare",
    "IT-system",
    "Konsekvensbedömning",
]
# The rows of seed 003 (Södertälje KS) as a committee's sheet; BUN's as a second one.
KS_ROW = ["Administrera ekonomi", "Fakturering, autogiro.", "Rättslig förpliktelse", "", "", "", "", ""]
BUN_ROW = ["Elevregister", "Skolans administration.", "Allmänt intresse", "Skollagen (2010:800)", "", "", "", ""]


def _xlsx(sheets: dict[str, list[list[str]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _read(sheets: dict[str, list[list[str]]]) -> Any:
    with translation.override("en"):
        return read_register(_xlsx(sheets), filename="register.xlsx")


def _row(**cells: str) -> list[str]:
    row = list(KS_ROW)
    for heading, text in cells.items():
        row[HEADINGS.index(heading.replace("_", " "))] = text
    return row


def test_every_sheet_with_a_header_is_read_and_a_sheet_without_one_is_named() -> None:
    result = _read(
        {
            "Instruktioner": [["Fyll i en rad per behandling."], ["Kontakta dataskyddsombudet vid frågor."]],
            "KS": [HEADINGS, KS_ROW],
            "BUN": [["Barn- och utbildningsnämnden"], HEADINGS, BUN_ROW],
        }
    )
    assert [(item.sheet, item.row, item.data["name"]) for item in result.activities] == [
        ("KS", 2, "Administrera ekonomi"),
        ("BUN", 3, "Elevregister"),
    ]
    assert result.sheets == ["KS", "BUN"]
    assert [item["sheet"] for item in result.preview()["activities"]] == ["KS", "BUN"]
    skipped = [p for p in result.problems if p.code == "sheet_not_read"]
    assert [(p.sheet, p.row) for p in skipped] == [("Instruktioner", 1)]
    assert "2 filled rows were not imported" in skipped[0].message


def test_a_problem_on_a_later_sheet_names_that_sheet() -> None:
    result = _read({"KS": [HEADINGS, KS_ROW], "BUN": [HEADINGS, _row(Rättslig_grund="")]})
    missing = [p for p in result.problems if p.code == "legal_basis_missing"]
    assert [(p.sheet, p.row, p.column) for p in missing] == [("BUN", 2, "Rättslig grund")]


@pytest.mark.parametrize(
    ("heading", "limit"),
    [("Personuppgiftsbiträden", 300), ("Mottagare", 300), ("IT-system", 500)],
)
def test_a_text_cut_to_fit_is_kept_whole_in_extra_with_a_located_problem(heading: str, limit: int) -> None:
    long = "Kommunens leverantör av " + "verksamhetssystem och drift " * 25
    assert len(long) > limit
    result = _read({"KS": [HEADINGS, _row(**{heading.replace(" ", "_"): long.strip()})]})
    activity = result.activities[0].data
    assert activity["extra"][heading] == long.strip()
    cut = [p for p in result.problems if p.code == "text_cut"]
    assert [(p.sheet, p.row, p.column) for p in cut] == [("KS", 2, heading)]
    stored = {
        "Personuppgiftsbiträden": lambda: activity["processors"][0]["name"],
        "Mottagare": lambda: activity["recipients"][0]["name"],
        "IT-system": lambda: activity["systems_text"],
    }[heading]()
    assert len(stored) == limit and long.startswith(stored)


def test_a_dpia_cell_with_more_than_its_need_is_kept_whole() -> None:
    cell = "Ja, gjord 2023 dnr KS 2023/12"
    result = _read({"KS": [HEADINGS, _row(Konsekvensbedömning=cell)]})
    activity = result.activities[0].data
    assert activity["dpia"] == {"need": "done"}
    assert activity["extra"]["Konsekvensbedömning"] == cell
    partly = [p for p in result.problems if p.code == "partly_read"]
    assert [(p.sheet, p.row, p.column) for p in partly] == [("KS", 2, "Konsekvensbedömning")]
    assert cell in partly[0].message


def test_a_dpia_cell_that_is_only_its_need_adds_nothing() -> None:
    result = _read({"KS": [HEADINGS, _row(Konsekvensbedömning="Nej")]})
    activity = result.activities[0].data
    assert activity["dpia"] == {"need": "not_needed"} and "extra" not in activity
    assert not [p for p in result.problems if p.code in {"partly_read", "text_cut"}]


def test_an_unread_dpia_cell_is_reported_not_only_kept() -> None:
    result = _read({"KS": [HEADINGS, _row(Konsekvensbedömning="Se bilaga 4")]})
    assert result.activities[0].data["extra"]["Konsekvensbedömning"] == "Se bilaga 4"
    assert [(p.code, p.column) for p in result.problems] == [("partly_read", "Konsekvensbedömning")]


def test_a_law_reference_without_a_basis_read_is_kept_and_reported() -> None:
    result = _read({"KS": [HEADINGS, _row(Rättslig_grund="Se nedan", Lagrum="Kommunallagen (2017:725)")]})
    activity = result.activities[0].data
    assert activity["legal_bases"] == []
    assert activity["extra"]["Lagrum"] == "Kommunallagen (2017:725)"
    assert ("partly_read", "Lagrum") in [(p.code, p.column) for p in result.problems]


def test_a_law_reference_longer_than_a_basis_holds_is_kept_whole() -> None:
    law = "Skollagen (2010:800) 29 kap. 14 §, " * 20
    result = _read({"KS": [HEADINGS, _row(Lagrum=law.strip())]})
    activity = result.activities[0].data
    assert len(activity["legal_bases"][0]["reference"]) == 500
    assert activity["extra"]["Lagrum"] == law.strip()
    assert [(p.code, p.column) for p in result.problems] == [("text_cut", "Lagrum")]


def test_an_owning_unit_longer_than_its_field_is_kept_whole() -> None:
    unit = "Kommunledningsförvaltningen, " * 10
    headings = [*HEADINGS, "Ansvarig enhet"]
    result = _read({"KS": [headings, [*KS_ROW, unit.strip()]]})
    activity = result.activities[0].data
    assert len(activity["owning_unit"]) == 200
    assert activity["extra"]["Ansvarig enhet"] == unit.strip()
