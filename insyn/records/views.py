"""The public site's retention plans: published plans per organisation, browsable and searchable by citizens."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from insyn.core.models import Organisation
from insyn.records import selectors
from insyn.records.export import CONTENT_TYPES, export_filename, export_plan
from insyn.records.models import PlanStatus, RetentionPlan

MAX_RESULTS = 200


def _published() -> QuerySet[RetentionPlan]:
    return RetentionPlan.objects.filter(status=PlanStatus.ADOPTED).select_related(
        "organisation", "organisation__municipality"
    )


@require_GET
def plan_index(request: HttpRequest) -> HttpResponse:
    plans = list(_published().order_by("organisation__municipality__name", "organisation__name", "title"))
    by_municipality: dict[Organisation, list[RetentionPlan]] = {}
    for plan in plans:
        by_municipality.setdefault(plan.organisation.municipality or plan.organisation, []).append(plan)
    return TemplateResponse(request, "records/public/index.html", {"by_municipality": by_municipality})


@require_GET
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(_published(), pk=plan_id)
    areas = selectors.plan_tree(plan)
    return TemplateResponse(request, "records/public/plan.html", {"plan": plan, "areas": areas})


@require_GET
def plan_search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    plans = _published()
    municipality = request.GET.get("municipality", "")
    if municipality.isdigit():
        plans = plans.filter(organisation__municipality_id=int(municipality))
    results = list(selectors.document_type_search(query=query, plans=plans)[: MAX_RESULTS + 1]) if query else []
    context = {
        "query": query,
        "results": results[:MAX_RESULTS],
        "truncated": len(results) > MAX_RESULTS,
        "municipalities": Organisation.objects.filter(
            parent=None, pk__in=_published().values("organisation__municipality_id")
        ).order_by("name"),
        "municipality": municipality,
    }
    return TemplateResponse(request, "records/public/search.html", context)


@require_GET
def plan_pdf(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(_published(), pk=plan_id)
    response = HttpResponse(export_plan(plan, "pdf", language=request.LANGUAGE_CODE), content_type=CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = f'inline; filename="{export_filename(plan, "pdf")}"'
    return response
