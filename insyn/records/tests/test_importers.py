"""Importers: the Torsby seed as text, `read_plan` itself and JSON (no database, no parser results)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import pytest
from django.utils import translation

from insyn.records.exporters import export_json
from insyn.records.importers import SUPPORTED_FORMATS, detect_format, read_plan
from insyn.records.importers.columns import join_wrapped
from insyn.records.importers.text import read_text
from insyn.records.plandata import PlanData, PlanFileError, RetentionData
from insyn.records.tests.fixtures.sample_plans import FIXTURES, SEED_NAME, SHARED_SEED, rich_plan, seed_path
from insyn.records.tests.fixtures.seed_000_expected import REMARK_WEB, SEED_PROCESSES, SEED_ROWS


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Error messages are read in English here; the product speaks Swedish first (see test_import_structure)."""
    with translation.override("en"):
        yield


def _seed() -> bytes:
    return seed_path().read_bytes()


def _import_seed(text: str | None = None) -> PlanData:
    data = _seed() if text is None else text.encode("utf-8")
    return read_text(data, file=SEED_NAME)


def _seed_lines() -> list[str]:
    return _seed().decode("utf-8").split("\n")


def _flat_rows(plan: PlanData) -> list[tuple[object, ...]]:
    return [
        (
            process.code,
            activity.name,
            row.name,
            row.analog_format,
            row.analog_storage,
            row.digital_format,
            row.digital_storage,
            row.retention_text,
            row.archival_format,
            row.remarks,
            row.source_row,
        )
        for area in plan.areas
        for group in area.groups
        for process in group.processes
        for activity in process.activities
        for row in activity.document_types
    ]


def test_fixture_copy_of_the_seed_matches_the_shared_seed() -> None:
    if not SHARED_SEED.is_file():
        pytest.skip("../shared is not checked out here")
    assert (FIXTURES / SEED_NAME).read_bytes() == SHARED_SEED.read_bytes()


def test_seed_000_imports_thirteen_document_types_with_every_cell_as_in_the_source() -> None:
    plan = _import_seed()

    assert _flat_rows(plan) == SEED_ROWS
    for row in plan.document_types():
        assert (row.legal_reference, row.personal_data, row.retention) == ("", None, None)
        assert (row.sorting, row.delivery_deadline, row.original_or_copy) == ("", "", "")


def test_seed_000_gives_the_adoption_and_the_process_tree() -> None:
    plan = _import_seed()

    assert (plan.title, plan.scope) == ("Dokumenthanteringsplan", "Stödprocesser i Torsby kommun")
    assert (plan.organisation, plan.adopted_by, plan.adopted_on) == ("Kommunstyrelsen", "Kommunstyrelsen", "2016-11-28")
    assert (plan.paragraph, plan.version, plan.revisions, plan.classification) == ("§ 208", "1.0", [], "sv")
    [area] = plan.areas
    assert (area.code, area.name) == ("2.9", "Information och marknadsföring")
    assert area.description == (
        "Information och marknadsföring är det operativa arbetet med att producera och publicera information i "
        "Torsby kommun och tillhörande verksamheters namn. Processerna innefattar både kommunikation riktad mot "
        "interna och externa mottagare."
    )
    [group] = area.groups
    assert (group.code, group.name) == ("2.9.2", "Informationsförsörjning")
    assert group.description == "I processgruppen information och marknadsföring ingår följande processer:"
    assert [(p.code, p.name, p.description) for p in group.processes] == SEED_PROCESSES


def test_brochure_remark_joins_the_line_wrapped_after_an_empty_line() -> None:
    brochure = next(row for row in _import_seed().document_types() if row.name.startswith("Broschyr"))

    assert brochure.remarks.endswith("Mindre informationsskrifter bevaras i urval. Bevarandet sker kronologiskt.")


def test_wrapped_header_cell_format_vid_arkivering_still_maps_the_column() -> None:
    plan = _import_seed()
    intern = next(row for row in plan.document_types() if row.name == "Information på intern webb")

    assert (intern.archival_format, intern.remarks) == ("Digital", REMARK_WEB)


@pytest.mark.parametrize(
    ("first", "rest", "joined"),
    [
        ("Bevarandet sker", "kronologiskt.", "Bevarandet sker kronologiskt."),
        ("informations-", "skrift m.m.", "informations-skrift m.m."),
        ("Post-", "och telestyrelsen", "Post- och telestyrelsen"),
        ("Format vid", "arkivering", "Format vid arkivering"),
    ],
)
def test_wrapped_cells_join_with_one_space_but_none_after_a_word_hyphen(first: str, rest: str, joined: str) -> None:
    assert join_wrapped(first, rest) == joined


def _broken(line: int, new: str) -> str:
    lines = _seed_lines()
    lines[line - 1] = new
    return "\n".join(lines)


def test_text_row_with_more_cells_than_the_header_keeps_the_cell_as_an_extra_column() -> None:
    plan = _import_seed(_broken(22, _seed_lines()[21] + "\tEn cell för mycket"))

    assert [row.extra for row in plan.document_types() if row.extra] == [{"Kolumn J": "En cell för mycket"}]


def test_text_process_heading_without_a_code_is_refused() -> None:
    with pytest.raises(PlanFileError) as caught:
        _import_seed(_broken(24, "Processen Publicera på extern webb\t\t\t"))

    assert (caught.value.file, caught.value.row, caught.value.column) == (SEED_NAME, 24, "Process")


def test_text_adoption_with_an_impossible_date_is_refused() -> None:
    with pytest.raises(PlanFileError) as caught:
        _import_seed(_broken(12, "Kommunstyrelsen, 2016-13-28 § 208\t\t1.0"))

    assert (caught.value.row, caught.value.column) == (12, "Antagen av, datum och paragraf")


def test_text_first_row_of_a_process_without_an_activity_is_refused() -> None:
    text = _broken(26, "\tInformation på extern webb\t-\t-\t-\tServer\tBevaras\tDigital\t")

    with pytest.raises(PlanFileError) as caught:
        _import_seed(text)

    assert (caught.value.row, caught.value.column) == (26, "Aktivitet")


def test_text_process_heading_may_say_process_instead_of_processen() -> None:
    plan = _import_seed(_broken(24, "<i>Process 2.9.2.1 Publicera på extern webb</i>\t\t"))

    assert _flat_rows(plan) == SEED_ROWS


def test_text_revision_rows_are_read() -> None:
    text = _broken(14, "2018-03-12 § 45\tNy process 2.9.2.8\t1.1")

    plan = _import_seed(text)

    assert [(r.date, r.paragraph, r.description, r.version) for r in plan.revisions] == [
        ("2018-03-12", "§ 45", "Ny process 2.9.2.8", "1.1")
    ]


# -- read_plan ----------------------------------------------------------------------------------


def test_read_plan_fills_missing_retention_with_the_parser_it_is_given() -> None:
    calls: list[tuple[str, str]] = []

    def fake_parse(text: str, lang: str) -> RetentionData:
        calls.append((text, lang))
        return RetentionData(action="retain" if text.startswith("Bevaras") else "unclear", sampling=text)

    plan = read_plan(seed_path(), filename=SEED_NAME, lang="sv", parse=fake_parse)

    assert len(calls) == 13
    assert {lang for _, lang in calls} == {"sv"}
    assert [
        (row.retention_text, row.retention.sampling if row.retention else None) for row in plan.document_types()
    ] == [(row[7], row[7]) for row in SEED_ROWS]
    assert plan.document_types()[0].retention == RetentionData(action="retain", sampling="Bevaras")


def test_read_plan_keeps_retention_the_file_gives() -> None:
    def fake_parse(text: str, lang: str) -> RetentionData:
        raise AssertionError("not called for rows that have a retention")

    plan = read_plan(export_json(rich_plan()), filename="plan.json", parse=fake_parse)

    assert plan == rich_plan()


def test_read_plan_leaves_retention_empty_when_the_parser_module_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "insyn.records.retention", None)

    plan = read_plan(seed_path(), filename=SEED_NAME)

    assert [row.retention for row in plan.document_types()] == [None] * 13


def test_read_plan_reports_a_parser_error_at_the_row() -> None:
    def refusing(text: str, lang: str) -> RetentionData:
        raise ValueError(f"cannot read {text!r}")

    with pytest.raises(PlanFileError) as caught:
        read_plan(_seed(), filename=SEED_NAME, parse=refusing)

    assert (caught.value.row, caught.value.column) == (21, "Bevaras/Gallras")


@pytest.mark.parametrize(
    ("filename", "data", "expected"),
    [
        ("plan.TXT", b"", "text"),
        ("plan.xlsx", b"", "xlsx"),
        ("plan.ods", b"", "ods"),
        ("plan.csv", b"", "csv"),
        ("plan.docx", b"", "docx"),
        ("plan.json", b"", "json"),
        ("upload", b'\xef\xbb\xbf{"title": "x"}', "json"),
        ("upload", b"Processen 1.1 Leda\nAktivitet\tHandlingstyp\n", "text"),
        ("upload", b"Aktivitet;Handlingstyp\n", "csv"),
        ("upload", b"", None),
    ],
)
def test_format_is_detected_from_extension_then_content(filename: str, data: bytes, expected: str | None) -> None:
    assert detect_format(data, filename) == expected


def test_format_of_a_zip_is_told_by_its_members() -> None:
    from insyn.records.exporters import export_ods, export_xlsx

    assert detect_format(export_xlsx(rich_plan()), "upload") == "xlsx"
    assert detect_format(export_ods(rich_plan()), "upload") == "ods"


def test_unsupported_format_is_refused() -> None:
    with pytest.raises(PlanFileError, match="unsupported format 'pdf'") as caught:
        read_plan(b"%PDF-1.7", filename="plan.pdf", format="pdf")

    assert caught.value.file == "plan.pdf"
    assert "pdf" not in SUPPORTED_FORMATS


# -- JSON ---------------------------------------------------------------------------------------


def _json_with(change: object) -> bytes:
    data = rich_plan().to_dict()
    assert callable(change)
    change(data)
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize(
    ("change", "column", "message"),
    [
        (
            lambda d: d["areas"][0]["groups"][0]["processes"][0]["activities"][0]["document_types"][1].pop("name"),
            "areas[0].groups[0].processes[0].activities[0].document_types[1].name",
            "missing",
        ),
        (lambda d: d.update(adopted_on="28/11/2016"), "adopted_on", "not a date"),
        (lambda d: d["areas"][0].update(code=2.9), "areas[0].code", "expected a string"),
        (
            lambda d: d["areas"][0]["groups"][0]["processes"][0]["activities"][0]["document_types"][0][
                "retention"
            ].update(period="two years"),
            "areas[0].groups[0].processes[0].activities[0].document_types[0].retention.period",
            "ISO 8601",
        ),
        (lambda d: d["areas"][1].update(colour="red"), "areas[1].colour", "unknown key"),
        (lambda d: d["revisions"][0].update(date=""), "revisions[0].date", "not a date"),
        (lambda d: d.update(classification="dewey"), "classification", "expected one of"),
    ],
)
def test_json_with_a_broken_value_is_refused_naming_its_path(change: object, column: str, message: str) -> None:
    with pytest.raises(PlanFileError, match=message) as caught:
        read_plan(_json_with(change), filename="plan.json", parse=lambda text, lang: RetentionData())

    assert (caught.value.file, caught.value.column) == ("plan.json", column)


def test_json_syntax_error_names_line_and_character() -> None:
    with pytest.raises(PlanFileError) as caught:
        read_plan(b'{\n  "title": "x",\n  "areas": [,]\n}', filename="plan.json")

    assert (caught.value.row, caught.value.column) == (3, "character 13")
