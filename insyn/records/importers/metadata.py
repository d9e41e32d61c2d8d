"""Plan metadata (title, adoption, version …) as key/value rows, and process descriptions in prose.

Our XLSX/ODS exports keep the metadata in a sheet "Plan": column A the label, column B the
value (a revision row has date, paragraph, description and version in B–E). CSV has no second
sheet: the same rows come first, the label cell written as "# Label: value".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from insyn.records.importers.columns import clean, normalize, strip_markup
from insyn.records.importers.values import CLASSIFICATIONS, decision, iso_date
from insyn.records.plandata import PlanData, PlanFileError, RevisionData

# (PlanData attribute, label we write); "revision" rows repeat, one per RevisionData.
METADATA_LABELS: tuple[tuple[str, str], ...] = (
    ("title", "Titel"),
    ("organisation", "Organisation"),
    ("adopted_by", "Antagen av"),
    ("adopted_on", "Antagen datum"),
    ("paragraph", "Paragraf"),
    ("version", "Version"),
    ("status", "Status"),
    ("scope", "Omfattning"),
    ("classification", "Klassificering"),
)
REVISION_LABEL = "Revidering"

_KEYS: dict[str, str] = {normalize(label): key for key, label in METADATA_LABELS} | {
    normalize(key): key for key, _ in METADATA_LABELS
}
_KEYS.update(
    {
        "organ": "organisation",
        "arkivbildare": "organisation",
        "faststalld av": "adopted_by",
        "beslutsdatum": "adopted_on",
        "antagen": "adopted_on",
        "revidering": "revision",
        "revision": "revision",
        "revisions": "revision",
    }
)
METADATA_SHEET = "Plan"


@dataclass
class MetadataRow:
    row: int  # 1-based, as the spreadsheet shows it
    label: str
    values: list[str]


def csv_comment(cells: list[str]) -> MetadataRow | None:
    """'# Titel: Dokumenthanteringsplan' (further values in the next cells) → a metadata row."""
    first = cells[0].strip() if cells else ""
    if not first.startswith("#"):
        return None
    label, _, value = first[1:].partition(":")
    return MetadataRow(row=0, label=label.strip(), values=[value.strip(), *cells[1:]])


def apply_metadata(plan: PlanData, rows: list[MetadataRow], *, file: str) -> None:
    """Overwrite the plan's metadata with what the rows say; unknown labels are left alone."""
    revisions: list[RevisionData] = []
    seen: set[str] = set()
    for entry in rows:
        key = _KEYS.get(normalize(entry.label))
        seen.add(key or "")
        values = [clean(value) for value in entry.values]
        value = values[0] if values else ""
        try:
            if key == "revision":
                date, paragraph, description, version = (*values, "", "", "", "")[:4]
                revisions.append(
                    RevisionData(date=iso_date(date), paragraph=paragraph, description=description, version=version)
                )
            elif key == "adopted_on":
                plan.adopted_on = iso_date(value) if value else None
            elif key == "classification":
                if value and value not in CLASSIFICATIONS:
                    message = _("classification “%(value)s” is not one of %(choices)s")
                    raise ValueError(message % {"value": value, "choices": ", ".join(CLASSIFICATIONS)})
                plan.classification = value or "sv"
            elif key == "status":
                plan.status = value or "draft"
            elif key is not None:
                setattr(plan, key, value)
        except ValueError as error:
            raise PlanFileError(str(error), file=file, row=entry.row or None, column=entry.label) from None
    if revisions:
        plan.revisions = revisions
    if "organisation" not in seen and not plan.organisation:
        plan.organisation = plan.adopted_by


def metadata_rows(plan: PlanData) -> list[list[str]]:
    """The rows of the "Plan" sheet for `plan` (label, value …)."""
    rows: list[list[str]] = []
    for key, label in METADATA_LABELS:
        value = getattr(plan, key)
        rows.append([label, value or ""])
    for revision in plan.revisions:
        rows.append([REVISION_LABEL, revision.date, revision.paragraph, revision.description, revision.version])
    return rows


def adoption_from_cell(plan: PlanData, decision_text: str, version: str) -> None:
    """'Kommunstyrelsen, 2016-11-28 § 208' + '1.0' → adopted_by, adopted_on, paragraph, version."""
    plan.adopted_by, plan.adopted_on, plan.paragraph = decision(decision_text)
    plan.version = version
    plan.organisation = plan.organisation or plan.adopted_by


def revision_from_cells(date_and_paragraph: str, description: str, version: str) -> RevisionData:
    """'2018-03-12 § 45' | what changed | '1.1' → RevisionData (the organ, if named, is dropped)."""
    _, date, paragraph = decision(date_and_paragraph)
    return RevisionData(date=date, paragraph=paragraph, description=description, version=version)


_ITALIC = re.compile(r"<i>(.*?)</i>", re.DOTALL | re.IGNORECASE)


def description_segments(raw: str) -> tuple[str, list[tuple[str, str]]]:
    """'Intro <i>Name</i> text <i>Other</i> more' → ('Intro', [('Name', 'text'), ('Other', 'more')]).

    A process group's description in the Torsby layout names each process in italics and
    follows it with that process's description.
    """
    parts = _ITALIC.split(raw)
    intro = " ".join(strip_markup(parts[0]).split())
    segments = [
        (" ".join(strip_markup(name).split()), " ".join(strip_markup(text).split()))
        for name, text in zip(parts[1::2], parts[2::2], strict=True)
    ]
    return intro, segments


def strip_label(text: str, *labels: str) -> str:
    """'Beskrivning Information och …' → 'Information och …'."""
    for label in labels:
        match = re.match(rf"^{label}\s*:?\s+", text, re.IGNORECASE)
        if match:
            return text[match.end() :]
    return text
