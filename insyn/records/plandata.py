"""The plan as plain data: what importers produce, exporters consume, and the JSON export is.

This is the single contract between file formats and the database: every
importer returns a `PlanData`, `services.plan_import` writes one, and
`selectors.plan_data` reads one back. Its `to_dict()` is the JSON export shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Document type keys the JSON export leaves out when they are empty.
OPTIONAL_DOCUMENT_KEYS = (
    "sorting",
    "delivery_deadline",
    "original_or_copy",
    "reference_code",
    "disposal_authority",
    "secrecy",
    "extra",
    "retention_sources",
)


@dataclass
class RetentionData:
    action: str = "unclear"  # retain | dispose | review | transfer | unclear
    period: str | None = None  # ISO 8601 duration, e.g. "P2Y", "P1M"
    trigger: str = "none"  # created | case_closed | event | obsolete | none
    trigger_event: str | None = None  # e.g. "end_of_employment", "new_version"
    align: str = "none"  # none | year_end
    sampling: str | None = None  # e.g. "i urval", "datumurval"


@dataclass
class DocumentTypeData:
    name: str
    analog_format: str = ""
    analog_storage: str = ""
    digital_format: str = ""
    digital_storage: str = ""
    retention_text: str = ""
    # None from a file that has only the text: `importers.read_plan` then parses `retention_text`.
    retention: RetentionData | None = None
    archival_format: str = ""
    remarks: str = ""
    legal_reference: str = ""
    personal_data: bool | None = None
    # Columns some plans have; not in the JSON shape of the issue, exported only when set.
    sorting: str = ""
    delivery_deadline: str = ""
    original_or_copy: str = ""
    reference_code: str = ""  # the plan's own id of the row: "ID dok", "Dok-id", "Nr"
    disposal_authority: str = ""  # the legal basis of a disposal: "Gallringsföreskrift", "Gallringsbeslut"
    secrecy: str = ""  # "Sekretess": the secrecy provision (OSL) that applies, as written
    # Every non-empty cell of a column that maps to no field, keyed by the column's label as the file
    # shows it (an unlabelled column: "Kolumn H"; a repeated label: "Anmärkning (2)"), in column order.
    extra: dict[str, str] = field(default_factory=dict)
    # When separate columns together state the rule ("Bevaras" | "Gallras" | "Gallringsfrist"): each
    # column's cell verbatim, keyed by its label; `retention_text` is then their readable combination.
    retention_sources: dict[str, str] = field(default_factory=dict)
    # Where the row came from (file, row number): for error messages, never exported.
    source_row: int | None = field(default=None, compare=False, repr=False)


@dataclass
class ActivityData:
    name: str
    document_types: list[DocumentTypeData] = field(default_factory=list)


@dataclass
class ProcessData:
    code: str
    name: str
    description: str = ""
    activities: list[ActivityData] = field(default_factory=list)


@dataclass
class GroupData:
    code: str
    name: str
    description: str = ""
    processes: list[ProcessData] = field(default_factory=list)


@dataclass
class AreaData:
    code: str
    name: str
    description: str = ""
    groups: list[GroupData] = field(default_factory=list)


@dataclass
class RevisionData:
    date: str  # ISO date
    paragraph: str = ""
    description: str = ""
    version: str = ""


@dataclass
class ImportWarning:
    """Something the importer read but could not settle (two columns stating different rules).

    `message` is translated when the warning is made: the importer runs in the user's language.
    """

    row: int | None
    columns: list[str]
    message: str


@dataclass
class PlanData:
    title: str
    organisation: str = ""  # the organ's name (the archive creator)
    adopted_by: str = ""
    adopted_on: str | None = None  # ISO date
    paragraph: str = ""
    version: str = ""
    status: str = "draft"
    scope: str = ""
    classification: str = "sv"  # "sv" (verksamhetsbaserad klassificering) or "jrwa"
    areas: list[AreaData] = field(default_factory=list)
    revisions: list[RevisionData] = field(default_factory=list)
    # What the importer wants a person to look at; not part of the plan (never exported or compared).
    warnings: list[ImportWarning] = field(default_factory=list, compare=False, repr=False)

    def document_types(self) -> list[DocumentTypeData]:
        return [
            row
            for area in self.areas
            for group in area.groups
            for process in group.processes
            for activity in process.activities
            for row in activity.document_types
        ]

    def to_dict(self) -> dict[str, Any]:
        """The JSON export shape (issue #3, item 6), plus optional keys only when they hold something."""
        data = asdict(self)
        data.pop("warnings")
        for area in data["areas"]:
            for group in area["groups"]:
                for process in group["processes"]:
                    for activity in process["activities"]:
                        for row in activity["document_types"]:
                            row.pop("source_row", None)
                            for optional in OPTIONAL_DOCUMENT_KEYS:
                                if not row[optional]:
                                    row.pop(optional)
        for optional in ("scope", "revisions"):
            if not data[optional]:
                data.pop(optional)
        if data["classification"] == "sv":
            data.pop("classification")
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanData:
        def rows(items: list[dict[str, Any]]) -> list[DocumentTypeData]:
            out = []
            for item in items:
                item = dict(item)
                item["retention"] = RetentionData(**item["retention"]) if item.get("retention") else None
                out.append(DocumentTypeData(**item))
            return out

        return cls(
            title=data["title"],
            organisation=data.get("organisation", ""),
            adopted_by=data.get("adopted_by", ""),
            adopted_on=data.get("adopted_on"),
            paragraph=data.get("paragraph", ""),
            version=data.get("version", ""),
            status=data.get("status", "draft"),
            scope=data.get("scope", ""),
            classification=data.get("classification", "sv"),
            revisions=[RevisionData(**r) for r in data.get("revisions", [])],
            areas=[
                AreaData(
                    code=a["code"],
                    name=a["name"],
                    description=a.get("description", ""),
                    groups=[
                        GroupData(
                            code=g["code"],
                            name=g["name"],
                            description=g.get("description", ""),
                            processes=[
                                ProcessData(
                                    code=p["code"],
                                    name=p["name"],
                                    description=p.get("description", ""),
                                    activities=[
                                        ActivityData(act["name"], rows(act.get("document_types", [])))
                                        for act in p.get("activities", [])
                                    ],
                                )
                                for p in g.get("processes", [])
                            ],
                        )
                        for g in a.get("groups", [])
                    ],
                )
                for a in data.get("areas", [])
            ],
        )


class PlanFileError(Exception):
    """A file could not be read as a plan; names the file, sheet, row and column.

    The text is put together in the active language when the error is raised: the doors (admin,
    CLI, API) read files with the user's language active, so `str(error)` is what the user reads.
    `message` is what is wrong, without the place.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str,
        row: int | None = None,
        column: str | None = None,
        sheet: str | None = None,
    ) -> None:
        from django.utils.translation import gettext

        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.message = str(message)
        where = [file]
        if sheet:
            where.append(gettext("sheet “%(sheet)s”") % {"sheet": sheet})
        if row is not None:
            where.append(gettext("row %(row)s") % {"row": row})
        if column:
            where.append(gettext("column '%(column)s'") % {"column": column})
        super().__init__(gettext("%(place)s: %(message)s") % {"place": ", ".join(where), "message": self.message})

    def at_sheet(self, sheet: str | None) -> PlanFileError:
        """The same error, naming the sheet it was found in."""
        return PlanFileError(self.message, file=self.file, row=self.row, column=self.column, sheet=sheet)
