"""The admin's search across every Insyn app: one loop over the providers the apps declare.

Each app lists `search(*, actor, query, limit) -> list[SearchHit]` in its `AppConfig.search_providers`
(`insyn.core.registry`). A provider reads through its app's selectors, so a hit is something the actor
may see in that app's own list, shown as it is shown there (persons masked, say).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from insyn.core import selectors
from insyn.core.actor import Actor
from insyn.core.registry import import_string, search_providers

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class SearchHit:
    kind: str  # the translated name of what was found ("Governing documents")
    title: str
    url: str
    description: str = ""


def normalise_query(query: str) -> str:
    return " ".join(query.split())[:MAX_QUERY_LENGTH]


def search_all(*, actor: Actor, query: str, limit: int = 20) -> list[SearchHit]:
    """Hits of every app, each provider giving at most `limit` per kind, in INSTALLED_APPS order."""
    query = normalise_query(query)
    if not query or not getattr(actor, "is_authenticated", False):
        return []
    hits: list[SearchHit] = []
    for dotted in search_providers():
        provider = cast(Callable[..., list[SearchHit]], import_string(dotted))
        hits.extend(provider(actor=actor, query=query, limit=limit))
    return hits


def search(*, actor: Actor, query: str, limit: int) -> list[SearchHit]:
    """Governing documents (title, registration number, decision body) and organisations, of the actor's reach."""
    from django.db.models import Q

    from insyn.core.forms import organisation_label

    kind = str(_("Governing documents"))
    documents = (
        selectors.governing_document_list(actor=actor)
        .filter(Q(title__icontains=query) | Q(registration_number__icontains=query) | Q(decision_body__icontains=query))
        .select_related("organisation__municipality")
        .order_by("title")[:limit]
    )
    hits = [
        SearchHit(
            kind=kind,
            title=str(document),
            url=reverse("governing_documents:inspect", args=[document.pk]),
            description=f"{document.get_document_type_display()} · {organisation_label(document.organisation)}",
        )
        for document in documents
    ]
    kind = str(_("Organisations"))
    organisations = (
        selectors.organisation_list(actor=actor)
        .filter(Q(name__icontains=query) | Q(short_name__icontains=query) | Q(organisation_number=query))
        .select_related("municipality")[:limit]
    )
    hits += [
        SearchHit(
            kind=kind,
            title=organisation_label(organisation),
            url=reverse("organisations:inspect", args=[organisation.pk]),
            description=organisation.get_kind_display(),
        )
        for organisation in organisations
    ]
    return hits
