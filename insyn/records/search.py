"""The admin search's hits among retention plans and document types (`insyn.core.search`)."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.search import SearchHit
from insyn.records import selectors


def search(*, actor: Actor, query: str, limit: int) -> list[SearchHit]:
    """Plans (title, scope) and document types (name, retention as written) the actor works with in the admin."""
    plans = (
        selectors.plan_admin_list(actor=actor)
        .filter(Q(title__icontains=query) | Q(scope__icontains=query))
        .order_by("title")[:limit]
    )
    kind = _("Retention plans")
    hits = [
        SearchHit(
            kind=kind,
            title=str(plan),
            url=reverse("records_plan_detail", args=[plan.pk]),
            description=plan.organisation.name,
        )
        for plan in plans
    ]
    document_types = (
        selectors.document_type_admin_list(actor=actor)
        .filter(Q(name__icontains=query) | Q(retention_text__icontains=query))
        .order_by("plan_id", "position")[:limit]
    )
    kind = _("Document types")
    hits += [
        SearchHit(
            kind=kind,
            title=document_type.name,
            url=reverse("records_document_types:inspect", args=[document_type.pk]),
            description=f"{document_type.activity} · {document_type.plan}",
        )
        for document_type in document_types
    ]
    return hits
