"""A protected identity's past values are hidden where its page hides them: History and the audit trail."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from insyn.core.exceptions import PermissionDeniedError
from insyn.core.models import AuditEntry
from insyn.core.tests.factories import make_user_with_role
from insyn.officials.models import Person
from insyn.officials.services import person_create, person_update

EMAIL = "hemlig.adress@example.se"
OLD_ADDRESS = "Skyddsvägen 1, 941 00 Nordby"
NEW_ADDRESS = "Gömda gatan 7, 941 01 Nordby"


@pytest.fixture
def protected(nordby: Any) -> Person:
    person = person_create(
        actor=nordby.administrator,
        municipality=nordby.municipality,
        given_name="Sara",
        family_name="Skyddad",
        email=EMAIL,
        address=OLD_ADDRESS,
        protected_identity=True,
    )
    return person_update(actor=nordby.administrator, person=person, address=NEW_ADDRESS)


@pytest.mark.django_db
def test_history_hides_a_protected_identitys_contacts_from_a_secretary(
    client: Any, nordby: Any, protected: Any
) -> None:
    url = reverse("officials_persons:history", args=[protected.pk])
    client.force_login(nordby.secretary)
    page = client.get(url).content.decode()
    assert "Skyddad" in page
    for secret in (EMAIL, OLD_ADDRESS, NEW_ADDRESS):
        assert secret not in page
    assert "***" in page

    client.force_login(nordby.administrator)  # may see protected identities in full
    page = client.get(url).content.decode()
    assert NEW_ADDRESS in page and OLD_ADDRESS in page


@pytest.mark.django_db
def test_the_audit_trail_hides_them_from_a_dpo_too(client: Any, nordby: Any, protected: Any) -> None:
    dpo = make_user_with_role(nordby.municipality, "dpo", username="nordby.dso")
    entry = AuditEntry.objects.filter(object_type="officials.person", object_id=str(protected.pk)).latest("id")
    client.force_login(dpo)
    response = client.get(reverse("audit_trail:inspect", args=[entry.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert OLD_ADDRESS not in page and NEW_ADDRESS not in page


@pytest.mark.django_db
def test_only_who_may_see_a_protected_identity_lifts_the_protection(nordby: Any, protected: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        person_update(actor=nordby.secretary, person=protected, protected_identity=False)
    assert Person.objects.get(pk=protected.pk).protected_identity is True
    person_update(actor=nordby.secretary, person=protected, title="Ledamot")  # other changes still allowed
    person_update(actor=nordby.administrator, person=protected, protected_identity=False)
    assert Person.objects.get(pk=protected.pk).protected_identity is False
