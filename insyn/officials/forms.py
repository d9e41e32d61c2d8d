"""Form fields for choosing an elected official (officials' own forms, and loans' checkout).

Two officials may share a name. A choice says which one is meant: the organs of the person's
current memberships ("Anna Lindberg (Barn- och utbildningsnämnden, Kommunstyrelsen)"), or, without
any, the birth year from the identity number ("Anna Lindberg (1981)"). A person with protected
identity is shown by name only, always: neither organs nor a year.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from insyn.core.actor import Actor
from insyn.core.forms import OrganisationChoiceField
from insyn.core.models import Organisation
from insyn.officials.models import Person
from insyn.officials.selectors import (
    current_memberships,
    import_municipalities,
    organisation_parents,
    with_current_memberships,
)


def _birth_year(national_id: str) -> str:
    digits = national_id.replace("-", "").replace("+", "")
    return digits[:4] if len(digits) == 12 and digits[:4].isdigit() else ""


def person_choice_label(person: Person) -> str:
    """The name, and what tells it apart from a namesake (see the module's docstring).

    Uses `person.current_memberships` when the queryset came through `with_current_memberships`
    (as `PersonChoiceField`'s does); otherwise one query for this person.
    """
    if person.protected_identity:
        return person.name
    organs = list(dict.fromkeys(m.organisation.name for m in current_memberships(person)))
    if organs:
        return f"{person.name} ({', '.join(organs)})"
    year = _birth_year(person.national_id)
    return f"{person.name} ({year})" if year else person.name


class PersonChoiceField(forms.ModelChoiceField[Person]):
    """A ModelChoiceField of persons labelled by `person_choice_label`, in two queries however many.

    Whatever queryset it is given (a selector's, a scoped one), it prefetches the current memberships
    with their organs, so the options cost one query for the persons and one for their memberships.
    """

    def __init__(self, queryset: QuerySet[Person] | None = None, **kwargs: Any) -> None:
        super().__init__(queryset=Person.objects.none() if queryset is None else queryset, **kwargs)

    def _set_queryset(self, queryset: QuerySet[Person] | None) -> None:
        super()._set_queryset(None if queryset is None else with_current_memberships(queryset))  # type: ignore[misc]

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)  # type: ignore[attr-defined]

    def label_from_instance(self, obj: Person) -> str:
        return person_choice_label(obj)


class OfficialsImportForm(forms.Form):
    """Upload of a register file (Popolo JSON, CSV, XLSX) for a preview, then a confirmation.

    The municipality and the place of new organisations are chosen among the actor's own: another
    municipality's id is not a valid choice.
    """

    file = forms.FileField(
        label=_("File"), help_text=_("Popolo JSON, or CSV/XLSX with one row per membership (see the user guide).")
    )
    municipality = OrganisationChoiceField(queryset=Organisation.objects.none(), label=_("Municipality"))
    parent = OrganisationChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Create new organisations under"),
        required=False,
        help_text=_(
            "Organisations the file names that the municipality does not have yet are created here, after you "
            "have seen them in the preview. Empty: directly under the municipality."
        ),
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality: Any = self.fields["municipality"]
        municipality.queryset = import_municipalities(actor=actor)
        if len(municipality.queryset) == 1:
            municipality.initial = municipality.queryset[0].pk
            municipality.widget = forms.HiddenInput()
        parents = organisation_parents(actor=actor)
        if parents.exists():
            parent: Any = self.fields["parent"]
            parent.queryset = parents
        else:
            del self.fields["parent"]  # no right to create organisations: the preview will say what is missing
