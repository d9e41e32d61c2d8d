"""Piteå kommun as instruction 22KS572 (seed 002) sees it: organs, the rule set, IT, a secretary, kits.

Every object is made through the services, so the tests walk the same paths as the admin, API and CLI.
Dates are fixed (`ON` is a day inside the 2023–2026 term and inside the instruction's validity), so the
suite gives the same answer on any day it runs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from insyn.core.models import GoverningDocument, Organisation
from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import UserFactory, make_document, make_municipality, make_organ, make_user_with_role
from insyn.loans.eligibility import PITEA_22KS572_V1
from insyn.loans.models import Kit, LoanRuleSet
from insyn.loans.services import device_create, kit_create
from insyn.officials.models import Membership, Person
from insyn.officials.services import membership_create, person_create

TERM_START = dt.date(2023, 1, 1)
ON = dt.date(2025, 3, 3)
HANDOVER = {"user_id": "pol-anna", "email": "anna.politiker@pitea.se", "meeting_app_login": True}
RETURN_OK = {"activation_lock_off": True, "logged_out": True, "all_accessories": True, "condition": "fint skick"}

ORGANS = {
    "kf": ("Kommunfullmäktige", "kommunfullmaktige"),
    "ks": ("Kommunstyrelsen", "kommunstyrelse"),
    "bun": ("Barn- och utbildningsnämnden", "namnd"),
    "valnamnd": ("Valnämnden", "valnamnd"),
    "bolag": ("Piteå kommunföretag AB", "kommunalt_bolag"),
    "pensionarsrad": ("Kommunala pensionärsrådet", "samverkansrad"),
    "brukarrad": ("Brukarrådet för funktionshinderfrågor", "brukarrad"),
}

_serials = itertools.count(1)


@dataclass
class Pitea:
    municipality: Organisation
    organs: dict[str, Organisation]
    document: GoverningDocument
    rule_set: LoanRuleSet
    it: Any
    secretary: Any
    people: list[Person] = field(default_factory=list)

    def __getattr__(self, name: str) -> Organisation:
        organs = self.__dict__.get("organs") or {}
        if name in organs:
            return organs[name]
        raise AttributeError(name)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    """Receipt PDFs go to a temporary directory, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def build_pitea(name: str = "Piteå kommun") -> Pitea:
    municipality = make_municipality(name)
    organs = {key: make_organ(municipality, label, organ_type) for key, (label, organ_type) in ORGANS.items()}
    document = make_document(
        organs["ks"],
        title="Anvisning för lån av teknisk utrustning förtroendevalda",
        registration_number="22KS572",
        document_type="instruction",
        valid_from=dt.date(2022, 9, 30),
        valid_until=dt.date(2026, 12, 31),
    )
    rule_set = LoanRuleSet.objects.create(
        document=document,
        version="1",
        valid_from=dt.date(2022, 9, 30),
        valid_until=dt.date(2026, 12, 31),
        rules=PITEA_22KS572_V1,
    )
    slug = name.split()[0].lower()
    it = make_user_with_role(municipality, "it", username=f"it.{slug}")
    secretary = make_user_with_role(
        organs["bun"], "secretary", username=f"sekreterare.bun.{slug}", email=f"sekreterare.bun@{slug}.example"
    )
    return Pitea(municipality, organs, document, rule_set, it, secretary)


@pytest.fixture
def pitea(db: Any) -> Pitea:
    return build_pitea()


MembershipSpec = tuple[Organisation, str] | tuple[Organisation, str, dict[str, Any]]


def make_official(
    municipality: Organisation,
    memberships: list[MembershipSpec] | tuple[MembershipSpec, ...] = (),
    *,
    given_name: str = "Anna",
    family_name: str | None = None,
    with_user: bool = True,
    external_id: str | None = None,
) -> Person:
    """A person with a login user and memberships: (organ, role) or (organ, role, {start_date, end_date, …})."""
    number = next(_serials)
    family_name = family_name or f"Lindberg{number}"
    user = None
    if with_user:
        user = UserFactory(username=f"pol{number}", email=f"pol{number}@example.org")
    person = person_create(
        actor=SYSTEM,
        municipality=municipality,
        given_name=given_name,
        family_name=family_name,
        email=f"pol{number}@example.org",
        external_id=external_id if external_id is not None else f"pitea-person-{number}",
        user=user,
    )
    for spec in memberships:
        organ, role = spec[0], spec[1]
        data: dict[str, Any] = {"start_date": TERM_START, **(spec[2] if len(spec) == 3 else {})}
        membership_create(actor=SYSTEM, person=person, organisation=organ, role=role, **data)
    return person


@pytest.fixture
def official(pitea: Pitea) -> Callable[..., Person]:
    def build(*memberships: MembershipSpec, **kwargs: Any) -> Person:
        return make_official(pitea.municipality, memberships, **kwargs)

    return build


def make_kit(municipality: Organisation, actor: Any, kind: str = "tablet", label: str | None = None) -> Kit:
    number = next(_serials)
    main = device_create(
        actor=actor,
        municipality=municipality,
        device_type=kind,
        make="Apple" if kind == "tablet" else "Lenovo",
        model="iPad 10" if kind == "tablet" else "ThinkPad T14",
        serial_number=f"SN-{kind}-{number}",
    )
    accessories = [
        device_create(
            actor=actor, municipality=municipality, device_type=device_type, serial_number=f"SN-{device_type}-{number}"
        )
        for device_type in (("case", "charger", "sim") if kind == "tablet" else ("charger",))
    ]
    return kit_create(
        actor=actor,
        municipality=municipality,
        label=label or f"{'Surfplatta' if kind == 'tablet' else 'Dator'} {number:03d}",
        kind=kind,
        devices=[main, *accessories],
    )


@pytest.fixture
def tablet_kit(pitea: Pitea) -> Kit:
    return make_kit(pitea.municipality, pitea.it, "tablet")


@pytest.fixture
def computer_kit(pitea: Pitea) -> Kit:
    return make_kit(pitea.municipality, pitea.it, "computer")


def current_membership(person: Person, organ: Organisation) -> Membership:
    return Membership.objects.get(person=person, organisation=organ)
