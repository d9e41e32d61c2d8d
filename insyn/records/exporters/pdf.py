"""The plan as a printable PDF/A document, laid out like a Swedish dokumenthanteringsplan.

The adoption header comes first, then per area and process group a box with its
description, then per process one table with the columns of a real plan
(Aktivitet | Handlingstyp | Analoga dokument: Format, Förvaring | Digitala
dokument: Format, Förvaring | Bevaras/Gallras | Format vid arkivering |
Anmärkning). Labels come from the template's `{% trans %}` strings, so the same
plan prints in Swedish, Polish or English.

PDF/A-2b rather than PDF/A-3b: the export embeds no files, PDF/A-2 is the
variant archives (Riksarkivet, E-ARK) accept without reservation, and level B
(visual fidelity) is what WeasyPrint produces without a tagged structure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import weasyprint
from django.template.loader import render_to_string
from django.utils import timezone, translation

from insyn.records.plandata import DocumentTypeData, PlanData, ProcessData

TEMPLATE_NAME = "records/plan_pdf.html"
PDF_VARIANT = "pdf/a-2b"
# Nothing is fetched (the template has no images or stylesheets), but relative URLs need a base.
_BASE_URL = Path(__file__).resolve().parent.parent / "templates" / "records"
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


def _cells(row: DocumentTypeData) -> dict[str, str]:
    # Stripped: cells imported from Word or spreadsheets often carry stray spaces and line breaks at their ends.
    return {
        "name": row.name.strip(),
        "analog_format": _or_dash(row.analog_format),
        "analog_storage": _or_dash(row.analog_storage),
        "digital_format": _or_dash(row.digital_format),
        "digital_storage": _or_dash(row.digital_storage),
        "retention_text": _or_dash(row.retention_text),
        "archival_format": _or_dash(row.archival_format),
        "remarks": row.remarks.strip(),
    }


def _context(plan: PlanData, generated_on: datetime.date, language: str) -> dict[str, Any]:
    # A plan without an adoption date is a draft: the organ it is meant for is not printed as if it had adopted it.
    adopted = f"{plan.adopted_by.strip()}, {plan.adopted_on}".lstrip(", ") if plan.adopted_on else ""
    areas = [
        {
            "area": area,
            "groups": [
                {
                    "group": group,
                    "processes": [
                        {
                            "process": process,
                            "rows": [{"row": row, "cells": _cells(row.document_type)} for row in _rows(process)],
                        }
                        for process in group.processes
                    ],
                }
                for group in area.groups
            ],
        }
        for area in plan.areas
    ]
    return {
        "plan": plan,
        "language": language,
        # The plan's own text keeps its language (hyphenation) whatever language the labels are in.
        "content_language": "pl" if plan.classification == "jrwa" else "sv",
        "jrwa": plan.classification == "jrwa",
        "adopted": _with_paragraph(adopted, plan.paragraph) if adopted else "",
        "revisions": [
            {"revision": revision, "date_and_paragraph": _with_paragraph(revision.date, revision.paragraph)}
            for revision in plan.revisions
        ],
        "areas": areas,
        "generated_on": generated_on.isoformat(),
    }


def export_pdf(plan: PlanData, *, generated_on: datetime.date | None = None, language: str = "sv") -> bytes:
    """Render `plan` as a PDF/A-2b file: landscape A4, one table per process, page numbers and version in the footer.

    `generated_on` is printed in the footer ("printed …") and is the document's creation date in its
    metadata; it defaults to today so that two exports of the same plan on the same day are comparable.
    """
    if generated_on is None:
        generated_on = timezone.localdate()
    with translation.override(language):
        html = render_to_string(TEMPLATE_NAME, _context(plan, generated_on, language))
    document = weasyprint.HTML(string=html, base_url=str(_BASE_URL))
    pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
