"""Piteå kommun, Kommunstyrelsen: the four activities of "Information till förtroendevalda om hantering av
personuppgifter" (seed 001, `shared/seeds/001_a4c289c1bf19f121.txt`), as register rows.

The notice is the source, so its rows map back: Laglighet → legal_bases (+ legal_basis_text, the sentence after the
basis), Ändamål → purposes, Kategori registrerad → data_subject_categories (Förtroendevald), Personuppgifter →
personal_data_categories, Hämtas från → sources (+ text), Skickas till → recipients (+ text), Gallras →
retention.text, Informationsbärare → systems ("LEX och Troman" is two IT systems; "Olika informationskanaler"
names none). Seed 001 prints "Tabell 3" ("Hantera behörigheter till system") twice: it is one activity here.

Added, as the DPO would: the law reference of the public-interest basis; the reason for personnummer; the
Art. 9(2) condition of the party designation (below). The consent of "Marknadsföra och informera" has no
withdrawal route in the source, and none is invented: the register check says so.
"""

from __future__ import annotations

from typing import Final

from insyn.privacy.activity_data import ActivityData
from insyn.privacy.demo_data.helpers import basis, categories, data, subjects

CONTROLLER: Final = ("Piteå kommun", "Kommunstyrelsen")
TITLE: Final = "Kommunstyrelsens registerförteckning"

SOURCES_TEXT = (
    "Utöver de uppgifter du själv lämnar till oss kan vi också komma att samla in personuppgifter från någon annan. "
    "De uppgifter vi samlar in från andra kan vara: Adressuppgifter från offentliga register för att vara säkra på "
    "att vi har rätt adressuppgifter till dig. Uppgifter från andra myndigheter."
)
RECIPIENTS_TEXT = (
    "Dina personuppgifter kan komma att lämnas ut till andra myndigheter, företag eller enskilda om vi har en laglig "
    "skyldighet att lämna ut dom. De kan också lämnas till personuppgiftsbiträden som hanterar information för vår "
    "räkning. Vi har personuppgiftsbiträden som hjälper oss med; Betalningar (fakturahantering, banker och "
    "betaltjänstleverantörer). Marknadsföring och information (reklambyråer, mediebyråer, utskrift och sociala "
    "medier). IT-tjänster (tillhandahålla verksamhetsstöd, hantera drift, support och underhåll av våra "
    "IT-lösningar). Transporter (logistikföretag, taxi- och bussbolag för persontransporter)."
)
RECIPIENTS = categories(
    "Andra myndigheter, företag eller enskilda när vi har en laglig skyldighet att lämna ut uppgifterna",
    "Personuppgiftsbiträden för betalningar (fakturahantering, banker och betaltjänstleverantörer)",
    "Personuppgiftsbiträden för marknadsföring och information (reklambyråer, mediebyråer, utskrift och sociala "
    "medier)",
    "Personuppgiftsbiträden för IT-tjänster (verksamhetsstöd, drift, support och underhåll av IT-lösningar)",
    "Personuppgiftsbiträden för transporter (logistikföretag, taxi- och bussbolag för persontransporter)",
)
RETENTION_TEXT = (
    "Vår hantering av information omfattas av offentlighetsprincipen och det svenska regelverket kring allmän "
    "handling. Det betyder att dina personuppgifter kommer att hanteras den tid som det behövs och i vissa fall för "
    "all framtid enligt bestämmelser i tryckfrihetsförordningen, offentlighets- och sekretesslagen och arkivlagen."
)
COMMON: Final = {
    "data_subject_categories": subjects("se.fortroendevald"),
    "sources": ["subject", "public_registers", "authorities"],
    "sources_text": SOURCES_TEXT,
    "recipients": RECIPIENTS,
    "recipients_text": RECIPIENTS_TEXT,
    "retention": {"text": RETENTION_TEXT},
}
FEE_REASON = "Utbetalning av arvoden och kontrolluppgifter till Skatteverket (DSL 3 kap. 10 §)."
# An elected official's party reveals a political opinion (Art. 9(1)); the official made it public by standing
# for election on the party's list, which is Art. 9(2)(e) (no Dataskyddslagen provision is needed for it).
PARTY = data("se.partibeteckning", art9_condition="9.2.e")

ACTIVITIES: Final[list[ActivityData]] = [
    {  # Tabell 1
        **COMMON,  # type: ignore[typeddict-item]
        "name": "Hantera nämnd och styrelseadministration",
        "legal_bases": [basis("6.1.e", "kommunallagen (2017:725) 4 kap. (arvoden) och 5–6 kap. (sammanträden)")],
        "legal_basis_text": (
            "Allmänt intresse. Denna behandling av dina personuppgifter krävs för att vi ska kunna hantera ditt "
            "uppdrag och betala ut arvoden."
        ),
        "purposes": [
            "Skicka ut beslutsunderlag",
            "Skriva protokoll",
            "Hantera uppgifter för arvoden",
            "Hantera uppgifter för deltagande i kurser, konferenser eller som företrädare vid stämmor",
        ],
        "data_uses": ["se.namndadministration"],
        "personal_data_categories": [
            data("user.name"),
            data(
                "se.personnummer", national_id_reason="Utbetalning av arvoden och kontrolluppgifter till Skatteverket."
            ),
            data("user.contact"),
            PARTY,
            data("user.job_title"),
        ],
        "systems": [{"name": "LEX"}, {"name": "Troman"}],
        "systems_text": "LEX och Troman",
        "system_models": ["officials.person", "officials.membership"],
    },
    {  # Tabell 2
        **COMMON,  # type: ignore[typeddict-item]
        "name": "Marknadsföra och informera",
        # "Allmänt intresse och samtycke" is two bases.
        "legal_bases": [
            basis("6.1.e", "kommunallagen (2017:725) 2 kap. 1 §; förvaltningslagen (2017:900) 6 §"),
            basis("6.1.a"),
        ],
        "legal_basis_text": (
            "Allmänt intresse och samtycke. Denna behandling av dina personuppgifter krävs för att vi ska kunna "
            "informera om vår verksamhet."
        ),
        "purposes": [
            "Marknadsföra och informera om kommunens/bolagets verksamhet med text och bild på kommunens/bolagets "
            "webbplats, intranät, i personaltidning, i sociala medier, i pressmeddelanden och i nyhetsbrev."
        ],
        "data_uses": ["marketing.communications"],
        "personal_data_categories": [
            data("user.name"),
            data("user.contact"),
            PARTY,
            data("user.job_title"),
            data("user.content.self_image"),
        ],
        "systems_text": "Olika informationskanaler",
    },
    {  # Tabell 3 (printed twice in the source)
        **COMMON,  # type: ignore[typeddict-item]
        "name": "Hantera behörigheter till system",
        "legal_bases": [basis("6.1.f")],
        "legal_basis_text": (
            "Intresseavvägning. Denna behandling av dina personuppgifter krävs för att vi ska kunna ge dig behörighet "
            "till de system du behöver i ditt uppdrag."
        ),
        "purposes": ["Tilldela och hantera behörigheter till system", "Spåra användaraktiviteter i system"],
        "data_uses": ["essential.service.authentication", "essential.service.security"],
        "personal_data_categories": [data("user.name"), data("user.account.username"), data("user.contact")],
        "system_models": ["auth.user", "core.auditentry"],
    },
    {  # Tabell 4 (labelled "Tabell 3" in the source)
        **COMMON,  # type: ignore[typeddict-item]
        "name": "Tillhandahålla och upprätta IT-stöd och arbetsverktyg",
        "legal_bases": [basis("6.1.f")],
        "legal_basis_text": (
            "Intresseavvägning. Denna behandling av dina personuppgifter krävs för att vi ska kunna ge dig tillgång "
            "till IT-tjänster och verktyg som du behöver i ditt uppdrag."
        ),
        "purposes": [
            "Hantera abonnemang och licenser till IT-tjänster",
            "Hantera tillhandahållande av och support av telefon, surfplatta, dator",
        ],
        "data_uses": ["essential.service.operations.support"],
        "personal_data_categories": [data("user.name"), data("user.account.username"), data("user.contact")],
        "system_models": ["loans.loan", "loans.receipt", "loans.incident", "loans.broadbandrequest", "loans.reminder"],
    },
]

# Rows of the demo plan (`pitea_ks_plan_excerpt.json`) each activity's retention links to, by document type name:
# the notice's "Gallras" is then written from the plan, and an erasure request cites the Protokoll row.
PLAN_ROWS: Final[dict[str, list[str]]] = {
    "Hantera nämnd och styrelseadministration": [
        "Protokoll",
        "Kallelser",
        "Underlag för utbetalning av sammanträdesarvoden",
    ],
}
