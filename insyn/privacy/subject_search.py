"""The contract of the subject search (filled in by its part): what a search finds and how it is asked.

Other parts (extracts, erasure, the request flow) import these names only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SubjectQuery:
    national_id: str = ""  # verified personnummer / samordningsnummer (any common spelling)
    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()


@dataclass
class ActivityRef:
    """The register activity a hit belongs to (by `ProcessingActivity.system_models`)."""

    id: int
    name: str
    controller: str
    purposes: list[str]
    legal_bases: list[dict[str, str]]  # [{"article": "6.1.e", "label": …, "reference": …}]
    retention: dict[str, Any]  # {"text", "document_types": [DocumentTypeRef …]}
    # Only an approved activity may decide what erasure does; a draft is shown but decides nothing.
    approved: bool = True


@dataclass
class SubjectHit:
    model_label: str  # "loans.loan"
    object_id: str
    module: str  # app label: "officials", "loans", "core" …
    kind: str  # the model's verbose name in the active language ("loan")
    label: str  # what the place is, for a person to read ("iPad 12, lent 2024-03-01")
    fields: dict[str, str]  # personal-data field → value as the actor may see it (masked otherwise)
    activities: list[ActivityRef] = field(default_factory=list)
    matched_by: str = ""  # "national_id", "email", "name", "link" (reached through another hit)
    instance: Any = None  # the model instance (never serialised)


@dataclass
class SubjectSearchResult:
    query: SubjectQuery
    hits: list[SubjectHit]
    truncated: bool = False  # more than the per-model cap were found; the extract says so

    def by_module(self) -> dict[str, list[SubjectHit]]:
        grouped: dict[str, list[SubjectHit]] = {}
        for hit in self.hits:
            grouped.setdefault(hit.module, []).append(hit)
        return grouped


def subject_search(*, actor: Any, municipality_id: int, query: SubjectQuery, audit: bool = True) -> SubjectSearchResult:
    """Every place Insyn holds the person's data within one municipality, through the personal-data registry.

    Needs `privacy.view_subject_data` in that municipality (NotFoundError otherwise, as for a stranger).
    Writes one audit entry (action read, the query masked) unless `audit=False` (the caller audits)."""
    from insyn.privacy.selectors.subject import search

    result = search(actor=actor, municipality_id=municipality_id, query=query)
    if audit:
        audit_search(actor=actor, municipality_id=municipality_id, query=query, hits=len(result.hits))
    return result


def audit_search(*, actor: Any, municipality_id: int, query: SubjectQuery, hits: int, what: str = "search") -> None:
    """One audit entry for a search or an extract: who asked, in which municipality, the query masked."""
    from insyn.core.audit import audit_record
    from insyn.core.models.audit import AuditAction
    from insyn.privacy.selectors.subject import mask_query, normalise_query

    audit_record(
        actor=actor,
        action=AuditAction.READ,
        object_type="privacy.subjectsearch",
        object_id="",
        object_label=f"subject {what}",
        organisation=municipality_id,
        changes={"query": mask_query(normalise_query(query)), "hits": hits, "what": what},
    )
