"""Register exports: the SKR-layout spreadsheet reads back to the same activities; JSON; PDF/A."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from insyn.privacy.activity_data import RegisterData
from insyn.privacy.exporting import (
    export_json,
    export_ods,
    export_pdf,
    export_register_data,
    export_xlsx,
    register_rows,
)
from insyn.privacy.import_columns import EXPORT_COLUMNS, WARNINGS_COLUMN
from insyn.privacy.importing import KnownTerm, read_register

TERMS = [
    KnownTerm("subject_category", "se.fortroendevald", "Förtroendevald", "Elected official"),
    KnownTerm("subject_category", "employee", "Medarbetare", "Employee"),
    KnownTerm("data_category", "user.name", "Namn", "Name"),
    KnownTerm("data_category", "se.fackligt_medlemskap", "Facklig tillhörighet", "Trade-union membership"),
]


def _register() -> RegisterData:
    return {
        "controller": {"name": "Kommunstyrelsen", "municipality": "Södertälje kommun", "organisation_number": ""},
        "kind": "controller",
        "title": "Kommunstyrelsens registerförteckning",
        "version": 2,
        "status": "draft",
        "dpo": {"name": "Dataskyddsombudet", "email": "dso@example.se", "phone": ""},
        "contact": {"email": "ks@example.se", "address": ""},
        "activities": [
            {
                "name": "Förvalta IT och teknisk kommunikation",
                "purposes": ["Administrera e-kommunikation.", "Förvalta IT-system."],
                "legal_bases": [{"article": "6.1.e", "reference": "KL 6 kap."}],
                "data_subject_categories": [{"key": "employee", "label": "Medarbetare"}],
                "personal_data_categories": [
                    {"key": "user.name", "label": "Namn", "special": None},
                    {"key": "se.fackligt_medlemskap", "label": "Facklig tillhörighet", "special": "art9"},
                ],
                "sources": ["internal", "subject"],
                "recipients": [{"kind": "category", "name": "Molntjänstleverantör"}],
                "transfers": [{"country": "US", "mechanism": "adequacy"}],
                "retention": {"text": "Loggar gallras efter 1 månad.", "rules": [], "document_types": []},
                "systems": [{"name": "W3D3"}],
                "extra": {"Riskbedömning": "Låg"},
                "warnings": [
                    {"code": "art9_without_condition", "message": "Art. 9 data without a condition", "field": "data"}
                ],
            },
            {
                "name": "Bildbank",
                "purposes": ["Hantera bildbank."],
                "legal_bases": [
                    {"article": "6.1.e", "reference": ""},
                    {"article": "6.1.a", "reference": "", "withdrawal_route": ""},
                ],
                "data_subject_categories": [{"key": "se.fortroendevald", "label": "Förtroendevald"}],
                "personal_data_categories": [{"key": "user.name", "label": "Namn", "special": None}],
                "retention": {"text": "Bevaras"},
                "warnings": [],
            },
        ],
        "warnings": [],
    }


def _by_name(result: Any) -> dict[str, Any]:
    return {item.data["name"]: item.data for item in result.activities}


@pytest.mark.parametrize(("fmt", "writer"), [("xlsx", export_xlsx), ("ods", export_ods)])
def test_the_spreadsheet_reads_back_to_the_same_activities(fmt: str, writer: Any) -> None:
    result = read_register(writer(_register()), filename=f"register.{fmt}", terms=TERMS)
    assert result.sheet == "Registerförteckning"
    activities = _by_name(result)
    it = activities["Förvalta IT och teknisk kommunikation"]
    assert [(b["article"], b["reference"]) for b in it["legal_bases"]] == [("6.1.e", "KL 6 kap.")]
    assert [c["key"] for c in it["personal_data_categories"]] == ["user.name", "se.fackligt_medlemskap"]
    assert [(t["country"], t["mechanism"]) for t in it["transfers"]] == [("US", "adequacy")]
    assert it["sources"] == ["subject", "internal"]
    assert it["purposes"] == ["Administrera e-kommunikation.", "Förvalta IT-system."]
    assert it["extra"]["Riskbedömning"] == "Låg"  # the file's own column survives the round trip
    assert [b["article"] for b in activities["Bildbank"]["legal_bases"]] == ["6.1.e", "6.1.a"]
    assert activities["Bildbank"]["transfers"] == []
    assert result.new_terms == []


def test_the_sheet_has_the_template_columns_and_a_warnings_column() -> None:
    rows = register_rows(_register())
    assert rows[0][: len(EXPORT_COLUMNS)] == [label for _key, label in EXPORT_COLUMNS]
    assert rows[0][-1] == WARNINGS_COLUMN
    assert rows[1][-1] == "art9_without_condition: Art. 9 data without a condition"
    assert rows[1][rows[0].index("Känsliga personuppgifter")] == "Facklig tillhörighet"
    assert rows[2][rows[0].index("Rättslig grund")] == "Allmänt intresse och Samtycke"


def test_xlsx_has_a_warnings_sheet_and_writes_no_formula() -> None:
    from openpyxl import load_workbook

    data = _register()
    data["activities"][1]["name"] = '=HYPERLINK("http://evil")'
    workbook = load_workbook(io.BytesIO(export_xlsx(data)))
    assert workbook.sheetnames == ["Registerförteckning", "Varningar", "Register"]
    warnings = list(workbook["Varningar"].iter_rows(values_only=True))
    assert warnings[1][:2] == ("Förvalta IT och teknisk kommunikation", "art9_without_condition")
    cell = workbook["Registerförteckning"]["A3"]
    assert cell.data_type == "s"


def test_json_holds_the_item_12_keys_and_a_fideslang_system() -> None:
    document = json.loads(export_json(_register()))
    activity = document["activities"][0]
    for key in (
        "name",
        "purposes",
        "legal_bases",
        "data_subject_categories",
        "personal_data_categories",
        "retention",
        "transfers",
        "warnings",
    ):
        assert key in activity
    system = document["fideslang"]["system"][0]
    assert system["fides_key"] == "sodertalje_kommun_kommunstyrelsen"
    declaration = system["privacy_declarations"][0]
    assert declaration["data_categories"] == ["user.name", "se.fackligt_medlemskap"]
    assert declaration["data_subjects"] == ["employee"]


def test_pdf_is_pdf_a() -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(export_pdf(_register(), language="en")))
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "B")
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Förvalta IT och teknisk kommunikation" in text
    assert "art9_without_condition" in text


def test_an_unknown_format_is_refused() -> None:
    from insyn.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed):
        export_register_data(_register(), "docx")


def test_ods_is_a_valid_opendocument() -> None:
    with zipfile.ZipFile(io.BytesIO(export_ods(_register()))) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
