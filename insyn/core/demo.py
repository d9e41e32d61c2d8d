"""Demo data built from the seed documents in shared/seeds (idempotent: run it as often as you like)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from insyn.core.actor import Actor
from insyn.core.models.documents import DocumentStatus, DocumentType, GoverningDocument
from insyn.core.models.organisations import Organisation, OrganisationKind, OrganType
from insyn.core.roles import ROLES
from insyn.core.roles_sync import sync_roles
from insyn.core.services.documents import governing_document_create
from insyn.core.services.organisations import organisation_create, role_assign

# (name, kind, organ type, controller, archive creator, children)
Tree = tuple[str, str, str, bool, bool, tuple[Any, ...]]

ORGAN = OrganisationKind.ORGAN
ADMIN = OrganisationKind.ADMINISTRATION


@dataclass(frozen=True)
class DemoMunicipality:
    slug: str
    name: str
    country: str
    email: str
    organs: tuple[Tree, ...]


MUNICIPALITIES = (
    # Seed 000: Torsby kommun's plan is adopted by Kommunstyrelsen.
    DemoMunicipality(
        "torsby",
        "Torsby kommun",
        "SE",
        "",
        (
            ("Kommunfullmäktige", ORGAN, OrganType.MUNICIPAL_COUNCIL, False, True, ()),
            (
                "Kommunstyrelsen",
                ORGAN,
                OrganType.EXECUTIVE_BOARD,
                True,
                True,
                (("Kommunledningsförvaltningen", ADMIN, "", False, False, ()),),
            ),
        ),
    ),
    # Seed 002: Piteå kommun's instruction names KF, nämnder, kommunala bolag, valnämnd,
    # samverkans- and brukarråd and Kommunledningsförvaltningen.
    DemoMunicipality(
        "pitea",
        "Piteå kommun",
        "SE",
        "kommunstyrelsen@pitea.se",
        (
            ("Kommunfullmäktige", ORGAN, OrganType.MUNICIPAL_COUNCIL, False, True, ()),
            (
                "Kommunstyrelsen",
                ORGAN,
                OrganType.EXECUTIVE_BOARD,
                True,
                True,
                (("Kommunledningsförvaltningen", ADMIN, "", False, False, ()),),
            ),
            ("Barn- och utbildningsnämnden", ORGAN, OrganType.COMMITTEE, True, True, ()),
            ("Socialnämnden", ORGAN, OrganType.COMMITTEE, True, True, ()),
            ("Valnämnden", ORGAN, OrganType.ELECTORAL_COMMITTEE, True, True, ()),
            ("Kommunrevisionen", ORGAN, OrganType.AUDIT, False, True, ()),
            ("Piteå kommunföretag AB", ORGAN, OrganType.MUNICIPAL_COMPANY, True, True, ()),
            ("Kommunala pensionärsrådet", ORGAN, OrganType.COOPERATION_COUNCIL, False, False, ()),
            ("Brukarrådet för funktionshinderfrågor", ORGAN, OrganType.USER_COUNCIL, False, False, ()),
        ),
    ),
    # Seed 003: Kommunstyrelsen in Södertälje is the controller of the Art. 30 register.
    DemoMunicipality(
        "sodertalje",
        "Södertälje kommun",
        "SE",
        "",
        (
            ("Kommunfullmäktige", ORGAN, OrganType.MUNICIPAL_COUNCIL, False, True, ()),
            (
                "Kommunstyrelsen",
                ORGAN,
                OrganType.EXECUTIVE_BOARD,
                True,
                True,
                (("Stadsledningskontoret", ADMIN, "", False, False, ()),),
            ),
        ),
    ),
    # Seed 004 is a Polish template procedure; a fictitious gmina holds it.
    DemoMunicipality(
        "przykladowa",
        "Gmina Przykładowa",
        "PL",
        "",
        (
            ("Rada Gminy", ORGAN, OrganType.MUNICIPAL_COUNCIL, False, False, ()),
            ("Wójt Gminy", ORGAN, OrganType.EXECUTIVE_BOARD, True, True, (("Urząd Gminy", ADMIN, "", True, True, ()),)),
        ),
    ),
)


def _documents() -> list[dict[str, Any]]:
    return [
        {
            "municipality": "Torsby kommun",
            "organisation": "Kommunstyrelsen",
            "title": "Dokumenthanteringsplan – Stödprocesser, 2.9.2 Informationsförsörjning",
            "document_type": DocumentType.PLAN,
            "decision_body": "Kommunstyrelsen",
            "decision_date": dt.date(2016, 11, 28),
            "paragraph": "§ 208",
            "version": "1.0",
            "valid_from": dt.date(2016, 11, 28),
            "status": DocumentStatus.IN_FORCE,
            "owner_role": "archivist",
            "description": (
                "Verksamhetsområde 2.9 Information och marknadsföring, processgrupp 2.9.2 Informationsförsörjning."
            ),
        },
        {
            "municipality": "Piteå kommun",
            "organisation": "Kommunledningsförvaltningen",
            "title": "Anvisning för lån av teknisk utrustning förtroendevalda",
            "document_type": DocumentType.INSTRUCTION,
            "decision_body": "Kommunchef",
            "decision_date": dt.date(2022, 9, 30),
            "registration_number": "22KS572",
            "version": "1",
            "valid_from": dt.date(2022, 9, 30),
            "valid_until": dt.date(2026, 12, 31),
            "responsible_unit": "Kommunledningsförvaltningen",
            "applies_to": "Anställda och förtroendevalda i Piteå kommun",
            "status": DocumentStatus.IN_FORCE,
            "owner_role": "it",
            "description": "Beskrivning av vad som gäller vid förtroendevaldas lån av teknisk utrustning.",
        },
        {
            # The source does not name its municipality; filed with Piteå, whose officials it concerns here.
            "municipality": "Piteå kommun",
            "organisation": "Kommunstyrelsen",
            "title": "Information till förtroendevalda om hantering av personuppgifter",
            "document_type": DocumentType.PRIVACY_NOTICE,
            "status": DocumentStatus.IN_FORCE,
            "owner_role": "dpo",
            "applies_to": "Förtroendevalda i fullmäktige, nämnder, bolag och andra organ",
        },
        {
            "municipality": "Södertälje kommun",
            "organisation": "Kommunstyrelsen",
            "title": "Kommunstyrelsens personuppgiftsbehandlingar",
            "document_type": DocumentType.REGISTER,
            "status": DocumentStatus.IN_FORCE,
            "owner_role": "dpo",
            "description": "Förteckning över behandlingar enligt artikel 30 i dataskyddsförordningen.",
        },
        {
            "municipality": "Gmina Przykładowa",
            "organisation": "Urząd Gminy",
            "title": "Procedura umieszczania, aktualizacji i publikacji zawartości w serwisie internetowym",
            "document_type": DocumentType.PROCEDURE,
            "status": DocumentStatus.DRAFT,
            "owner_role": "chief_editor",
            "description": (
                "Przykładowe postanowienia procedury: przygotowanie, akceptacja, publikacja, wycofanie i archiwizacja."
            ),
        },
    ]


def demo_password(username: str) -> str:
    """Stable per installation (derived from SECRET_KEY), so re-running the demo never changes it."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"insyn-demo:{username}".encode(), hashlib.sha256).hexdigest()
    return f"Demo-{digest[:12]}"


def _ensure_tree(actor: Actor, parent: Organisation | None, node: Tree, country: str) -> None:
    name, kind, organ_type, controller, archive_creator, children = node
    org = Organisation.objects.filter(parent=parent, name=name).first()
    if org is None:
        org = organisation_create(
            actor=actor,
            name=name,
            kind=kind,
            organ_type=organ_type,
            parent=parent,
            country=country,
            is_controller=controller,
            is_archive_creator=archive_creator,
        )
    for child in children:
        _ensure_tree(actor, org, child, country)


@transaction.atomic
def load_demo(*, actor: Actor) -> dict[str, Any]:
    """Create the demo municipalities, users and governing documents; return the demo users' credentials."""
    sync_roles()
    User = get_user_model()
    users: list[tuple[str, str, str, str]] = []
    for muni in MUNICIPALITIES:
        root = Organisation.objects.filter(parent=None, name=muni.name).first()
        if root is None:
            root = organisation_create(
                actor=actor,
                name=muni.name,
                kind=OrganisationKind.MUNICIPALITY,
                parent=None,
                country=muni.country,
                email=muni.email,
            )
        for organ in muni.organs:
            _ensure_tree(actor, root, organ, muni.country)
        for role in ROLES:
            username = f"{muni.slug}.{role.code}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(
                    username=username,
                    email=f"{username}@example.org",
                    password=demo_password(username),
                    first_name=str(role.group_name),
                    last_name=muni.name,
                )
            role_assign(actor=actor, user=user, organisation=root, role_code=role.code)
            users.append((muni.name, str(role.label), username, demo_password(username)))
    created_documents = 0
    for data in _documents():
        data = dict(data)
        municipality = Organisation.objects.get(parent=None, name=data.pop("municipality"))
        organisation = Organisation.objects.get(municipality=municipality, name=data.pop("organisation"))
        owner_role = data.pop("owner_role")
        if GoverningDocument.objects.filter(organisation=organisation, title=data["title"]).exists():
            continue
        slug = next(m.slug for m in MUNICIPALITIES if m.name == municipality.name)
        data["owner"] = User.objects.get(username=f"{slug}.{owner_role}")
        governing_document_create(actor=actor, organisation=organisation, reason="demo", **data)
        created_documents += 1
    return {"users": users, "documents_created": created_documents}
