"""Reading register files into ActivityData: real registers' headings and phrases, nothing dropped, hostile files."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from insyn.core.exceptions import ImportLimitExceeded, UnsafeImportFile
from insyn.privacy.import_columns import field_of, legal_bases_of, match_header, split_items, transfers_of
from insyn.privacy.importing import KnownTerm, RegisterFileError, read_register

FIXTURES = Path(__file__).parent / "fixtures"
SEED_CSV = FIXTURES / "sodertalje_ks_register_excerpt.csv"
TERMS = [
    KnownTerm("subject_category", "employee", "Medarbetare", "Employee"),
    KnownTerm("subject_category", "se.fortroendevald", "Förtroendevald", "Elected official"),
    KnownTerm("data_category", "user.name", "Namn", "Name"),
    KnownTerm("data_category", "se.personnummer", "Personnummer", "Personal identity number"),
    KnownTerm("data_category", "se.uppgift_om_halsa", "Uppgift om hälsa", "Health data"),
    KnownTerm("data_category", "user.contact", "Kontaktuppgifter", "Contact details"),
]


def _seed() -> object:
    return read_register(SEED_CSV.read_bytes(), filename=SEED_CSV.name, terms=TERMS)


def _articles(activity: dict) -> list[str]:
    return [basis["article"] for basis in activity["legal_bases"]]


def test_seed_003_layout_reads_every_row_as_an_activity() -> None:
    result = _seed()
    assert result.header_row == 2  # the title row above the headings is not a heading
    names = [item.data["name"] for item in result.activities]
    assert names == [
        "Administrera ekonomi",
        "Bildbank för kommunens kommunikationsmaterial",
        "Bildbank för kommunens kommunikationsmaterial",
        "Förvalta IT och teknisk kommunikation",
        "Hantering av färdtjänst",
        "Hantera tillgänglighet till kommunens lokaler",
    ]
    assert [field for _label, field in result.columns] == [
        "name",
        "purposes",
        "subjects",
        "data",
        "legal_basis",
        "retention",
        "recipients",
        "sources",
        "transfers",
    ]
    assert result.extra_labels == []


def test_legal_bases_of_the_seed_rows_become_articles() -> None:
    result = _seed()
    by_row = {item.row: item.data for item in result.activities}
    assert _articles(by_row[3]) == ["6.1.c"]  # Rättslig förpliktelse
    assert _articles(by_row[4]) == ["6.1.f"]  # "Intresseav-vägning", broken over a line
    assert _articles(by_row[5]) == ["6.1.a"]
    assert _articles(by_row[6]) == ["6.1.e"]
    assert _articles(by_row[8]) == ["6.1.b"]  # the access badges: Avtal
    assert by_row[4]["legal_basis_text"] == "Intresseav-vägning"


def test_a_merged_name_cell_takes_the_name_above_and_says_so() -> None:
    result = _seed()
    problem = next(p for p in result.problems if p.code == "name_from_row_above")
    assert (problem.file, problem.row, problem.column) == (SEED_CSV.name, 5, "Behandlingsaktivitet")


def test_transfer_column_nej_is_none_and_a_country_with_adequacy_is_read() -> None:
    result = _seed()
    by_row = {item.row: item.data for item in result.activities}
    assert by_row[3]["transfers"] == []
    transfers = by_row[6]["transfers"]
    assert [(t["country"], t["mechanism"]) for t in transfers] == [("US", "adequacy")]


def test_terms_are_matched_by_label_and_the_rest_listed_as_new() -> None:
    result = _seed()
    fardtjanst = next(item.data for item in result.activities if item.data["name"] == "Hantering av färdtjänst")
    keys = [item["key"] for item in fardtjanst["personal_data_categories"]]
    assert keys == ["se.personnummer", "user.contact", "se.uppgift_om_halsa", "local.personliga_forhallanden"]
    new = {(term.kind, term.key): term for term in result.new_terms}
    assert new[("data_category", "local.personliga_forhallanden")].label_sv == "Personliga förhållanden"
    assert new[("data_category", "local.personliga_forhallanden")].rows == [7]
    it = next(item.data for item in result.activities if item.data["name"].startswith("Förvalta IT"))
    assert "local.medlemskap_i_fackforening" in [item["key"] for item in it["personal_data_categories"]]
    assert ("subject_category", "employee") not in new  # "Medarbetare" is the built-in term
    preview = result.preview()
    assert {"kind": "data_category", "key": "local.personliga_forhallanden"}.items() <= preview["new_terms"][
        [t["key"] for t in preview["new_terms"]].index("local.personliga_forhallanden")
    ].items()


def test_sources_and_recipients_are_structured_and_kept_as_written() -> None:
    ekonomi = _seed().activities[0].data
    assert ekonomi["sources"] == ["subject", "internal"]
    assert ekonomi["sources_text"] == "Genereras internt, Individen själv"
    assert [r["name"] for r in ekonomi["recipients"]] == ["Skatteverket", "Bolagsverket", "personuppgiftsbiträde"]
    assert ekonomi["retention"]["text"] == "Fakturaunderlag sparas 7 år i enlighet med Bokföringslagen."


def test_headings_of_a_published_register_are_recognised() -> None:
    headings = re.findall(r"^## (.+)$", (FIXTURES / "trygghetskollen_register_excerpt.md").read_text(), re.M)
    mapped = {heading: field_of(heading) for heading in headings}
    assert mapped == {
        "System": "systems",
        "Behandling": "name",
        "Ändamål med behandlingen": "purposes",
        "Rättslig grund för behandlingen": "legal_basis",
        "Kategorier av registrerade personer": "subjects",
        "Kategorier av personuppgifter": "data",
        # Not an Art. 30(1) field: an import keeps this column in `extra`.
        "Kategorier av tjänstemän med tillgång till personuppgifterna": None,
        "Kategorier av mottagare av personuppgifterna": "recipients",
        "Överföring av personuppgifter till tredje land": "transfers",
        "Tidsfrister för radering": "retention",
    }
    assert transfers_of("Ingen överföring till tredje land sker.") == ([], True)
    assert legal_bases_of("- Avtal\n- Samtycke")[0] == [
        {"article": "6.1.b", "reference": ""},
        {"article": "6.1.a", "reference": ""},
    ]


def test_headings_match_regardless_of_case_diacritics_and_language() -> None:
    for heading in (
        "RATTSLIG GRUND",
        "Laglig grund",
        "Legal basis",
        "rättslig grund:",
        "Laglig grund för behandlingen",
    ):
        assert field_of(heading) == "legal_basis", heading
    assert match_header(["Processing activity", "Purpose", "Lawful basis", "Data subjects"]) == {
        0: "name",
        1: "purposes",
        2: "legal_basis",
        3: "subjects",
    }
    assert match_header(["Ändamål", "Rättslig grund", "Mottagare"]) is None  # no activity column


def test_legal_basis_phrases_of_a_municipality_page() -> None:
    # Lilla Edets kommun's list of the bases (SOURCES.md), spelling as published.
    text = (
        "samtycke, avtal, intresseavvägning, rättlig förpliktelse, myndighetsutövning och uppgift av "
        "allmänt intresse och grundläggande intresse"
    )
    bases, unread = legal_bases_of(text)
    assert [basis["article"] for basis in bases] == ["6.1.a", "6.1.b", "6.1.f", "6.1.c", "6.1.e", "6.1.d"]
    assert unread == ""
    assert [b["article"] for b in legal_bases_of("Allmänt intresse och samtycke")[0]] == ["6.1.e", "6.1.a"]
    assert legal_bases_of("Allmänt intresse (personuppgiftsbiträdesavtal finns)")[0] == [
        {"article": "6.1.e", "reference": "personuppgiftsbiträdesavtal finns"}
    ]
    assert legal_bases_of("Myndighetsutövning", reference="SoL 4 kap. 1 §")[0] == [
        {"article": "6.1.e", "reference": "SoL 4 kap. 1 §"}
    ]


def test_transfer_mechanisms_are_read_from_the_text() -> None:
    assert transfers_of("Ja, Storbritannien och Indien, standardavtalsklausuler")[0] == [
        {
            "country": "GB",
            "mechanism": "sccs",
            "mechanism_reference": "Ja, Storbritannien och Indien, standardavtalsklausuler",
        },
        {
            "country": "IN",
            "mechanism": "sccs",
            "mechanism_reference": "Ja, Storbritannien och Indien, standardavtalsklausuler",
        },
    ]
    assert transfers_of("USA, BCR")[0][0]["mechanism"] == "bcrs"
    assert transfers_of("USA")[0][0]["mechanism"] == ""
    assert transfers_of("Ja") == ([], False)
    assert split_items("Personnummer (enskild firma), namn; e-post\ntelefon.") == [
        "Personnummer (enskild firma)",
        "namn",
        "e-post",
        "telefon",
    ]


def test_an_unmapped_column_goes_to_extra_and_the_preview_lists_it() -> None:
    csv = (
        "Behandlingsaktivitet;Ändamål;Rättslig grund;Riskbedömning;Överföring tredje land\n"
        "Lönehantering;Betala lön;Rättslig förpliktelse;Låg;USA\n"
    ).encode()
    result = read_register(csv, filename="lon.csv")
    activity = result.activities[0].data
    assert activity["extra"] == {"Riskbedömning": "Låg"}
    assert result.preview()["extra_columns"] == ["Riskbedömning"]
    problem = next(p for p in result.problems if p.code == "transfer_without_mechanism")
    assert (problem.row, problem.column) == (2, "Överföring tredje land")


def test_an_unreadable_transfer_is_kept_in_extra_with_a_located_problem() -> None:
    csv = "Behandling;Ändamål;Laglig grund;Tredjelandsöverföring\nX;Y;Avtal;Ja, molntjänst\n".encode()
    result = read_register(csv, filename="x.csv")
    assert result.activities[0].data["extra"] == {"Tredjelandsöverföring": "Ja, molntjänst"}
    assert [(p.code, p.row, p.column) for p in result.problems] == [("transfer_unread", 2, "Tredjelandsöverföring")]


def test_a_file_without_a_header_row_is_refused_naming_the_column() -> None:
    with translation.override("en"), pytest.raises(RegisterFileError) as caught:
        read_register(b"a;b;c\n1;2;3\n", filename="junk.csv")
    assert "junk.csv" in caught.value.message
    assert "no header row" in caught.value.message
    assert caught.value.detail["column"] == "Behandlingsaktivitet"


def test_too_many_rows_is_refused_before_anything_is_built(settings: object) -> None:
    settings.INSYN_IMPORT_MAX_ROWS = 3  # type: ignore[attr-defined]
    with pytest.raises(ImportLimitExceeded):
        read_register(SEED_CSV.read_bytes(), filename=SEED_CSV.name)


def test_a_zip_bomb_posing_as_xlsx_is_refused(settings: object) -> None:
    settings.INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES = 2 * 1024 * 1024  # type: ignore[attr-defined]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (8 * 1024 * 1024) + b"/>")
    with pytest.raises(ImportLimitExceeded):
        read_register(buffer.getvalue(), filename="bomb.xlsx")


def test_an_ods_with_a_dtd_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "content.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><office:document-content/>',
        )
    with pytest.raises(UnsafeImportFile):
        read_register(buffer.getvalue(), filename="evil.ods")


def test_a_file_that_is_no_spreadsheet_is_refused_cleanly() -> None:
    with translation.override("en"), pytest.raises(RegisterFileError) as caught:
        read_register(b"PK\x03\x04 not really a zip", filename="broken.xlsx")
    assert caught.value.message.startswith("broken.xlsx: not an XLSX workbook")
