"""Reading the taxonomy: Insyn's built-in terms for everyone, a municipality's own terms for its people."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.exceptions import NotFoundError
from insyn.core.permissions import actor_scope
from insyn.privacy.models import TaxonomyTerm

VIEW_TERM = "privacy.view_taxonomyterm"


def taxonomy_terms(*, actor: Actor, kind: str | None = None) -> QuerySet[TaxonomyTerm]:
    """The built-in terms and those of the municipalities where the actor may view the taxonomy."""
    scope = actor_scope(actor)
    terms = TaxonomyTerm.objects.all()
    if not scope.is_superuser:
        terms = terms.filter(Q(municipality__isnull=True) | Q(municipality_id__in=scope.municipalities_with(VIEW_TERM)))
    if kind:
        terms = terms.filter(kind=kind)
    return terms.select_related("municipality").order_by("kind", "municipality_id", "position", "key")


def local_terms(*, actor: Actor) -> QuerySet[TaxonomyTerm]:
    """Only municipalities' own terms (what the DPO's admin list edits)."""
    return taxonomy_terms(actor=actor).filter(municipality__isnull=False)


def access_term(*, actor: Actor, pk: Any) -> TaxonomyTerm:
    """A term the actor may see; the same NotFoundError for missing and not yours."""
    try:
        return taxonomy_terms(actor=actor).get(pk=pk)
    except (TaxonomyTerm.DoesNotExist, ValueError, TypeError):
        raise NotFoundError(_("No such taxonomy term.")) from None


def term_by_key(*, municipality_id: int | None, kind: str, key: str) -> TaxonomyTerm | None:
    """The term an activity names by `key`: the municipality's own first, else Insyn's built-in one.

    Internal to services (register saving, imports): it takes a municipality, not an actor, because the
    caller has already checked the actor's right to write that municipality's register."""
    own = None
    if municipality_id is not None:
        own = TaxonomyTerm.objects.filter(municipality_id=municipality_id, kind=kind, key=key).first()
    return own or TaxonomyTerm.objects.filter(municipality__isnull=True, kind=kind, key=key).first()
