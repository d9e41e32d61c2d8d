"""One entry point for every export format (CLI, admin buttons, API and public site use it)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import slugify

from insyn.core.exceptions import ValidationFailed
from insyn.records.models import RetentionPlan
from insyn.records.plandata import PlanData
from insyn.records.selectors import plan_data

CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


# A render task started longer ago than this is taken for dead (its worker was killed) and may be queued again.
RENDER_STALE_AFTER = dt.timedelta(minutes=30)


def _pdf_name(plan: RetentionPlan, language: str, data: PlanData | None = None) -> str:
    if plan.status == "draft":
        # A draft changes under its plan row: name its PDF after its content, so an edit gets a fresh file.
        from insyn.records import exporters

        digest = hashlib.sha256(exporters.export_json(data or plan_data(plan))).hexdigest()[:16]
        return f"records/pdf/plan-{plan.pk}-draft-{digest}-{language}.pdf"
    # updated_at in the name: a plan whose status changes (adopted → replaced) gets a fresh file.
    stamp = plan.updated_at.strftime("%Y%m%d%H%M%S%f") if plan.updated_at else "0"
    return f"records/pdf/plan-{plan.pk}-{stamp}-{language}.pdf"


def stored_pdf(plan: RetentionPlan, language: str) -> bytes | None:
    """The PDF rendered earlier for this plan (as it is now) in `language`, or None."""
    name = _pdf_name(plan, language)
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return bytes(handle.read())


def render_pdf(plan: RetentionPlan, language: str) -> bytes:
    """Render the PDF and store it under its name (for the background task and the CLI, never a request)."""
    from insyn.records.exporters.pdf import export_pdf

    data = plan_data(plan)  # read once: the name and the PDF describe the same content
    name = _pdf_name(plan, language, data)
    content = export_pdf(data, language=language)
    if not default_storage.exists(name):  # two renders of the same plan at once: the first stored wins
        default_storage.save(name, ContentFile(content))
    if plan.status == "draft":
        _delete_older_drafts(plan, language, keep=name)
    return content


def _delete_older_drafts(plan: RetentionPlan, language: str, *, keep: str) -> None:
    folder = "records/pdf"
    prefix, suffix = f"plan-{plan.pk}-draft-", f"-{language}.pdf"
    _dirs, files = default_storage.listdir(folder)
    for filename in files:
        if filename.startswith(prefix) and filename.endswith(suffix) and f"{folder}/{filename}" != keep:
            default_storage.delete(f"{folder}/{filename}")


def _pending_renders(plan: RetentionPlan) -> list[tuple[str | None, bool]]:
    """(language or None for all, still live) of every render task queued or running for `plan`.

    Read from the task backend itself: the database backend's table, or the dummy backend's list
    (tests). Other backends (immediate) have nothing pending: their tasks run at once.
    """
    from django_tasks.base import TaskResultStatus

    from insyn.records.tasks import render_plan_pdfs

    backend = render_plan_pdfs.get_backend()
    found: list[tuple[str | None, bool]] = []
    stale_before = timezone.now() - RENDER_STALE_AFTER
    if type(backend).__module__.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        rows = DBTaskResult.objects.filter(
            task_path=render_plan_pdfs.module_path,
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
        ).values_list("status", "started_at", "args_kwargs")
        for status, started_at, args_kwargs in rows:
            args, kwargs = args_kwargs.get("args", []), args_kwargs.get("kwargs", {})
            if (kwargs.get("plan_id", args[0] if args else None)) != plan.pk:
                continue
            live = status == TaskResultStatus.READY or (started_at is not None and started_at >= stale_before)
            found.append((kwargs.get("language", args[1] if len(args) > 1 else None), live))
    for result in getattr(backend, "results", []):  # the dummy backend keeps its queue in a list
        if result.task.module_path == render_plan_pdfs.module_path and result.status == TaskResultStatus.READY:
            kwargs = result.kwargs
            if kwargs.get("plan_id", result.args[0] if result.args else None) == plan.pk:
                found.append((kwargs.get("language"), True))
    return found


def pdf_render_requested(plan: RetentionPlan, language: str) -> bool:
    """Queue the render of `plan`'s PDF in `language` unless one is queued or running; True if queued now."""
    from insyn.records.tasks import render_plan_pdfs

    if any(live and pending in (None, language) for pending, live in _pending_renders(plan)):
        return False
    render_plan_pdfs.enqueue(plan_id=plan.pk, language=language)
    return True


def export_plan(plan: RetentionPlan, fmt: str, *, language: str = "sv") -> bytes:
    """The plan in `fmt`. A PDF is served from storage when rendered before, else rendered and stored
    (a 5,000-row plan takes seconds, bench/plan_pdf.py): requests use `stored_pdf` and
    `pdf_render_requested` instead, so that no request renders one."""
    from insyn.records import exporters

    if fmt == "pdf":
        stored = stored_pdf(plan, language)
        return stored if stored is not None else render_pdf(plan, language)
    data = plan_data(plan)
    writers = {
        "json": exporters.export_json,
        "xlsx": exporters.export_xlsx,
        "csv": exporters.export_csv,
        "ods": exporters.export_ods,
    }
    if fmt not in writers:
        raise ValidationFailed(f"Unknown export format: {fmt}")
    return writers[fmt](data)


def export_filename(plan: RetentionPlan, fmt: str) -> str:
    version = f"-v{plan.version}" if plan.version else ""
    return f"{slugify(plan.title) or 'plan'}{version}.{fmt}"
