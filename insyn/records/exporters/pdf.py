"""The plan as a printable PDF/A document, laid out like a Swedish dokumenthanteringsplan.

The adoption header comes first, then per area and process group a box with its
description, then per process one table with the columns of a real plan
(Aktivitet | Handlingstyp | Analoga dokument: Format, Förvaring | Digitala
dokument: Format, Förvaring | Bevaras/Gallras | Format vid arkivering |
Anmärkning). Labels are the `gettext` strings below, so the same plan prints in
Swedish, Polish or English.

Typeset by Typst (the `typst` package, no external program) from the layout in
`templates/records/plan_pdf.typ`: a 5,000-row plan in seconds where WeasyPrint
took over a minute and a gigabyte (docs/decisions/0004-plan-pdf-engine.md).
The plan's text and the labels go to Typst as JSON string data (`sys.inputs`),
never spliced into Typst markup, so `#`, `*`, `$` or `<b>` in a cell print as
written and cannot run Typst code. Typst runs in a short-lived child process
(`typst_render.py`), so the memory of a large layout goes back to the system.

PDF/A-2b rather than PDF/A-3b: the export embeds no files, PDF/A-2 is the
variant archives (Riksarkivet, E-ARK) accept without reservation.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from insyn.records.plandata import DocumentTypeData, PlanData, ProcessData

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "records" / "plan_pdf.typ"
PDF_STANDARD = "a-2b"
_RENDERER = Path(__file__).resolve().parent / "typst_render.py"
_EMPTY = "-"


@dataclass(frozen=True)
class _Row:
    """One printed table row: a document type, with its activity named only on the group's first row."""

    activity: str
    first_of_activity: bool
    document_type: DocumentTypeData


def _or_dash(value: str) -> str:
    value = value.strip()
    return value or _EMPTY


def _with_paragraph(text: str, paragraph: str) -> str:
    """`Kommunstyrelsen, 2016-11-28` + `208` -> `Kommunstyrelsen, 2016-11-28 § 208` (a given `§` is kept)."""
    paragraph = paragraph.strip()
    if not paragraph:
        return text
    if not paragraph.startswith("§"):
        paragraph = f"§ {paragraph}"
    return f"{text} {paragraph}".strip()


def _rows(process: ProcessData) -> list[_Row]:
    rows: list[_Row] = []
    for activity in process.activities:
        for index, document_type in enumerate(activity.document_types):
            rows.append(_Row(activity=activity.name, first_of_activity=index == 0, document_type=document_type))
    return rows


def _cells(row: _Row) -> list[str]:
    # Stripped: cells imported from Word or spreadsheets often carry stray spaces and line breaks at their ends.
    document_type = row.document_type
    return [
        row.activity.strip() if row.first_of_activity else "",
        document_type.name.strip(),
        _or_dash(document_type.analog_format),
        _or_dash(document_type.analog_storage),
        _or_dash(document_type.digital_format),
        _or_dash(document_type.digital_storage),
        _or_dash(document_type.retention_text),
        _or_dash(document_type.archival_format),
        document_type.remarks.strip(),
    ]


def _joined(*parts: str) -> str:
    return " ".join(part.strip() for part in parts if part.strip())


def _level_heading(label: str, level: Any) -> str:
    """'Process 2.9.2.1 Name'; "" for a level the plan does not have (no code, no name: not printed)."""
    from insyn.records.headings import level_heading

    text = level_heading(level)
    return _joined(label, text) if text else ""


def _labels(jrwa: bool) -> dict[str, str]:
    return {
        "title": _("Records retention plan"),
        "adopted": _("Adopted by, date and paragraph"),
        "version": _("Version"),
        "revision": _("Revision: date and paragraph"),
        "revision_concerns": _("The revision concerns"),
        "activity": _("Symbol") if jrwa else _("Activity"),
        "document_type": _("Document type"),
        "analogue": _("Analogue documents"),
        "digital": _("Digital documents"),
        "format": _("Format"),
        "storage": _("Storage"),
        "retention": _("Archival category") if jrwa else _("Retain/Dispose"),
        "archival_format": _("Format at archiving"),
        "remarks": _("Remarks"),
        "page": _("Page"),
        "of": pgettext("page X of Y", "of"),
    }


def _data(plan: PlanData, generated_on: datetime.date, language: str) -> dict[str, Any]:
    """Everything the layout prints, as strings: labels in `language`, the plan's text as written."""
    jrwa = plan.classification == "jrwa"
    labels = _labels(jrwa)
    # A plan without an adoption date is a draft: the organ it is meant for is not printed as if it had adopted it.
    adopted = f"{plan.adopted_by.strip()}, {plan.adopted_on}".lstrip(", ") if plan.adopted_on else ""
    title = _joined(labels["title"] + ":", plan.title)
    footer = " · ".join(
        [
            *([f"{labels['version']} {plan.version}"] if plan.version else []),
            plan.adopted_on or _("Draft"),
            f"{_('printed')} {generated_on.isoformat()}",
        ]
    )
    revisions = [
        [_with_paragraph(revision.date, revision.paragraph), revision.description, revision.version or _EMPTY]
        for revision in plan.revisions
    ] or [[_EMPTY, _EMPTY, _EMPTY]]
    return {
        "language": language,
        # The plan's own text keeps its language (hyphenation) whatever language the labels are in.
        "content_language": "pl" if jrwa else "sv",
        "document_title": title,
        "author": [plan.organisation] if plan.organisation else [],
        "description": plan.scope or None,
        "date": [generated_on.year, generated_on.month, generated_on.day],
        "labels": labels,
        "header": " · ".join(part for part in (labels["title"], plan.title, plan.organisation) if part),
        "footer": footer,
        "subtitles": [part for part in (plan.title, plan.scope, plan.organisation) if part],
        "adopted": _with_paragraph(adopted, plan.paragraph) if adopted else _("Draft"),
        "version": plan.version or _EMPTY,
        "revisions": revisions,
        "areas": [
            {
                "heading": _level_heading(_("Business area"), area),
                "description": area.description.strip(),
                "groups": [
                    {
                        "heading": _level_heading(_("Process group"), group),
                        "description": group.description.strip(),
                        "processes": [
                            {
                                "heading": _level_heading(_("Process"), process),
                                "description": process.description.strip(),
                                "rows": [_cells(row) for row in _rows(process)],
                            }
                            for process in group.processes
                        ],
                    }
                    for group in area.groups
                ],
            }
            for area in plan.areas
        ],
    }


class PdfRenderError(RuntimeError):
    """Typst could not typeset the plan (a bug in the layout, or the renderer was killed)."""


def _typeset(data: dict[str, Any], created: datetime.datetime) -> bytes:
    # In a child process (typst_render.py says why). Fonts: the system's DejaVu Sans (`make system-deps`),
    # else Typst's embedded fonts; nothing is fetched, as the layout uses no Typst packages.
    request = {
        "template": str(TEMPLATE),
        "root": str(TEMPLATE.parent),
        "inputs": {"plan": json.dumps(data, ensure_ascii=False)},
        "standard": PDF_STANDARD,
        "timestamp": int(created.timestamp()),
    }
    completed = subprocess.run(  # noqa: S603 - our own script, run by this interpreter, no shell
        [sys.executable, "-I", str(_RENDERER)],
        input=json.dumps(request).encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if completed.returncode != 0 or not completed.stdout.startswith(b"%PDF-"):
        message = completed.stderr.decode("utf-8", "replace").strip()
        raise PdfRenderError(f"Typst failed (exit status {completed.returncode}): {message}")
    return completed.stdout


def export_pdf(plan: PlanData, *, generated_on: datetime.date | None = None, language: str = "sv") -> bytes:
    """Render `plan` as a PDF/A-2b file: landscape A4, one table per process, page numbers and version in the footer.

    `generated_on` is printed in the footer ("printed …") and is the document's creation date in its
    metadata; it defaults to today so that two exports of the same plan on the same day are comparable.
    """
    if generated_on is None:
        generated_on = timezone.localdate()
    with translation.override(language):
        data = _data(plan, generated_on, language)
    return _typeset(data, datetime.datetime.combine(generated_on, datetime.time(), tzinfo=datetime.UTC))
