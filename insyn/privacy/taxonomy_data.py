"""Insyn's built-in taxonomy: data categories, data uses and data-subject categories, as data.

Keys without a prefix are fideslang's default taxonomy as released: ethyca/fideslang, `data_files/data_categories.csv`,
`data_uses.csv` and `data_subjects.csv` at commit 40394c4 (tag 3.1.4a1, 2025-12-17; the taxonomy of fideslang 3.1,
keys "version_added 2.0.0"). `insyn/privacy/tests/fixtures/fideslang_3_1_keys.csv` keeps those files' keys and a
test checks every unprefixed key here against it.

Fideslang 3.1 has no trade-union membership and no child data subject (`user.demographic.union_membership` exists
only in the unreleased 3.2 draft), so those are `se.` additions like the Swedish identifiers. `se.` keys are
Insyn's Swedish additions; `parent` in a description names the fideslang key a `se.` term narrows, so an export can
fall back to it.

`taxonomy_sync` (services/taxonomy.py) writes these rows; a DPO's own terms live beside them with a municipality.
"""

from __future__ import annotations

from typing import Any, Final

FIDESLANG_SOURCE: Final = "ethyca/fideslang data_files/*.csv @ 40394c4 (3.1.4a1)"

DC, DU, DS = "data_category", "data_use", "subject_category"


def _t(kind: str, key: str, sv: str, pl: str, en: str, description: str = "", **flags: Any) -> dict[str, Any]:
    return {
        "kind": kind,
        "key": key,
        "label_sv": sv,
        "label_pl": pl,
        "label_en": en,
        "description": description,
        "fideslang": not key.startswith("se."),
        "special": flags.pop("special", ""),
        "national_id": flags.pop("national_id", False),
        "protected_identity": flags.pop("protected_identity", False),
        "children": flags.pop("children", False),
        **flags,
    }


DATA_CATEGORIES: Final[list[dict[str, Any]]] = [
    # The Swedish labels are the registers' own words ("Namn", "Kontaktuppgifter", "Titel"), so a notice reads
    # like seed 001.
    _t(DC, "user.name", "Namn", "Imię i nazwisko", "Name"),
    _t(DC, "user.contact", "Kontaktuppgifter", "Dane kontaktowe", "Contact details"),
    _t(DC, "user.contact.email", "E-postadress", "Adres e-mail", "E-mail address"),
    _t(DC, "user.contact.phone_number", "Telefonnummer", "Numer telefonu", "Phone number"),
    _t(DC, "user.contact.address", "Adress", "Adres", "Address"),
    _t(DC, "user.job_title", "Titel", "Stanowisko", "Job title"),
    _t(DC, "user.workplace", "Arbetsplats", "Miejsce pracy", "Workplace"),
    _t(DC, "user.account.username", "Användar-id", "Identyfikator użytkownika", "User ID"),
    _t(DC, "user.authorization.credentials", "Inloggningsuppgifter", "Dane logowania", "Login credentials"),
    _t(DC, "user.device.ip_address", "IP-adress", "Adres IP", "IP address"),
    _t(DC, "user.telemetry", "Tekniska metadata", "Metadane techniczne", "Technical metadata"),
    _t(DC, "user.behavior.browsing_history", "Loggar över internettrafik", "Historia przeglądania", "Browsing logs"),
    _t(DC, "user.content.self_image", "Bilder", "Wizerunek (zdjęcia)", "Images"),
    _t(DC, "user.financial", "Ekonomiska uppgifter", "Dane finansowe", "Financial data"),
    _t(DC, "user.financial.bank_account", "Bankkontonummer", "Numer rachunku bankowego", "Bank account number"),
    _t(DC, "user.demographic.date_of_birth", "Födelsedatum", "Data urodzenia", "Date of birth"),
    _t(
        DC,
        "user.government_id.national_identification_number",
        "Nationellt identitetsnummer",
        "Krajowy numer identyfikacyjny",
        "National identification number",
        "Another state's national number; a Swedish one is se.personnummer or se.samordningsnummer.",
        national_id=True,
    ),
    # Art. 9(1) special categories.
    _t(DC, "user.health_and_medical", "Hälsa och sjukvård", "Dane o zdrowiu", "Health data", special="art9"),
    _t(DC, "user.health_and_medical.genetic", "Genetiska uppgifter", "Dane genetyczne", "Genetic data", special="art9"),
    _t(DC, "user.biometric", "Biometriska uppgifter", "Dane biometryczne", "Biometric data", special="art9"),
    _t(
        DC,
        "user.demographic.political_opinion",
        "Politisk åsikt",
        "Poglądy polityczne",
        "Political opinion",
        special="art9",
    ),
    _t(
        DC,
        "user.demographic.religious_belief",
        "Religiös övertygelse",
        "Przekonania religijne",
        "Religious belief",
        special="art9",
    ),
    _t(
        DC,
        "user.demographic.race_ethnicity",
        "Etniskt ursprung",
        "Pochodzenie rasowe lub etniczne",
        "Racial or ethnic origin",
        special="art9",
    ),
    _t(
        DC,
        "user.demographic.sexual_orientation",
        "Sexuell läggning",
        "Orientacja seksualna",
        "Sexual orientation",
        special="art9",
    ),
    # Art. 10.
    _t(
        DC,
        "user.criminal_history",
        "Lagöverträdelser",
        "Wyroki skazujące i naruszenia prawa",
        "Criminal convictions and offences",
        special="art10",
    ),
    _t(DC, "user.childrens", "Uppgifter om barn", "Dane dzieci", "Children's data", children=True),
    # Swedish additions.
    _t(
        DC,
        "se.personnummer",
        "Personnummer",
        "Szwedzki numer PESEL (personnummer)",
        "Personal identity number (personnummer)",
        "parent: user.government_id.national_identification_number. DSL 3 kap. 10 §: only when clearly justified.",
        national_id=True,
    ),
    _t(
        DC,
        "se.samordningsnummer",
        "Samordningsnummer",
        "Numer koordynacyjny (samordningsnummer)",
        "Co-ordination number (samordningsnummer)",
        "parent: user.government_id.national_identification_number. For people not population-registered in Sweden.",
        national_id=True,
    ),
    _t(
        DC,
        "se.skyddad_identitet",
        "Skyddad identitet",
        "Chroniona tożsamość",
        "Protected identity",
        "Sekretessmarkering, skyddad folkbokföring or fingerade personuppgifter.",
        protected_identity=True,
    ),
    _t(
        DC,
        "se.facklig_tillhorighet",
        "Facklig tillhörighet",
        "Przynależność do związków zawodowych",
        "Trade-union membership",
        "Art. 9(1). Fideslang 3.1 has no key for it (3.2 draft: user.demographic.union_membership).",
        special="art9",
    ),
    _t(
        DC,
        "se.uppgift_om_halsa",
        "Uppgift om hälsa",
        "Informacje o stanie zdrowia",
        "Information about health",
        "parent: user.health_and_medical. Health information in a case file (a färdtjänst or social-care application).",
        special="art9",
    ),
    _t(
        DC,
        "se.partibeteckning",
        "Partibeteckning",
        "Przynależność partyjna",
        "Party affiliation",
        "parent: user.demographic.political_opinion. An elected official's party: it reveals a political opinion.",
        special="art9",
    ),
    _t(
        DC,
        "se.elevhalsa",
        "Elevhälsouppgifter",
        "Dane opieki zdrowotnej nad uczniami",
        "Pupil health data",
        "parent: user.health_and_medical. School health service records (skollagen 2 kap. 25 §).",
        special="art9",
        children=True,
    ),
    _t(
        DC,
        "se.socialtjanst",
        "Uppgifter i socialtjänstärende",
        "Dane w sprawach pomocy społecznej",
        "Social-services case data",
        "Personal circumstances in a social-services case; secret under OSL 26 kap. 1 §.",
    ),
    _t(
        DC,
        "se.personliga_forhallanden",
        "Personliga förhållanden",
        "Sytuacja osobista",
        "Personal circumstances",
    ),
    _t(DC, "se.arendeuppgifter", "Ärendeuppgifter", "Dane sprawy", "Case details"),
    _t(DC, "se.anstallningsinformation", "Anställningsinformation", "Dane o zatrudnieniu", "Employment details"),
    _t(DC, "se.fastighetsbeteckning", "Fastighetsbeteckning", "Oznaczenie nieruchomości", "Property designation"),
]

DATA_USES: Final[list[dict[str, Any]]] = [
    _t(DU, "essential.service", "Tillhandahålla tjänsten", "Świadczenie usługi", "Providing the service"),
    _t(DU, "essential.service.operations", "Drift av verksamheten", "Działanie usługi", "Operations"),
    _t(DU, "essential.service.operations.support", "Support", "Wsparcie techniczne", "Support"),
    _t(DU, "essential.service.security", "Informationssäkerhet", "Bezpieczeństwo", "Security"),
    _t(DU, "essential.service.authentication", "Autentisering", "Uwierzytelnianie", "Authentication"),
    _t(
        DU,
        "essential.service.notifications.sms",
        "Utskick via sms",
        "Powiadomienia SMS",
        "SMS notifications",
    ),
    _t(
        DU,
        "essential.service.payment_processing",
        "Betalningar",
        "Przetwarzanie płatności",
        "Payment processing",
    ),
    _t(DU, "essential.legal_obligation", "Rättslig förpliktelse", "Obowiązek prawny", "Legal obligation"),
    _t(DU, "employment", "Personaladministration", "Zatrudnienie", "Employment"),
    _t(DU, "finance", "Ekonomi och redovisning", "Finanse i rachunkowość", "Finance"),
    _t(DU, "operations", "Verksamhetsstöd", "Działalność operacyjna", "Operations support"),
    _t(DU, "marketing.communications", "Information och kommunikation", "Komunikacja", "Communications"),
    _t(
        DU,
        "third_party_sharing.legal_obligation",
        "Utlämnande enligt lag",
        "Udostępnianie na podstawie przepisów",
        "Disclosure required by law",
    ),
    _t(
        DU,
        "se.myndighetsutovning",
        "Myndighetsutövning",
        "Wykonywanie władzy publicznej",
        "Exercise of official authority",
    ),
    _t(
        DU,
        "se.offentlighetsprincipen",
        "Allmänna handlingar och offentlighetsprincipen",
        "Dokumenty publiczne i jawność",
        "Official documents and public access",
    ),
    _t(DU, "se.arkivering", "Arkivering i allmänt intresse", "Archiwizacja w interesie publicznym", "Archiving"),
    _t(
        DU,
        "se.namndadministration",
        "Nämndadministration",
        "Obsługa organów kolegialnych",
        "Committee administration",
    ),
]

SUBJECT_CATEGORIES: Final[list[dict[str, Any]]] = [
    _t(DS, "employee", "Medarbetare", "Pracownicy", "Employees"),
    _t(DS, "consultant", "Konsulter", "Konsultanci", "Consultants"),
    _t(DS, "citizen_voter", "Medborgare/kommuninvånare", "Mieszkańcy gminy", "Residents"),
    _t(DS, "customer", "Kunder", "Klienci", "Customers"),
    _t(DS, "supplier_vendor", "Leverantörer", "Dostawcy", "Suppliers"),
    _t(DS, "job_applicant", "Arbetssökande", "Kandydaci do pracy", "Job applicants"),
    _t(DS, "next_of_kin", "Anhöriga", "Osoby bliskie", "Next of kin"),
    _t(DS, "patient", "Patienter", "Pacjenci", "Patients"),
    _t(DS, "visitor", "Besökare", "Odwiedzający", "Visitors"),
    _t(DS, "trainee", "Praktikanter", "Praktykanci", "Trainees"),
    _t(DS, "se.fortroendevald", "Förtroendevald", "Radny / członek organu", "Elected official"),
    _t(DS, "se.vardnadshavare", "Vårdnadshavare", "Opiekunowie prawni", "Guardians"),
    _t(DS, "se.elev", "Elever", "Uczniowie", "Pupils", children=True),
    _t(DS, "se.barn", "Barn", "Dzieci", "Children", children=True),
    _t(DS, "se.potentiell_leverantor", "Potentiella leverantörer", "Potencjalni dostawcy", "Prospective suppliers"),
    _t(DS, "se.extern_aktor", "Externa aktörer", "Podmioty zewnętrzne", "External parties"),
    _t(DS, "se.extern_intressent", "Externa intressenter", "Zewnętrzni interesariusze", "External stakeholders"),
    _t(DS, "se.extern_part", "Extern part", "Strona zewnętrzna", "Other party"),
    _t(DS, "se.internrevisor", "Interna revisorer", "Audytorzy wewnętrzni", "Internal auditors"),
    _t(
        DS,
        "se.kontaktperson",
        "Kontaktpersoner hos företag/organisationer",
        "Osoby kontaktowe w firmach i organizacjach",
        "Contact persons at companies and organisations",
    ),
    _t(DS, "se.sokande", "Sökande", "Wnioskodawcy", "Applicants"),
]

BUILTIN_TERMS: Final[list[dict[str, Any]]] = [*DATA_CATEGORIES, *DATA_USES, *SUBJECT_CATEGORIES]
