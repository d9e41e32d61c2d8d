"""One entry point for every export format (CLI, admin buttons, API and public site use it)."""

from __future__ import annotations

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


def export_plan(plan: RetentionPlan, fmt: str, *, language: str = "sv") -> bytes:
    from insyn.records import exporters
    from insyn.records.exporters.pdf import export_pdf

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
