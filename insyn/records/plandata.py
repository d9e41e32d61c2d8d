"""The plan as plain data: what importers produce, exporters consume, and the JSON export is.

This is the single contract between file formats and the database: every
importer returns a `PlanData`, `services.plan_import` writes one, and
`selectors.plan_data` reads one back. Its `to_dict()` is the JSON export shape.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


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
        for area in data["areas"]:
            for group in area["groups"]:
                for process in group["processes"]:
                    for activity in process["activities"]:
                        for row in activity["document_types"]:
                            row.pop("source_row", None)
                            for optional in ("sorting", "delivery_deadline", "original_or_copy"):
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
    """A file could not be read as a plan; names the file, row and column."""

    def __init__(self, message: str, *, file: str, row: int | None = None, column: str | None = None) -> None:
        self.file = file
        self.row = row
        self.column = column
        where = file
        if row is not None:
            where += f", row {row}"
        if column:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
        self.message = message
