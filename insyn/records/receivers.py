"""What records itself does once a plan is adopted, connected in `RecordsConfig.ready()`.

Rendering the PDFs is work for the background worker, not part of the adoption: it runs after
the commit (never for an adoption that was rolled back), and its failure cannot undo the adoption.
The public pages need nothing: their cache key holds the plan's status and `updated_at`.
"""

from __future__ import annotations

from typing import Any


def render_pdfs_of_adopted_plan(sender: Any, *, plan_id: int, **kwargs: Any) -> None:
    from insyn.records.tasks import render_plan_pdfs

    render_plan_pdfs.enqueue(plan_id=plan_id)


def connect() -> None:
    from insyn.records.signals import plan_adopted

    plan_adopted.connect(render_pdfs_of_adopted_plan, dispatch_uid="records.render_pdfs_of_adopted_plan")
