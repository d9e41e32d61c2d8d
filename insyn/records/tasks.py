from __future__ import annotations

from django.conf import settings
from django_tasks import task

from insyn.records.export import export_plan
from insyn.records.models import RetentionPlan


@task()
def render_plan_pdfs(plan_id: int) -> int:
    """Render and store an adopted plan's PDF in every language, so no request waits for it."""
    plan = RetentionPlan.objects.select_related("organisation").filter(pk=plan_id).exclude(status="draft").first()
    if plan is None:
        return 0
    for code, _name in settings.LANGUAGES:
        export_plan(plan, "pdf", language=code)
    return len(settings.LANGUAGES)


@task()
def import_pending_cleanup_daily(run_date: str | None = None) -> int:
    """Remove import-preview files older than INSYN_IMPORT_PENDING_HOURS (a day); safe to run twice."""
    from insyn.records.pending import pending_cleanup

    return pending_cleanup()
