"""What the records services share: permission names, the draft check, the search text, "not given"."""

from __future__ import annotations

from typing import Literal, TypeAlias, TypeVar

from django.db import transaction

from insyn.core.services import Unchanged
from insyn.records.exceptions import PlanFrozen
from insyn.records.models import DocumentType, PlanStatus, RetentionPlan
from insyn.records.rules import fold

CHANGE_PLAN = "records.change_retentionplan"
ADD_PLAN = "records.add_retentionplan"


# A keyword left out (core's UNCHANGED) of an update keeps the field's value; of a create, the model's default.
T = TypeVar("T")
Maybe: TypeAlias = T | Literal[Unchanged.UNCHANGED]


def require_draft(plan: RetentionPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise PlanFrozen()


def search_text(row: DocumentType, activity_name: str, process: str) -> str:
    parts = [
        row.name,
        activity_name,
        process,
        row.analog_format,
        row.analog_storage,
        row.digital_format,
        row.digital_storage,
        row.retention_text,
        row.archival_format,
        row.remarks,
        row.legal_reference,
    ]
    return fold(" ".join(p for p in parts if p))


def render_pdfs_later(plan_id: int) -> None:
    """Queue the plan's PDFs once the transaction commits (nothing if it rolls back)."""
    from insyn.records.tasks import render_plan_pdfs

    transaction.on_commit(lambda: render_plan_pdfs.enqueue(plan_id=plan_id))
