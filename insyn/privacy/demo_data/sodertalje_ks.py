"""Södertälje kommun, Kommunstyrelsen: "Kommunstyrelsens personuppgiftsbehandlingar" (seed 003), as data.

Read by hand from the OCR text `shared/seeds/003_64d63baee2f0a659.txt` (never parsed at run time). The OCR ran
the nine columns together and wrapped rows; each activity below is one row of the source, in its order, with
the words the OCR damaged repaired (the damaged form is quoted in a comment: "Allmént intresse" → "Allmänt
intresse"). The "Bildbank" row is two activities (one on intresseavvägning, one on samtycke) and is so here.

Columns → fields: Behandlingsaktivitet → name; Ändamål → purposes (one per sentence); Kategorier av registrerade →
data_subject_categories; Kategorier av personuppgifter → personal_data_categories; Rättslig grund → legal_bases
(Allmänt intresse 6.1.e, Rättslig förpliktelse 6.1.c, Avtal 6.1.b, Samtycke 6.1.a, Intresseavvägning 6.1.f);
Lagringstid → retention.text; Mottagare → recipients; Källa → sources; Överföring till tredje land → transfers.

What the source does not state and the demo adds, each marked "added": the law reference of a basis (the register
names only the basis), the reason for personnummer (DSL 3 kap. 10 §) and the Art. 9(2) condition with its
Dataskyddslagen reference.
"""

from __future__ import annotations

from typing import Final

from insyn.privacy.activity_data import ActivityData
from insyn.privacy.demo_data.helpers import basis, categories, data, named, subjects

CONTROLLER: Final = ("Södertälje kommun", "Kommunstyrelsen")
TITLE: Final = "Kommunstyrelsens personuppgiftsbehandlingar"

KL = "kommunallagen (2017:725)"
FL = "förvaltningslagen (2017:900)"
PNR_REASON = "Säker identifiering av den registrerade (DSL 3 kap. 10 §)."  # added
PNR_FIRM = "Personnumret är organisationsnumret för en enskild firma (DSL 3 kap. 10 §)."  # added
PROCESSOR = "Personuppgiftsbiträde"  # "personuppgiftsbitrade"

ACTIVITIES: Final[list[ActivityData]] = [
    {
        # "Planera, leda och styra verksamheten"; "Uppratta", "aktorer", "Allmént intresse", "sjalv"
        "name": "Planera, leda och styra verksamheten",
        "purposes": ["Verksamhetsplanering och verksamhetsutveckling.", "Upprätta planer, strategier, policys."],
        "legal_bases": [basis("6.1.e", f"{KL} 6 kap. 1 § (styrelsen leder och samordnar)")],  # reference added
        "data_subject_categories": subjects("employee", "se.extern_aktor", "se.extern_intressent"),
        "personal_data_categories": [data("user.contact")],
        "retention": {"text": "Bevaras"},
        "recipients": categories("Andra aktörer och intressenter", PROCESSOR),
        "recipients_text": "Andra aktörer och intressenter, personuppgiftsbiträde",
        "sources": ["subject", "internal"],
        "sources_text": "Individen själv, Genereras internt",
    },
    {
        # "Utfora tillsyn, revision"; "utféra"; "interna revisioner" read as the auditors it lists among subjects
        "name": "Utföra tillsyn, revision",
        "purposes": [
            "Att utföra intern revision samt medverka vid tredjepartsrevision (om ISO-certifierad organisation)."
        ],
        "legal_bases": [basis("6.1.e", f"{KL} 6 kap. 6 § (intern kontroll)")],  # reference added
        "data_subject_categories": subjects("employee", "se.internrevisor", "se.extern_aktor", "se.extern_intressent"),
        "personal_data_categories": [data("user.contact")],
        "retention": {"text": "Bevaras"},
        "recipients": categories("Tredjepartsrevisor", "Lekmannarevisorer", PROCESSOR),
        "recipients_text": "Tredjepartsrevisor, Lekmannarevisorer, personuppgiftsbiträde",
        "sources": ["internal"],
        "sources_text": "Genereras internt",
    },
    {
        # "Handlagga drenden (beslutsfattande)"; "Handlaggning av drenden"; "fértroendevalda"; "ovrigt"
        "name": "Handlägga ärenden (beslutsfattande)",
        "purposes": ["Handläggning av ärenden för politiskt beslutsfattande.", "Hantera remisser."],
        "legal_bases": [basis("6.1.e", f"{KL} 5–6 kap.; {FL}")],  # reference added
        "data_subject_categories": subjects("employee", "se.fortroendevald", "se.extern_aktor", "se.extern_intressent"),
        "personal_data_categories": [data("user.contact")],
        "retention": {
            "text": "Protokoll, beslutsunderlag och yttrande bevaras, övrigt i enlighet med dokumenthanteringsplan"
        },
        "recipients": categories("Myndigheter och andra intressenter", PROCESSOR),
        "recipients_text": "Myndigheter och andra intressenter, personuppgiftsbiträde",
        "sources": ["internal"],
        "sources_text": "Genereras internt",
    },
    {
        # "Upphandla/avropa, képa in, |bestalla"; "genomférande"; "Telge Inkdp dger"; "leverantérer"; "Allméant"
        "name": "Upphandla/avropa, köpa in, beställa",
        "purposes": [
            "Planering och genomförande av upphandling, avrop, inköp eller beställning samt slutförande.",
            "Telge Inköp äger processen.",
        ],
        "legal_bases": [basis("6.1.e", "lagen (2016:1145) om offentlig upphandling")],  # reference added
        "data_subject_categories": subjects("se.potentiell_leverantor", "supplier_vendor"),
        "personal_data_categories": [
            data("se.personnummer", national_id_reason=PNR_FIRM),
            data("user.name"),
            data("user.contact"),
        ],
        "retention": {
            "text": "Upphandlingsdokument bevaras, arbetsmaterial gallras och ej antagna anbud gallras efter 4 år."
        },
        "recipients": [*named("Skatteverket", "Bolagsverket"), *categories(PROCESSOR)],
        "recipients_text": "Skatteverket, Bolagsverket, personuppgiftsbiträde",
        "sources": ["internal", "subject"],
        "sources_text": "Genereras internt, Individen själv",
    },
    {
        # "okat valdeltagande"; "invanare"; "rosta"; "Radering sker sa snart"; "Teleoperator"
        "name": "Hantera valinformation",
        "purposes": ["För ett ökat valdeltagande skickas sms till invånare med uppmaning att rösta."],
        "data_uses": ["essential.service.notifications.sms"],
        "legal_bases": [basis("6.1.e", f"{KL} 2 kap. 1 § (angelägenheter av allmänt intresse)")],  # reference added
        "data_subject_categories": subjects("citizen_voter"),
        "personal_data_categories": [data("user.contact.phone_number")],
        "retention": {"text": "Radering sker så snart sms har skickats ut"},
        "recipients": categories("Teleoperatör för utskick av sms"),
        "recipients_text": "Teleoperatör för utskick av sms",
        "sources": ["third_party"],
        "sources_text": "Tredje part",
    },
    {
        # "anmalan"; "leverantorer, vardnadshavare for barnomsorgsplats"; "Rattslig forpliktelse"; "Bokféringslagen"
        "name": "Administrera ekonomi",
        "purposes": ["Fakturering, autogiro, anmälan till e-faktura."],
        "data_uses": ["finance"],
        "legal_bases": [
            basis("6.1.c", "bokföringslagen (1999:1078); lagen (2018:597) om kommunal bokföring och redovisning")
        ],
        "data_subject_categories": subjects("customer", "supplier_vendor", "se.vardnadshavare", "employee"),
        "personal_data_categories": [
            data("se.personnummer", national_id_reason=PNR_FIRM),
            data("user.name"),
            data("user.contact"),
        ],
        "retention": {"text": "Fakturaunderlag sparas 7 år i enlighet med Bokföringslagen."},
        "recipients": [*named("Skatteverket", "Bolagsverket"), *categories(PROCESSOR)],
        "recipients_text": "Skatteverket, Bolagsverket, personuppgiftsbiträde",
        "sources": ["internal", "subject"],
        "sources_text": "Genereras internt, Individen själv",
    },
    {
        # "Administrera fortroendevalda samt sammantrades-hantering"; "fértroendemannaregister"; "namndsammantrade"
        "name": "Administrera förtroendevalda samt sammanträdeshantering",
        "purposes": [
            "Hantera förtroendemannaregister, administrera arvoden och ersättningar, administrera handlingar och "
            "protokoll till nämndsammanträde/styrelsesammanträde."
        ],
        "data_uses": ["se.namndadministration"],
        "legal_bases": [basis("6.1.e", f"{KL} 4 kap. (förtroendevaldas arvoden) och 5–6 kap. (sammanträden)")],
        "data_subject_categories": subjects("se.fortroendevald", "employee"),
        "personal_data_categories": [data("user.name"), data("se.personnummer", national_id_reason=PNR_REASON)],
        "retention": {"text": "Beslutsunderlag samt protokoll bevaras. Förtroendemannaregister bevaras."},
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["internal", "subject"],
        "sources_text": "Genereras internt, Individen själv",
        "system_models": ["officials.person", "officials.membership"],
    },
    {
        # "Halla kommunala handlingar ordnade och sékbara"; "invanares ratt"; "Offentligt allmdnna handlingar ska
        # utlamnas" (the last sentence runs in the Lagringstid column)
        "name": "Hantera handlingar",
        "purposes": [
            "Hålla kommunala handlingar ordnade och sökbara och tillgodose invånares rätt till insyn i kommunal "
            "verksamhet.",
            "Klassificering av information inkluderat personuppgifter.",
        ],
        "data_uses": ["se.offentlighetsprincipen"],
        "legal_bases": [
            basis("6.1.e", "tryckfrihetsförordningen 2 kap.; offentlighets- och sekretesslagen (2009:400); arkivlagen")
        ],
        "data_subject_categories": subjects(
            "se.fortroendevald", "employee", "customer", "citizen_voter", "supplier_vendor", "consultant"
        ),
        "personal_data_categories": [
            data("user.contact"),
            data("user.name"),
            data("se.personnummer", national_id_reason=PNR_REASON),
            data("user.contact.email"),
            data("user.contact.phone_number"),
            data("se.fastighetsbeteckning"),
        ],
        "retention": {
            "text": "Allmänna handlingar bevaras eller gallras i enlighet med verksamhetens dokumenthanteringsplan och "
            "arkivlagen. Offentliga allmänna handlingar ska utlämnas i enlighet med offentlighetsprincipen, "
            "sekretess kan förekomma."
        },
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["internal", "subject"],
        "sources_text": "Genereras internt, Individen själv",
    },
    {
        # "[Lavera och ta emot"; "tillgangliggéra"; "behdvs"; "anstéllningens upphérande"
        "name": "Administration av leveranser till arkiv",
        "purposes": [
            "Leverera och ta emot arkiverade handlingar, förvara och tillgängliggöra arkiv.",
            "Personuppgifterna behövs för att kunna komma i kontakt med verksamheter som levererat information till "
            "arkivet, t ex vid oklarheter i materialet.",
        ],
        "data_uses": ["se.arkivering"],
        "legal_bases": [basis("6.1.e", "arkivlagen (1990:782)")],  # reference added
        "data_subject_categories": subjects("employee"),
        "personal_data_categories": [data("user.name"), data("user.job_title"), data("user.contact")],
        "retention": {"text": "Vid inaktualitet eller anställningens upphörande."},
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["internal", "subject"],
        "sources_text": "Genereras internt, Individen själv",
    },
    {
        # "nédvandig for att utéva"; "intranat"; "krénikor"
        "name": "Bedriva kommunikation",
        "purposes": [
            "Personuppgiftsbehandlingen är nödvändig för att utöva serviceskyldighet genom att administrera webb och "
            "intranät, tillhandahålla e-tjänster.",
            "Producera pressmeddelanden och trycksaker.",
            "Hantera sociala medier, mallar och grafisk profil.",
            "Artiklar och krönikor.",
        ],
        "data_uses": ["marketing.communications"],
        "legal_bases": [basis("6.1.e", f"{FL} 6 § (serviceskyldighet)")],  # reference added
        "data_subject_categories": subjects("employee", "consultant", "citizen_voter"),
        "personal_data_categories": [data("user.name"), data("user.contact")],
        "retention": {"text": "Fotografier, filmer och ljud som dokumenterar den egna verksamheten bevaras"},
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["internal"],
        "sources_text": "Genereras internt",
    },
    {
        # First half of the "Bildbank" row: "Bildbank fér kommunens kommunikations-material"; "Intresseav-vagning".
        # The two halves share the source's name; the part after the dash says which is which.
        "name": "Bildbank för kommunens kommunikationsmaterial – intranät",
        "purposes": ["Hantera bildbank, bilder på intranät."],
        "data_uses": ["marketing.communications"],
        "legal_bases": [basis("6.1.f")],  # an authority on 6.1.f: the register checks flag it
        "data_subject_categories": subjects("employee", "consultant", "se.fortroendevald"),
        "personal_data_categories": [data("user.name"), data("user.contact"), data("user.content.self_image")],
        "retention": {"text": "Fotografier, filmer och ljud som dokumenterar den egna verksamheten bevaras"},
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["internal", "subject"],
        "sources_text": "Genereras internt, Individen själv",
    },
    {
        # Second half of the "Bildbank" row: "anvandning pa sociala medier"; "Gallras ndr samtycke inte langre ar
        # giltigt eller aterkallats men bevaras déarefter i arkivet."
        "name": "Bildbank för kommunens kommunikationsmaterial – tryck, sociala medier och webb",
        "purposes": ["Hantera bildbank, bilder för tryck och digital användning på sociala medier och webb."],
        "data_uses": ["marketing.communications"],
        "legal_bases": [
            basis(
                "6.1.a",
                withdrawal_route=(
                    # added: the register says consent can be withdrawn ("återkallats") but not how
                    "Samtycket återkallas genom att kontakta kommunen; bilden gallras ur bildbanken när samtycket "
                    "återkallats."
                ),
            )
        ],
        "data_subject_categories": subjects("employee", "consultant", "citizen_voter"),
        "personal_data_categories": [data("user.name"), data("user.contact"), data("user.content.self_image")],
        "retention": {
            "text": "Gallras när samtycke inte längre är giltigt eller återkallats men bevaras därefter i arkivet."
        },
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["internal", "subject"],
        "sources_text": "Genereras internt, Individen själv",
    },
    {
        # "Forvalta IT och teknisk kommunikation"; "6vervaka"; "hardvara"; "felanmalan"; "Folja upp";
        # "fértroendevalda"; "féretag"; "Anstallningsinformation"; "fackférening"; "efter 1 manad"; "anstallning";
        # "IT-bestéllningar gallras efter 2 ar"; "alias pa medarbetare"; "Molntjanstleverantor";
        # "Overforing till USA férekommer med stod av EU-kommissionens adekvansbeslut"
        "name": "Förvalta IT och teknisk kommunikation",
        "purposes": [
            "Administrera e-kommunikation, e-kontorsstöd och e-samarbete.",
            "Förvalta IT-system, övervaka system.",
            "Loggning av e-post, spam, internettrafik, telefoni, verksamhetssystem och nätverk.",
            "Förse verksamhetens system med information om användare.",
            "Interna telefonkataloger.",
            "Beställa nya datorer, hårdvara, mobilabonnemang.",
            "Hantera felanmälan och support.",
            "Följa upp att medarbetare inte bedriver brottslig aktivitet med arbetsgivarens enheter",
        ],
        "data_uses": ["essential.service.operations", "essential.service.security", "essential.service.authentication"],
        "legal_bases": [basis("6.1.e", f"{KL} 6 kap. 6 §; lagen (2018:1174) om informationssäkerhet")],  # added
        "data_subject_categories": subjects(
            "employee", "consultant", "se.fortroendevald", "se.elev", "citizen_voter", "se.kontaktperson"
        ),
        "personal_data_categories": [
            data("se.anstallningsinformation", subject="employee"),
            data("user.contact", children=True),
            data("user.authorization.credentials", children=True),
            data("se.personnummer", national_id_reason=PNR_REASON, children=True),
            data("user.telemetry", children=True),
            # Art. 9 data of employees; the condition and DSL reference are added: employment law, DSL 3 kap. 2 §.
            data("se.facklig_tillhorighet", subject="employee", art9_condition="9.2.b", dsl_reference="DSL 3 kap. 2 §"),
            data("se.skyddad_identitet", children=True),
        ],
        "retention": {
            "text": "Loggar internettrafik och e-post gallras efter 1 månad. Telefonkatalogen vid inaktualitet/efter "
            "avslutad anställning. IT-beställningar gallras efter 2 år. Kontoinformation; namn, personnummer och "
            "alias på medarbetare bevaras."
        },
        "recipients": [*categories(PROCESSOR), *categories("Molntjänstleverantör", country="US")],
        "recipients_text": "Personuppgiftsbiträde, Molntjänstleverantör",
        "sources": ["internal", "subject"],
        "sources_text": "Genereras internt, Individen själv",
        "transfers": [
            {
                "country": "US",
                "mechanism": "adequacy",
                # The register: "med stöd av EU-kommissionens adekvansbeslut"; the decision in force for the USA.
                "mechanism_reference": "EU–US Data Privacy Framework: kommissionens genomförandebeslut (EU) 2023/1795",
                "recipient": "Molntjänstleverantör",
            }
        ],
        "system_models": ["auth.user", "core.auditentry"],
    },
    {
        # "intresseanmalan"; "hindersprévning"; "inaktulitet" (sic in the source: "inaktualitet"); no recipient
        "name": "Erbjuda borgerlig vigsel",
        "purposes": ["Administrera vigsel samt intresseanmälan."],
        "legal_bases": [basis("6.1.e", "äktenskapsbalken (1987:230) 4 kap.")],  # reference added
        "data_subject_categories": subjects("citizen_voter", "se.extern_part"),
        "personal_data_categories": [
            data("user.name"),
            data("user.contact"),
            data("se.personnummer", national_id_reason=PNR_REASON),
            data("user.device.ip_address"),
        ],
        "retention": {
            "text": "Intyg om hindersprövning bevaras. Vigselbevis gallras vid inaktualitet. Vigselbok bevaras."
        },
        "sources": ["subject"],
        "sources_text": "Individen själv",
    },
    {
        # "Arendehantering i Kontaktcenter"; "drenden"; "felanmalningar, bestallningar"; "forbattringsfoérslag";
        # "drendeuppgifter"; "2ar"
        "name": "Ärendehantering i Kontaktcenter",
        "purposes": [
            "Registrering av ärenden som inkommer till kommunens Kontaktcenter – felanmälningar, beställningar, "
            "synpunkter, förbättringsförslag och frågor"
        ],
        "legal_bases": [basis("6.1.e", f"{FL} 6 § (serviceskyldighet)")],  # reference added
        "data_subject_categories": subjects("employee", "citizen_voter"),
        "personal_data_categories": [data("user.name"), data("user.contact"), data("se.arendeuppgifter")],
        "retention": {"text": "2 år"},
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["internal", "subject"],
        "sources_text": "Genereras internt, Individen själv",
    },
    {
        # "Hantera medborgarforslag"; "Sédertélje kan ldmna in forslag pa allt som rér"; "folkbokford"
        "name": "Hantera medborgarförslag",
        "purposes": [
            "Medborgare i Södertälje kan lämna in förslag på allt som rör kommunens verksamhet och ansvar.",
            "Medborgarförslaget utreds av den enhet som frågan berör och berörd nämnd eller kommunfullmäktige beslutar "
            "i ärendet.",
            "Personuppgiftsbehandlingen är nödvändig för att säkerställa att förslagslämnaren är folkbokförd i "
            "Södertälje kommun samt för att kunna komma i kontakt med förslagslämnaren.",
        ],
        "legal_bases": [basis("6.1.e", f"{KL} 8 kap. 1 § (medborgarförslag)")],  # reference added
        "data_subject_categories": subjects("citizen_voter"),
        "personal_data_categories": [data("user.name"), data("user.contact")],
        "retention": {"text": "Bevaras"},
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["subject"],
        "sources_text": "Individen själv",
    },
    {
        # "klagomal gallande"; "berérs och aterkopplar i drendet"; the source repeats "för att" ("for att for att")
        "name": "Hantera synpunkter och klagomål",
        "purposes": [
            "Kommuninvånare eller annan extern part kan lämna synpunkter och klagomål gällande den kommunala "
            "verksamheten.",
            "Dessa hanteras av den enhet som berörs och återkopplar i ärendet.",
            "Personuppgiftsbehandlingen är nödvändig för att kunna komma i kontakt med förslagslämnaren.",
        ],
        "legal_bases": [basis("6.1.e", f"{FL} 6 § (serviceskyldighet)")],  # reference added
        "data_subject_categories": subjects("citizen_voter", "se.extern_part"),
        "personal_data_categories": [data("user.name"), data("user.contact")],
        "retention": {"text": "Bevaras"},
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["subject"],
        "sources_text": "Individen själv",
    },
    {
        # "Hantering av fardtjanst"; "Ansokan om fardtjanst"; "uppgift om hélsa, personlig forhallanden";
        # "Taxi- fardtjanstleverantor"
        #
        # Art. 9(2)(g) with DSL 3 kap. 3 § första stycket 2, not 9(2)(h): färdtjänst is a municipal transport service
        # under lagen (1997:736) om färdtjänst, not health care or social care, so DSL 3 kap. 5 § (9(2)(h): vård,
        # behandling, social omsorg) does not reach it. The health data are what the applicant gives to have the
        # application decided (7 § färdtjänstlagen: a funktionsnedsättning that makes public transport
        # substantially harder), and DSL 3 kap. 3 § 2 p. lets an authority process sensitive data when it is
        # necessary for handling a case. The file is secret under OSL 26 kap. 1 §, which covers färdtjänst.
        "name": "Hantering av färdtjänst",
        "purposes": ["Ansökan om färdtjänst"],
        "data_uses": ["se.myndighetsutovning"],
        "legal_bases": [basis("6.1.e", "lagen (1997:736) om färdtjänst")],  # reference added
        "data_subject_categories": subjects("citizen_voter"),
        "personal_data_categories": [
            data("se.personnummer", national_id_reason=PNR_REASON),
            data("user.contact"),
            data(
                "se.uppgift_om_halsa",
                art9_condition="9.2.g",
                dsl_reference="DSL 3 kap. 3 § första stycket 2",
                secrecy="OSL 26 kap. 1 §",
            ),
            data("se.personliga_forhallanden", secrecy="OSL 26 kap. 1 §"),
        ],
        "retention": {"text": "Gallras efter 3 år"},
        "recipients": [*named("Region Stockholm"), *categories("Taxi- och färdtjänstleverantör", PROCESSOR)],
        "recipients_text": "Region Stockholm, Taxi-/färdtjänstleverantör, Personuppgiftsbiträde",
        "sources": ["internal", "subject"],
        "sources_text": "Genereras internt, Individen själv",
        "provision_requirement": "prerequisite",
    },
    {
        # "Hantera begaran enligt GDPR"; "registrerade rattigheterna"; "rattelse, begransning, radering";
        # "invandningar"; "Rattslig forpliktelse"; "1 ar i e-tjanst och lista dver inkomna drenden";
        # "Fullstandigt registerutdrag i 3 manader"; "Begdran om réttelse"
        "name": "Hantera begäran enligt GDPR",
        "purposes": [
            "Hantera begäran gällande registrerades rättigheter enligt GDPR; information, registerutdrag, rättelse, "
            "begränsning, radering, dataportabilitet, automatiserat beslutsfattande och invändningar."
        ],
        "data_uses": ["essential.legal_obligation"],
        "legal_bases": [basis("6.1.c", "dataskyddsförordningen (EU) 2016/679 art. 12–22")],  # reference added
        "data_subject_categories": subjects("employee", "citizen_voter", "se.fortroendevald", "se.elev"),
        "personal_data_categories": [
            data("user.name", children=True),
            data("se.personnummer", national_id_reason=PNR_REASON, children=True),
            data("user.contact", children=True),
        ],
        "retention": {
            "text": "1 år i e-tjänst och lista över inkomna ärenden. Fullständigt registerutdrag i 3 månader. Begäran "
            "om rättelse, begränsning, radering och invändningar vid inaktualitet. Beslut om registrerades "
            "rättigheter, vid avslag bevaras."
        },
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["subject"],
        "sources_text": "Individen själv",
    },
    {
        # "Hantera tillganglighet till kommunens lokaler"; "passerbrickor kopplade till en individ for inpassering
        # till stadshusets lokaler"; "anstallningens avslut"; "Loggar gallras efter 3 manader"
        "name": "Hantera tillgänglighet till kommunens lokaler",
        "purposes": ["Hantering av passerbrickor kopplade till en individ för inpassering till stadshusets lokaler."],
        "data_uses": ["essential.service.security"],
        # The register's basis, as written: the badge is part of the employment or assignment contract.
        "legal_bases": [basis("6.1.b", "Anställnings- eller uppdragsavtalet")],
        "data_subject_categories": subjects("employee", "consultant", "se.fortroendevald"),
        "personal_data_categories": [data("user.name"), data("se.personnummer", national_id_reason=PNR_REASON)],
        "retention": {"text": "Vid anställningens avslut. Loggar gallras efter 3 månader."},
        "recipients": categories(PROCESSOR),
        "recipients_text": "Personuppgiftsbiträde",
        "sources": ["internal"],
        "sources_text": "Genereras internt",
    },
]
