"""The admin search's hits among elected officials (`insyn.core.search`): names only, shown as in the list."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.search import SearchHit
from insyn.officials import selectors


def search(*, actor: Actor, query: str, limit: int) -> list[SearchHit]:
    """Persons whose given or family name holds the query. Nothing else is searched (an e-mail address or an
    identity number would be found through a person whose protected identity hides them), and what a hit
    shows comes from `person_view`, masked as in the persons list."""
    persons = selectors.person_list(actor=actor, search=query).order_by("family_name", "given_name")[:limit]
    kind = _("Elected officials")
    hits = []
    for person in persons:
        shown = selectors.person_view(actor=actor, person=person)
        details = [str(shown[key]) for key in ("title", "party") if shown.get(key)]
        hits.append(
            SearchHit(
                kind=kind,
                title=str(shown["name"]),
                url=reverse("officials_person_detail", args=[person.pk]),
                description=" · ".join([*details, person.municipality.name]),
            )
        )
    return hits
