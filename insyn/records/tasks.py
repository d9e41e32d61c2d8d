from __future__ import annotations

from django.conf import settings
from django_tasks import task

from insyn.records.export import render_pdf, stored_pdf
from insyn.records.models import RetentionPlan


@task()
def render_plan_pdfs(plan_id: int, language: str | None = None) -> int:
    """Render and store a plan's PDF, so no request waits for it; return how many were rendered.

    Without `language` (on adoption): an adopted plan in every language. With it (a request found
    no stored PDF): that language, for drafts too. A PDF stored already is not rendered again.
    """
    plan = RetentionPlan.objects.select_related("organisation").filter(pk=plan_id).first()
    if plan is None or (plan.status == "draft" and language is None):
        return 0
    languages = [language] if language else [code for code, _name in settings.LANGUAGES]
    rendered = 0
    for code in languages:
        if stored_pdf(plan, code) is None:
            render_pdf(plan, code)
            rendered += 1
    return rendered
