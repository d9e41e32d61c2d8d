"""Benchmark: import a large retention plan in every format, and export it again (issue #3, item 12).

Builds a deterministic plan (default 5,000 document types: 1 area, 10 process groups,
100 processes, 500 activities) with Swedish cell texts and retention texts drawn from a
fixed list of real phrases, writes it in each import format (text as extracted from Word/PDF,
XLSX, ODS, CSV, DOCX, JSON) and measures, per format:

- parse: `read_plan(…, parse=parser_for(organ))`, the retention parser included;
- write: `services.plan_import` into a fresh organ (the plan is adopted, so it is never overwritten);
- total, rows per second, and the ratio to the JSON import of the same run.

Also: the retention parser alone, the same JSON imported again (the idempotent "unchanged"
path), and a what-if: the JSON write with document types validated without one SQL query per
check constraint (see `without_constraint_queries`), with the statements each import sends.

Then the exports of the imported plan through `export.export_plan` (JSON, CSV, XLSX, ODS and
the PDF/A with its page count), and the database read alone (`selectors.plan_data`).

Every figure is the median of `--repeat` runs (the PDF: `--pdf-repeat`, default 1; every round
renders it, `export_rendered`, rather than reading the file stored by the first). For the PDF's
memory, see `bench/plan_pdf.py`. Formats are interleaved within a run so that noise on a
shared machine hits them alike, and "× JSON" pairs each import with the JSON import of the same
run. Compare the ratios, not the seconds (docs/benchmarks.md).

    .venv/bin/python bench/plan_import.py [--rows 5000] [--repeat 3] [--pdf-repeat 1] [--database sqlite|postgres]

The database is thrown away afterwards: a temporary SQLite file, or the PostgreSQL database
`insyn_bench` on 127.0.0.1:5432 (user postgres, trust auth), created and dropped with psql.
Never run by the test suite.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_URL = "postgres://postgres@127.0.0.1:5432/insyn_bench"
PG_NAME = "insyn_bench"
FORMATS = ("json", "csv", "xlsx", "ods", "text", "docx")
EXTENSIONS = {"json": "json", "csv": "csv", "xlsx": "xlsx", "ods": "ods", "text": "txt", "docx": "docx"}
EXPORTS = ("json", "csv", "xlsx", "ods", "pdf")

# Shape of the generated plan: rows per activity, activities per process, processes per group.
ROWS_PER_ACTIVITY = 10
ACTIVITIES_PER_PROCESS = 5
PROCESSES_PER_GROUP = 10

# -- the plan ---------------------------------------------------------------------------------

# Retention texts as Swedish plans write them (Torsby seed and the parser's tests); most read as a
# rule, a realistic share (about one in six) is "unclear" and goes through every rule of the grammar.
RETENTION_TEXTS = (
    "Bevaras",
    "Bevaras",
    "Bevaras, se anmärkning",
    "Gallras vid inaktualitet",
    "Gallras vid inaktualitet",
    "Gallras efter 2 år",
    "Gallras efter 5 år",
    "Gallras efter 10 år",
    "Gallras efter ett år",
    "Gallras efter tre månader",
    "Gallras 2 år efter avslutat ärende",
    "Gallras 10 år efter ärendets avslutande",
    "Gallras 2 år efter utgången av det kalenderår då handlingen upprättades",
    "Sparas 7 år efter utgången av det kalenderår då räkenskapsåret avslutades",
    "Gallras 5 år efter anställningens upphörande",
    "Gallras när ny version upprättats",
    "Gallras efter registrering i verksamhetssystemet",
    "Gallras efter skanning och kontroll",
    "Bevaras i urval",
    "Gallras utom datumurval",
    "Levereras till centralarkivet efter 5 år",
    "Gallras omedelbart",
    "Se anmärkning",
    "Bevaras/Gallras",
    "Pressmeddelanden som tillhör ärende bevaras, övriga gallras",
    "Gallras efter 2 år men bevaras om ärendet är av principiell betydelse",
)
DOCUMENT_NAMES = (
    "Protokoll",
    "Kallelse med föredragningslista",
    "Tjänsteskrivelse",
    "Delegationsbeslut",
    "Avtal",
    "Ansökan",
    "Beslut",
    "Yttrande",
    "Remissvar",
    "Leverantörsfaktura",
    "Anmälan",
    "Korrespondens av tillfällig betydelse",
    "Minnesanteckningar",
    "Årsrapport",
    "Statistikunderlag",
    "Förteckning över inkomna handlingar",
    "Underlag för lönerevision",
    "Läkarintyg",
    "Ledighetsansökan",
    "Räkenskapsmaterial",
    "Synpunkt från allmänheten",
    "Överenskommelse om samverkan",
    "Åtgärdsplan",
    "Riskbedömning",
    "Förfrågningsunderlag",
    "Anbud, antaget",
    "Anbud, ej antaget",
    "Tilldelningsbeslut",
    "Inlägg på sociala medier",
    "Broschyr, informations-skrift m.m.",
)
QUALIFIERS = ("", "", "", " – inkommen", " – upprättad", " med bilagor", " (kopia)", " i original", " från nämnden")
ANALOG_FORMATS = ("Papper", "Papper", "", "Papper/fotografi")
ANALOG_STORAGES = ("Diarieförda handlingar", "Tjänstemans rum", "Närarkiv", "Centralarkivet", "")
DIGITAL_FORMATS = ("PDF", "Word/PDF", "", "XML", "E-post", "PDF/A")
DIGITAL_STORAGES = ("W3D3", "Server", "Ärendehanteringssystem", "Procapita", "Visma", "", "W3D3/ externwebb")
ARCHIVAL_FORMATS = ("Papper", "Digital", "Papper/digital", "PDF/A", "")
IT_SYSTEMS = ("W3D3", "Procapita", "Visma")
REMARKS = (
    "",
    "",
    "",
    "Skickas ifylld till informationsstrategen.",
    "Informationen lagras en gång/år på skiva i PDF-format. "
    "Lagringen täcker minst de tre översta nivåerna i strukturen.",
    "Pressmeddelanden som tillhör diariefört ärende bevaras i ärendet. Pressmeddelanden som enbart läggs ut på "
    "webbplatsen gallras vid inaktualitet.",
    "Ett ex av varje större broschyr m.m. skrivs ut och bevaras. Mindre informationsskrifter bevaras i urval.",
    "Vid särskilda händelser kan annonser sparas för kuriosa.",
    "Skärmdump av meddelanden tas och diarieförs hos den nämnd som ansvarar för kontot.",
    "Ögonblicksbild av kontot tas 2 ggr/år samt vid varje större förändring.",
    "Gallringsbeslut KF 2004-05-27 § 44.",
    "Förvaras i brandsäkert skåp. Överlämnas till kommunarkivet efter tio år.",
)
GROUP_NAMES = (
    "Ledning och styrning",
    "Ekonomi och redovisning",
    "Personal och lön",
    "Information och marknadsföring",
    "Upphandling och inköp",
    "Fastigheter och lokaler",
    "IT och informationssäkerhet",
    "Kansli och nämndadministration",
    "Arkiv och registratur",
    "Kvalitet och uppföljning",
)
VERBS = ("Hantera", "Upprätta", "Registrera", "Besluta om", "Följa upp", "Granska", "Redovisa", "Planera", "Ta emot")
OBJECTS = (
    "avtal",
    "ansökningar",
    "remisser",
    "fakturor",
    "personalärenden",
    "tillstånd",
    "klagomål",
    "upphandlingar",
    "delegationsbeslut",
    "synpunkter",
    "bidrag",
    "försäkringar",
    "löneärenden",
    "nämndsammanträden",
    "skrivelser",
    "utredningar",
    "statistik",
    "tillsynsärenden",
    "lokalbokningar",
    "förfrågningar",
    "överklaganden",
    "årsredovisningar",
)


def build_plan(rows: int, seed: int = 20161128) -> Any:
    """A deterministic adopted plan with `rows` document types, retention parsed as an import would."""
    from insyn.records.plandata import (
        ActivityData,
        AreaData,
        DocumentTypeData,
        GroupData,
        PlanData,
        ProcessData,
        RevisionData,
    )
    from insyn.records.retention import parse_retention

    rng = random.Random(seed)
    activity_count = -(-rows // ROWS_PER_ACTIVITY)
    process_count = -(-activity_count // ACTIVITIES_PER_PROCESS)
    group_count = -(-process_count // PROCESSES_PER_GROUP)
    phrases = [f"{verb} {thing}" for verb in VERBS for thing in OBJECTS]
    things = {f"{verb} {thing}": thing for verb in VERBS for thing in OBJECTS}
    parsed = {text: parse_retention(text) for text in RETENTION_TEXTS}
    left = rows
    groups = []
    for g in range(group_count):
        name = GROUP_NAMES[g % len(GROUP_NAMES)] + (f" {g // len(GROUP_NAMES) + 1}" if g >= len(GROUP_NAMES) else "")
        processes = []
        per_group = min(PROCESSES_PER_GROUP, process_count - g * PROCESSES_PER_GROUP)
        for p, process_name in enumerate(rng.sample(phrases, per_group)):
            activities = []
            for activity_name in rng.sample(phrases, ACTIVITIES_PER_PROCESS):
                if left <= 0:
                    break
                documents = []
                for _ in range(min(ROWS_PER_ACTIVITY, left)):
                    text = rng.choice(RETENTION_TEXTS)
                    documents.append(
                        DocumentTypeData(
                            name=rng.choice(DOCUMENT_NAMES) + rng.choice(QUALIFIERS),
                            analog_format=rng.choice(ANALOG_FORMATS),
                            analog_storage=rng.choice(ANALOG_STORAGES),
                            digital_format=rng.choice(DIGITAL_FORMATS),
                            digital_storage=rng.choice(DIGITAL_STORAGES),
                            retention_text=text,
                            retention=parsed[text],
                            archival_format=rng.choice(ARCHIVAL_FORMATS),
                            remarks=rng.choice(REMARKS),
                        )
                    )
                left -= len(documents)
                activities.append(ActivityData(activity_name, documents))
            description = f"Processen omfattar hur förvaltningen arbetar med {things[process_name]}."
            processes.append(ProcessData(f"2.9.{g + 1}.{p}", process_name, description, activities))
        intro = f"I processgruppen {name.lower()} ingår följande processer:"
        groups.append(GroupData(f"2.9.{g + 1}", name, intro, processes))
    area_description = "Stöd till kommunens kärnverksamheter: ledning, ekonomi, personal, information och arkiv."
    return PlanData(
        title="Dokumenthanteringsplan",
        organisation="Kommunstyrelsen",
        adopted_by="Kommunstyrelsen",
        adopted_on="2016-11-28",
        paragraph="§ 208",
        version="1.0",
        status="adopted",
        scope="Stödprocesser i Exempelby kommun",
        areas=[AreaData("2.9", "Stödprocesser", area_description, groups)],
        revisions=[RevisionData("2018-03-12", "§ 45", "Nya processer för sociala medier.", "1.1")],
    )


# -- the Word/PDF layouts (no writer in the application) ------------------------------------------

TORSBY_HEADER = ["Aktivitet", "Handlingstyp", "Format", "Förvaring", "Format", "Förvaring", "Bevaras/Gallras"]
TORSBY_HEADER += ["Format vid arkivering", "Anmärkning"]


def _torsby_cells(activity: str, row: Any) -> list[str]:
    """A document type as the nine cells of the Torsby table; '-' where the plan prints nothing."""
    values = [
        row.analog_format,
        row.analog_storage,
        row.digital_format,
        row.digital_storage,
        row.retention_text,
        row.archival_format,
    ]
    return [activity, row.name, *(value or "-" for value in values), row.remarks]


def _group_description(group: Any) -> list[tuple[str, bool]]:
    """The group's description with each process named in italics and followed by its description."""
    runs = [(group.description, False)]
    for process in group.processes:
        runs += [(" ", False), (process.name, True), (f" {process.description}", False)]
    return runs


def _wrap(text: str) -> tuple[str, str]:
    """Split a long cell at a space near its middle, as text extracted from a PDF wraps it."""
    middle = len(text) // 2
    cut = text.find(" ", middle)
    return (text[:cut], text[cut + 1 :]) if cut > 0 else (text, "")


def write_text(plan: Any) -> bytes:
    """The seed 000 layout: tab-separated lines, headings on lines of their own, long remarks wrapped."""
    lines = ["", "", plan.title, "", plan.scope, ""]
    lines += ["Antagen av, datum och paragraf\t\tVersion"]
    lines += [f"{plan.adopted_by}, {plan.adopted_on} {plan.paragraph}\t\t{plan.version}"]
    lines += ["Revidering: datum och paragraf\tRevideringen avser\tVersion"]
    lines += [f"{r.date} {r.paragraph}\t{r.description}\t{r.version}" for r in plan.revisions]
    lines += [""]
    number = 0
    for area in plan.areas:
        lines.append(f"Verksamhetsområde {area.code} {area.name}\tBeskrivning {area.description}\t\t\t\t\t")
        for group in area.groups:
            description = "".join(f"<i>{text}</i>" if italic else text for text, italic in _group_description(group))
            lines.append(f"Processgrupp {group.code}. {group.name}\t{description}\t\t\t\t\t")
            for process in group.processes:
                lines.append(f"Processen {process.code} {process.name}" + "\t" * 8)
                lines.append("\t\t<i>Analoga dokument</i>\t\t<i>Digitala dokument</i>\t\t\t\t")
                lines.append("\t".join(TORSBY_HEADER))
                for activity in process.activities:
                    for index, row in enumerate(activity.document_types):
                        number += 1
                        cells = _torsby_cells(activity.name if index == 0 else "", row)
                        rest = ""
                        if len(row.remarks) > 80:
                            cells[8], rest = _wrap(row.remarks)
                        lines.append("\t".join(cells))
                        if rest:
                            lines += [""] * (number % 2) + ["\t" * 8 + rest]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_docx(plan: Any) -> bytes:
    """Word as municipalities write it: adoption tables, a table per group heading, a table per process.

    The activity cell is merged down over its document types; "Analoga/Digitala dokument" span two columns.
    """
    from docx import Document

    def fill(cells: Any, values: list[str]) -> None:
        for cell, value in zip(cells, values, strict=False):
            if value:
                cell.text = value

    document = Document()
    document.add_paragraph(plan.title)
    document.add_paragraph(plan.scope)
    adoption = document.add_table(rows=2, cols=2)
    fill(adoption.rows[0].cells, ["Antagen av, datum och paragraf", "Version"])
    fill(adoption.rows[1].cells, [f"{plan.adopted_by}, {plan.adopted_on} {plan.paragraph}", plan.version])
    revisions = document.add_table(rows=1 + len(plan.revisions), cols=3)
    fill(revisions.rows[0].cells, ["Revidering: datum och paragraf", "Revideringen avser", "Version"])
    for row, revision in zip(revisions.rows[1:], plan.revisions, strict=True):
        fill(row.cells, [f"{revision.date} {revision.paragraph}", revision.description, revision.version])
    for area in plan.areas:
        table = document.add_table(rows=1, cols=2)
        fill(table.rows[0].cells, [f"Verksamhetsområde {area.code} {area.name}", f"Beskrivning {area.description}"])
        for group in area.groups:
            table = document.add_table(rows=1, cols=2)
            heading, description = table.rows[0].cells
            heading.text = f"Processgrupp {group.code}. {group.name}"
            paragraph = description.paragraphs[0]
            for text, italic in _group_description(group):
                paragraph.add_run(text).italic = italic or None
            for process in group.processes:
                document.add_paragraph(f"Processen {process.code} {process.name}")
                count = sum(len(a.document_types) for a in process.activities)
                table = document.add_table(rows=2 + count, cols=9)
                rows = table.rows
                top = rows[0].cells
                top[2].merge(top[3]).text = "Analoga dokument"
                top[4].merge(top[5]).text = "Digitala dokument"
                fill(rows[1].cells, TORSBY_HEADER)
                index = 2
                for activity in process.activities:
                    first = index
                    for row in activity.document_types:
                        fill(rows[index].cells, _torsby_cells("", row))
                        index += 1
                    cell = rows[first].cells[0]
                    if index - first > 1:
                        cell = cell.merge(rows[index - 1].cells[0])
                    cell.text = activity.name
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def serialise(plan: Any) -> dict[str, bytes]:
    from insyn.records import exporters

    return {
        "json": exporters.export_json(plan),
        "csv": exporters.export_csv(plan),
        "xlsx": exporters.export_xlsx(plan),
        "ods": exporters.export_ods(plan),
        "text": write_text(plan),
        "docx": write_docx(plan),
    }


# -- database ---------------------------------------------------------------------------------


def _psql(sql: str) -> None:
    command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql]
    subprocess.run(command, check=True, capture_output=True, text=True)  # noqa: S603


@contextmanager
def throwaway_database(kind: str) -> Iterator[str]:
    """Point Django at a fresh database (before `django.setup()`), migrate it, and drop it afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="insyn-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["INSYN_TESTING"] = "1"
    # Background tasks (the PDFs an adopted plan gets) are not part of what an import costs: queue, never run.
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    os.environ["DEBUG"] = "0"  # a developer's .env has DEBUG=1, which would keep every query in memory
    os.environ["INSYN_VAR_DIR"] = str(workdir)
    if kind == "sqlite":
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    else:
        _psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
        _psql(f"CREATE DATABASE {PG_NAME}")
        os.environ["DATABASE_URL"] = PG_URL
    try:
        import django
        from django.core.management import call_command

        warnings.filterwarnings("ignore", message="No directory at")
        django.setup()
        call_command("migrate", verbosity=0)
        from django.db import connection

        yield f"{connection.vendor} {connection.Database.sqlite_version if kind == 'sqlite' else _pg_version()}"
    finally:
        from django.db import connections

        connections.close_all()
        if kind == "postgres":
            _psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
        shutil.rmtree(workdir, ignore_errors=True)


def _pg_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return str(cursor.fetchone()[0])


# -- measuring --------------------------------------------------------------------------------


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


class Tenant:
    """A municipality with its IT systems; every import goes to an organ of its own."""

    def __init__(self) -> None:
        from insyn.core.permissions import SYSTEM
        from insyn.core.services.organisations import organisation_create
        from insyn.records.models import ITSystem

        self.municipality = organisation_create(actor=SYSTEM, name="Exempelby kommun", kind="municipality", parent=None)
        for name in IT_SYSTEMS:
            ITSystem.objects.get_or_create(municipality=self.municipality, name=name)
        self.count = 0

    def new_organ(self) -> Any:
        from insyn.core.permissions import SYSTEM
        from insyn.core.services.organisations import organisation_create

        self.count += 1
        return organisation_create(
            actor=SYSTEM, name=f"Nämnd {self.count}", kind="organ", organ_type="namnd", parent=self.municipality
        )


def check_round_trip(source: Any, files: dict[str, bytes], tenant: Tenant) -> dict[str, str]:
    """Each file read back must be the plan it was written from; the benchmark compares like with like."""
    from insyn.records.grammar import parser_for
    from insyn.records.importers import read_plan

    expected = source.to_dict()
    verdicts = {}
    for fmt, data in files.items():
        plan = read_plan(data, filename=f"plan.{EXTENSIONS[fmt]}", format=fmt, parse=parser_for(tenant.municipality))
        got = plan.to_dict()
        if got == expected:
            verdicts[fmt] = "identical"
        else:
            differing = sorted(key for key in expected.keys() | got.keys() if expected.get(key) != got.get(key))
            verdicts[fmt] = f"DIFFERS in {', '.join(differing)}"
    return verdicts


@contextmanager
def without_constraint_queries() -> Iterator[None]:
    """What-if: document types validated without a database query per check constraint.

    `Model.full_clean()` checks each `CheckConstraint` with a query (in a savepoint inside a
    transaction); `DocumentType.clean()` already checks both of its constraints in Python and the
    database enforces them on insert. Patched here for the duration only, to measure what that costs.
    """
    from unittest import mock

    from django.core.exceptions import ValidationError

    from insyn.core.exceptions import ValidationFailed
    from insyn.records.models import DocumentType
    from insyn.records.services import content as services  # where the rows are validated

    original = services.full_clean_or_raise

    def validate(instance: Any, exclude: list[str] | None = None, **_kwargs: Any) -> None:
        if not isinstance(instance, DocumentType):
            return original(instance, exclude=exclude)
        try:
            instance.full_clean(exclude=exclude, validate_constraints=False)
        except ValidationError as error:
            raise ValidationFailed(str(error)) from error
        return None

    with mock.patch.object(services, "full_clean_or_raise", validate):
        yield


def count_statements(function: Callable[[], Any]) -> int:
    """SQL statements `function` sends (savepoints included); not timed."""
    from django.db import connection

    count = 0

    def counter(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        function()
    return count


def run(rows: int, repeat: int, pdf_repeat: int, database: str) -> dict[str, Any]:
    from insyn.core.permissions import SYSTEM
    from insyn.records.grammar import parser_for
    from insyn.records.importers import read_plan
    from insyn.records.retention import parse_retention
    from insyn.records.selectors import plan_data
    from insyn.records.services import plan_import

    started = time.perf_counter()
    source = build_plan(rows)
    assert len(source.document_types()) == rows
    files = serialise(source)
    tenant = Tenant()
    verdicts = check_round_trip(source, files, tenant)
    texts = [row.retention_text for row in source.document_types()]

    def import_json(organ: Any) -> Any:
        return plan_import(actor=SYSTEM, organisation=organ, data=read_plan(files["json"], filename="plan.json"))

    parse: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
    write: dict[str, list[float]] = {fmt: [] for fmt in FORMATS}
    what_if: list[float] = []
    grammar: list[float] = []
    for round_number in range(repeat):
        for fmt in FORMATS:
            organ = tenant.new_organ()
            filename = f"plan.{EXTENSIONS[fmt]}"
            seconds, plan = timed(
                lambda fmt=fmt, organ=organ, filename=filename: read_plan(
                    files[fmt], filename=filename, format=fmt, parse=parser_for(organ)
                )
            )
            parse[fmt].append(seconds)
            seconds, result = timed(
                lambda organ=organ, plan=plan: plan_import(actor=SYSTEM, organisation=organ, data=plan)
            )
            write[fmt].append(seconds)
            assert result.created and result.counts["document_types"] == rows, result.counts
            print(f"  round {round_number + 1} {fmt:5} parse {parse[fmt][-1]:6.2f} s, write {seconds:6.2f} s")
        organ, plan = tenant.new_organ(), read_plan(files["json"], filename="plan.json")
        with without_constraint_queries():
            seconds, result = timed(
                lambda organ=organ, plan=plan: plan_import(actor=SYSTEM, organisation=organ, data=plan)
            )
        assert result.created and result.counts["document_types"] == rows, result.counts
        what_if.append(seconds)
        print(f"  round {round_number + 1} json  write without constraint queries (what-if) {seconds:6.2f} s")
        seconds, _ = timed(lambda: [parse_retention(text) for text in texts])
        grammar.append(seconds)

    statements = count_statements(lambda: import_json(tenant.new_organ()))
    with without_constraint_queries():
        statements_what_if = count_statements(lambda: import_json(tenant.new_organ()))

    # The same JSON file once more into the organ that has it: the idempotent "unchanged" path.
    organ = tenant.new_organ()
    import_json(organ)
    again: list[float] = []
    for _ in range(repeat):
        seconds, result = timed(lambda: import_json(organ))
        assert result.unchanged
        again.append(seconds)
    stored = result.plan

    warm_up_exports()
    read: list[float] = []
    exports: dict[str, list[float]] = {fmt: [] for fmt in EXPORTS}
    outputs: dict[str, bytes] = {}
    for round_number in range(max(repeat, pdf_repeat)):
        seconds, _ = timed(lambda: plan_data(stored))
        read.append(seconds)
        for fmt in EXPORTS:
            if round_number >= (pdf_repeat if fmt == "pdf" else repeat):
                continue
            seconds, outputs[fmt] = timed(lambda fmt=fmt: export_rendered(stored, fmt))
            exports[fmt].append(seconds)
            print(f"  round {round_number + 1} export {fmt:4} {seconds:7.2f} s")

    from pypdf import PdfReader

    totals = {fmt: [p + w for p, w in zip(parse[fmt], write[fmt], strict=True)] for fmt in FORMATS}
    return {
        "rows": rows,
        "repeat": repeat,
        "pdf_repeat": pdf_repeat,
        "database": database,
        "sizes": {fmt: len(data) for fmt, data in files.items()},
        "verdicts": verdicts,
        "parse": {fmt: statistics.median(values) for fmt, values in parse.items()},
        "write": {fmt: statistics.median(values) for fmt, values in write.items()},
        "total": {fmt: statistics.median(values) for fmt, values in totals.items()},
        "spread": {fmt: _spread(values) for fmt, values in totals.items()},
        # Each format against the JSON import of the same round (seconds apart), then the median.
        "ratio": {fmt: _paired(totals[fmt], totals["json"]) for fmt in FORMATS},
        "what_if": statistics.median(what_if),
        "what_if_ratio": _paired(what_if, write["json"]),
        "statements": statements,
        "statements_what_if": statements_what_if,
        "grammar": statistics.median(grammar),
        "again": statistics.median(again),
        "read": statistics.median(read),
        "exports": {fmt: statistics.median(values) for fmt, values in exports.items()},
        "export_spread": {fmt: _spread(values) for fmt, values in exports.items()},
        "export_sizes": {fmt: len(data) for fmt, data in outputs.items()},
        "pages": len(PdfReader(io.BytesIO(outputs["pdf"])).pages),
        "elapsed": time.perf_counter() - started,
    }


def export_rendered(plan: Any, fmt: str) -> bytes:
    """`export_plan`, except that the PDF is rendered every round: `export_plan` serves an adopted plan's
    PDF from storage after the first render, and timing that (0.00 s) measured a file read, not a render."""
    from insyn.records.export import export_plan
    from insyn.records.exporters.pdf import export_pdf
    from insyn.records.selectors import plan_data

    if fmt == "pdf":
        return export_pdf(plan_data(plan))
    return export_plan(plan, fmt)


def _paired(values: list[float], baseline: list[float]) -> float:
    return statistics.median(value / base for value, base in zip(values, baseline, strict=True))


def warm_up_exports() -> None:
    """Load the PDF engine and its fonts on a one-row plan, so the first timed export does not pay for it."""
    from insyn.records import exporters
    from insyn.records.exporters.pdf import export_pdf

    small = build_plan(1)
    for export in (exporters.export_json, exporters.export_csv, exporters.export_xlsx, exporters.export_ods):
        export(small)
    export_pdf(small)


def _spread(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}"


# -- report -----------------------------------------------------------------------------------


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 100_000 else f"{n / 1000:.0f} kB"


def report(result: dict[str, Any], engine: str) -> str:
    rows, base = result["rows"], result["total"]["json"]
    lines = [
        f"{rows:,} document types, {engine}, median of {result['repeat']} runs"
        f" (PDF: {result['pdf_repeat']}); × JSON = median over runs of format / JSON import in the same run:",
        "",
        "| import format | file | parse s | write s | total s | spread s | rows/s | × JSON | read back |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for fmt in FORMATS:
        total = result["total"][fmt]
        lines.append(
            f"| {fmt} | {_size(result['sizes'][fmt])} | {result['parse'][fmt]:.2f} | {result['write'][fmt]:.2f} "
            f"| {total:.2f} | {result['spread'][fmt]} | {rows / total:,.0f} | {result['ratio'][fmt]:.2f} "
            f"| {result['verdicts'][fmt]} |"
        )
    lines += [
        "",
        f"- Retention parser alone on the {rows:,} texts: {result['grammar']:.2f} s.",
        f"- JSON imported again unchanged (idempotent path): {result['again']:.2f} s ({result['again'] / base:.2f} × "
        "JSON import).",
        f"- What-if, JSON write with document types validated without a query per check constraint: "
        f"{result['what_if']:.2f} s, {result['what_if_ratio']:.2f} × the write as it is; SQL statements per import "
        f"{result['statements']:,} as it is, {result['statements_what_if']:,} without.",
        "",
        "| export (`export_plan`) | output | seconds | spread s | × JSON import |",
        "|---|---:|---:|---:|---:|",
        f"| database read alone (`plan_data`) | – | {result['read']:.2f} | – | {result['read'] / base:.2f} |",
    ]
    for fmt in EXPORTS:
        seconds = result["exports"][fmt]
        size = _size(result["export_sizes"][fmt]) + (f", {result['pages']} pages" if fmt == "pdf" else "")
        lines.append(f"| {fmt} | {size} | {seconds:.2f} | {result['export_spread'][fmt]} | {seconds / base:.2f} |")
    lines += ["", f"Whole benchmark: {result['elapsed']:.0f} s."]
    return "\n".join(lines)


def machine() -> str:
    """What the figures were measured on: CPU, cores, memory, load, and the versions that matter."""
    import platform
    from importlib.metadata import version

    lines = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    cpu = models[0] if models else platform.processor() or "unknown CPU"
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    versions = ", ".join(
        f"{name} {version(name)}" for name in ("django", "wagtail", "weasyprint", "typst", "python-docx")
    )
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB RAM, load average {load}; "
        f"Python {platform.python_version()}, {versions}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="document types in the plan (default 5000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--pdf-repeat", type=int, default=1, help="PDF renders, each a real render, never the stored file (default 1)"
    )
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress lines show while the benchmark runs
    if min(args.rows, args.repeat, args.pdf_repeat) < 1:
        parser.error("--rows, --repeat and --pdf-repeat must be at least 1")
    print(f"Before: {machine()}")
    with throwaway_database(args.database) as engine:
        result = run(args.rows, args.repeat, args.pdf_repeat, args.database)
    print()
    print(report(result, engine))
    print(f"After: load average {', '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
