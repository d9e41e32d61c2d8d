"""One entry point for every export format (CLI, admin buttons, API and public site use it)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.text import slugify

from insyn.core.exceptions import ValidationFailed
from insyn.records.models import RetentionPlan
from insyn.records.selectors import plan_data

CONTENT_TYPES = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def _pdf_name(plan: RetentionPlan, language: str) -> str:
    # updated_at in the name: a plan whose status changes (adopted → replaced) gets a fresh file.
    stamp = plan.updated_at.strftime("%Y%m%d%H%M%S%f") if plan.updated_at else "0"
    return f"records/pdf/plan-{plan.pk}-{stamp}-{language}.pdf"


def export_plan(plan: RetentionPlan, fmt: str, *, language: str = "sv") -> bytes:
    from insyn.records import exporters
    from insyn.records.exporters.pdf import export_pdf

    if fmt == "pdf" and plan.status != "draft":
        # An adopted plan never changes: render its PDF once (a 5,000-row plan takes over a minute,
        # bench/plan_import.py) and serve the stored file from then on.
        name = _pdf_name(plan, language)
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                return bytes(handle.read())
        content = export_pdf(plan_data(plan), language=language)
        default_storage.save(name, ContentFile(content))
        return content
    data = plan_data(plan)
    if fmt == "pdf":
        return export_pdf(data, language=language)
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
