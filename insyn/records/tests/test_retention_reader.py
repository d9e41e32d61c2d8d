"""The tolerant reader: rules inside sentences, spans into the original text, candidates when unclear."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from insyn.records.plandata import RetentionData
from insyn.records.retention import GrammarRule, parse_retention
from insyn.records.retention_reader import RetentionReading, read_retention
from insyn.records.tests.fixtures.retention_real_phrases import OUTSIDE, RETAIN, SEED_003, UNCLEAR, dispose, jrwa_b

REVIEW_10 = RetentionData("review", "P10Y", "case_closed", align="year_end")
SIX_MONTHS_FROM_YEAR_END = RetentionData("dispose", "P6M", "case_closed", align="year_end")

ACCEPTANCE = [
    ("Loggar gallras efter 3 månader", dispose("P3M")),
    ("Fakturaunderlag sparas 7 år i enlighet med Bokföringslagen.", dispose("P7Y")),
    ("Beslutsunderlag samt protokoll bevaras.", RETAIN),
    ("Vid anställningens avslut", dispose(None, "event", "end_of_employment")),
    ("IT-beställningar gallras efter 2 år.", dispose("P2Y")),
    ("Vigselbevis gallras vid inaktulitet", dispose(None, "obsolete")),
    ("2ar", dispose("P2Y")),
    ("Gallras efter 3 ar", dispose("P3Y")),
    ("Radering sker så snart sms har skickats ut", dispose(None, "event", "described_event")),
]


def assert_spans_point_into(reading: RetentionReading, text: str) -> None:
    for span in reading.spans:
        assert 0 <= span.start <= span.end <= len(text)
        assert text[span.start : span.end] == span.text


@pytest.mark.parametrize(("text", "expected"), ACCEPTANCE)
def test_acceptance_phrase_is_read_inside_its_sentence(text: str, expected: RetentionData) -> None:
    reading = read_retention(text)
    assert reading.retention == expected
    assert parse_retention(text) == expected  # callers of the old API get the same reading
    assert reading.spans, "a structured reading names the text it rests on"
    assert_spans_point_into(reading, text)


def test_span_leaves_out_subject_and_legal_reference() -> None:
    text = "Fakturaunderlag sparas 7 år i enlighet med Bokföringslagen."
    [span] = read_retention(text).spans
    assert span.text == "sparas 7 år"
    assert (span.start, span.end) == (16, 27)


@pytest.mark.parametrize(("text", "expected"), SEED_003, ids=[f"{i}:{t[:30]}" for i, (t, _) in enumerate(SEED_003)])
def test_seed_003_lagringstid_cell_is_read_as_an_archivist_reads_it(text: str, expected: RetentionData) -> None:
    reading = read_retention(text)
    assert reading.retention == expected
    assert_spans_point_into(reading, text)


@pytest.mark.parametrize(
    ("text", "lang", "expected", "source"), OUTSIDE, ids=[f"{i}:{t[:30]}" for i, (t, *_) in enumerate(OUTSIDE)]
)
def test_published_phrase_is_read_as_an_archivist_reads_it(
    text: str, lang: str, expected: RetentionData, source: str
) -> None:
    reading = read_retention(text, lang)
    assert reading.retention == expected, source
    assert_spans_point_into(reading, text)


def test_mixed_cell_is_unclear_and_keeps_every_candidate() -> None:
    text = "Intyg om hindersprövning bevaras Vigselbevis gallras vid inaktualitet Vigselbok bevaras"
    reading = read_retention(text)
    assert reading.retention == UNCLEAR
    actions = {(c.retention.action, c.retention.trigger) for c in reading.candidates}
    assert actions == {("retain", "none"), ("dispose", "obsolete")}
    assert [c.span.text for c in reading.candidates if c.retention.action == "dispose"] == ["gallras vid inaktualitet"]


def test_reference_to_another_plan_makes_the_cell_unclear_with_its_candidate_and_reason() -> None:
    text = "Protokoll, beslutsunderlag och yttrande bevaras, övrigt i enlighet med dokumenthanteringsplan"
    reading = read_retention(text)
    assert reading.retention == UNCLEAR
    assert [c.retention for c in reading.candidates] == [RETAIN]
    assert "dokumenthanteringsplan" in reading.reason


def test_two_periods_for_two_kinds_of_records_give_both_candidates() -> None:
    text = "Loggar gallras efter 1 månad. IT-beställningar gallras efter 2 år."
    reading = read_retention(text)
    assert reading.retention == UNCLEAR
    assert {c.retention.period for c in reading.candidates} == {"P1M", "P2Y"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Avtal gallras 2 år efter avtalets utgång", RetentionData("dispose", "P2Y", "event", "contract_end")),
        ("Underlag gallras efter beslut", dispose(None, "event", "decision")),
        ("Minnesanteckningar gallras efter sammanträdet", dispose(None, "event", "meeting_held")),
        ("Elevlistor gallras vid läsårsslut", dispose(None, "event", "school_year_end")),
        ("Kontaktuppgifter sparas så länge uppdraget pågår", dispose(None, "event", "condition_ends")),
        ("Ansökan raderas när beslutet har vunnit laga kraft", dispose(None, "event", "described_event")),
        ("Fakturor gallras efter tre år", dispose("P3Y")),
        ("Gallras efter fem manader", dispose("P5M")),
        ("Statistik bevaras i urval", RetentionData("retain", sampling="i urval")),
        ("Kopia bevaras", RETAIN),
        ("Bevarande", RETAIN),
        ("Sparas", UNCLEAR),  # for how long?
        ("Gallras efter 2 hela kalenderår", RetentionData("dispose", "P2Y", "created", align="year_end")),
        ("Anbud levereras till kommunstyrelsen efter 2 år", UNCLEAR),  # an unknown verb: not a disposal
        ("Gallras när en man har granskat dem", dispose(None, "event", "described_event")),  # "en man" is no period
    ],
)
def test_swedish_forms_in_a_sentence(text: str, expected: RetentionData) -> None:
    assert read_retention(text).retention == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kategoria B5", jrwa_b(5)),
        ("Teczka spraw – B10", jrwa_b(10)),
        ("Listy płac B50", jrwa_b(50)),
        ("B5 czyli 5 lat", jrwa_b(5)),
        ("Dokumentacja przechowywana pięć lat", jrwa_b(5)),
        ("dziesięć lat licząc od 1 stycznia roku następnego", jrwa_b(10)),
        ("5 pełnych lat kalendarzowych", jrwa_b(5)),
        (
            "Rejestr BE10 zgodnie z instrukcją kancelaryjną",
            RetentionData("review", "P10Y", "case_closed", align="year_end"),
        ),
        ("Uchwały rady – kategoria A", RETAIN),
        ("Notatki robocze Bc", RetentionData("dispose", trigger="obsolete")),
        ("B5 lub B10", UNCLEAR),
        ("A także notatki", UNCLEAR),  # "a" is a conjunction, not category A
        (
            "6 miesięcy licząc od 1 stycznia roku następnego",
            RetentionData("dispose", "P6M", "case_closed", align="year_end"),
        ),
    ],
)
def test_polish_categories_and_periods_anywhere_in_a_sentence(text: str, expected: RetentionData) -> None:
    reading = read_retention(text, "pl")
    assert reading.retention == expected
    assert_spans_point_into(reading, text)


SCRAPPED = GrammarRule(
    name="makuleras",
    pattern=r"makuleras efter {PERIOD}",
    action="dispose",
    period="P{n}{unit}",
    trigger="created",
)


def test_archivists_own_rule_reads_its_phrase_inside_a_sentence() -> None:
    text = "Kopior makuleras efter 3 månader enligt vår rutin."
    assert read_retention(text).retention == UNCLEAR
    reading = read_retention(text, extra_rules=[SCRAPPED])
    assert reading.retention == dispose("P3M")
    assert reading.candidates[0].source == "makuleras"


# ---- Unrelated words never change a reading ----

NEUTRAL_WORDS = [
    "Loggar", "fakturor", "personakter", "Treserva", "e-post", "medarbetare", "i", "systemet", "kommunens",
    "registret", "underlag", "(digitalt)", "Protokoll", "enligt", "Bokföringslagen", "ansökningar", "Ciceron",
]  # fmt: skip
RULE_PHRASES = [
    ("gallras efter 3 månader", dispose("P3M")),
    ("gallras efter 2 ar", dispose("P2Y")),
    ("sparas 7 år", dispose("P7Y")),
    ("bevaras", RETAIN),
    ("gallras vid inaktualitet", dispose(None, "obsolete")),
    ("gallras 2 år efter avtalets utgång", RetentionData("dispose", "P2Y", "event", "contract_end")),
    ("radering sker så snart beslutet har fattats", dispose(None, "event", "described_event")),
    ("gallras 2 år efter att eleven slutat", RetentionData("dispose", "P2Y", "event", "pupil_leaves")),
    ("gallras efter skanning", dispose(None, "event", "scanned")),
    ("Gallras efter fem manader", dispose("P5M")),
]
words = st.lists(st.sampled_from(NEUTRAL_WORDS), max_size=4).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(phrase=st.sampled_from(RULE_PHRASES), before=words, after=words)
def test_unrelated_words_around_a_rule_never_change_its_reading(
    phrase: tuple[str, RetentionData], before: str, after: str
) -> None:
    text, expected = phrase
    assert read_retention(f"{before} {text} {after}".strip()).retention == expected


# ---- CLI ----


@pytest.mark.django_db
def test_cli_prints_the_reading_with_spans() -> None:
    out = StringIO()
    call_command("records", "parse-retention", "Loggar gallras efter 3 månader", stdout=out)
    data = json.loads(out.getvalue())
    assert data["action"] == "dispose" and data["period"] == "P3M"
    assert data["spans"] == [{"start": 7, "end": 30, "text": "gallras efter 3 månader"}]
    assert "candidates" not in data


@pytest.mark.django_db
def test_cli_prints_candidates_when_unclear() -> None:
    out = StringIO()
    call_command("records", "parse-retention", "Vid inaktualitet eller anställningens upphörande", stdout=out)
    data = json.loads(out.getvalue())
    assert data["action"] == "unclear"
    assert [(c["trigger"], c["span"]["text"]) for c in data["candidates"]] == [
        ("obsolete", "Vid inaktualitet"),
        ("event", "anställningens upphörande"),
    ]


@pytest.mark.django_db
def test_cli_reads_polish() -> None:
    out = StringIO()
    call_command("records", "parse-retention", "Listy płac B50", "--lang", "pl", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["action"], data["period"], data["align"]) == ("dispose", "P50Y", "year_end")
    assert data["spans"][0]["text"] == "B50"


# ---- Ja/Nej answers in a Gallras column ----


@pytest.mark.parametrize(
    ("text", "column", "expected"),
    [
        ("Nej", "Gallras", RETAIN),
        ("nej.", "Gallras (ja/nej)", RETAIN),
        ("Ja", "Gallras", UNCLEAR),  # disposed of, but when?
        ("Ja, efter 2 år", "Gallras", dispose("P2Y")),
        ("Ja, vid inaktualitet", "Gallring", dispose(None, "obsolete")),
        ("Ja", "Bevaras", RETAIN),
        ("Nej", "Bevaras", UNCLEAR),
        ("Nej", "", UNCLEAR),  # without the heading a bare answer means nothing
        ("Gallras: Nej", "", RETAIN),
    ],
)
def test_yes_no_answer_is_read_through_its_column(text: str, column: str, expected: RetentionData) -> None:
    reading = read_retention(text, column=column)
    assert reading.retention == expected
    assert parse_retention(text, column=column) == expected
    assert_spans_point_into(reading, text)


def test_disposal_answer_keeps_spans_in_the_original_text() -> None:
    text = "Ja, efter 2 år"
    reading = read_retention(text, column="Gallras")
    assert [span.text for span in reading.spans] == ["Ja", "efter 2 år"]


@pytest.mark.django_db
def test_cli_reads_an_answer_through_its_column() -> None:
    out = StringIO()
    call_command("records", "parse-retention", "Nej", "--column", "Gallras", stdout=out)
    assert json.loads(out.getvalue())["action"] == "retain"
