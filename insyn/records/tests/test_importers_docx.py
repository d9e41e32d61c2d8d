"""Importers: a plan written in Word, laid out as the Torsby plan is (no database)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from docx import Document

from insyn.records.importers import read_plan
from insyn.records.importers.docx import read_docx
from insyn.records.plandata import PlanFileError, RetentionData


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Error messages are read in English here; the product speaks Swedish first (see test_import_structure)."""
    with translation.override("en"):
        yield


HEADER = ["Aktivitet", "Handlingstyp", "Format", "Förvaring", "Format", "Förvaring", "Bevaras/Gallras"]
HEADER += ["Format vid arkivering", "Anmärkning"]


def _fill(table: Any, row: int, values: list[str]) -> None:
    for column, value in enumerate(values):
        if value:
            table.cell(row, column).text = value


def _torsby_docx(*, broken_heading: bool = False, extra_cell: bool = False) -> bytes:
    document = Document()
    document.add_paragraph("Dokumenthanteringsplan")
    document.add_paragraph("Stödprocesser i Torsby kommun")
    document.add_paragraph("2.9 Information och marknadsföring – 2.9.2 Informationsförsörjning")

    adoption = document.add_table(rows=2, cols=2)
    _fill(adoption, 0, ["Antagen av, datum och paragraf", "Version"])
    _fill(adoption, 1, ["Kommunstyrelsen, 2016-11-28 § 208", "1.0"])

    levels = document.add_table(rows=2, cols=2)
    _fill(levels, 0, ["Verksamhetsområde 2.9 Information och marknadsföring", "Beskrivning Att informera."])
    levels.cell(1, 0).text = "Processgrupp 2.9.2. Informationsförsörjning"
    description = levels.cell(1, 1).paragraphs[0]
    description.add_run("I processgruppen ingår följande processer: ")
    description.add_run("Publicera på extern webb").italic = True
    description.add_run(" Kommunens officiella webbplats. ")
    description.add_run("Hantera broschyrer").italic = True
    description.add_run(" Broschyrer trycks upp.")

    heading = "Processen Publicera på extern webb" if broken_heading else "Processen 2.9.2.1 Publicera på extern webb"
    document.add_paragraph(heading)
    web = document.add_table(rows=3, cols=9)
    web.cell(0, 2).merge(web.cell(0, 3)).text = "Analoga dokument"
    web.cell(0, 4).merge(web.cell(0, 5)).text = "Digitala dokument"
    _fill(web, 1, HEADER)
    _fill(web, 2, ["Publicera på extern webb", "Information på extern webb", "-", "-", "-", "Server"])
    _fill(web, 2, [""] * 6 + ["Bevaras, se anmärkning", "Digital", "Lagras en gång/år."])

    brochures = document.add_table(rows=4, cols=10 if extra_cell else 9)
    brochures.cell(0, 0).merge(brochures.cell(0, 8)).text = "Processen 2.9.2.5 Hantera broschyrer"
    _fill(brochures, 1, HEADER)
    brochures.cell(2, 0).merge(brochures.cell(3, 0)).text = "Hantera broschyrer"
    _fill(brochures, 2, ["", "Broschyr, informations-skrift m.m.", "Papper", "Tjänstemans rum", "-", "Server"])
    _fill(brochures, 2, [""] * 6 + ["Bevaras, se anmärkning", "Papper", "Ett ex bevaras."])
    _fill(brochures, 3, ["", "Affisch", "Papper", "Tjänstemans rum", "-", "-", "Gallras vid inaktualitet"])
    if extra_cell:
        brochures.cell(3, 9).text = "en cell för mycket"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_plan_written_by_the_test_imports_correctly() -> None:
    plan = read_plan(_torsby_docx(), filename="torsby.docx", parse=lambda text, lang: RetentionData(sampling=text))

    assert (plan.title, plan.scope) == ("Dokumenthanteringsplan", "Stödprocesser i Torsby kommun")
    assert (plan.adopted_by, plan.adopted_on, plan.paragraph, plan.version) == (
        "Kommunstyrelsen",
        "2016-11-28",
        "§ 208",
        "1.0",
    )
    [area] = plan.areas
    assert (area.code, area.name, area.description) == ("2.9", "Information och marknadsföring", "Att informera.")
    [group] = area.groups
    assert (group.code, group.name) == ("2.9.2", "Informationsförsörjning")
    assert group.description == "I processgruppen ingår följande processer:"
    assert [(p.code, p.name, p.description) for p in group.processes] == [
        ("2.9.2.1", "Publicera på extern webb", "Kommunens officiella webbplats."),
        ("2.9.2.5", "Hantera broschyrer", "Broschyrer trycks upp."),
    ]
    rows = [
        (
            (process.code, activity.name, row.name, row.analog_format, row.analog_storage, row.digital_format),
            (row.digital_storage, row.retention_text, row.archival_format, row.remarks, row.source_row),
        )
        for process in group.processes
        for activity in process.activities
        for row in activity.document_types
    ]
    assert rows == [
        (
            ("2.9.2.1", "Publicera på extern webb", "Information på extern webb", "", "", ""),
            ("Server", "Bevaras, se anmärkning", "Digital", "Lagras en gång/år.", 3),
        ),
        (
            ("2.9.2.5", "Hantera broschyrer", "Broschyr, informations-skrift m.m.", "Papper", "Tjänstemans rum", ""),
            ("Server", "Bevaras, se anmärkning", "Papper", "Ett ex bevaras.", 3),
        ),
        (
            ("2.9.2.5", "Hantera broschyrer", "Affisch", "Papper", "Tjänstemans rum", ""),
            ("", "Gallras vid inaktualitet", "", "", 4),
        ),
    ]
    assert [row.retention.sampling for row in plan.document_types() if row.retention] == [r[1][1] for r in rows]


def test_docx_process_heading_without_a_code_is_refused_naming_the_paragraph() -> None:
    with pytest.raises(PlanFileError, match="paragraph 4: heading") as caught:
        read_docx(_torsby_docx(broken_heading=True), file="torsby.docx")

    assert (caught.value.file, caught.value.row, caught.value.column) == ("torsby.docx", 4, "Process")


def test_docx_cell_beyond_the_header_is_kept_as_an_extra_column_named_by_its_letter() -> None:
    plan = read_docx(_torsby_docx(extra_cell=True), file="torsby.docx")

    poster = next(row for row in plan.document_types() if row.name == "Affisch")
    assert poster.extra == {"Kolumn J": "en cell för mycket"}


def test_a_file_that_is_not_a_docx_is_refused() -> None:
    with pytest.raises(PlanFileError, match="not a DOCX document") as caught:
        read_plan(b"not a zip", filename="plan.docx")

    assert caught.value.file == "plan.docx"
