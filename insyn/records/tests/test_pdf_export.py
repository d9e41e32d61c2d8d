"""The PDF export (issue #3): a PDF/A file laid out like a real plan, one table per process."""

from __future__ import annotations

import copy
import datetime
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from pypdf import PdfReader

from insyn.records.exporters.pdf import export_pdf
from insyn.records.plandata import (
    ActivityData,
    AreaData,
    DocumentTypeData,
    GroupData,
    PlanData,
    ProcessData,
    RetentionData,
    RevisionData,
)

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
PRINTED_ON = datetime.date(2025, 3, 4)
LONG_REMARK = (
    "Inlägg som genererar ett ärende förs över till ärendehanteringssystemet hos den nämnd som ansvarar för kontot. "
    "Ögonblicksbild av kontot tas två gånger per år samt vid varje större förändring. Frågor och svar av enklare "
    "karaktär kan gallras vid inaktualitet med stöd av beslut i kommunfullmäktige 2004-05-27 § 44."
)


@pytest.fixture(scope="module", autouse=True)
def _records_templates() -> Iterator[None]:
    # Until `insyn.records` is in INSTALLED_APPS, APP_DIRS misses its templates; adding the folder stays harmless after.
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], TEMPLATES_DIR]
    with override_settings(TEMPLATES=templates):
        yield


def _plan(*, classification: str = "sv", adopted_on: str | None = "2024-06-17") -> PlanData:
    def row(name: str, **values: str) -> DocumentTypeData:
        return DocumentTypeData(name=name, **values)

    leda = ProcessData(
        code="2.9.2.0",
        name="Leda, styra, organisera",
        description="Exempelvis riktlinjer för hantering av sociala medier.",
        activities=[
            ActivityData(
                name="Hantera riktlinjer m.m.",
                document_types=[
                    row(
                        "Riktlinjer för användning av sociala medier",
                        analog_format="Papper",
                        analog_storage="Diarieförda handlingar",
                        digital_format="PDF",
                        digital_storage="W3D3",
                        retention_text="Bevaras",
                        archival_format="Papper/digital",
                    ),
                    row(
                        "Handlingsplan för sociala medier",
                        analog_format="Papper",
                        analog_storage="Tjänstemans rum",
                        retention_text="Bevaras",
                        archival_format="Papper",
                        remarks="Skickas ifylld till informationsstrategen.",
                    ),
                ],
            ),
        ],
    )
    publicera = ProcessData(
        code="2.9.2.3",
        name="Publicera på sociala medier",
        activities=[
            ActivityData(
                name="Publicera information på sociala medier",
                document_types=[
                    row(
                        "Inlägg på Facebook, Instagram och X",
                        digital_storage="Server",
                        retention_text="Bevaras, se anmärkning",
                        archival_format="Digital",
                        remarks=LONG_REMARK,
                    ),
                    row(
                        "Kränkande meddelanden på sociala medier",
                        analog_format="Papper",
                        digital_format="PDF",
                        digital_storage="Ärendehanteringssystem",
                        retention_text="Bevaras",
                    ),
                ],
            ),
            ActivityData(
                name="Współpraca z urzędem gminy",
                document_types=[
                    row("Korespondencja dotycząca współpracy – źródła, żądania", retention_text="Gallras efter 2 år"),
                    row("Zgłoszenie błędu ÅÄÖ åäö łęż", retention_text="Gallras vid inaktualitet"),
                ],
            ),
        ],
    )
    return PlanData(
        title="Stödprocesser i Torsby kommun",
        organisation="Kommunstyrelsen i Torsby kommun",
        adopted_by="Kommunstyrelsen",
        adopted_on=adopted_on,
        paragraph="208",
        version="3.2",
        status="adopted" if adopted_on else "draft",
        scope="2.9 Information och marknadsföring – 2.9.2 Informationsförsörjning",
        classification=classification,
        revisions=[RevisionData(date="2025-01-20", paragraph="§ 12", description="Ny process 2.9.2.3", version="3.2")],
        areas=[
            AreaData(
                code="2.9",
                name="Information och marknadsföring",
                description="Det operativa arbetet med att producera och publicera information.",
                groups=[GroupData(code="2.9.2", name="Informationsförsörjning", processes=[leda, publicera])],
            )
        ],
    )


def _pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def _normalised(text: str) -> str:
    """Undo line wrapping: join words hyphenated at a line end (U+2010 HYPHEN), collapse whitespace."""
    return re.sub(r"\s+", " ", re.sub(r"\u2010\s+", "", text)).strip()


@pytest.fixture(scope="module")
def plan_pdf() -> bytes:
    return export_pdf(_plan(), generated_on=PRINTED_ON)


def test_export_is_a_pdf_that_opens(plan_pdf: bytes) -> None:
    assert plan_pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(plan_pdf))
    assert len(reader.pages) >= 1


def test_export_declares_pdfa_2b_in_its_xmp_metadata(plan_pdf: bytes) -> None:
    xmp = PdfReader(io.BytesIO(plan_pdf)).xmp_metadata
    assert xmp is not None
    assert xmp.pdfaid_part == "2"
    assert xmp.pdfaid_conformance == "B"


def test_export_carries_title_author_language_and_creation_date(plan_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(plan_pdf))
    assert reader.metadata is not None
    assert "Stödprocesser i Torsby kommun" in str(reader.metadata.title)
    assert reader.metadata.author == "Kommunstyrelsen i Torsby kommun"
    assert reader.trailer["/Root"]["/Lang"] == "sv"
    assert reader.xmp_metadata is not None
    created = reader.xmp_metadata.xmp_create_date
    assert created is not None
    assert created.date() == PRINTED_ON


def test_language_is_declared_as_the_one_rendered() -> None:
    reader = PdfReader(io.BytesIO(export_pdf(_plan(), generated_on=PRINTED_ON, language="pl")))
    assert reader.trailer["/Root"]["/Lang"] == "pl"


def test_text_contains_every_document_type_name(plan_pdf: bytes) -> None:
    text = _normalised(" ".join(_pages_text(plan_pdf)))
    names = [row.name for row in _plan().document_types()]
    assert len(names) == 6
    for name in names:
        assert _normalised(name) in text


def test_text_contains_headings_adoption_and_the_whole_long_remark(plan_pdf: bytes) -> None:
    text = _normalised(" ".join(_pages_text(plan_pdf)))
    assert "2.9.2.0 Leda, styra, organisera" in text
    assert "2.9.2.3 Publicera på sociala medier" in text
    assert "Kommunstyrelsen, 2024-06-17 § 208" in text
    assert "2025-01-20 § 12" in text
    # The long remark wraps over several lines (and is hyphenated): every word is still printed, in order.
    assert LONG_REMARK in text


def test_every_page_footer_has_version_adoption_date_and_print_date(plan_pdf: bytes) -> None:
    for page_text in _pages_text(plan_pdf):
        footer = _normalised(page_text)
        assert "Version 3.2 · 2024-06-17" in footer
        assert PRINTED_ON.isoformat() in footer


def test_draft_plan_says_draft_in_footer_instead_of_adoption_date() -> None:
    pdf = export_pdf(_plan(adopted_on=None), generated_on=PRINTED_ON, language="sv")
    first_page = _normalised(_pages_text(pdf)[0])
    assert "Version 3.2 · Utkast" in first_page
    # The adoption box does not print the organ and paragraph as if the draft had been adopted.
    assert "§ 208" not in first_page


def test_empty_cells_print_a_dash_like_the_paper_plan(plan_pdf: bytes) -> None:
    text = _normalised(" ".join(_pages_text(plan_pdf)))
    # Zgłoszenie błędu …: no format, storage or archival format; only the retention text is set.
    assert "Zgłoszenie błędu ÅÄÖ åäö łęż - - - - Gallras vid inaktualitet -" in text


def test_retention_is_printed_as_written_not_as_the_structured_rule() -> None:
    plan = _plan()
    row = plan.document_types()[0]
    row.retention_text = "Gallras två år efter ärendets avslut"
    row.retention = RetentionData(action="dispose", period="P2Y", trigger="case_closed")
    text = _normalised(" ".join(_pages_text(export_pdf(plan, generated_on=PRINTED_ON))))
    assert "Gallras två år efter ärendets avslut" in text
    assert "P2Y" not in text
    assert "case_closed" not in text


def test_text_from_the_plan_is_printed_literally_not_as_markup() -> None:
    plan = _plan()
    plan.document_types()[0].name = "Avtal <b>med</b> leverantör & ombud"
    text = _normalised(" ".join(_pages_text(export_pdf(plan, generated_on=PRINTED_ON))))
    assert "Avtal <b>med</b> leverantör & ombud" in text


def test_labels_follow_the_language_and_jrwa_plans_show_symbol_and_archival_category() -> None:
    swedish = _normalised(" ".join(_pages_text(export_pdf(_plan(), generated_on=PRINTED_ON, language="en"))))
    assert "Activity" in swedish
    assert "Retain/Dispose" in swedish
    assert "Archival category" not in swedish

    jrwa = _normalised(
        " ".join(_pages_text(export_pdf(_plan(classification="jrwa"), generated_on=PRINTED_ON, language="en")))
    )
    assert "Symbol" in jrwa
    assert "Archival category" in jrwa
    assert "Retain/Dispose" not in jrwa


def test_long_plan_spans_several_pages_numbered_page_x_of_n() -> None:
    plan = _plan()
    process = plan.areas[0].groups[0].processes[0]
    process.activities = [
        ActivityData(
            name=f"Aktywność {activity}",
            document_types=[
                DocumentTypeData(
                    name=f"Handlingstyp {activity}.{number} – żółć",
                    analog_format="Papper",
                    digital_storage="Ärendehanteringssystem",
                    retention_text="Gallras efter 2 år",
                    remarks="Sparas i pärm." if number % 3 else LONG_REMARK,
                )
                for number in range(10)
            ],
        )
        for activity in range(30)
    ]
    assert len(plan.document_types()) == 300 + 4

    pages = [_normalised(text) for text in _pages_text(export_pdf(plan, generated_on=PRINTED_ON, language="en"))]

    total = len(pages)
    assert total >= 5
    assert f"Page 1 of {total}" in pages[0]
    assert f"Page {total} of {total}" in pages[-1]
    # The table header is repeated on every page the process table runs over.
    assert all("Document type" in page for page in pages[1:-1])


def test_typst_markup_in_the_plan_is_printed_as_written_and_never_run() -> None:
    # The layout is Typst: its markup (`#` code, `*strong*`, `$math$`, `<label>`, `@ref`) in the plan's text
    # must print as written. The text is handed over as JSON string data, never spliced into the markup.
    hostile = '#read("/etc/passwd") *fett* $x^2$ <etikett> @ref `rå` \\ ]) #panic("injected")'
    plan = _plan()
    plan.document_types()[0].name = hostile
    plan.document_types()[1].remarks = 'Slut på sträng"); #panic("x")'
    plan.title = "#sys.version"
    text = _normalised(" ".join(_pages_text(export_pdf(plan, generated_on=PRINTED_ON))))
    assert _normalised(hostile) in text
    assert 'Slut på sträng"); #panic("x")' in text
    assert "#sys.version" in text
    assert "root:" not in text
