"""The import guard on its own: DTDs in any encoding, JSON depth, limits counted before expansion."""

from __future__ import annotations

import codecs
from typing import Any

import pytest

from insyn.core.bounded_input import Budget, check_xml_prolog, loads_json
from insyn.core.exceptions import ImportLimitExceeded, UnsafeImportFile
from insyn.core.tests import hostile_files
from insyn.records.importers import read_plan

DTD = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'


@pytest.mark.parametrize(
    "head",
    [
        DTD.encode(),
        codecs.BOM_UTF8 + DTD.encode(),
        DTD.encode("utf-16"),  # with a byte-order mark
        DTD.encode("utf-16-le"),  # without one: "<\0?\0"
        DTD.encode("utf-16-be"),
        DTD.encode("utf-32"),
        DTD.encode("utf-32-be"),
        DTD.replace('"1.0"?>', '"1.0" encoding="ISO-8859-1"?>').encode("latin-1"),
        b"\n  <!-- a comment --><?pi x?>\n<!DOCTYPE x><x/>",
        b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE x+AD4-<x/>',
        DTD.encode("cp037"),  # EBCDIC: an encoding the check cannot read is refused
        b"<?xml version='1.0'?><!--" + b"x" * 70_000 + b"--><!DOCTYPE x><x/>",  # DTD after a long comment
    ],
)
def test_a_dtd_is_refused_in_every_encoding(head: bytes) -> None:
    with pytest.raises(UnsafeImportFile):
        check_xml_prolog(head[:65536], file="evil.xml")


@pytest.mark.parametrize(
    "head",
    [
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet><!DOCTYPE-looking text/></worksheet>',
        '<?xml version="1.0" encoding="UTF-16"?><document>å</document>'.encode("utf-16"),
        b"\x89PNG\r\n\x1a\n\x00\x00",  # an image in the archive is not XML
        b"application/vnd.oasis.opendocument.spreadsheet",
        b"",
    ],
)
def test_xml_without_a_dtd_and_other_parts_pass(head: bytes) -> None:
    check_xml_prolog(head, file="good.xlsx")


def test_json_nesting_is_counted_before_parsing_and_brackets_in_strings_do_not_count(settings: Any) -> None:
    settings.INSYN_IMPORT_MAX_DEPTH = 3
    assert loads_json('[["[[[[[", {"a": "]]]]{{{{\\""}]]', budget=Budget("ok.json")) == [["[[[[[", {"a": ']]]]{{{{"'}]]
    with pytest.raises(ImportLimitExceeded, match="INSYN_IMPORT_MAX_DEPTH = 3"):
        loads_json("[[[[]]]]", budget=Budget("deep.json"))


def test_the_parse_time_is_bounded(settings: Any) -> None:
    settings.INSYN_IMPORT_MAX_SECONDS = 0
    budget = Budget("slow.csv")
    with pytest.raises(ImportLimitExceeded, match="INSYN_IMPORT_MAX_SECONDS") as caught:
        for _ in range(10_000):
            budget.row(3)
    assert caught.value.detail == {"file": "slow.csv", "limit": "INSYN_IMPORT_MAX_SECONDS", "value": 0}
    assert caught.value.code == "import_limit" and caught.value.status_code == 400


def test_ods_space_run_cannot_make_a_cell_of_a_gigabyte() -> None:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {hostile_files.ODS_NS}><office:body>'
        '<office:spreadsheet><table:table table:name="Blad1"><table:table-row><table:table-cell>'
        '<text:p>a<text:s text:c="1000000000"/>b</text:p></table:table-cell></table:table-row></table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    with pytest.raises(ImportLimitExceeded, match="INSYN_IMPORT_MAX_CELL_CHARS"):
        read_plan(hostile_files.with_part("ods", content.encode()), filename="spaces.ods")


def test_xlsx_declared_dimension_does_not_pad_rows_to_a_million() -> None:
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Handlingstyp</t></is>'
        '</c></row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    with pytest.raises(ImportLimitExceeded, match="INSYN_IMPORT_MAX_ROWS"):
        read_plan(hostile_files.with_part("xlsx", sheet.encode()), filename="dimension.xlsx")


def test_docx_grid_span_is_counted_before_python_docx_expands_it() -> None:
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:tbl>'
        '<w:tr><w:trPr><w:gridBefore w:val="100000000"/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="100000000"/>'
        "</w:tcPr><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"
    )
    with pytest.raises(ImportLimitExceeded, match="INSYN_IMPORT_MAX_COLUMNS"):
        read_plan(hostile_files.with_part("docx", document.encode()), filename="span.docx")


BROKEN_PARTS = {
    "xlsx": b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">',
    "docx": b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>',
    "ods": f"<office:document-content {hostile_files.ODS_NS}><office:body>".encode(),
}


@pytest.mark.parametrize("kind", sorted(BROKEN_PARTS))
def test_broken_xml_in_a_valid_zip_is_a_file_error_not_a_crash(kind: str) -> None:
    from django.utils import translation

    from insyn.records.plandata import PlanFileError

    with translation.override("en"), pytest.raises(PlanFileError, match=f"not an? {kind.upper()}"):
        read_plan(hostile_files.with_part(kind, BROKEN_PARTS[kind]), filename=f"broken.{kind}")


def test_broken_xlsx_in_the_officials_register_is_a_file_error(db: Any) -> None:
    from insyn.core.exceptions import ValidationFailed
    from insyn.officials.popolo import read_popolo

    for part in (BROKEN_PARTS["xlsx"], BROKEN_PARTS["xlsx"].replace(b'r="1">', b'r="1"><c r="ZZZZZ1"><v>1</v></c>')):
        with pytest.raises(ValidationFailed) as caught:
            read_popolo(hostile_files.with_part("xlsx", part), filename="broken.xlsx")
        assert caught.value.code == "file_error"


def test_a_text_plan_line_of_a_megabyte_is_refused_as_a_long_cell() -> None:
    with pytest.raises(ImportLimitExceeded, match="INSYN_IMPORT_MAX_CELL_CHARS"):
        read_plan(b"Handlingstyp\tBevaras\n" + b"x" * 1_000_000, filename="plan.txt")


def test_a_zip_of_too_many_parts_is_refused_from_its_end_record(settings: Any) -> None:
    settings.INSYN_IMPORT_MAX_ZIP_MEMBERS = 10
    members = [hostile_files.member(f"part{i}.xml", b"<x/>") for i in range(11)]
    with pytest.raises(ImportLimitExceeded, match="INSYN_IMPORT_MAX_ZIP_MEMBERS = 10"):
        read_plan(hostile_files.write_zip(members), filename="many")  # refused even while detecting the format
