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
- A trigger with no action word ("Vid anställningens avslut", "Med konto-radering", "När studenten
  raderar kontot") is a disposal at that trigger: the column states when the records go. Only in a
  cell-sized sentence (`_CELL_WORDS`); in longer prose without an action word it is unclear.
- "Sparas"/"lagras" alone (no period, no trigger) says nothing about how long: unclear.
- "för evigt", "för all framtid" are kept for ever; "så länge det behövs", "under den tid som är
  nödvändig", "när de inte längre är aktuella" are disposals when obsolete.
- A starting point given as the record's own date ("3 år efter bokningsdatum", "från inhämtande")
  is "created"; one given as an event in words ("30 dagar efter uppsägning", "efter att transaktionen
  skett", "Under medlemskapet + 1 år", "10 år efter kassationsbeslut") is an event.
- A Polish JRWA category is the rule of its row; action words before it name the subject
  ("Brakowanie dokumentacji niearchiwalnej | A"). A remark "okres przechowywania liczy się od momentu
  likwidacji urządzenia" moves the start of the category's period to that event.
- Unclear, on top of the conditions above: alternatives between periods, categories or triggers
  ("5 lub 10 lat", "Vid kontoradering eller nollställning"), ranges and approximations ("12-36
  månader", "~7 dagar"), proposals ("[bekräftas] Förslag: ..."), a period limited to part of the
  records ("+ 30 dagar för säkerhetsloggar"), a period or rule stated elsewhere ("jak w 1150",
  "så länge bokföringslagen kräver", "enligt följande:", "okres ten"), a conditional "om" (not the
  preposition of "beslut om"), and a period that ends in a delivery to an archive rather than disposal.
  "Bevara…" and "gallra…" in one text are two outcomes only when both are clauses ("Kopior där ett
  arkivexemplar har bevarats ska gallras vid avslutat ärende" is one disposal).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from insyn.records.plandata import RetentionData
from insyn.records.retention import GrammarRule, RuleMatch, _candidates, match_retention, normalise
from insyn.records.retention_grammar import NUMBER_WORDS, UNIT_DESIGNATORS

# ---- Vocabulary (data; every pattern is matched against folded text: lower case, ASCII) ----

_FOLD_EXTRA = {"ł": "l", "ø": "o", "æ": "ae", "ß": "ss", "đ": "d"}
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043"

# Triggers named in words. Each: (regex, trigger, trigger_event).
SV_TRIGGERS: tuple[tuple[str, str, str | None], ...] = (
    (r"\bin ?aktu\w*", "obsolete", None),
    (
        r"\b(?:nar|da) (?:behovet|behov) (?:har )?upph\w*rt|\binte l\w*ngre (?:ar |vara )?(?:beh\w*vs|aktuell\w*)"
        r"|\bsa lange (?:som )?(?:det|de|den|uppgifterna) (?:behovs|ar nodvandig\w*)"
        r"|\bunder den tid (?:som )?(?:det |de |den )?(?:ar nodvandig\w*|behovs)",
        "obsolete",
        None,
    ),
    (
        r"\b(?:avslutat|avslutade) [ad]renden?\b|\b[ad]rendets avslut\w*"
        r"|\b(?:att )?(?:ett |det )?[ad]rende(?:t)? (?:har |ar )?(?:avslutat?s?|slutbehandlat?s?)\b|\bavgorandearet\b"
        r"|\befter att (?:vi |man |myndigheten |kommunen |namnden )?(?:har )?(?:hanterat|handlagt|avslutat|avgjort)"
        r" (?:ditt |ert |sitt |det |ett )?[ad]rende(?:t)?\b",
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
    (r"\b(?:efter|vid) (?:fattat )?\w*beslut(?:et)?\b(?! om| har)", "event", "decision"),
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
    (
        r"\b(?:efter|vid) (?:\w+(?:ad|at) )?(?:overforing|migrering)\b|\bhar (?:overforts|forts over)\b",
        "event",
        "transferred",
    ),
    # The record's own making: "10 år efter att plan upprättats", "efter att den skapats".
    (r"\befter (?:att )?(?:[\w-]+ )?(?:upprattats|upprattades|skapats|skapades)\b", "created", None),
    (r"\b(?:efter (?:att )?)?(?:[\w-]+ ){0,2}vunnit laga kraft\b", "event", "described_event"),
    (r"\b(?:vid|efter) overgang till(?: [\w-]+){1,2}", "event", "described_event"),
    # "2 år efter inträffad incident", "5 år efter utförd kunskapsbedömning": a completed thing is an event.
    (
        r"\b(?:efter|vid) (?:intraffad|intraffat|utford|utfort|genomford|genomfort|slutford|slutfort|verkstalld"
        r"|verkstallt|beviljad|beviljat|godkand|godkant|avslutad|avslutat|upphord|upphort) [\w-]{3,}",
        "event",
        "described_event",
    ),
    (r"\bsa lange\b[^.;]*", "event", "condition_ends"),
    (r"\b(?:nar|sa snart|efter att|da)\b[^.;]{1,60}?\bhar\b(?: \w+){1,2}", "event", "described_event"),
    # "tills garantitiden har gått ut", "när alla är kvitt", "när tävlingen avslutas", "när studenten raderar kontot".
    (
        r"\b(?:nar|sa snart|tills|till dess(?: att)?|efter att)\b[^.;,]{1,60}?"
        r"\b(?:har|ar|blir|blivit|\w{3,}(?:as|ats|its|ar|er)|\w{2,}(?:tt|ts))\b"
        r"(?: (?!(?:och|men|samt|eller|alternativt)\b)[\w-]+){0,3}",
        "event",
        "described_event",
    ),
    # A starting point that is the record's own date: "3 år efter bokningsdatum", "från inhämtande".
    (
        r"\b(?:efter|fran) (?:boknings|registrerings|diarieforings|inkomst|ankomst|upprattande|skapande|dokument"
        r"|handlings|utfardande|publicerings)datum(?:et)?\b"
        r"|\bfran (?:inhamtande\w*|insamling\w*|upprattande\w*|inkomst\w*|kontakten|skapande\w*)",
        "created",
        None,
    ),
    # Any other date is the date of something the record is about: "1 år efter anställningsdatum".
    (r"\b(?:efter|fran) (?!avslut|slut|utgang)\w+datum(?:et)?\b", "event", "described_event"),
    # An event named by an action noun: "Vid kontoradering", "Med konto-radering", "30 dagar efter uppsägning".
    (
        r"\b(?:vid|med|efter) (?:\w+(?:ad|at|aste) |sista )?[\w-]{3,}(?:ering|ning|else|trade)\b",
        "event",
        "described_event",
    ),
)
PL_TRIGGERS: tuple[tuple[str, str, str | None], ...] = (
    (
        r"\bpo (?:utracie|utraceniu) (?:przydatnosci|waznosci)|\bdo (?:czasu )?utraty (?:przydatnosci|waznosci)",
        "obsolete",
        None,
    ),
    # Bc: "po całkowitym (ich) wykorzystaniu", "po pełnym jej wykorzystaniu": once used up.
    (r"\bpo (?:calkowitym |pelnym )?(?:ich |jej |jego )?wykorzystaniu\b", "obsolete", None),
    (r"\b(?:po|od|do) (?:ustani\w*|rozwiazani\w*|zakonczeni\w*) stosunku pracy", "event", "end_of_employment"),
    (
        r"\b(?:po|od) (?:roku |daty |dnia |momentu )?(?:zakonczeni|wygasni|rozwiazani|ustani)\w* umowy\b",
        "event",
        "contract_end",
    ),
    (
        r"\bdo (?:czasu |momentu )?(?:jej |jego )?(?:wycofani|cofnieci|odwolani)\w*(?: zgody)?",
        "event",
        "consent_withdrawn",
    ),
    # Any other starting point named after "po"/"od": "po zakończeniu roku szkolnego", "po ustaniu zatrudnienia"
    # (the closing of the case itself is the grammar's reading of a bare period).
    (
        r"\b(?:po|od) (?:zakonczeni|wygasni|ustani|rozwiazani|uplyw|odejsci|wyjezdzi|smierci)\w*(?! sprawy)"
        r"(?: [\w-]+){1,3}",
        "event",
        "described_event",
    ),
    # "przez okres istnienia obiektu", "przez czas trwania umowy": kept while something lasts.
    (
        r"\bprzez (?:caly )?(?:okres|czas) (?:istnienia|trwania|obowiazywania|waznosci)\b(?: [\w-]+){1,3}",
        "event",
        "condition_ends",
    ),
)
# Action words. A retain word is a clause by itself; a dispose word needs a period or a trigger.
SV_RETAIN = (
    r"\bbevara(?:s|nde)\b(?!:? nej\b)|\b(?:far|ska|skall) (?:ej|inte|aldrig) gallras\b|\bgallras:? (?:ej|inte|nej)\b"
    r"|\bingen gallring\b|\b(?:(?:sparas|lagras|bevaras) )?(?:for evigt|for all framtid)\b"
)
# A Ja/Nej answer in a column headed "Gallras"/"Gallring" (or "Bevaras"): (column word, answer) -> reading.
# "Gallras: Ja" alone says nothing about when, so it stays unclear; "Ja, efter 2 år" is read as "Gallras efter 2 år".
ANSWER = re.compile(r"^\W*(?P<answer>ja|nej|tak|nie)\b[\s,.:;-]*(?P<rest>.*)$", re.DOTALL)
ANSWER_COLUMNS = {"gallr": "dispose", "bevar": "retain", "brakow": "dispose"}
SV_SAMPLE = r"\b(?:bevaras )?i (?:date?um)?urval\b|\b(?:ett )?(?:date?um)?urval bevaras\b|\bdatumurval\b"
SV_DISPOSE = (
    r"\b(?:gallras|gallring|raderas|radering|rensas|forstors|forstoras|destrueras|tas bort|sparas|lagras|forvaras"
    r"|sparar|lagrar|raderar|gallrar|tar (?:vi |de )?bort)\b"
)
# Not the genitive: "digitalizacja materiałów archiwalnych" names a subject, not a category.
PL_RETAIN = r"\b(?!materialow\b|materialu\b)material\w* archiwaln\w*|\bwieczyscie\b"
PL_DISPOSE = r"\b(?:brakowani\w*|zniszczeni\w*|zniszczyc|niszczy\w*|wybrakowa\w*|usun\w*|przechowyw\w*|na makulature)\b"
# Year-end alignment said in words.
YEAR_END = (
    r"\bhela kalenderar\b|\bpelnych lat kalendarzowych\b|\blat kalendarzowych\b"
    r"|\blicz\w* od (?:dnia )?1 stycznia (?:roku )?nastepnego\b|\bod poczatku roku nastep\w*"
)
# A Polish remark that moves the start of the period to an event: "Okres przechowywania liczy się od momentu
# likwidacji urządzenia", "licząc od końca roku kalendarzowego, w którym upłynął termin płatności podatku".
PL_START = (
    r"\blicz\w* (?:sie )?od (?:momentu|daty|dnia|chwili|konca roku(?: kalendarzowego)?,? w ktorym)\b"
    r"(?! 1 stycznia| (?:ostatecznego )?zakonczeni\w* sprawy)(?: [\w-]+){1,4}"
)
# Nouns and verbs that "om" follows as a preposition, not as "if".
_OM_HEADS = (
    "hand", "beslut", "besluten", "beslutet", "ansokan", "ansokningar", "begaran", "anmalan", "information",
    "informationen", "uppgift", "uppgifter", "uppgifterna", "fraga", "fragor", "avtal", "intyg", "meddelande",
    "underrattelse", "utredning", "yttrande", "overenskommelse", "redogorelse", "rapport", "protokoll", "arende",
    "arenden", "handlingar", "samtal", "kunskap", "bestammelser", "foreskrifter", "lagen", "lag", "bildas", "ber",
)  # fmt: skip
# What makes a reading depend on something the text does not hold: a person must look.
UNCLEAR_MARKERS = (
    r"\b(?:i enlighet med|enligt) (?:\w+ ){0,2}(?:dokumenthanteringsplan\w*|gallringsbeslut\w*|gallringsrad\w*)"
    r"|\b(?:men|utom|forutom|dock|savida|under forutsattning|i (?:det|de) fall)\b"
    # A period given as an example ("Gallring efter (exempelvis) 5 år innebär ...") is a definition, not a rule.
    r"|\b(?:exempelvis|till exempel|t ?\.? ?ex|np)\W{1,4}\d"
    # "om" is a condition ("om inte länsstyrelsen beslutar", "om inget annat beslutas") unless it follows a noun
    # it belongs to ("ta hand om garantier", "beslut om bistånd", "ansökan om bygglov").
    rf"|{''.join(f'(?<!{word} )' for word in _OM_HEADS)}\bom\b"
    r"|\bse (?:anm\w*|kommentar\w*|nedan|ovan|bilaga)\b"
    # Words that limit which records the rule is for ("Vissa handlingar: ...", "Övriga sparas 2 år").
    r"|\b(?:vissa|viss|visst|ovrig\w*|nagra|andra|delar)\b"
    # The rule is stated after the text ("gallras vid inaktualitet enligt följande:").
    r"|\benligt foljande\b|\bnedanstaende\b|\bponizej\b|\bjak nizej\b|\balternativt\b"
    r"|\bwynika z (?:odrebnych|innych) przepisow\b|\bodrebn\w* przepis\w*"
    r"|\bzgodnie z jrwa\b|\bz wyjatkiem\b|\bchyba ze\b|\bwedlug\b|\bpatrz\b|\bekspertyz\w*"
    # Alternatives between outcomes or periods ("5 lub 10 lat", "B5 lub B10", "2 år eller för evigt", "antingen").
    r"|(?:\b(?:a|b ?\d*|be ?\d*|bc)\b|\d+(?: \w+)?) (?:lub|albo|eller) (?:i |under )?"
    r"(?:a\b|b|be|bc|\d|for evigt|trwale)"
    r"|\bantingen\b|\bberoende pa\b|\bberor pa\b|\bw zaleznosci od\b"
    # Conditions, approximations, ranges and proposals.
    r"|\bo ile\b|\bpod warunkiem\b|\bw innym przypadku\b|\bjezeli\b|\bjesli\b|\bnormalt\b"
    r"|~ ?\d|\b(?:ca|cirka|ungefar|omkring|okolo)\b|\bod \d+ do \d+|\bmellan \d+|\b\d+ ?- ?\d+ (?:ar|man|dag|lat|mies)"
    r"|\bforslag\b|\bbekraftas\b|\bczasow\w*|\bw przypadku\b|\bw takim wypadku\b|\bw razie\b"
    # A period named by reference to one stated before ("Obecnie okres ten wynosi 10 lat").
    r"|\b(?:okres ten|ten okres|tego okresu|tym okresie|ww|wyzej wymienion\w*|powyzsz\w*)\b"
    # A period or rule stated elsewhere: another class, another text's retention, the law's own period.
    r"|\bjak w (?:klasie )?\d|\b\w+s (?:lagringstid|gallringsfrist|bevarandetid)\w*"
    r"|\b(?:efter|enligt|till) (?:den )?(?:lagringstid|gallringsfrist|bevarandetid|retentionstid)\w*"
    r"|\bsa lange \w*(?:lag\w*|forordning\w*|krav\w*) kraver\b|\b(?:lagen|lag) kraver\b"
    r"|\blicz\w* od\b(?! (?:dnia )?1 stycznia| (?:momentu|daty|dnia|chwili|konca roku))"
)
# Words that send records to an archive rather than destroy them.
TRANSFER_WORDS = (
    r"\b(?:levereras|overlamnas|overfors till|arkiveras|arkivlaggs|przekaza\w*|przekazywa\w*) (?:\w+ )?"
    r"(?:till|do|i)\b"
    r"|\bdarefter (?:till )?[\w-]*arkiv\w*"
)
# Right after a period: a starting point ("räknat från beslutet") the reader has not understood.
UNREAD_START = (
    r"^[\s,]*(?:(?:raknat|raknas) )?(?:fran|efter|fr o m|from|od|po)\b(?! (?:dnia )?1 stycznia| poczatku roku nastep)"
)
# Swedish passive verbs the reader does not know ("makuleras", "levereras"): with one, a bare period is not
# read as a disposal.
UNKNOWN_VERB = r"\b\w{3,}(?:as|lls)\b"
# A Polish JRWA category symbol, matched against the ORIGINAL text (case matters: "a" is a conjunction).
PL_CATEGORY = re.compile(
    r"(?<![\w-])(?:(?:kategori\w*|kat\.?)\s*)?"
    r"(BE\s?-?\s?\d+|B\s?-?\s?\d+|Bc|BC|A(?=\s*(?:$|[,;.)(|]|\s[-\u2013]|\s\()))(?![\w])"
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


_UNIT_WORDS = _folded_words([*UNIT_DESIGNATORS, "kalenderår", "lat kalendarzowych", "dygn"])
_NUMBER_VALUES = {_fold(word)[0]: value for word, value in NUMBER_WORDS.items()}
_NUMBER = _folded_words(NUMBER_WORDS)
# "3 månader", "2ar", "tre år", "pięć pełnych lat kalendarzowych", "2 hela kalenderår".
PERIOD = re.compile(rf"(?<![\w,./-])(?P<n>\d+|{_NUMBER}) ?(?:hela |pelnych )?(?P<unit>{_UNIT_WORDS})(?!\w)")
_UNIT_BACK = {_fold(word)[0]: word for word in UNIT_DESIGNATORS} | {
    "kalenderar": "år",
    "lat kalendarzowych": "lat",
    "dygn": "dagar",
}
_SENTENCE = re.compile(r"[^.;!?\n]+(?:[.;!?]\d[^.;!?\n]*)*")
# Abbreviations whose full stop does not end a sentence ("np. na pięć lat", "t.ex. reklam", "2012 r., 10 lat").
_ABBREVIATION = re.compile(
    r"\b(?:np|tj|tzn|itd|itp|ok|ew|dot|kat|nr|art|ust|pkt|zob|por|wg|r|t\.ex|m\.in|bl\.a|p\.g\.a|d\.v\.s|dvs|s\.k"
    r"|jfr|resp|ev|inkl|exkl|ca)\.(?= ?[\w(])"
)
# A starting point before the period: "Under medlemskapet + 1 år", "Tills användaren raderar konto + 30 dagar".
_UNTIL_PLUS = re.compile(r"\b(?:under|tills|till dess)\b[^.;+]{1,60}\+ ?$")
# Right after a period or a trigger: words that limit it to part of the records ("30 dagar för säkerhetsloggar")
# or offer another starting point ("Vid kontoradering eller nollställning").
_FOR_PART = re.compile(r"^ ?for (?!att\b|all\b|evigt\b|framtid)\w")
_OR_NEXT = re.compile(r"^,?(?: [\w-]+){0,2},? (?:eller|lub|albo|alternatywnie|alternativt)\b")
# The most words a cell that is only a trigger has ("Vid avslutad anställning eller uppdrag").
_CELL_WORDS = 6


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


# Polish "one year" without a number ("przechowywana przez rok", "do roku od dnia ...").
_PL_ONE_YEAR = re.compile(r"\b(?:przez|po|do|na) (?:jeden )?rok(?:u)?\b(?! (?:kalendarzow|obrotow|budzetow|szkoln))")


def _clauses(
    text: _Text, start: int, end: int, lang: str, category: int | None = None
) -> tuple[list[Candidate], list[Span]]:
    """Clauses found inside one sentence (folded offsets start..end); also the unclear markers seen.

    `category`: where the text's first JRWA category symbol stands (original offset), if it has one. The
    category is the rule; action words before it with nothing to say when name the subject
    ("Brakowanie dokumentacji niearchiwalnej | A"), not a second rule.
    """
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
    for (a, b), _trigger, _event in triggers:
        if alternative := _OR_NEXT.match(text.folded[b:end]):
            markers.append(text.span(a, min(end, b + len(alternative.group(0)))))
    year_end = bool(spans_of(YEAR_END))
    periods = [((start + m.start(), start + m.end()), m) for m in PERIOD.finditer(folded)]
    if lang == "pl":
        periods += [((start + m.start(), start + m.end()), m) for m in _PL_ONE_YEAR.finditer(folded)]
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
        if m.re is _PL_ONE_YEAR:
            reading = _period_reading("1", "rok", lang, year_end)
        elif m.group("unit") == "man" and not m.group("n").isdigit():
            continue  # "en man" is a person; only "1 mån" is a month
        else:
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
            if _FOR_PART.match(text.folded[y:end]):
                markers.append(text.span(a, end))
            found.append(Candidate(reading, text.span(a, y), "clause"))
            continue
        if _FOR_PART.match(text.folded[b:end]):
            markers.append(text.span(a, end))
        before = _UNTIL_PLUS.search(text.folded[start:a])
        if before:
            used.update(t[0][0] for t in triggers if start + before.start() <= t[0][0] < a)
            reading.trigger, reading.trigger_event = "event", "condition_ends"
            found.append(Candidate(reading, text.span(start + before.start(), b), "clause"))
            continue
        if re.match(UNREAD_START, text.folded[b:end]):
            markers.append(text.span(a, end))
        found.append(Candidate(reading, text.span(a, b), "clause"))
    # A trigger alone is a disposal at that trigger when it is the whole cell ("Vid anställningens avslut",
    # "När studenten raderar kontot"); inside longer prose with no action word it may say something else.
    loose = not disposes and not retains and len(folded.split()) > _CELL_WORDS
    for (a, b), trigger, event in triggers:
        if a not in used:
            retention = RetentionData(action="dispose", trigger=trigger, trigger_event=event)
            found.append(Candidate(retention, text.span(a, b), "clause"))
            if loose:
                markers.append(text.span(a, b))
    # "Förvaras i närarkiv 2 år, därefter levereras till centralarkivet": the period ends in a delivery, not a
    # disposal; which of the two the text means is for a person (the grammar reads the plain delivery phrases).
    if period_readings:
        markers.extend(text.span(a, b) for a, b in spans_of(TRANSFER_WORDS))
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
    subject_only = category is not None and all(text.where[a] < category for a, _b in disposes)
    if disposes and not found and not subject_only and not (lang == "pl" and re.search(PL_START, folded)):
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
    # Next to a kept record, a disposal word that no clause explains is a second outcome for other records
    # ("Upphandlingsdokument bevaras, arbetsmaterial gallras"); a negated one belongs to the retain clause.
    if any(candidate.retention.action == "retain" for candidate in found):
        for a, b in disposes:
            if not any(c.span.start <= text.where[a] < c.span.end for c in found):
                markers.append(text.span(a, b))
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


# Coarse whole-text grammar rules whose question the clause reading answers more finely: "bevara…" and
# "gallra…" in one text is two outcomes only when both are clauses ("Kopior där ett arkivexemplar har
# bevarats ska gallras vid avslutat ärende" is one).
# The same for "om": a condition ("om inte länsstyrelsen beslutar", ", om det behövs") is a marker below, a
# preposition ("ta hand om garantier", "beslut om bistånd") is not.
_CLAUSES_DECIDE = frozenset({"sv_unclear_mixed_outcomes", "sv_unclear_condition"})


def _whole_rule(text: str, lang: str, rules: list[GrammarRule]) -> RuleMatch | None:
    """The grammar rule that reads all of `text`, passing over the rules the clauses decide more finely."""
    found = match_retention(text, lang, rules)
    if found is None or found.rule.name not in _CLAUSES_DECIDE:
        return found
    normalised = normalise(text)
    for rule in _candidates(lang, rules):
        if rule.name not in _CLAUSES_DECIDE:
            retention = rule.read(normalised)
            if retention is not None:
                return RuleMatch(rule, retention)
    return None


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
    whole = _whole_rule(original, lang, rules)
    source = _Text(original)
    if whole is not None and whole.retention.action != "unclear":
        span = source.span(0, len(source.folded)) if source.folded else Span(0, 0, "")
        return RetentionReading(whole.retention, [span], [Candidate(whole.retention, span, whole.rule.name)])

    candidates: list[Candidate] = []
    markers: list[Span] = []
    categories = _categories(source, rules) if lang == "pl" else []
    candidates.extend(categories)
    masked = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", "\x00"), source.folded)
    for sentence in _SENTENCE.finditer(masked):
        a, b = sentence.span()
        if not sentence.group(0).strip(" -_,:"):
            continue
        span = source.span(a, b)
        exact = _whole_rule(span.text, lang, rules) if span.text else None
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
        first = min((c.span.start for c in categories), default=None)
        found, seen = _clauses(source, a, b, lang, category=first)
        markers.extend(seen)
        candidates.extend(found)

    start = re.search(PL_START, source.folded) if lang == "pl" else None
    if start is not None:  # the period runs from the event the remark names, not from the closing of the case
        for candidate in candidates:
            if candidate.retention.period:
                candidate.retention = replace(candidate.retention, trigger="event", trigger_event="described_event")
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
