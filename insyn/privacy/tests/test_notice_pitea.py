"""Acceptance 1: Piteå's notice to elected officials (seed 001) generated from the register.

`make_pitea_register` builds the four activities of seed 001 (../shared/seeds/001_a4c289c1bf19f121.txt)
as register rows; the other notice tests and the browser test use it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from insyn.core.actor import SYSTEM
from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
from insyn.privacy.models import (
    ActivityData,
    ActivitySubject,
    LegalBasis,
    NoticeStatus,
    ProcessingActivity,
    Register,
    TaxonomyTerm,
)
from insyn.privacy.services.notices import notice_generate
from insyn.records.models import DocumentType, ITSystem
from insyn.records.retention_display import retention_words
from insyn.records.tests.factories import import_plan

SOURCES_TEXT = (
    "Utöver de uppgifter du själv lämnar till oss kan vi också komma att samla in personuppgifter från någon annan. "
    "De uppgifter vi samlar in från andra kan vara: Adressuppgifter från offentliga register för att vara säkra på "
    "att vi har rätt adressuppgifter till dig. Uppgifter från andra myndigheter."
)
RECIPIENTS_TEXT = (
    "Dina personuppgifter kan komma att lämnas ut till andra myndigheter, företag eller enskilda om vi har en laglig "
    "skyldighet att lämna ut dom. De kan också lämnas till personuppgiftsbiträden som hanterar information för vår "
    "räkning."
)
RETENTION_TEXT = (
    "Vår hantering av information omfattas av offentlighetsprincipen och det svenska regelverket kring allmän handling."
)
# Seed 001's four tables: (title, bases, lawfulness as written, purposes, data, information carriers).
SEED_ACTIVITIES: list[tuple[str, list[str], str, list[str], list[tuple[str, str]], list[str]]] = [
    (
        "Hantera nämnd och styrelseadministration",
        ["6.1.e"],
        "Allmänt intresse. Denna behandling av dina personuppgifter krävs för att vi ska kunna hantera ditt uppdrag "
        "och betala ut arvoden.",
        [
            "Skicka ut beslutsunderlag",
            "Skriva protokoll",
            "Hantera uppgifter för arvoden",
            "Hantera uppgifter för deltagande i kurser, konferenser eller som företrädare vid stämmor",
        ],
        [
            ("user.name", "Namn"),
            ("se.personnummer", "Personnummer"),
            ("user.contact", "Kontaktuppgifter"),
            ("se.partibeteckning", "Partibeteckning"),
            ("user.job_title", "Titel"),
        ],
        ["LEX", "Troman"],
    ),
    (
        "Marknadsföra och informera",
        ["6.1.e", "6.1.a"],
        "Allmänt intresse och samtycke. Denna behandling av dina personuppgifter krävs för att vi ska kunna informera "
        "om vår verksamhet.",
        [
            "Marknadsföra och informera om kommunens/bolagets verksamhet med text och bild på kommunens/bolagets "
            "webbplats, intranät, i personaltidning, i sociala medier, i pressmeddelanden och i nyhetsbrev."
        ],
        [
            ("user.name", "Namn"),
            ("user.contact", "Kontaktuppgifter"),
            ("se.partibeteckning", "Partibeteckning"),
            ("user.job_title", "Titel"),
            ("user.content.image", "Bilder"),
        ],
        [],
    ),
    (
        "Hantera behörigheter till system",
        ["6.1.f"],
        "Intresseavvägning. Denna behandling av dina personuppgifter krävs för att vi ska kunna ge dig behörighet till "
        "de system du behöver i ditt uppdrag.",
        ["Tilldela och hantera behörigheter till system", "Spåra användaraktiviteter i system"],
        [("user.name", "Namn"), ("user.account.username", "Användar-id"), ("user.contact", "Kontaktuppgifter")],
        [],
    ),
    (
        "Tillhandahålla och upprätta IT-stöd och arbetsverktyg",
        ["6.1.f"],
        "Intresseavvägning. Denna behandling av dina personuppgifter krävs för att vi ska kunna ge dig tillgång till "
        "IT-tjänster och verktyg som du behöver i ditt uppdrag.",
        [
            "Hantera abonnemang och licenser till IT-tjänster",
            "Hantera tillhandahållande av och support av telefon, surfplatta, dator",
        ],
        [("user.name", "Namn"), ("user.account.username", "Användar-id"), ("user.contact", "Kontaktuppgifter")],
        [],
    ),
]
SEED_TITLES = [title for title, *_rest in SEED_ACTIVITIES]
SEED_ROWS = [
    "Laglighet",
    "Ändamål",
    "Kategori registrerad",
    "Personuppgifter",
    "Hämtas från",
    "Skickas till",
    "Gallras",
    "Informationsbärare",
]
NOTICE_TITLE = "Information till förtroendevalda om hantering av personuppgifter"


@dataclass
class Pitea:
    municipality: Any
    board: Any
    register: Any
    official: Any  # the data-subject category Förtroendevald
    activities: list[Any]
    plan_rows: list[Any]
    dpo: Any


def term(kind: str, key: str, label_sv: str, label_en: str = "", label_pl: str = "") -> TaxonomyTerm:
    found, _created = TaxonomyTerm.objects.get_or_create(
        kind=kind,
        key=key,
        municipality=None,
        defaults={"label_sv": label_sv, "label_en": label_en or label_sv, "label_pl": label_pl},
    )
    return found


def make_pitea_register(municipality_name: str = "Piteå kommun") -> Pitea:
    municipality = make_municipality(municipality_name)
    board = make_organ(municipality)
    dpo = make_user_with_role(municipality, "dpo", username=f"dso.{municipality.pk}")
    plan = import_plan(board)  # adopted by Kommunstyrelsen 2016-11-28 § 208
    official = term("subject_category", "se.fortroendevald", "Förtroendevald", "Elected official", "Radny")
    register = Register.objects.create(
        controller=board,
        title="Registerförteckning Kommunstyrelsen",
        dpo_name="Dataskyddsombudet",
        dpo_email="dataskyddsombud@pitea.se",
        contact_email="kommun@pitea.se",
        contact_address="Piteå kommun, 941 85 Piteå",
    )
    systems = {name: ITSystem.objects.create(municipality=municipality, name=name) for name in ("LEX", "Troman")}
    plan_rows = list(DocumentType.objects.filter(plan=plan).order_by("position", "pk")[:2])
    activities = []
    for position, (name, bases, lawfulness, purposes, data, carriers) in enumerate(SEED_ACTIVITIES):
        activity = ProcessingActivity.objects.create(
            register=register,
            name=name,
            position=position,
            purposes=purposes,
            legal_basis_text=lawfulness,
            sources=["subject", "public_registers", "authorities"],
            sources_text=SOURCES_TEXT,
            recipients_text=RECIPIENTS_TEXT,
            retention_text=RETENTION_TEXT,
            systems_text=" och ".join(carriers),
        )
        for index, article in enumerate(bases):
            LegalBasis.objects.create(
                activity=activity,
                article=article,
                position=index,
                withdrawal_route="Skriv till kommunikationsenheten." if article == "6.1.a" else "",
            )
        ActivitySubject.objects.create(activity=activity, category=official)
        for index, (key, label) in enumerate(data):
            ActivityData.objects.create(activity=activity, category=term("data_category", key, label), position=index)
        activity.systems.set([systems[c] for c in carriers])
        activities.append(activity)
    activities[0].document_types.set(plan_rows)  # Gallras of the first table comes from the plan
    return Pitea(municipality, board, register, official, activities, plan_rows, dpo)


@pytest.fixture
def pitea(db: Any) -> Pitea:
    return make_pitea_register()


def test_notice_for_elected_officials_has_seed_001s_four_tables_once_each(pitea: Pitea) -> None:
    version = notice_generate(actor=SYSTEM, controller=pitea.board, subject_category=pitea.official)
    assert version is not None and version.status == NoticeStatus.DRAFT
    sv = version.content["sv"]
    titles = [section["title"] for section in sv["sections"]]
    assert titles == SEED_TITLES  # exactly four, none twice (seed 001 repeats "Hantera behörigheter till system")
    assert len(set(titles)) == len(titles) == 4
    for section in sv["sections"]:
        assert [row["seed_label"] for row in section["rows"]] == SEED_ROWS
        assert [row["label"] for row in section["rows"]] == SEED_ROWS  # Swedish labels in the Swedish notice
    first = {row["seed_label"]: row for row in sv["sections"][0]["rows"]}
    assert first["Laglighet"]["text"].startswith("Allmänt intresse.")
    assert first["Ändamål"]["items"] == SEED_ACTIVITIES[0][3]
    assert first["Kategori registrerad"]["items"] == ["Förtroendevald"]
    assert first["Personuppgifter"]["items"] == ["Namn", "Personnummer", "Kontaktuppgifter", "Partibeteckning", "Titel"]
    assert first["Informationsbärare"]["text"] == "LEX och Troman"


def test_gallras_comes_from_the_linked_plan_rows_and_otherwise_from_the_register(pitea: Pitea) -> None:
    version = notice_generate(actor=SYSTEM, controller=pitea.board, subject_category=pitea.official)
    assert version is not None
    sections = version.content["sv"]["sections"]
    linked = {row["seed_label"]: row for row in sections[0]["rows"]}["Gallras"]
    assert linked["from_plan"] is True and linked["text"] == ""
    with translation.override("sv"):
        expected = [retention_words(row) for row in pitea.plan_rows]
    for row, words, item in zip(pitea.plan_rows, expected, linked["items"], strict=True):
        assert item.startswith(f"{row.name}: {words}")
        assert "Kommunstyrelsen, 2016-11-28 § 208" in item
    unlinked = {row["seed_label"]: row for row in sections[1]["rows"]}["Gallras"]
    assert unlinked["from_plan"] is False and unlinked["text"] == RETENTION_TEXT


def test_notice_adds_the_art_13_items_seed_001_lacks(pitea: Pitea) -> None:
    version = notice_generate(actor=SYSTEM, controller=pitea.board, subject_category=pitea.official)
    assert version is not None
    art13 = version.content["en"]["art13"]
    assert art13["controller"]["name"] == "Kommunstyrelsen" and art13["controller"]["email"] == "kommun@pitea.se"
    assert art13["dpo"]["email"] == "dataskyddsombud@pitea.se"
    assert art13["complaint"]["name"] == "Integritetsskyddsmyndigheten (IMY)"
    assert [right["article"] for right in art13["rights"]] == ["15", "16", "17", "18", "20"]  # 20: consent basis
    # Art. 21(4): the right to object stands apart, for the public-interest and legitimate-interest activities.
    assert art13["objection"]["applies"] is True
    assert art13["objection"]["activities"] == SEED_TITLES
    assert art13["consent"]["applies"] is True
    assert art13["consent"]["activities"][0]["activity"] == "Marknadsföra och informera"
    assert art13["transfers"] == [] and art13["no_transfers_text"]
    assert art13["automated_decisions"]["exists"] is False
    assert art13["sources"] == ["Other authorities", "Public registers (e.g. Navet)"]
    # In English the table rows are translated and the Swedish prose is not shown as if it were English.
    first = version.content["en"]["sections"][0]["rows"]
    assert [row["label"] for row in first][:2] == ["Lawfulness", "Purpose"]
    assert first[0]["text"] == "" and first[0]["items"] == ["Public interest or official authority (Art. 6(1)(e))"]


def test_polish_controller_names_uodo(db: Any) -> None:
    municipality = make_municipality("Gmina Testowa", country="PL")
    board = make_organ(municipality, name="Rada Gminy", organ_type="kommunfullmaktige")
    official = term("subject_category", "se.fortroendevald", "Förtroendevald", "Elected official", "Radny")
    register = Register.objects.create(controller=board, title="Rejestr")
    activity = ProcessingActivity.objects.create(register=register, name="Obsługa rady", purposes=["Protokoły"])
    LegalBasis.objects.create(activity=activity, article="6.1.c")
    ActivitySubject.objects.create(activity=activity, category=official)
    version = notice_generate(actor=SYSTEM, controller=board, subject_category=official)
    assert version is not None
    assert version.content["pl"]["art13"]["complaint"]["name"].endswith("(UODO)")
    assert version.content["pl"]["art13"]["objection"]["applies"] is False  # Art. 6(1)(c): no right to object


def test_transfers_automated_decisions_and_the_duty_to_provide_reach_the_notice(pitea: Pitea) -> None:
    from insyn.privacy.models import Transfer

    activity = pitea.activities[3]
    Transfer.objects.create(
        activity=activity,
        country="US",
        recipient="Microsoft Corporation",
        mechanism="adequacy",
        mechanism_reference="EU–US Data Privacy Framework, C(2023) 4745",
    )
    activity.automated_decision = True
    activity.automated_decision_logic = "Licenser tilldelas automatiskt efter uppdrag."
    activity.provision_requirement = "statutory"
    activity.provision_consequence = "Utan uppgifterna kan vi inte ge dig en dator."
    activity.save()
    version = notice_generate(actor=SYSTEM, controller=pitea.board, subject_category=pitea.official)
    assert version is not None
    sv, en = version.content["sv"], version.content["en"]
    assert en["art13"]["transfers"] == [
        {
            "activity": "Tillhandahålla och upprätta IT-stöd och arbetsverktyg",
            "country": "US",
            "recipient": "Microsoft Corporation",
            "mechanism": "adequacy",
            "mechanism_label": "Adequacy decision (Art. 45)",
            "reference": "EU–US Data Privacy Framework, C(2023) 4745",
        }
    ]
    assert en["art13"]["automated_decisions"]["exists"] is True
    assert sv["art13"]["automated_decisions"]["activities"][0]["logic"].startswith("Licenser")
    assert sv["art13"]["provision"][0]["consequence"] == "Utan uppgifterna kan vi inte ge dig en dator."
    assert en["art13"]["provision"][0]["label"] == "Required by law"
