"""The retention parser against real plan phrases (issue #3). Pure unit tests: no database."""

from __future__ import annotations

import json

import pytest

from insyn.records.plandata import RetentionData
from insyn.records.retention import (
    DEFAULT_RULES,
    GrammarRule,
    match_retention,
    normalise,
    parse_retention,
)

UNCLEAR = RetentionData()
RETAIN = RetentionData(action="retain")
TRANSFER = RetentionData(action="transfer")
OBSOLETE = RetentionData(action="dispose", trigger="obsolete")
CASE_CLOSED = RetentionData(action="dispose", trigger="case_closed")


def dispose(period: str | None = None, trigger: str = "created", align: str = "none") -> RetentionData:
    return RetentionData(action="dispose", period=period, trigger=trigger, align=align)


def on_event(event: str, period: str | None = None, align: str = "none") -> RetentionData:
    return RetentionData(action="dispose", period=period, trigger="event", trigger_event=event, align=align)


def sample(kind: str, period: str | None = None, trigger: str = "none") -> RetentionData:
    return RetentionData(action="retain", sampling=kind, period=period, trigger=trigger)


def jrwa_b(years: int) -> RetentionData:
    return RetentionData(action="dispose", period=f"P{years}Y", trigger="case_closed", align="year_end")


def jrwa_be(years: int) -> RetentionData:
    return RetentionData(action="review", period=f"P{years}Y", trigger="case_closed", align="year_end")


SWEDISH = [
    # The seed plan (Torsby kommun, informationsförsörjning)
    ("Bevaras", RETAIN),
    ("Bevaras, se anmärkning", RETAIN),
    ("Gallras vid inaktualitet", OBSOLETE),
    ("Se anmärkning", UNCLEAR),
    ("Bevaras/Gallras", UNCLEAR),
    # Retain
    ("bevaras.", RETAIN),
    ("BEVARAS", RETAIN),
    ("  Bevaras  ", RETAIN),
    ("Bevaras. Se anmärkning.", RETAIN),
    ("Bevaras (se anmärkning)", RETAIN),
    ("Bevaras, se anm.", RETAIN),
    ("Bevaras,se anmärkning", RETAIN),
    ("Bevaras – se anmärkning", RETAIN),
    ("Bevaras för all framtid", RETAIN),
    ("Bevaras permanent", RETAIN),
    ("Bevaras digitalt", RETAIN),
    ("Bevaras i pappersform", RETAIN),
    ("Bevaras i original", RETAIN),
    ("Gallras ej", RETAIN),
    ("Får ej gallras", RETAIN),
    ("Ingen gallring", RETAIN),
    ("Bevaras. Arkivläggs efter 2 år", RETAIN),
    ("Bevaras, levereras till kommunarkivet efter 5 år", RETAIN),
    ("Bevaras. Överlämnas till centralarkivet 2 år efter avslutat ärende", RETAIN),
    # Sampling
    ("Bevaras i urval", sample("i urval")),
    ("Bevaras i urval, se anmärkning", sample("i urval")),
    ("Gallras, bevaras i urval", sample("i urval")),
    ("Gallras. Urval bevaras", sample("i urval")),
    ("Gallras utom ett urval", sample("i urval")),
    ("Gallras efter 10 år, urval bevaras", sample("i urval", "P10Y", "created")),
    ("Gallras 5 år efter avslutat ärende, bevaras i urval", sample("i urval", "P5Y", "case_closed")),
    ("Datumurval", sample("datumurval")),
    ("Bevaras i datumurval", sample("datumurval")),
    ("Bevaras, datumurval", sample("datumurval")),
    ("Gallras, datumurval bevaras", sample("datumurval")),
    ("Gallras utom datumurval", sample("datumurval")),
    ("Bevaras för personer födda den 5, 15 och 25 i varje månad", sample("datumurval")),
    ("Gallras efter 5 år utom datumurval", sample("datumurval", "P5Y", "created")),
    ("Gallras 5 år efter avslutat ärende utom datumurval", sample("datumurval", "P5Y", "case_closed")),
    # Dispose when obsolete
    ("Gallras vid inaktualitet.", OBSOLETE),
    ("GALLRAS VID INAKTUALITET", OBSOLETE),
    ("gallras  vid\u00a0inaktualitet", OBSOLETE),
    ("Vid inaktualitet", OBSOLETE),
    ("Gallras efter inaktualitet", OBSOLETE),
    ("Gallras när inaktuell", OBSOLETE),
    ("Gallras när inaktuella", OBSOLETE),
    ("Gallras när handlingen blivit inaktuell", OBSOLETE),
    ("Gallring vid inaktualitet", OBSOLETE),
    ("Kan gallras vid inaktualitet", OBSOLETE),
    ("Gallras när behovet upphört", OBSOLETE),
    ("Gallras när uppgifterna inte längre behövs", OBSOLETE),
    # Dispose after a period from creation
    ("Gallras efter 2 år", dispose("P2Y")),
    ("Gallras efter 1 månad", dispose("P1M")),
    ("Gallras efter 1 år.", dispose("P1Y")),
    ("Gallras efter ett år", dispose("P1Y")),
    ("Gallras efter två år", dispose("P2Y")),
    ("Gallras efter tio år", dispose("P10Y")),
    ("Gallras efter tolv månader", dispose("P12M")),
    ("Gallras efter tre månader", dispose("P3M")),
    ("Gallras efter sex månader", dispose("P6M")),
    ("Gallras efter två (2) år", dispose("P2Y")),
    ("Gallras efter 3 mån", dispose("P3M")),
    ("Gallras efter 2 veckor", dispose("P2W")),
    ("Gallras efter en vecka", dispose("P1W")),
    ("Gallras efter 30 dagar", dispose("P30D")),
    ("Gallras efter 2år", dispose("P2Y")),
    ("Gallras 2 år", dispose("P2Y")),
    ("Gallras tidigast efter 3 år", dispose("P3Y")),
    ("Får gallras efter 5 år", dispose("P5Y")),
    ("Gallras efter 5 år räknat från upprättandet", dispose("P5Y")),
    ("Gallras efter 1 år räknat från inkomstdatum", dispose("P1Y")),
    ("2 år", dispose("P2Y")),
    ("10 år", dispose("P10Y")),
    ("1 månad", dispose("P1M")),
    ("Efter 5 år", dispose("P5Y")),
    ("Fakturaunderlag sparas 7 år", dispose("P7Y")),
    ("Sparas 7 år", dispose("P7Y")),
    ("Sparas i 2 år", dispose("P2Y")),
    ("Sparas i två år, därefter gallras", dispose("P2Y")),
    ("Gallras omedelbart", dispose("P0D")),
    ("Gallras direkt", dispose("P0D")),
    ("Gallras omgående", dispose("P0D")),
    # Dispose counted from the closing of the case
    ("Gallras 2 år efter avslutat ärende", dispose("P2Y", "case_closed")),
    ("10 år efter avslutat ärende", dispose("P10Y", "case_closed")),
    ("Gallras 10 år efter ärendets avslutande", dispose("P10Y", "case_closed")),
    ("Gallras efter 2 år efter avslutat ärende", dispose("P2Y", "case_closed")),
    ("Gallras efter 5 år räknat från avslutat ärende", dispose("P5Y", "case_closed")),
    ("Gallras 5 år efter att ärendet avslutats", dispose("P5Y", "case_closed")),
    ("Gallras 2 år efter avslutad handläggning", dispose("P2Y", "case_closed")),
    ("Sparas 10 år efter avslutat ärende", dispose("P10Y", "case_closed")),
    ("Gallras vid avslutat ärende", CASE_CLOSED),
    ("Gallras när ärendet är avslutat", CASE_CLOSED),
    # Counted from the end of the calendar year
    ("Gallras 2 år efter utgången av det kalenderår då handlingen upprättades", dispose("P2Y", align="year_end")),
    ("Gallras efter 10 år efter kalenderårets utgång", dispose("P10Y", align="year_end")),
    ("Gallras 7 år efter årets utgång", dispose("P7Y", align="year_end")),
    (
        "Sparas 7 år efter utgången av det kalenderår då räkenskapsåret avslutades",
        dispose("P7Y", align="year_end"),
    ),
    (
        "Gallras 5 år efter utgången av det kalenderår då ärendet avslutades",
        dispose("P5Y", "case_closed", "year_end"),
    ),
    # Named events
    ("Gallras efter 2 år efter avslutad anställning", on_event("end_of_employment", "P2Y")),
    ("Gallras 5 år efter anställningens upphörande", on_event("end_of_employment", "P5Y")),
    ("Gallras 2 år efter att anställningen upphört", on_event("end_of_employment", "P2Y")),
    (
        "Gallras 2 år efter utgången av det kalenderår då anställningen upphörde",
        on_event("end_of_employment", "P2Y", "year_end"),
    ),
    ("Gallras vid avslutad anställning", on_event("end_of_employment")),
    ("Gallras när anställningen upphört", on_event("end_of_employment")),
    ("Gallras när eleven slutat", on_event("pupil_leaves")),
    ("Gallras när eleven lämnat skolan", on_event("pupil_leaves")),
    ("Gallras då eleven slutat skolan", on_event("pupil_leaves")),
    ("Gallras 1 år efter att eleven slutat", on_event("pupil_leaves", "P1Y")),
    ("Gallras ett år efter avslutad skolgång", on_event("pupil_leaves", "P1Y")),
    ("Gallras när nyare version finns", on_event("new_version")),
    ("Gallras när ny version upprättats", on_event("new_version")),
    ("Gallras när ny version har fastställts", on_event("new_version")),
    ("Gallras vid ny version", on_event("new_version")),
    ("Vid ny version", on_event("new_version")),
    ("Gallras när den ersatts av en ny version", on_event("new_version")),
    ("Gallras när samtycke återkallas", on_event("consent_withdrawn")),
    ("Gallras när samtycket har återkallats", on_event("consent_withdrawn")),
    ("Gallras vid återkallat samtycke", on_event("consent_withdrawn")),
    ("Gallras efter registrering", on_event("registered")),
    ("Gallras efter registrering i verksamhetssystemet", on_event("registered")),
    ("Gallras efter diarieföring", on_event("registered")),
    ("Gallras efter inskanning", on_event("scanned")),
    ("Gallras efter skanning och kontroll", on_event("scanned")),
    ("Gallras när handlingen skannats", on_event("scanned")),
    ("Gallras efter överföring till e-arkivet", on_event("transferred")),
    ("Gallras efter överföring till verksamhetssystem W3D3", on_event("transferred")),
    ("Gallras när uppgifterna förts över till Procapita", on_event("transferred")),
    # Transfer and review
    ("Levereras till arkivet", TRANSFER),
    ("Överlämnas till kommunarkivet", TRANSFER),
    ("Levereras till arkivmyndigheten", TRANSFER),
    ("Levereras till centralarkivet efter 5 år", RetentionData(action="transfer", period="P5Y", trigger="created")),
    (
        "Levereras till arkivet 2 år efter avslutat ärende",
        RetentionData(action="transfer", period="P2Y", trigger="case_closed"),
    ),
    ("Omprövas efter 5 år", RetentionData(action="review", period="P5Y", trigger="created")),
    ("Ses över efter 10 år", RetentionData(action="review", period="P10Y", trigger="created")),
    # Needs a person
    ("", UNCLEAR),
    ("   ", UNCLEAR),
    ("-", UNCLEAR),
    ("–", UNCLEAR),
    ("Se nedan", UNCLEAR),
    ("Enligt beslut", UNCLEAR),
    ("Gallras", UNCLEAR),
    ("Bevaras 10 år", UNCLEAR),
    ("Bevaras i 5 år", UNCLEAR),
    ("Bevaras, underlag gallras efter 2 år", UNCLEAR),
    ("Pressmeddelanden som tillhör ärende bevaras, övriga gallras", UNCLEAR),
    ("Gallras efter 2 år men bevaras om ärendet är av principiell betydelse", UNCLEAR),
    ("Gallras efter 2 år eller vid inaktualitet", UNCLEAR),
    ("Gallras vid inaktualitet, dock senast efter 2 år", UNCLEAR),
    ("Gallras efter 2 år, se anmärkning", UNCLEAR),
    ("Gallras vid inaktualitet (se anmärkning)", UNCLEAR),
    ("Gallras efter 1,5 år", UNCLEAR),
    ("Gallras efter 2-5 år", UNCLEAR),
    ("Gallras efter 2 (tre) år", UNCLEAR),
    ("Gallras efter 5 år räknat från beslutet", UNCLEAR),
    ("Gallras enligt Riksarkivets föreskrifter", UNCLEAR),
    ("Gallras efter inskanning men bevaras om originalet är skadat", UNCLEAR),
    ("Övriga sparas 2 år", UNCLEAR),
    ("Sparas tills vidare", UNCLEAR),
    ("Makuleras efter 3 månader", UNCLEAR),
    ("Gallras efter 2 år efter utgången av det kalenderår", UNCLEAR),
    ("Bevaras eller gallras", UNCLEAR),
    ("B5", UNCLEAR),  # a JRWA category means nothing in a Swedish plan
    ("xyz 123", UNCLEAR),
]

POLISH = [
    # JRWA categories
    ("A", RETAIN),
    ("a", RETAIN),
    ("A (archiwalna)", RETAIN),
    ("kat. A", RETAIN),
    ("kategoria A", RETAIN),
    ("A – materiały archiwalne", RETAIN),
    ("B1", jrwa_b(1)),
    ("B2", jrwa_b(2)),
    ("B5", jrwa_b(5)),
    ("B10", jrwa_b(10)),
    ("B25", jrwa_b(25)),
    ("B50", jrwa_b(50)),
    ("b5", jrwa_b(5)),
    ("B-5", jrwa_b(5)),
    ("B–10", jrwa_b(10)),
    ("B 10", jrwa_b(10)),
    ("kat. B5", jrwa_b(5)),
    ("kat.B5", jrwa_b(5)),
    ("kategoria B10", jrwa_b(10)),
    ("kategoria archiwalna B50", jrwa_b(50)),
    ("BE5", jrwa_be(5)),
    ("BE10", jrwa_be(10)),
    ("BE50", jrwa_be(50)),
    ("be10", jrwa_be(10)),
    ("BE-10", jrwa_be(10)),
    ("kat. BE5", jrwa_be(5)),
    ("Bc", OBSOLETE),
    ("BC", OBSOLETE),
    ("kategoria Bc", OBSOLETE),
    # Phrases
    ("przechowywać wieczyście", RETAIN),
    ("Wieczyście", RETAIN),
    ("materiały archiwalne", RETAIN),
    ("brakowanie po 5 latach", jrwa_b(5)),
    ("5 lat", jrwa_b(5)),
    ("10 lat", jrwa_b(10)),
    ("2 lata", jrwa_b(2)),
    ("1 rok", jrwa_b(1)),
    ("jeden rok", jrwa_b(1)),
    ("dwa lata", jrwa_b(2)),
    ("pięć lat", jrwa_b(5)),
    ("dziesięć lat", jrwa_b(10)),
    ("po dwóch latach", jrwa_b(2)),
    ("przechowywać 10 lat", jrwa_b(10)),
    ("okres przechowywania: 25 lat", jrwa_b(25)),
    ("5 lat od zakończenia sprawy", jrwa_b(5)),
    ("10 lat od 1 stycznia roku następnego po zakończeniu sprawy", jrwa_b(10)),
    ("po roku", jrwa_b(1)),
    ("6 miesięcy", dispose("P6M", "case_closed")),
    ("3 miesiące", dispose("P3M", "case_closed")),
    ("po utracie przydatności", OBSOLETE),
    ("po utracie przydatności praktycznej", OBSOLETE),
    ("po utracie ważności", OBSOLETE),
    ("niszczyć po utracie przydatności", OBSOLETE),
    ("przechowywać do czasu utraty ważności", OBSOLETE),
    ("przekazać do archiwum państwowego", TRANSFER),
    (
        "przekazać do archiwum państwowego po 25 latach",
        RetentionData("transfer", "P25Y", "case_closed", align="year_end"),
    ),
    ("10 lat od ustania zatrudnienia", on_event("end_of_employment", "P10Y")),
    (
        "10 lat od końca roku kalendarzowego, w którym stosunek pracy uległ rozwiązaniu lub wygasł",
        on_event("end_of_employment", "P10Y", "year_end"),
    ),
    ("do czasu wycofania zgody", on_event("consent_withdrawn")),
    # Needs a person
    ("B", UNCLEAR),
    ("BE", UNCLEAR),
    ("kat. B", UNCLEAR),
    ("A/BE10", UNCLEAR),
    ("B5 lub BE5", UNCLEAR),
    ("patrz uwagi", UNCLEAR),
    ("nie dotyczy", UNCLEAR),
    ("B5 po ekspertyzie", UNCLEAR),
    ("C5", UNCLEAR),
    ("5", UNCLEAR),
    ("Bevaras", UNCLEAR),  # a Swedish phrase means nothing in a Polish plan
]

TABLE = [(text, "sv", expected) for text, expected in SWEDISH] + [(text, "pl", expected) for text, expected in POLISH]


def test_table_holds_at_least_120_phrases() -> None:
    assert len(TABLE) >= 120
    assert len({(text, lang) for text, lang, _ in TABLE}) == len(TABLE), "a phrase is listed twice"


@pytest.mark.parametrize(("text", "lang", "expected"), TABLE, ids=[f"{lang}:{text!r}" for text, lang, _ in TABLE])
def test_phrase_is_read_as_expected(text: str, lang: str, expected: RetentionData) -> None:
    assert parse_retention(text, lang) == expected


READABLE = [(text, lang) for text, lang, expected in TABLE if expected != UNCLEAR]


@pytest.mark.parametrize(("text", "lang"), READABLE, ids=[f"{lang}:{text!r}" for text, lang in READABLE])
def test_readable_phrase_with_a_condition_added_is_unclear(text: str, lang: str) -> None:
    condition = " men bevaras om ärendet är av principiell betydelse" if lang == "sv" else " lub według uwag"
    assert parse_retention(text + condition, lang) == UNCLEAR
    assert parse_retention("Vissa handlingar: " + text, lang) == UNCLEAR


def test_unclear_result_is_a_fresh_object_the_caller_may_change() -> None:
    first = parse_retention("Se anmärkning")
    first.action = "retain"
    assert parse_retention("Se anmärkning") == UNCLEAR


# ---- normalise ----


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Gallras   efter\ttvå år. ", "gallras efter 2 år"),
        ("Bevaras , se anmärkning.", "bevaras, se anmärkning"),
        ("Bevaras,se anm.", "bevaras, se anm"),
        ("B\u20135", "b-5"),
        ("„Bevaras”", "bevaras"),
        ("Sparas ett år", "sparas 1 år"),
        ("Gallras när ett ärende avslutats", "gallras när ett ärende avslutats"),
        ("Gallras efter tolv månader", "gallras efter 12 månader"),
        ("pięć lat", "5 lat"),
        ("Dwa lata", "2 lata"),
        ("dwadzieścia pięć lat", "25 lat"),
        ("po dziesięciu latach", "po 10 latach"),
        ("jeden miesiąc", "1 miesiąc"),
        ("BRAKOWANIE PO UTRACIE WAŻNOŚCI", "brakowanie po utracie ważności"),
        ("fem (5) år", "5 år"),
        ("kat.B5", "kat. b5"),
    ],
)
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_keeps_decomposed_diacritics_as_letters() -> None:
    assert normalise("Gallras efter 2 a\u030ar") == "gallras efter 2 år"


# ---- the grammar as data ----

SCRAPPED = GrammarRule(
    name="makulering",
    pattern="makuleras efter {PERIOD}",
    lang="sv",
    action="dispose",
    period="P{n}{unit}",
    trigger="created",
    description="Our plan says 'makuleras' for copies we dispose of.",
)


def test_extra_rule_extends_the_grammar_without_code() -> None:
    assert parse_retention("Makuleras efter 3 månader") == UNCLEAR
    assert parse_retention("Makuleras efter 3 månader", extra_rules=[SCRAPPED]) == dispose("P3M")
    assert parse_retention("Makuleras efter tre månader.", extra_rules=[SCRAPPED]) == dispose("P3M")


def test_extra_rule_survives_a_json_round_trip() -> None:
    stored = json.dumps(SCRAPPED.to_dict())
    restored = GrammarRule.from_dict(json.loads(stored))
    assert restored == SCRAPPED
    assert parse_retention("Makuleras efter 2 år", extra_rules=[restored]) == dispose("P2Y")


def test_extra_rule_may_be_a_plain_regular_expression() -> None:
    rule = GrammarRule.from_dict(
        {
            "name": "shredded",
            "pattern": r"förstörs efter (?P<n>\d+) veckor",
            "action": "dispose",
            "period": "P{n}W",
            "trigger": "created",
        }
    )
    assert parse_retention("Förstörs efter 4 veckor", extra_rules=[rule]) == dispose("P4W")


def test_default_rules_round_trip_through_to_dict() -> None:
    for rule in DEFAULT_RULES:
        assert GrammarRule.from_dict(rule.to_dict()) == rule


def test_default_rule_names_are_unique() -> None:
    names = [rule.name for rule in DEFAULT_RULES]
    assert len(names) == len(set(names))


def test_higher_priority_extra_rule_overrides_a_default() -> None:
    # An organisation whose plan counts every "Gallras efter N år" from the closing of the case.
    from_case = GrammarRule(
        name="our_periods_run_from_case_closed",
        pattern="gallras efter {PERIOD}",
        action="dispose",
        period="P{n}{unit}",
        trigger="case_closed",
        priority=150,
    )
    assert parse_retention("Gallras efter 2 år", extra_rules=[from_case]) == dispose("P2Y", "case_closed")
    found = match_retention("Gallras efter 2 år", extra_rules=[from_case])
    assert found is not None
    assert found.rule.name == "our_periods_run_from_case_closed"


def test_lower_priority_extra_rule_does_not_override_a_default() -> None:
    weak = GrammarRule(
        name="weak",
        pattern="gallras efter {PERIOD}",
        action="review",
        period="P{n}{unit}",
        trigger="created",
        priority=10,
    )
    assert parse_retention("Gallras efter 2 år", extra_rules=[weak]) == dispose("P2Y")


def test_extra_rule_can_read_a_phrase_the_defaults_mark_unclear() -> None:
    # "Bevaras 10 år" is unclear by default (low-priority unclear rule); a plan that means it can say so.
    rule = GrammarRule(
        name="bevaras_means_kept_for",
        pattern="bevaras {PERIOD}",
        action="dispose",
        period="P{n}{unit}",
        trigger="created",
    )
    assert parse_retention("Bevaras 10 år", extra_rules=[rule]) == dispose("P10Y")


def test_extra_rule_can_mark_a_phrase_unclear() -> None:
    careful = GrammarRule(name="we_check_short_periods", pattern=r"gallras efter {N} dagar", priority=200)
    assert parse_retention("Gallras efter 30 dagar", extra_rules=[careful]) == UNCLEAR


def test_rules_for_another_language_are_not_tried() -> None:
    polish_rule = GrammarRule(name="pl_only", pattern="makuleras", lang="pl", action="dispose", trigger="obsolete")
    assert parse_retention("Makuleras", "sv", extra_rules=[polish_rule]) == UNCLEAR
    assert parse_retention("Makuleras", "pl", extra_rules=[polish_rule]) == OBSOLETE


def test_rule_for_any_language_is_tried_for_both() -> None:
    rule = GrammarRule(name="star", pattern="x", lang="*", action="retain")
    assert parse_retention("X", "sv", extra_rules=[rule]) == RETAIN
    assert parse_retention("X", "pl", extra_rules=[rule]) == RETAIN


def test_match_names_the_rule_and_none_when_nothing_reads_the_text() -> None:
    found = match_retention("Gallras vid inaktualitet")
    assert found is not None
    assert found.rule.name == "sv_dispose_when_obsolete"
    assert match_retention("xyz 123") is None
    explained = match_retention("Bevaras 10 år")
    assert explained is not None
    assert explained.retention == UNCLEAR
    assert explained.rule.description


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"name": "x", "pattern": "a", "action": "keep"}, "action"),
        ({"name": "x", "pattern": "a", "action": "dispose", "trigger": "later"}, "trigger"),
        ({"name": "x", "pattern": "a", "action": "dispose", "align": "month_end"}, "align"),
        ({"name": "x", "pattern": "a", "lang": "de", "action": "retain"}, "lang"),
        ({"name": "x", "pattern": "(", "action": "retain"}, "regular expression"),
        ({"name": "x", "pattern": "a", "action": "dispose", "period": "2 years"}, "ISO 8601"),
        ({"name": "x", "pattern": "a", "action": "dispose", "period": "P{n}Y"}, "groups the pattern lacks"),
        ({"name": "x", "pattern": "a", "action": "dispose", "trigger": "event"}, "trigger_event"),
        ({"name": "x", "pattern": "a", "action": "dispose", "trigger_event": "new_version"}, "trigger_event"),
        ({"name": "x", "pattern": "a", "period": "P1Y"}, "unclear"),
        ({"name": "", "pattern": "a", "action": "retain"}, "name"),
        ({"name": "x", "pattern": "a", "action": "retain", "colour": "red"}, "unknown"),
        ({"name": "x", "pattern": "a", "action": "retain", "priority": "high"}, "whole number"),
    ],
)
def test_invalid_rule_is_refused(data: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        GrammarRule.from_dict(data)
