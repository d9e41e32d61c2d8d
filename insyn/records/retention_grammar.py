"""The built-in retention grammar, as data (issue #3).

Everything language-specific lives here; `retention.py` only holds the
mechanics. `RULES` uses exactly the shape of `GrammarRule.to_dict()`, the same
shape an organisation stores for its own rules (database row or JSON file), so
the built-in grammar is an example of what a user can add.

`PLACEHOLDERS` are named regex fragments that any rule pattern, built-in or
user-made, may use as `{NAME}`: "makuleras efter {PERIOD}" with period
"P{n}{unit}" reads "Makuleras efter 3 månader" as P3M.

Readings chosen here (documented once, applied throughout):

- Swedish "Gallras efter 2 år", "Sparas 7 år" and a bare "2 år" in the
  Bevaras/Gallras column count from when the record was created or received
  (upprättad/inkommen): trigger "created". That is how Swedish plans and the
  archive authorities read a period with no starting point.
- "Sparas N år" means kept N years and then disposed of: action "dispose".
- "Bevaras" means kept for ever. "Bevaras, levereras till arkivet efter 5 år" is
  still "retain"; when it is delivered belongs in the plan's delivery column.
- Sampling ("i urval", "datumurval") is action "retain" with `sampling` set:
  the sample is kept for ever, the rest is disposed of (after the period, when
  the text gives one).
- A Polish period in years (JRWA category B5, "5 lat", "brakowanie po 5
  latach") counts in full calendar years from 1 January of the year after the
  case was closed (instrukcja kancelaryjna): trigger "case_closed", align
  "year_end". Periods in months, weeks or days have no calendar-year rounding.
- Deliberately unclear: "Gallras" alone (when?), "Bevaras 10 år" ("bevaras"
  means for ever, the period contradicts it), a disposal rule with "se
  anmärkning" (the remark may limit the disposal, and a wrong disposal cannot
  be undone, while "Bevaras, se anmärkning" is read as retain), and any text
  that combines outcomes or adds a condition.
"""

from __future__ import annotations

from typing import Any

# Unit words (Swedish and Polish, every inflection plans use) -> ISO 8601 designator.
# A period template's `{unit}` is translated through this table.
UNIT_DESIGNATORS: dict[str, str] = {
    # Swedish
    "år": "Y",
    "månad": "M",
    "månader": "M",
    "mån": "M",
    "vecka": "W",
    "veckor": "W",
    "dag": "D",
    "dagar": "D",
    # Polish
    "rok": "Y",
    "roku": "Y",
    "lata": "Y",
    "lat": "Y",
    "latach": "Y",
    "miesiąc": "M",
    "miesiąca": "M",
    "miesiące": "M",
    "miesięcy": "M",
    "miesiącach": "M",
    "tydzień": "W",
    "tygodnie": "W",
    "tygodni": "W",
    "tygodniach": "W",
    "dzień": "D",
    "dnia": "D",
    "dni": "D",
    "dniach": "D",
}

# Number words plans write instead of digits; `normalise` replaces them only right before a
# unit word ("ett år" -> "1 år", while "ett ärende" stays). Polish includes the locative.
NUMBER_WORDS: dict[str, int] = {
    # Swedish
    "en": 1,
    "ett": 1,
    "två": 2,
    "tre": 3,
    "fyra": 4,
    "fem": 5,
    "sex": 6,
    "sju": 7,
    "åtta": 8,
    "nio": 9,
    "tio": 10,
    "elva": 11,
    "tolv": 12,
    "femton": 15,
    "tjugo": 20,
    "tjugofem": 25,
    "trettio": 30,
    "femtio": 50,
    # Polish, nominative/accusative ("pięć lat")
    "jeden": 1,
    "dwa": 2,
    "dwie": 2,
    "trzy": 3,
    "cztery": 4,
    "pięć": 5,
    "sześć": 6,
    "siedem": 7,
    "osiem": 8,
    "dziewięć": 9,
    "dziesięć": 10,
    "jedenaście": 11,
    "dwanaście": 12,
    "piętnaście": 15,
    "dwadzieścia": 20,
    "dwadzieścia pięć": 25,
    "trzydzieści": 30,
    "pięćdziesiąt": 50,
    # Polish, locative ("po dwóch latach")
    "dwóch": 2,
    "trzech": 3,
    "czterech": 4,
    "pięciu": 5,
    "sześciu": 6,
    "siedmiu": 7,
    "ośmiu": 8,
    "dziewięciu": 9,
    "dziesięciu": 10,
    "jedenastu": 11,
    "dwunastu": 12,
    "piętnastu": 15,
    "dwudziestu": 20,
    "dwudziestu pięciu": 25,
    "trzydziestu": 30,
    "pięćdziesięciu": 50,
}

_SV_UNITS = "år|månader|månad|mån|veckor|vecka|dagar|dag"
_PL_YEAR_UNITS = "latach|lata|lat|roku|rok"
_PL_SHORT_UNITS = (
    "miesiącach|miesiąca|miesiące|miesięcy|miesiąc|tygodniach|tygodnie|tygodni|tydzień|dniach|dnia|dni|dzień"
)
# Words that change what a free-text tail means; a tail containing one never matches.
_STOPWORD = (
    r"(?:men|utom|förutom|dock|om|samt|och|eller|ej|inte|när|då|efter|vid|senast|tidigast"
    r"|bevara\w*|gallra\w*|spara\w*|undantag\w*|övrig\w*|rest\w*|vissa|några|andra)\b"
)

PLACEHOLDERS: dict[str, str] = {
    # Numbers and periods: capture the groups `n` and `unit` for period templates ("P{n}{unit}").
    "N": r"(?P<n>\d+)",
    "PERIOD": rf"{{N}} (?P<unit>{_SV_UNITS})",
    "PL_YEARS": rf"{{N}} (?P<unit>{_PL_YEAR_UNITS})",
    "PL_SHORT_PERIOD": rf"{{N}} (?P<unit>{_PL_SHORT_UNITS})",
    "PL_PERIOD": rf"{{N}} (?P<unit>{_PL_YEAR_UNITS}|{_PL_SHORT_UNITS})",
    # Punctuation between two parts of one statement ("Bevaras, se anmärkning", "Bevaras. Se anm").
    "SEP": r"(?:[,.;:] | - | )",
    # Free text (a system, an archive) of up to six words, none of which changes the meaning.
    "PLACE": rf"(?!{_STOPWORD})[\w/-]+(?: (?!{_STOPWORD})[\w/-]+){{0,5}}",
    # One word naming what is kept ("Fakturaunderlag sparas 7 år"); never a part ("övriga", "kopior" …).
    "SUBJECT": rf"(?!{_STOPWORD}|kopi\w*|original\w*|del(?:ar|en)?\b)[\w-]+",
    # Swedish
    "GALLRAS": r"(?:gallras|gallring|(?:kan|får|ska|skall) gallras)",
    "SEE_REMARK": r"(?:se (?:anm|anmärkning|anmärkningar|anmärkningskolumnen|kommentar|kommentarer)|enligt anmärkning)",
    "REMARK": r"(?:{SEP}{SEE_REMARK}| \({SEE_REMARK}\.?\))",
    "ARCHIVE": r"(?:[\w-]*arkiv(?:et)?|arkivmyndighet(?:en)?|kommunens arkiv|arkivdepå(?:n)?)",
    "FROM": r"(?: efter |,? (?:räknat |räknas )?från |,? räknat efter )",
    "CREATED": (
        r"(?:upprättande(?:t|datum(?:et)?)?|inkomstdatum(?:et)?|registreringsdatum(?:et)?|handlingens datum"
        r"|(?:det )?att handlingen (?:upprättades|inkom|kom in|registrerades))"
    ),
    "CASE_CLOSED": (
        r"(?:avslutat ärende|ärendets avslut(?:ande)?|avslutad handläggning"
        r"|(?:(?:det )?att )?ärendet (?:har )?avslutats|att ärendet avslutades|att ärendet är avslutat)"
    ),
    # The calendar year of the record itself; "det kalenderår då räkenskapsåret avslutades" is the
    # same year for a kommun, whose räkenskapsår is the calendar year (lag 2018:597 om kommunal bokföring).
    "YEAR_END": (
        r"(?:(?:det )?kalenderårets utgång|årets utgång|utgången av (?:det )?kalenderåret"
        r"|utgången av det kalenderår (?:då|när|under vilket|i vilket) (?:handlingen|handlingarna|dokumentet"
        r"|uppgifterna) (?:upprättades|inkom|kom in|skapades|registrerades)"
        r"|utgången av det kalenderår då räkenskapsåret avslutades)"
    ),
    "YEAR_END_CASE": r"utgången av det kalenderår (?:då|när|under vilket|i vilket) ärendet (?:avslutades|avgjordes)",
    "YEAR_END_EMPLOYMENT": (
        r"utgången av det kalenderår (?:då|när|under vilket|i vilket) anställningen (?:upphörde|avslutades)"
    ),
    "EMPLOYMENT_ENDED": (
        r"(?:avslutad anställning|anställningens (?:upphörande|slut|avslutande)"
        r"|att anställningen (?:har )?(?:upphört|avslutats))"
    ),
    "PUPIL_LEFT": (
        r"(?:att eleven (?:har )?(?:slutat(?: i)?(?: skolan)?|lämnat skolan|gått ut(?: skolan)?)|avslutad skolgång)"
    ),
    "PUPIL_LEAVES_WHEN": r"(?:när|då) eleven (?:har )?(?:slutat(?: i)?(?: skolan)?|lämnat skolan|gått ut(?: skolan)?)",
    "NEW_VERSION": (
        r"(?:(?:när|då) (?:en )?(?:ny|nyare|uppdaterad|reviderad)(?: (?:version|utgåva|upplaga))?"
        r" (?:finns|(?:har )?(?:upprättats|fastställts|antagits|tagits fram|publicerats))"
        r"|(?:när|då) (?:den|handlingen|dokumentet) (?:har )?ersatts(?: av (?:en )?(?:ny|nyare)(?: version)?)?"
        r"|(?:vid|efter) (?:ny|nyare) version)"
    ),
    "CONSENT_WITHDRAWN": (
        r"(?:(?:när|då|om) (?:samtycket|samtycke) (?:återkallas|(?:har )?återkallats|dras tillbaka"
        r"|(?:har )?dragits tillbaka)|(?:vid|efter) (?:återkallat samtycke|återkallelse av samtycke(?:t)?))"
    ),
    "REGISTERED": (
        r"(?:(?:efter|vid) (?:registrering|diarieföring|inregistrering)|(?:när|då) (?:registrering|diarieföring)"
        r" (?:har )?skett|(?:när|då|efter att) (?:den|handlingen|uppgifterna) (?:har )?registrerats)(?: i {PLACE})?"
    ),
    "SCANNED": (
        r"(?:(?:efter|vid) (?:inskanning|skanning|scanning|inscanning)(?: och (?:kvalitets)?kontroll)?"
        r"|(?:när|då) (?:inskanning|skanning) (?:har )?skett"
        r"|(?:när|då|efter att) (?:den|handlingen|handlingarna) (?:har )?(?:skannats|scannats))"
    ),
    "TRANSFERRED": (
        r"(?:(?:efter|vid) (?:överföring|export|migrering)|(?:när|då) överföring (?:har )?skett"
        r"|(?:när|då|efter att) (?:den|handlingen|uppgifterna|informationen) (?:har )?(?:överförts|förts över))"
        r"(?: till {PLACE})?"
    ),
    "OBSOLETE": (
        r"(?:(?:vid|efter) inaktualitet"
        r"|(?:när|då) (?:den |de |handlingen |handlingarna |uppgifterna |informationen |dokumentet )?"
        r"(?:är |blivit |har blivit |blir )?inaktuell(?:a|t)?"
        r"|(?:när|då) (?:behovet|behov) (?:har )?upphört"
        r"|(?:när|då) (?:den|de|handlingen|handlingarna|uppgifterna|informationen) inte längre behövs)"
    ),
    "SAMPLE_TAIL": r"(?:{SEP}(?:bevaras i urval|urval bevaras|ett urval bevaras)| utom (?:ett )?urval)",
    "DATE_SAMPLE_TAIL": r"(?:{SEP}(?:bevaras i datumurval|datumurval bevaras)| utom (?:i )?datumurval(?:et)?)",
    # "Gallras efter", "Gallras", "Fakturaunderlag sparas", "Sparas i": what may come before a period.
    "DISPOSE_LEAD": r"(?:{GALLRAS} (?:tidigast )?(?:efter )?|(?:{SUBJECT} )?sparas (?:i )?|efter )",
    "DISPOSE_TAIL": r"(?:{SEP}(?:därefter|sedan) gallras| och gallras (?:därefter|sedan)| för att sedan gallras)",
    # Polish
    "PL_CATEGORY": r"(?:kat\.?|kategoria(?: archiwalna)?)",
    "PL_DESTROY": (
        r"(?:brakowanie|zniszczenie|zniszczyć|niszczyć|wybrakować|usunąć|usunięcie|przechowywać|przechowywanie)"
    ),
    "PL_DISPOSE_LEAD": (
        r"(?:(?:brakowanie|zniszczenie|zniszczyć|wybrakować) po |po |przechowywać (?:przez )?"
        r"|przechowywanie (?:przez )?|okres przechowywania:? )"
    ),
    "PL_FROM_CASE_CLOSED": r"(?:,? (?:licząc )?(?:od|po) (?:daty )?zakończeni[au] sprawy)",
    "PL_FROM_NEXT_YEAR": (
        r"(?:,? (?:licząc )?od 1 stycznia roku następnego (?:po (?:roku )?|od (?:daty )?)zakończeni[au] sprawy)"
    ),
    "PL_TRANSFER": (
        r"(?:przekazać|przekazanie|przekazuje się|przekazywać) do (?:(?:właściwego )?archiwum państwowego|ap"
        r"|archiwum zakładowego)"
    ),
}

_PERIOD = "P{n}{unit}"

RULES: tuple[dict[str, Any], ...] = (
    # ---- Swedish: retain ----
    {
        "name": "sv_retain",
        "pattern": r"bevaras(?: (?:för all framtid|för framtiden|för evigt|permanent|varaktigt))?"
        r"(?: (?:digitalt|elektroniskt|analogt|på papper|i pappersform|i original|i digital form|i analog form))?"
        r"{REMARK}?",
        "action": "retain",
        "description": "Bevaras: kept for ever. A remark ('se anmärkning') explains the form, not the outcome.",
    },
    {
        "name": "sv_retain_not_disposed",
        "pattern": r"(?:(?:får|ska|skall) (?:ej|inte) gallras|gallras (?:ej|inte)|ingen gallring){REMARK}?",
        "action": "retain",
        "description": "'Gallras ej': nothing may be disposed of, i.e. kept for ever.",
    },
    {
        "name": "sv_retain_then_delivered",
        "pattern": r"bevaras{SEP}(?:arkivläggs|(?:levereras|överlämnas|överförs|lämnas) till {ARCHIVE})"
        r"(?: (?:efter )?{PERIOD}(?:{FROM}{CASE_CLOSED})?)?",
        "action": "retain",
        "description": "Kept for ever; when it goes to the archive belongs in the delivery column.",
    },
    # ---- Swedish: sampling ----
    {
        "name": "sv_sample",
        "pattern": r"(?:bevaras i urval|urval bevaras|ett urval bevaras|{GALLRAS}{SAMPLE_TAIL}){REMARK}?",
        "action": "retain",
        "sampling": "i urval",
        "description": "A sample is kept for ever, the rest is disposed of.",
    },
    {
        "name": "sv_sample_after_period",
        "pattern": r"{GALLRAS} (?:efter )?{PERIOD}{SAMPLE_TAIL}",
        "action": "retain",
        "period": _PERIOD,
        "trigger": "created",
        "sampling": "i urval",
        "description": "A sample is kept for ever, the rest is disposed of after the period.",
    },
    {
        "name": "sv_sample_after_case_closed",
        "pattern": r"{GALLRAS} (?:efter )?{PERIOD}{FROM}{CASE_CLOSED}{SAMPLE_TAIL}",
        "action": "retain",
        "period": _PERIOD,
        "trigger": "case_closed",
        "sampling": "i urval",
        "description": "A sample is kept for ever, the rest is disposed of after the case is closed.",
    },
    {
        "name": "sv_date_sample",
        "pattern": r"(?:datumurval|bevaras i datumurval|datumurval bevaras|bevaras{SEP}datumurval"
        r"|{GALLRAS}{DATE_SAMPLE_TAIL}|bevaras för personer födda (?:den )?5, 15 och 25(?: i varje månad)?){REMARK}?",
        "action": "retain",
        "sampling": "datumurval",
        "description": "Records of people born on the 5th, 15th and 25th are kept for ever, the rest disposed of.",
    },
    {
        "name": "sv_date_sample_after_period",
        "pattern": r"{GALLRAS} (?:efter )?{PERIOD}{DATE_SAMPLE_TAIL}",
        "action": "retain",
        "period": _PERIOD,
        "trigger": "created",
        "sampling": "datumurval",
    },
    {
        "name": "sv_date_sample_after_case_closed",
        "pattern": r"{GALLRAS} (?:efter )?{PERIOD}{FROM}{CASE_CLOSED}{DATE_SAMPLE_TAIL}",
        "action": "retain",
        "period": _PERIOD,
        "trigger": "case_closed",
        "sampling": "datumurval",
    },
    # ---- Swedish: dispose ----
    {
        "name": "sv_dispose_when_obsolete",
        "pattern": r"(?:{GALLRAS} )?{OBSOLETE}",
        "action": "dispose",
        "trigger": "obsolete",
        "description": "Gallras vid inaktualitet: disposed of when no longer needed.",
    },
    {
        "name": "sv_dispose_at_once",
        "pattern": r"{GALLRAS} (?:omedelbart|direkt|omgående|genast)",
        "action": "dispose",
        "period": "P0D",
        "trigger": "created",
    },
    {
        "name": "sv_dispose_after_period",
        "pattern": r"{DISPOSE_LEAD}?{PERIOD}(?:{FROM}{CREATED})?{DISPOSE_TAIL}?",
        "action": "dispose",
        "period": _PERIOD,
        "trigger": "created",
        "description": "Gallras efter 2 år / Sparas 7 år / 2 år: counted from when the record was created or received.",
    },
    {
        "name": "sv_dispose_after_case_closed",
        "pattern": r"{DISPOSE_LEAD}?{PERIOD}{FROM}{CASE_CLOSED}{DISPOSE_TAIL}?",
        "action": "dispose",
        "period": _PERIOD,
        "trigger": "case_closed",
    },
    {
        "name": "sv_dispose_when_case_closed",
        "pattern": r"{GALLRAS} (?:(?:vid|efter) {CASE_CLOSED}|(?:när|då) ärendet (?:är avslutat|(?:har )?avslutats))",
        "action": "dispose",
        "trigger": "case_closed",
    },
    {
        "name": "sv_dispose_after_year_end",
        "pattern": r"{DISPOSE_LEAD}?{PERIOD}{FROM}{YEAR_END}{DISPOSE_TAIL}?",
        "action": "dispose",
        "period": _PERIOD,
        "trigger": "created",
        "align": "year_end",
        "description": "Counted from the end of the calendar year in which the record was created.",
    },
    {
        "name": "sv_dispose_after_year_end_of_case",
        "pattern": r"{DISPOSE_LEAD}?{PERIOD}{FROM}{YEAR_END_CASE}{DISPOSE_TAIL}?",
        "action": "dispose",
        "period": _PERIOD,
        "trigger": "case_closed",
        "align": "year_end",
    },
    {
        "name": "sv_dispose_after_employment",
        "pattern": r"{DISPOSE_LEAD}?{PERIOD}{FROM}{EMPLOYMENT_ENDED}{DISPOSE_TAIL}?",
        "action": "dispose",
        "period": _PERIOD,
        "trigger": "event",
        "trigger_event": "end_of_employment",
    },
    {
        "name": "sv_dispose_after_year_end_of_employment",
        "pattern": r"{DISPOSE_LEAD}?{PERIOD}{FROM}{YEAR_END_EMPLOYMENT}{DISPOSE_TAIL}?",
        "action": "dispose",
        "period": _PERIOD,
        "trigger": "event",
        "trigger_event": "end_of_employment",
        "align": "year_end",
    },
    {
        "name": "sv_dispose_when_employment_ends",
        "pattern": r"{GALLRAS} (?:(?:vid|efter) {EMPLOYMENT_ENDED}"
        r"|(?:när|då) anställningen (?:har )?(?:upphört|avslutats))",
        "action": "dispose",
        "trigger": "event",
        "trigger_event": "end_of_employment",
    },
    {
        "name": "sv_dispose_after_pupil_leaves",
        "pattern": r"{DISPOSE_LEAD}?{PERIOD} efter {PUPIL_LEFT}",
        "action": "dispose",
        "period": _PERIOD,
        "trigger": "event",
        "trigger_event": "pupil_leaves",
    },
    {
        "name": "sv_dispose_when_pupil_leaves",
        "pattern": r"{GALLRAS} (?:{PUPIL_LEAVES_WHEN}|(?:efter|vid) {PUPIL_LEFT})",
        "action": "dispose",
        "trigger": "event",
        "trigger_event": "pupil_leaves",
    },
    {
        "name": "sv_dispose_on_new_version",
        "pattern": r"(?:{GALLRAS} )?{NEW_VERSION}",
        "action": "dispose",
        "trigger": "event",
        "trigger_event": "new_version",
    },
    {
        "name": "sv_dispose_on_consent_withdrawn",
        "pattern": r"{GALLRAS} {CONSENT_WITHDRAWN}",
        "action": "dispose",
        "trigger": "event",
        "trigger_event": "consent_withdrawn",
    },
    {
        "name": "sv_dispose_after_registration",
        "pattern": r"{GALLRAS} {REGISTERED}",
        "action": "dispose",
        "trigger": "event",
        "trigger_event": "registered",
        "description": "The paper or e-mail is disposed of once its content is registered in a system.",
    },
    {
        "name": "sv_dispose_after_scanning",
        "pattern": r"{GALLRAS} {SCANNED}",
        "action": "dispose",
        "trigger": "event",
        "trigger_event": "scanned",
    },
    {
        "name": "sv_dispose_after_transfer",
        "pattern": r"{GALLRAS} {TRANSFERRED}",
        "action": "dispose",
        "trigger": "event",
        "trigger_event": "transferred",
    },
    # ---- Swedish: transfer, review ----
    {
        "name": "sv_transfer",
        "pattern": r"(?:levereras|överlämnas|överförs|lämnas) till {ARCHIVE}",
        "action": "transfer",
    },
    {
        "name": "sv_transfer_after_period",
        "pattern": r"(?:levereras|överlämnas|överförs|lämnas) till {ARCHIVE} efter {PERIOD}",
        "action": "transfer",
        "period": _PERIOD,
        "trigger": "created",
    },
    # "Närarkiv 3 år, därefter arkivet" (a Kommentar cell): kept near the office, then delivered, never destroyed.
    {
        "name": "sv_transfer_after_near_archive",
        "pattern": (
            r"(?:(?:förvaras|sparas) (?:i )?)?närarkiv(?:et)? {PERIOD},? därefter (?:(?:levereras|till) )*{ARCHIVE}"
        ),
        "action": "transfer",
        "period": _PERIOD,
        "trigger": "created",
    },
    {
        "name": "sv_transfer_after_case_closed",
        "pattern": r"(?:levereras|överlämnas|överförs|lämnas) till {ARCHIVE} (?:efter )?{PERIOD}{FROM}{CASE_CLOSED}",
        "action": "transfer",
        "period": _PERIOD,
        "trigger": "case_closed",
    },
    {
        "name": "sv_review",
        "pattern": r"(?:omprövas|ses över|prövas på nytt|bedöms på nytt) (?:efter|om) {PERIOD}",
        "action": "review",
        "period": _PERIOD,
        "trigger": "created",
    },
    # ---- Swedish: known to need a person (low priority: any reading rule, and any user rule, comes first) ----
    {
        "name": "sv_unclear_retain_for_a_period",
        "pattern": r"bevaras (?:i |under )?(?:minst )?{PERIOD}(?: .*)?",
        "priority": 50,
        "description": "'Bevaras' means for ever; with a period it contradicts itself.",
    },
    {
        "name": "sv_unclear_dispose_without_when",
        "pattern": r"{GALLRAS}",
        "priority": 50,
        "description": "'Gallras' alone does not say when.",
    },
    {
        "name": "sv_unclear_dispose_see_remark",
        "pattern": r"{GALLRAS}\b.*{REMARK}",
        "priority": 50,
        "description": "The remark may limit the disposal, and a wrong disposal cannot be undone.",
    },
    {
        "name": "sv_unclear_see_elsewhere",
        "pattern": r"{SEE_REMARK}|se (?:nedan|ovan|bilaga.*)|enligt (?:särskilt |eget )?beslut.*"
        r"|bevaras/gallras|bevaras eller gallras|gallras eller bevaras|b/g",
        "priority": 50,
        "description": "The outcome is stated elsewhere.",
    },
    {
        "name": "sv_unclear_mixed_outcomes",
        "pattern": r".*\bbevara\w*\b.*\bgallra\w*\b.*|.*\bgallra\w*\b.*\bbevara\w*\b.*",
        "priority": 50,
        "description": "Two outcomes in one cell: a person decides which records get which.",
    },
    {
        "name": "sv_unclear_condition",
        "pattern": r".*\b(?:men|utom|förutom|dock|om|såvida|under förutsättning)\b.*",
        "priority": 50,
        "description": "A condition or an exception: a person decides.",
    },
    # ---- Polish: JRWA categories (kategoria archiwalna) ----
    {
        "name": "pl_category_a",
        "lang": "pl",
        "pattern": r"(?:{PL_CATEGORY} )?a(?: \((?:archiwalna|materiały archiwalne|materiał archiwalny)\)"
        r"|{SEP}materiały archiwalne)?",
        "action": "retain",
        "description": "A: materiały archiwalne, kept for ever and transferred to the state archive.",
    },
    {
        "name": "pl_category_b",
        "lang": "pl",
        "pattern": r"(?:{PL_CATEGORY} )?b(?: ?- ?| )?{N}",
        "action": "dispose",
        "period": "P{n}Y",
        "trigger": "case_closed",
        "align": "year_end",
        "description": "B5: disposed of 5 full years after 1 January of the year after the case was closed.",
    },
    {
        "name": "pl_category_be",
        "lang": "pl",
        "pattern": r"(?:{PL_CATEGORY} )?be(?: ?- ?| )?{N}",
        "action": "review",
        "period": "P{n}Y",
        "trigger": "case_closed",
        "align": "year_end",
        "description": "BE5: after 5 years the state archive's expert review decides (ekspertyza archiwalna).",
    },
    {
        "name": "pl_category_bc",
        "lang": "pl",
        "pattern": r"(?:{PL_CATEGORY} )?bc",
        "action": "dispose",
        "trigger": "obsolete",
        "description": "Bc: short-lived practical value, destroyed when no longer useful.",
    },
    # ---- Polish: phrases ----
    {
        "name": "pl_retain_for_ever",
        "lang": "pl",
        "pattern": r"materiały archiwalne|materiał archiwalny"
        r"|(?:przechowywać |przechowywana |przechowuje się |przechowywanie )?wieczyście",
        "action": "retain",
    },
    {
        "name": "pl_dispose_after_years",
        "lang": "pl",
        "pattern": r"{PL_DISPOSE_LEAD}?{PL_YEARS}(?:{PL_FROM_CASE_CLOSED}|{PL_FROM_NEXT_YEAR})?",
        "action": "dispose",
        "period": "P{n}Y",
        "trigger": "case_closed",
        "align": "year_end",
        "description": "As a B category: full calendar years from 1 January after the case was closed.",
    },
    {
        "name": "pl_dispose_after_one_year",
        "lang": "pl",
        "pattern": r"(?:brakowanie |zniszczenie )?po roku(?:{PL_FROM_CASE_CLOSED}|{PL_FROM_NEXT_YEAR})?",
        "action": "dispose",
        "period": "P1Y",
        "trigger": "case_closed",
        "align": "year_end",
    },
    {
        "name": "pl_dispose_after_short_period",
        "lang": "pl",
        "pattern": r"{PL_DISPOSE_LEAD}?{PL_SHORT_PERIOD}{PL_FROM_CASE_CLOSED}?",
        "action": "dispose",
        "period": _PERIOD,
        "trigger": "case_closed",
        "description": "Months, weeks or days run from the closing of the case, without calendar-year rounding.",
    },
    {
        "name": "pl_dispose_after_short_period_from_next_year",
        "lang": "pl",
        "pattern": r"{PL_DISPOSE_LEAD}?{PL_SHORT_PERIOD}{PL_FROM_NEXT_YEAR}",
        "action": "dispose",
        "period": _PERIOD,
        "trigger": "case_closed",
        "align": "year_end",
    },
    {
        "name": "pl_dispose_when_obsolete",
        "lang": "pl",
        "pattern": r"(?:{PL_DESTROY} )?(?:po utracie|do (?:czasu )?utraty) "
        r"(?:przydatności(?: praktycznej)?|ważności|aktualności)",
        "action": "dispose",
        "trigger": "obsolete",
    },
    {
        "name": "pl_dispose_after_employment",
        "lang": "pl",
        "pattern": r"{PL_DISPOSE_LEAD}?{PL_YEARS} (?:od|po) (?:ustaniu|ustania|zakończeniu|zakończenia|rozwiązaniu"
        r"|rozwiązania) (?:zatrudnienia|stosunku pracy)",
        "action": "dispose",
        "period": "P{n}Y",
        "trigger": "event",
        "trigger_event": "end_of_employment",
        "description": "Counted from the end of employment itself; the text gives no calendar-year rounding.",
    },
    {
        "name": "pl_dispose_after_year_end_of_employment",
        "lang": "pl",
        "pattern": r"{PL_DISPOSE_LEAD}?{PL_YEARS} od końca roku kalendarzowego,? w którym stosunek pracy"
        r" (?:uległ rozwiązaniu(?: lub wygasł)?|wygasł|ustał)",
        "action": "dispose",
        "period": "P{n}Y",
        "trigger": "event",
        "trigger_event": "end_of_employment",
        "align": "year_end",
        "description": "Kodeks pracy art. 94(4): personnel files, counted from the end of that calendar year.",
    },
    {
        "name": "pl_dispose_on_consent_withdrawn",
        "lang": "pl",
        "pattern": r"(?:{PL_DESTROY} )?(?:do (?:czasu |momentu )?|po )(?:wycofani[au]|cofnięci[au]) zgody",
        "action": "dispose",
        "trigger": "event",
        "trigger_event": "consent_withdrawn",
    },
    {
        "name": "pl_transfer",
        "lang": "pl",
        "pattern": r"{PL_TRANSFER}",
        "action": "transfer",
    },
    {
        "name": "pl_transfer_after_years",
        "lang": "pl",
        "pattern": r"{PL_TRANSFER} po {PL_YEARS}",
        "action": "transfer",
        "period": "P{n}Y",
        "trigger": "case_closed",
        "align": "year_end",
    },
    # ---- Polish: known to need a person ----
    {
        "name": "pl_unclear_category_without_years",
        "lang": "pl",
        "pattern": r"(?:{PL_CATEGORY} )?(?:b|be)",
        "priority": 50,
        "description": "B or BE without a number of years.",
    },
    {
        "name": "pl_unclear_alternatives",
        "lang": "pl",
        "pattern": r".*(?:\b(?:a|b ?\d*|be ?\d*|bc|trwale|wieczyście)|\d+(?: \w+)?) ?(?:/|\blub\b|\balbo\b) ?"
        r"(?:a\b|b|be|bc|\d|trwale|wieczyście).*",
        "priority": 50,
        "description": "Two categories, periods or outcomes ('A/BE10', 'B5 lub BE5', '5 lub 10 lat', '5 lat / Trwale'):"
        " a person decides. An 'or' between other words ('rolka/pamięć') is not an alternative.",
    },
    {
        "name": "pl_unclear_see_elsewhere",
        "lang": "pl",
        "pattern": r"(?:patrz|zob\.?|zobacz) (?:uwagi|uwagę|niżej)|nie dotyczy|według (?:decyzji|uwag).*",
        "priority": 50,
    },
)
