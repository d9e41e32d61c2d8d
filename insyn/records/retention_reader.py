"""A tolerant reader of retention texts that still never guesses (issue "read real plans as they come").

Real plans and registers put the rule inside a sentence ("Fakturaunderlag sparas 7 år i
enlighet med Bokföringslagen."). The reader works in three steps:

1. Fold the text for matching only: lower case, no diacritics ("år", "ar" and the OCR form
   "ar" are one word), dashes unified. Every folded character remembers its offset in the
   ORIGINAL text, so each reading carries the span it came from.
2. Find clauses sentence by sentence. A sentence the grammar (`retention.match_retention`, with
   an archivist's own `RetentionPattern` rules) reads in full is one clause. Otherwise the
   sentence is searched for action words ("gallras", "bevaras", "radering", "sparas"),
   periods ("3 månader", "2ar", "tre år", "pięć lat") and triggers ("vid inaktualitet",
   "efter avtalets utgång", "så snart ... har ..."); subjects, objects and legal references
   around them ("Loggar ...", "... i enlighet med Bokföringslagen") are not clauses and are ignored.
3. Combine: one consistent reading gives a structured rule; readings that disagree, a
   reference to another document ("övrigt i enlighet med dokumenthanteringsplan") or a
   condition ("men", "utom") give `unclear`, with every candidate kept for the archivist.

Readings chosen here, on top of those of `retention_grammar`:

- A bare period ("2 år", "2ar") in a retention (Gallringsfrist / Lagringstid) column is a
  dispose period, read exactly as the grammar reads "2 år": counted from creation (sv) or
  from 1 January after the case was closed (pl).
- A trigger with no action word ("Vid anställningens avslut") is a disposal at that trigger:
  the column states when the records go.
- "Sparas"/"lagras" alone (no period, no trigger) says nothing about how long: unclear.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from insyn.records.plandata import RetentionData
from insyn.records.retention import GrammarRule, match_retention, normalise
from insyn.records.retention_grammar import NUMBER_WORDS, UNIT_DESIGNATORS

# ---- Vocabulary (data; every pattern is matched against folded text: lower case, ASCII) ----

_FOLD_EXTRA = {"ł": "l", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d"}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043"

# Triggers named in words. Each: (regex, trigger, trigger_event).
SV_TRIGGERS: tuple[tuple[str, str, str | None], ...] = (
    (r"\binaktu\w*", "obsolete", None),
    (r"\b(?:nar|da) (?:behovet|behov) (?:har )?upph\w*rt|\binte l\w*ngre beh\w*vs", "obsolete", None),
    (
        r"\b(?:avslutat|avslutade) [ad]renden?\b|\b[ad]rendets avslut\w*|\b[ad]rendet (?:har |ar )?avslutat?s?\b",
        "case_closed",
        None,
    ),
    (
        r"\banst\w*llning\w* (?:avslut\w*|upph\w*r\w*|slut)\b|\bavslutad anst\w*llning|\banst\w*llningen (?:har )?"
        r"(?:upph\w*rt|avslutats)",
        "event",
        "end_of_employment",
    ),
    (
        r"\bavtal\w* (?:utgang|upph\w*rande|slut)\b|\bavtalet (?:har )?(?:upph\w*rt|lopt ut|gatt ut)"
        r"|\bavtalstidens slut",
        "event",
        "contract_end",
    ),
    (r"\b(?:efter|vid) (?:fattat )?beslut(?:et)?\b(?! om| har)", "event", "decision"),
    (r"\b(?:efter|vid) (?:nasta |nastkommande )?sammantrade(?:t)?\b", "event", "meeting_held"),
    (
        r"\b(?:vid|efter) l\w*s\w*rs(?:slut|skifte)|\b(?:vid|efter) l\w*s\w*rets (?:slut|utgang)",
        "event",
        "school_year_end",
    ),
    (
        r"\bsamtycke\w* (?:inte l\w*ngre \w+ giltigt|\w*terkall\w*|dras tillbaka)|\b\w*terkallat samtycke",
        "event",
        "consent_withdrawn",
    ),
    (r"\b(?:ny|nyare|uppdaterad) version\b|\b(?:har )?ersatts\b", "event", "new_version"),
    (
        r"\b(?:efter )?att eleven (?:har )?(?:slutat|lamnat skolan|gatt ut)(?: i)?(?: skolan)?"
        r"|\b(?:nar|da) eleven (?:har )?(?:slutat|lamnat skolan|gatt ut)(?: i)?(?: skolan)?|\bavslutad skolgang",
        "event",
        "pupil_leaves",
    ),
    (r"\b(?:efter|vid) (?:in)?s[ck]anning\b|\bhar (?:skannats|scannats)\b", "event", "scanned"),
    (r"\b(?:efter|vid) (?:registrering|diarieforing)\b|\bhar registrerats\b", "event", "registered"),
    (r"\b(?:efter|vid) (?:overforing|migrering)\b|\bhar (?:overforts|forts over)\b", "event", "transferred"),
    (r"\bsa lange\b[^.;]*", "event", "condition_ends"),
    (r"\b(?:nar|sa snart|efter att|da)\b[^.;]{1,60}?\bhar\b(?: \w+){1,2}", "event", "described_event"),
)
PL_TRIGGERS: tuple[tuple[str, str, str | None], ...] = (
    (
        r"\bpo (?:utracie|utraceniu) (?:przydatnosci|waznosci)|\bdo (?:czasu )?utraty (?:przydatnosci|waznosci)",
        "obsolete",
        None,
    ),
    (r"\b(?:ustani\w*|rozwiazani\w*|zakonczeni\w*) stosunku pracy", "event", "end_of_employment"),
)
# Action words. A retain word is a clause by itself; a dispose word needs a period or a trigger.
SV_RETAIN = (
    r"\bbevara(?:s|nde)\b(?!:? nej\b)|\b(?:far|ska|skall) (?:ej|inte) gallras\b|\bgallras:? (?:ej|inte|nej)\b"
    r"|\bingen gallring\b"
)
# A Ja/Nej answer in a column headed "Gallras"/"Gallring" (or "Bevaras"): (column word, answer) -> reading.
# "Gallras: Ja" alone says nothing about when, so it stays unclear; "Ja, efter 2 år" is read as "Gallras efter 2 år".
ANSWER = re.compile(r"^\W*(?P<answer>ja|nej|tak|nie)\b[\s,.:;-]*(?P<rest>.*)$", re.DOTALL)
ANSWER_COLUMNS = {"gallr": "dispose", "bevar": "retain", "brakow": "dispose"}
SV_SAMPLE = r"\b(?:bevaras )?i (?:date?um)?urval\b|\b(?:ett )?(?:date?um)?urval bevaras\b|\bdatumurval\b"
SV_DISPOSE = r"\b(?:gallras|gallring|raderas|radering|rensas|forstors|destrueras|tas bort|sparas|lagras|forvaras)\b"
PL_RETAIN = r"\bmaterial\w* archiwaln\w*|\bwieczyscie\b"
PL_DISPOSE = r"\b(?:brakowani\w*|zniszczeni\w*|zniszczyc|niszczy\w*|wybrakowa\w*|usun\w*|przechowyw\w*)\b"
# Year-end alignment said in words.
YEAR_END = (
    r"\bhela kalenderar\b|\bpelnych lat kalendarzowych\b|\blat kalendarzowych\b"
    r"|\blicz\w* od (?:dnia )?1 stycznia (?:roku )?nastepnego\b"
)
# What makes a reading depend on something the text does not hold: a person must look.
UNCLEAR_MARKERS = (
    r"\b(?:i enlighet med|enligt) (?:\w+ ){0,2}(?:dokumenthanteringsplan\w*|gallringsbeslut\w*|gallringsrad\w*)"
    r"|\b(?:men|utom|forutom|dock|savida|under forutsattning)\b"
    r"|\bse (?:anm\w*|kommentar\w*|nedan|ovan|bilaga)\b"
    # Words that limit which records the rule is for ("Vissa handlingar: ...", "Övriga sparas 2 år").
    r"|\b(?:vissa|ovrig\w*|nagra|andra|delar)\b"
    r"|\bzgodnie z jrwa\b|\bz wyjatkiem\b|\bchyba ze\b|\blub\b|\bwedlug\b|\bpatrz\b|\bekspertyz\w*"
)
# Right after a period: a starting point ("räknat från beslutet") the reader has not understood.
UNREAD_START = r"^[\s,]*(?:(?:raknat|raknas) )?(?:fran|efter|fr o m|from|od|po)\b"
# Swedish passive verbs the reader does not know ("makuleras", "levereras"): with one, a bare period is not
# read as a disposal.
UNKNOWN_VERB = r"\b\w{3,}(?:as)\b"
# A Polish JRWA category symbol, matched against the ORIGINAL text (case matters: "a" is a conjunction).
PL_CATEGORY = re.compile(
    r"(?<![\w-])(?:(?:kategori\w*|kat\.?)\s*)?"
    r"(BE\s?-?\s?\d+|B\s?-?\s?\d+|Bc|BC|A(?=\s*(?:$|[,;.)(]|\s[-\u2013]|\s\()))(?![\w])"
    r"|(?<=kategoria )A\b|(?<=kat\. )A\b",
)


def _folded_words(words: Iterable[str]) -> str:
    folded = {_fold(word)[0] for word in words}
    return "|".join(re.escape(word) for word in sorted(folded, key=len, reverse=True))


def _fold(text: str) -> tuple[str, list[int]]:
    """Lower case, no diacritics; the second value maps each folded character to its offset in `text`."""
    out: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        char = "-" if char in _DASHES else char
        for part in unicodedata.normalize("NFKD", char.lower()):
            if unicodedata.combining(part):
                continue
            for piece in _FOLD_EXTRA.get(part, part):
                out.append(piece)
                where.append(index)
    return "".join(out), where


_UNIT_WORDS = _folded_words([*UNIT_DESIGNATORS, "kalenderår", "lat kalendarzowych"])
_NUMBER_VALUES = {_fold(word)[0]: value for word, value in NUMBER_WORDS.items()}
_NUMBER = _folded_words(NUMBER_WORDS)
# "3 månader", "2ar", "tre år", "pięć pełnych lat kalendarzowych", "2 hela kalenderår".
PERIOD = re.compile(rf"(?<![\w,./-])(?P<n>\d+|{_NUMBER}) ?(?:hela |pelnych )?(?P<unit>{_UNIT_WORDS})(?!\w)")
_UNIT_BACK = {_fold(word)[0]: word for word in UNIT_DESIGNATORS} | {"kalenderar": "år", "lat kalendarzowych": "lat"}
_SENTENCE = re.compile(r"[^.;!?\n]+(?:[.;!?]\d[^.;!?\n]*)*")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass
class Candidate:
    retention: RetentionData
    span: Span
    source: str  # the grammar rule's name, or "clause" for a reading found inside a sentence

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self.retention), "span": asdict(self.span), "source": self.source}


@dataclass
class RetentionReading:
    """What `read_retention` found: the rule, the spans of the original text it rests on, the candidates."""

    retention: RetentionData = field(default_factory=RetentionData)
    spans: list[Span] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)  # every reading found, kept when unclear
    reason: str = ""  # why the result is unclear, for the archivist

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = asdict(self.retention)
        data["spans"] = [asdict(span) for span in self.spans]
        if self.retention.action == "unclear":
            data["candidates"] = [candidate.as_dict() for candidate in self.candidates]
            data["reason"] = self.reason
        return data


class _Text:
    def __init__(self, original: str) -> None:
        self.original = original
        self.folded, self.where = _fold(original)

    def span(self, start: int, end: int) -> Span:
        """A span of folded text as offsets into the original (trimmed of spaces and punctuation)."""
        begin, stop = self.where[start], self.where[end - 1] + 1
        while begin < stop and self.original[begin] in " \t\n,.;:":
            begin += 1
        while stop > begin and self.original[stop - 1] in " \t\n,.;:":
            stop -= 1
        return Span(begin, stop, self.original[begin:stop])


def _period_reading(number: str, unit: str, lang: str, year_end: bool) -> RetentionData | None:
    """A bare period read exactly as the grammar reads "N unit" (see the module docstring)."""
    value = int(number) if number.isdigit() else _NUMBER_VALUES[number]
    found = match_retention(f"{value} {_UNIT_BACK[unit]}", lang)
    if found is None or found.retention.action != "dispose":
        return None
    retention = replace(found.retention)
    if year_end:
        retention.align = "year_end"
    return retention


def _clauses(text: _Text, start: int, end: int, lang: str) -> tuple[list[Candidate], list[Span]]:
    """Clauses found inside one sentence (folded offsets start..end); also the unclear markers seen."""
    folded = text.folded[start:end]

    def spans_of(pattern: str) -> list[tuple[int, int]]:
        return [(start + m.start(), start + m.end()) for m in re.finditer(pattern, folded)]

    markers = [text.span(a, b) for a, b in spans_of(UNCLEAR_MARKERS)]
    triggers_data = SV_TRIGGERS if lang == "sv" else PL_TRIGGERS
    triggers: list[tuple[tuple[int, int], str, str | None]] = []
    for pattern, trigger, event in triggers_data:
        for a, b in spans_of(rf"(?:\b(?:vid|efter|nar|da|po|od) )?(?:{pattern})"):
            if not any(a < y and x < b for (x, y), _, _ in triggers):
                triggers.append(((a, b), trigger, event))
    year_end = bool(spans_of(YEAR_END))
    periods = [((start + m.start(), start + m.end()), m) for m in PERIOD.finditer(folded)]
    retains = spans_of(SV_RETAIN if lang == "sv" else PL_RETAIN)
    samples = spans_of(SV_SAMPLE) if lang == "sv" else []
    disposes = spans_of(SV_DISPOSE if lang == "sv" else PL_DISPOSE)
    # "gallras ej" is a retain clause, not a dispose word.
    disposes = [d for d in disposes if not any(r[0] <= d[0] < r[1] for r in retains)]
    retains = [r for r in retains if not any(s[0] <= r[0] < s[1] for s in samples)]

    found: list[Candidate] = []
    for a, b in retains:
        found.append(Candidate(RetentionData(action="retain"), text.span(a, b), "clause"))
    period_readings: list[tuple[RetentionData, tuple[int, int]]] = []
    for (a, b), m in periods:
        if m.group("unit") == "man" and not m.group("n").isdigit():
            continue  # "en man" is a person; only "1 mån" is a month
        reading = _period_reading(m.group("n"), m.group("unit"), lang, year_end)
        if reading is not None:
            period_readings.append((reading, (a, b)))
    used: set[int] = set()
    for reading, (a, b) in period_readings:
        # A trigger right after the period is its starting point ("2 år efter avtalets utgång").
        after = [t for t in triggers if t[0][0] >= b and not text.folded[b : t[0][0]].strip(" ,")]
        if after:
            (x, y), trigger, event = after[0]
            used.add(x)
            reading.trigger, reading.trigger_event = trigger, event
            found.append(Candidate(reading, text.span(a, y), "clause"))
            continue
        if re.match(UNREAD_START, text.folded[b:end]):
            markers.append(text.span(a, end))
        found.append(Candidate(reading, text.span(a, b), "clause"))
    for (a, b), trigger, event in triggers:
        if a not in used:
            retention = RetentionData(action="dispose", trigger=trigger, trigger_event=event)
            found.append(Candidate(retention, text.span(a, b), "clause"))
    if lang == "sv" and period_readings and not disposes and not retains:
        known = rf"{SV_DISPOSE}|{SV_RETAIN}|{SV_SAMPLE}"
        verbs = [(a, b) for a, b in spans_of(UNKNOWN_VERB) if not re.fullmatch(known, text.folded[a:b])]
        markers.extend(text.span(a, b) for a, b in verbs)
    for a, b in samples:
        sample = "datumurval" if "datum" in text.folded[a:b] or "daum" in text.folded[a:b] else "i urval"
        dispose = [c for c in found if c.retention.action == "dispose"]
        base = dispose[0].retention if len(dispose) == 1 else RetentionData()
        found = [c for c in found if c.retention.action != "dispose" or len(dispose) != 1]
        retention = replace(base, action="retain", sampling=sample)
        found.append(Candidate(retention, text.span(a, b), "clause"))
    # A lone dispose word ("Gallras", "Sparas") with nothing to say when: a person must look.
    if disposes and not found:
        markers.extend(text.span(a, b) for a, b in disposes)
    # Extend each reading's span to the action word that leads it in the sentence ("gallras efter 3 månader").
    for candidate in found:
        for a, _b in disposes:
            begin = text.where[a]
            if (
                candidate.retention.action == "dispose"
                and begin < candidate.span.start
                and not any(
                    other is not candidate and begin < other.span.start < candidate.span.start for other in found
                )
            ):
                stop = candidate.span.end
                candidate.span = Span(begin, stop, text.original[begin:stop])
    return found, markers


def _categories(text: _Text, extra_rules: Iterable[GrammarRule]) -> list[Candidate]:
    found = []
    for m in PL_CATEGORY.finditer(text.original):
        symbol = re.sub(r"[\s-]", "", m.group(1) or "A")
        rule = match_retention(symbol, "pl", extra_rules)
        if rule is not None:
            found.append(Candidate(rule.retention, Span(m.start(), m.end(), m.group(0)), rule.rule.name))
    return found


def _own_rule_inside(sentence: str, lang: str, rules: list[GrammarRule]) -> tuple[GrammarRule, RetentionData] | None:
    """The first of the archivist's own rules whose phrase stands, as whole words, inside `sentence`."""
    normalised = normalise(sentence)
    for rule in sorted(rules, key=lambda rule: -rule.priority):
        if rule.action == "unclear" or rule.lang not in (lang, "*"):
            continue
        inside = GrammarRule.from_dict({**rule.to_dict(), "pattern": rf"(?:.*?\W)??(?:{rule.pattern})(?:\W.*)?"})
        retention = inside.read(normalised)
        if retention is not None:
            return rule, retention
    return None


def _answer(text: str, lang: str, rules: list[GrammarRule], column: str) -> RetentionReading | None:
    """A Ja/Nej answer under a "Gallras"/"Bevaras" heading; None when the text is not one."""
    heading = _fold(column)[0]
    meaning = next((action for word, action in ANSWER_COLUMNS.items() if word in heading), None)
    folded, where = _fold(text)
    found = ANSWER.match(folded)
    if meaning is None or found is None:
        return None
    yes = found.group("answer") in ("ja", "tak")
    start, stop = where[found.start("answer")], where[found.end("answer") - 1] + 1
    span = Span(start, stop, text[start:stop])
    rest = found.group("rest").strip()
    if (meaning == "retain") == yes:  # "Bevaras: Ja", "Gallras: Nej"
        if rest:
            return RetentionReading(RetentionData(), [span], [], "a yes/no answer followed by more text")
        return RetentionReading(
            RetentionData(action="retain"), [span], [Candidate(RetentionData("retain"), span, "answer")]
        )
    # Disposed of: when is in the rest of the text ("Ja, efter 2 år"), read as a disposal rule.
    offset = where[found.start("rest")] if rest else len(text)
    reading = read_retention(text[offset:], lang, rules) if rest else RetentionReading()
    shift = [Span(s.start + offset, s.end + offset, s.text) for s in reading.spans]
    candidates = [
        Candidate(c.retention, Span(c.span.start + offset, c.span.end + offset, c.span.text), c.source)
        for c in reading.candidates
    ]
    if reading.retention.action != "dispose":
        reason = reading.reason or "disposed of, but the text does not say when"
        return RetentionReading(RetentionData(), [span, *shift], candidates, reason)
    return RetentionReading(reading.retention, [span, *shift], candidates)


def _same(a: RetentionData, b: RetentionData) -> bool:
    return asdict(a) == asdict(b)


def read_retention(
    text: str, lang: str = "sv", extra_rules: Iterable[GrammarRule] = (), *, column: str = ""
) -> RetentionReading:
    """The reading of a retention text, with the spans it rests on and, when unclear, every candidate.

    `column` is the heading of the column the text stands in, when known: it gives a Ja/Nej answer
    its meaning ("Nej" under "Gallras" is retain).
    """
    rules = list(extra_rules)
    original = text or ""
    answered = _answer(original, lang, rules, column)
    if answered is not None:
        return answered
    whole = match_retention(original, lang, rules)
    source = _Text(original)
    if whole is not None and whole.retention.action != "unclear":
        span = source.span(0, len(source.folded)) if source.folded else Span(0, 0, "")
        return RetentionReading(whole.retention, [span], [Candidate(whole.retention, span, whole.rule.name)])

    candidates: list[Candidate] = []
    markers: list[Span] = []
    if lang == "pl":
        candidates.extend(_categories(source, rules))
    for sentence in _SENTENCE.finditer(source.folded):
        a, b = sentence.span()
        if not sentence.group(0).strip(" -_,:"):
            continue
        span = source.span(a, b)
        exact = match_retention(span.text, lang, rules) if span.text else None
        if exact is not None and exact.retention.action != "unclear":
            candidates.append(Candidate(exact.retention, span, exact.rule.name))
            continue
        if exact is not None:  # a rule marks this sentence as needing a person
            markers.append(span)
        # An archivist's own rule also reads its phrase inside a longer sentence.
        own = _own_rule_inside(span.text, lang, rules)
        if own is not None:
            candidates.append(Candidate(own[1], span, own[0].name))
            continue
        found, seen = _clauses(source, a, b, lang)
        markers.extend(seen)
        candidates.extend(found)

    distinct: list[RetentionData] = []
    for candidate in candidates:
        if not any(_same(candidate.retention, known) for known in distinct):
            distinct.append(candidate.retention)
    spans = sorted((c.span for c in candidates), key=lambda s: s.start)
    if whole is not None:
        return RetentionReading(
            RetentionData(), spans, candidates, f"the grammar rule {whole.rule.name} needs a person"
        )
    if len(distinct) == 1 and not markers:
        return RetentionReading(replace(distinct[0]), spans, candidates)
    if markers:
        reason = "the text depends on something it does not hold: " + "; ".join(f"'{m.text}'" for m in markers)
    elif distinct:
        reason = "the text holds readings that disagree"
    else:
        reason = "no retention clause found"
    return RetentionReading(RetentionData(), spans, candidates, reason)
