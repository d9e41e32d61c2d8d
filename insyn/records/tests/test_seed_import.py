"""Issue #3 acceptance through the database: seed 000 imported, round trips, refusals, PDF."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from insyn.core.permissions import SYSTEM
from insyn.records.demo import SEED_PLAN
from insyn.records.export import export_plan
from insyn.records.grammar import parser_for
from insyn.records.importers import read_plan
from insyn.records.models import ClassificationNode, DocumentType, RetentionPlan
from insyn.records.selectors import plan_data
from insyn.records.services import plan_import


@pytest.fixture
def seed_plan(torsby):
    data = read_plan(SEED_PLAN.read_bytes(), filename=SEED_PLAN.name, parse=parser_for(torsby.board))
    return plan_import(actor=SYSTEM, organisation=torsby.board, data=data).plan


def test_seed_000_imports_completely(seed_plan):
    plan = seed_plan
    assert (plan.adopted_by, plan.adopted_on.isoformat(), plan.paragraph, plan.version, plan.status) == (
        "Kommunstyrelsen",
        "2016-11-28",
        "§ 208",
        "1.0",
        "adopted",
    )
    processes = ClassificationNode.objects.filter(plan=plan, level="process").order_by("position")
    assert [p.code for p in processes] == [f"2.9.2.{n}" for n in range(8)]
    assert processes[5].name == "Hantera broschyrer"
    rows = {r.name: r for r in DocumentType.objects.filter(plan=plan)}
    assert len(rows) == 13
    assert rows["Broschyr, informations-skrift m.m."].remarks.endswith("Bevarandet sker kronologiskt.")
    assert rows["Annonser i dagspress och annonsblad"].action == "dispose"
    assert rows["Annonser i dagspress och annonsblad"].trigger == "obsolete"
    assert rows["Information på extern webb"].action == "retain"
    assert rows["Information på extern webb"].retention_text == "Bevaras, se anmärkning"
    assert rows["Pressmeddelanden"].action == "unclear"
    assert rows["Riktlinjer för användning av sociala medier för Torsby kommuns verksamheter"].digital_storage == "W3D3"


def test_seed_links_it_systems_named_in_storage(torsby):
    from insyn.records.models import ITSystem

    ITSystem.objects.create(municipality=torsby.municipality, name="W3D3")
    data = read_plan(SEED_PLAN.read_bytes(), filename=SEED_PLAN.name, parse=parser_for(torsby.board))
    plan = plan_import(actor=SYSTEM, organisation=torsby.board, data=data).plan
    linked = DocumentType.objects.filter(plan=plan, it_systems__name="W3D3")
    assert [r.name for r in linked] == ["Riktlinjer för användning av sociala medier för Torsby kommuns verksamheter"]


def test_reimporting_the_seed_changes_nothing(seed_plan, torsby):
    data = read_plan(SEED_PLAN.read_bytes(), filename=SEED_PLAN.name, parse=parser_for(torsby.board))
    result = plan_import(actor=SYSTEM, organisation=torsby.board, data=data)
    assert result.unchanged and result.plan == seed_plan
    assert RetentionPlan.objects.filter(scope=seed_plan.scope).count() == 1


@pytest.mark.parametrize("fmt", ["json", "xlsx", "csv", "ods"])
def test_export_import_export_is_identical(seed_plan, pitea, fmt):
    first = export_plan(seed_plan, fmt)
    data = read_plan(first, filename=f"plan.{fmt}")
    data.organisation = pitea.board.name
    again = plan_import(actor=SYSTEM, organisation=pitea.board, data=data).plan
    assert again.pk != seed_plan.pk
    second = export_plan(again, fmt)
    if fmt == "xlsx":  # XLSX bytes carry a timestamp: compare what the cells say
        assert read_plan(second, filename="b.xlsx").to_dict() == read_plan(first, filename="a.xlsx").to_dict()
    else:
        assert second == first
    assert plan_data(again).to_dict() == plan_data(seed_plan).to_dict()


def test_json_export_has_the_issue_shape(seed_plan):
    data = json.loads(export_plan(seed_plan, "json"))
    assert list(data)[:7] == ["title", "organisation", "adopted_by", "adopted_on", "paragraph", "version", "status"]
    row = data["areas"][0]["groups"][0]["processes"][0]["activities"][0]["document_types"][0]
    assert set(row) >= {
        "name",
        "analog_format",
        "analog_storage",
        "digital_format",
        "digital_storage",
        "retention_text",
        "retention",
        "archival_format",
        "remarks",
        "legal_reference",
        "personal_data",
    }
    assert set(row["retention"]) == {"action", "period", "trigger", "trigger_event", "align", "sampling"}


def test_broken_file_is_refused_with_location_and_nothing_written(torsby, tmp_path):
    lines = SEED_PLAN.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("Hantera annonser\t"))
    lines[index] = "Processen Hantera annonser"  # a process heading without its code
    broken = tmp_path / "trasig.txt"
    broken.write_text("\n".join(lines), encoding="utf-8")
    before = (RetentionPlan.objects.count(), DocumentType.objects.count())
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "records", "import", str(broken), "--organisation", "Torsby kommun/Kommunstyrelsen", "--user", "system"
        )
    message = str(excinfo.value)
    # In Swedish, the CLI's default language.
    assert "trasig.txt" in message and f"rad {index + 1}" in message and "kolumn" in message
    assert (RetentionPlan.objects.count(), DocumentType.objects.count()) == before


def test_broken_xlsx_row_is_refused_through_the_admin(client, torsby, seed_plan, settings, tmp_path):
    import openpyxl
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    workbook = openpyxl.load_workbook(io.BytesIO(export_plan(seed_plan, "xlsx")))
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    period_column = headers.index("retention.period") + 1
    sheet.cell(row=4, column=period_column, value="två år")
    buffer = io.BytesIO()
    workbook.save(buffer)
    client.force_login(torsby.archivist)
    before = DocumentType.objects.count()
    response = client.post(
        "/admin/records/import/",
        {
            "file": SimpleUploadedFile("plan.xlsx", buffer.getvalue()),
            "organisation": torsby.board.pk,
            "format": "auto",
            "lang": "sv",
        },
    )
    errors = " ".join(response.context["form"].non_field_errors())
    assert "plan.xlsx" in errors and "rad 4" in errors and "retention.period" in errors  # the user's Swedish
    assert DocumentType.objects.count() == before


def test_pdf_export_is_pdfa_and_names_every_document_type(seed_plan):
    pdf = export_plan(seed_plan, "pdf")
    reader = PdfReader(io.BytesIO(pdf))
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)2', metadata) and re.search(r'pdfaid:conformance(="|>)B', metadata)
    text = re.sub(
        r"-\n|\s+",
        lambda m: "" if m.group().startswith("-") else " ",
        " ".join(page.extract_text() for page in reader.pages),
    )
    for name in DocumentType.objects.filter(plan=seed_plan).values_list("name", flat=True):
        assert name in text, name


def test_adopted_plan_pdf_is_rendered_once_and_then_served_from_storage(seed_plan, settings, tmp_path):
    from django.core.files.storage import default_storage

    from insyn.records.export import _pdf_name
    from insyn.records.tasks import render_plan_pdfs

    settings.MEDIA_ROOT = tmp_path
    assert render_plan_pdfs.call(seed_plan.pk) == 3
    for language in ("sv", "pl", "en"):
        assert default_storage.exists(_pdf_name(seed_plan, language))
    # What is stored is what is served: no second rendering.
    with default_storage.open(_pdf_name(seed_plan, "sv"), "wb") as handle:
        handle.write(b"%PDF-stored")
    assert export_plan(seed_plan, "pdf", language="sv") == b"%PDF-stored"
