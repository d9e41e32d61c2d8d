"""The admin's search box finds Insyn's objects of every app, and only the actor's municipality's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from insyn.core.tests.factories import make_document, make_user_with_role
from insyn.loans.services import loan_checkout
from insyn.loans.tests.conftest import HANDOVER, ON, build_pitea, make_kit, make_official
from insyn.records.tests.factories import import_plan, make_plan_data

pytestmark = pytest.mark.django_db

TERM = "Zebra"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _municipality_with_zebras(name: str) -> Any:
    """One object of each kind whose searched text holds the term, all named after the municipality."""
    tenant = build_pitea(name)
    town = name.split()[0]
    make_document(tenant.ks, title=f"Zebrapolicy för {town}")
    plan = import_plan(tenant.ks, make_plan_data(status="draft", title=f"Zebraplan {town}"))
    row = plan.document_types.first()
    row.name = f"Zebraprotokoll {town}"
    row.save(update_fields=["name"])
    person = make_official(tenant.municipality, [(tenant.kf, "ledamot")], given_name=town, family_name="Zebrasson")
    kit = make_kit(tenant.municipality, tenant.it, "tablet", label=f"Surfplatta {town}")
    loan_checkout(actor=tenant.it, kit=kit, person=person, handover=HANDOVER, on=ON)
    tenant.administrator = make_user_with_role(tenant.municipality, "administrator", username=f"admin.{town.lower()}")
    return tenant


def test_admin_search_finds_each_kind_of_the_actors_municipality_only(client: Client) -> None:
    pitea = _municipality_with_zebras("Piteå kommun")
    _municipality_with_zebras("Torsby kommun")

    client.force_login(pitea.administrator)
    response = client.get("/admin/search/", {"q": TERM})

    assert response.status_code == 200
    text = response.text
    # Governing documents, retention plans, document types, elected officials, loans: one group each.
    assert len(response.context["groups"]) == 5, list(response.context["groups"])
    for expected in ("Zebrapolicy för Piteå", "Zebraplan Piteå", "Zebraprotokoll Piteå", "Piteå Zebrasson"):
        assert expected in text, expected
    assert "Surfplatta Piteå → Piteå Zebrasson" in text  # the loan, found by its borrower's name
    assert "Torsby" not in text


def test_admin_search_finds_nothing_for_someone_without_a_role(client: Client) -> None:
    _municipality_with_zebras("Piteå kommun")
    from insyn.core.tests.factories import UserFactory

    nobody = UserFactory(username="nobody", is_superuser=False)
    nobody.user_permissions.add(*_admin_access())
    client.force_login(nobody)
    response = client.get("/admin/search/", {"q": TERM})
    assert response.status_code == 200
    assert response.context["groups"] == {}
    assert "Zebrapolicy" not in response.text


def _admin_access() -> list[Any]:
    from django.contrib.auth.models import Permission

    return list(Permission.objects.filter(codename="access_admin", content_type__app_label="wagtailadmin"))


def test_sidebar_search_goes_to_the_insyn_search(client: Client) -> None:
    pitea = _municipality_with_zebras("Piteå kommun")
    client.force_login(pitea.administrator)
    response = client.get("/admin/")
    assert '"/admin/search/"' in response.text or "/admin/search/" in response.text
