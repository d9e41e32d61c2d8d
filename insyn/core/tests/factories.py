"""Test data built through the services, so tests exercise the same paths as the product."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.contrib.auth import get_user_model
from faker import Faker

from insyn.core.models import GoverningDocument, Organisation
from insyn.core.permissions import SYSTEM
from insyn.core.roles_sync import sync_roles
from insyn.core.services.documents import governing_document_create
from insyn.core.services.organisations import organisation_create, role_assign

fake = Faker(["sv_SE", "pl_PL"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = factory.LazyFunction(lambda: fake["sv_SE"].first_name())
    last_name = factory.LazyFunction(lambda: fake["sv_SE"].last_name())
    password = factory.django.Password("correct horse battery")


def make_municipality(name: str | None = None, **extra: Any) -> Organisation:
    return organisation_create(
        actor=SYSTEM,
        name=name or f"{fake['sv_SE'].city()} kommun {fake.unique.random_int()}",
        kind="municipality",
        parent=None,
        **extra,
    )


def make_organ(parent: Organisation, name: str = "Kommunstyrelsen", organ_type: str = "kommunstyrelse") -> Organisation:
    return organisation_create(actor=SYSTEM, name=name, kind="organ", organ_type=organ_type, parent=parent)


def make_user_with_role(organisation: Organisation, role_code: str, **extra: Any) -> Any:
    sync_roles()
    user = UserFactory(**extra)
    role_assign(actor=SYSTEM, user=user, organisation=organisation, role_code=role_code)
    return user


def make_document(organisation: Organisation, **data: Any) -> GoverningDocument:
    defaults: dict[str, Any] = {
        "title": f"Riktlinje för {fake['sv_SE'].word()} {fake.unique.random_int()}",
        "document_type": "guideline",
        "status": "in_force",
        "valid_from": dt.date(2024, 1, 1),
    }
    defaults.update(data)
    return governing_document_create(actor=SYSTEM, organisation=organisation, **defaults)
