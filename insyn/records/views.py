"""The public site's retention plans: published plans per organisation, browsable and searchable by citizens."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.views.decorators.http import require_GET

from insyn.core.exceptions import NotFoundError
from insyn.core.models import Organisation
from insyn.records import selectors
from insyn.records.models import ClassificationNode, DocumentType, RetentionPlan
from insyn.records.pdf_delivery import pdf_page_response
from insyn.records.public_pages import PageContent, cached_page

MAX_RESULTS = 200


@require_GET
def plan_index(request: HttpRequest) -> HttpResponse:
    plans = list(
        selectors.published_plans().order_by("organisation__municipality__name", "organisation__name", "title")
    )
    by_municipality: dict[Organisation, list[RetentionPlan]] = {}
    for plan in plans:
        by_municipality.setdefault(plan.organisation.municipality or plan.organisation, []).append(plan)
    return TemplateResponse(request, "records/public/index.html", {"by_municipality": by_municipality})


# Shown on the process page when not empty, labelled by the model field's name, if the model has them.
DETAIL_FIELDS = ("reference_code", "disposal_authority", "secrecy")


def _published_or_404(plan_id: int) -> RetentionPlan:
    """The plan if it is published, with only what the page cache's key needs; a render reads the rest."""
    try:
        return selectors.published_plan_stamp(pk=plan_id)
    except NotFoundError:
        raise Http404 from None


def _plan_or_404(plan_id: int) -> RetentionPlan:
    try:
        return selectors.published_plan(pk=plan_id)
    except NotFoundError:
        raise Http404 from None


def _page(request: HttpRequest, page: PageContent) -> HttpResponse:
    # The cached HTML was rendered by our own templates with autoescaping on.
    content = mark_safe(page["html"])  # noqa: S308
    return TemplateResponse(request, "records/public/page.html", {"page_title": page["title"], "content": content})


@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    """The plan's table of contents: areas, groups and processes with their counts, each process a link."""
    published = _published_or_404(plan_id)

    def render() -> PageContent:
        plan = _plan_or_404(plan_id)
        areas = selectors.plan_outline(plan)
        total = sum(area.document_type_count for area in areas)  # type: ignore[attr-defined]
        context = {"plan": plan, "areas": areas, "total": total}
        return {"title": plan.title, "html": render_to_string("records/public/plan_contents.html", context)}

    return _page(request, cached_page(published, "contents", render))


def _details(row: DocumentType, fields: list[tuple[str, str]]) -> list[tuple[str, str]]:
    details = [(label, str(getattr(row, name))) for name, label in fields if getattr(row, name, "")]
    extra: Any = getattr(row, "extra", None) or {}
    details += [(str(label), str(value)) for label, value in extra.items() if value not in ("", None)]
    return details


@require_GET
def plan_process(request: HttpRequest, plan_id: int, process_id: int) -> HttpResponse:
    """One process of the plan with its document types; the table of contents links here."""
    published = _published_or_404(plan_id)

    def render() -> PageContent:
        plan = _plan_or_404(plan_id)
        try:
            process = selectors.plan_process(plan, process_id)
        except ClassificationNode.DoesNotExist:
            raise Http404 from None
        present = {field.name for field in DocumentType._meta.get_fields()}
        fields = [
            (name, str(capfirst(DocumentType._meta.get_field(name).verbose_name)))  # type: ignore[union-attr]
            for name in DETAIL_FIELDS
            if name in present
        ]
        activities = list(process.activities.all())
        for activity in activities:
            for row in activity.document_types.all():
                row.public_details = _details(row, fields)  # type: ignore[attr-defined]
        context = {
            "plan": plan,
            "process": process,
            "activities": activities,
            "named_activities": any(activity.name for activity in activities),
        }
        title = f"{process.code} {process.name} – {plan.title}"
        return {"title": title, "html": render_to_string("records/public/process.html", context)}

    return _page(request, cached_page(published, f"process-{process_id}", render))


@require_GET
def plan_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    municipality = request.GET.get("municipality", "")
    plans = selectors.published_plans(municipality_id=int(municipality) if municipality.isdigit() else None)
    results = list(selectors.document_type_search(query=query, plans=plans)[: MAX_RESULTS + 1]) if query else []
    context = {
        "query": query,
        "results": results[:MAX_RESULTS],
        "truncated": len(results) > MAX_RESULTS,
        "municipalities": selectors.municipalities_with_published_plans(),
        "municipality": municipality,
    }
    return TemplateResponse(request, "records/public/search.html", context)


@require_GET
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(plan_id)
    # Never rendered here: the stored file, or 202 "being prepared" while the worker renders it.
    return pdf_page_response(request, plan, template="records/public/pdf_pending.html", disposition="inline")
