"""Column names real plans use, and how a header row maps onto `DocumentTypeData` fields.

Shared by every tabular reader (text, XLSX, ODS, CSV, DOCX) and by the exporters, so
that what we write is what we read. Labels are compared case- and diacritic-insensitively
after `normalize()`; the alias table below is the one place to teach Insyn a new column.

Nothing is dropped: a column that maps to no field (an unknown label, a second column for a
field, a blank header cell, a cell beyond the last header) is kept in `DocumentTypeData.extra`
under its label (`HeaderMap.extra_cells`), and the exporters write it back as a column.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

# Field keys a column can map to. Document type fields carry the `DocumentTypeData` name;
# structure fields are prefixed by their level; "format"/"storage" are resolved into the
# analog/digital pair by position; "process" holds "2.9.2.1 Publicera …" (code and name).
STRUCTURE_FIELDS = (
    "area_code",
    "area_name",
    "area_description",
    "group_code",
    "group_name",
    "group_description",
    "process_code",
    "process_name",
    "process_description",
    "activity",
)
RETENTION_FIELDS = ("action", "period", "trigger", "trigger_event", "align", "sampling")
DOCUMENT_FIELDS = (
    "name",
    "analog_format",
    "analog_storage",
    "digital_format",
    "digital_storage",
    "retention_text",
    "archival_format",
    "remarks",
    "legal_reference",
    "personal_data",
    "sorting",
    "delivery_deadline",
    "original_or_copy",
    "reference_code",
    "disposal_authority",
    "secrecy",
)
# Separate columns that together state the rule (each also alone): "Bevaras" and "Gallras" hold a mark
# (X, Ja/Nej), the period column when ("2 år", "vid inaktualitet"), and "Bevaras, levereras till arkiv
# efter" when retained records move to the archive. `rule_columns.combine_rule` reads them as one.
RULE_FIELDS = ("retention_text", "retain_mark", "dispose_mark", "rule_period", "retain_transfer")
# Our exports keep `retention_sources` in columns "retention_source.<label>", read back verbatim.
SOURCE_PREFIX = "retention_source."
# The label of a column that has none (a cell beyond the header, a blank header cell): "Kolumn H".
UNLABELLED = "Kolumn {letter}"

# The layout our exporters write, in order: (field, label). Every label is also an alias below.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("area_code", "Områdeskod"),
    ("area_name", "Verksamhetsområde"),
    ("area_description", "Områdesbeskrivning"),
    ("group_code", "Processgruppkod"),
    ("group_name", "Processgrupp"),
    ("group_description", "Processgruppbeskrivning"),
    ("process_code", "Processkod"),
    ("process_name", "Processnamn"),
    ("process_description", "Processbeskrivning"),
    ("activity", "Aktivitet"),
    ("name", "Handlingstyp"),
    ("analog_format", "Format analogt"),
    ("analog_storage", "Förvaring analog"),
    ("digital_format", "Format digitalt"),
    ("digital_storage", "Förvaring digital"),
    ("retention_text", "Bevaras/Gallras"),
    ("archival_format", "Format vid arkivering"),
    ("remarks", "Anmärkning"),
    ("legal_reference", "Lagrum"),
    ("personal_data", "Personuppgifter"),
    ("sorting", "Sorteringsform"),
    ("delivery_deadline", "Tidsfrist för leverans"),
    ("original_or_copy", "Original/Kopia"),
    ("reference_code", "Referens"),
    ("disposal_authority", "Gallringsföreskrift"),
    ("secrecy", "Sekretess"),
    *((f"retention_{key}", f"retention.{key}") for key in RETENTION_FIELDS),
)

_ALIASES: dict[str, tuple[str, ...]] = {
    "area_code": ("områdeskod", "verksamhetsområde kod", "area code"),
    "area_name": ("verksamhetsområde", "område", "områdesnamn", "area", "area name"),
    "area_description": ("områdesbeskrivning", "beskrivning verksamhetsområde", "area description"),
    "group_code": ("processgruppkod", "processgrupp kod", "group code"),
    "group_name": ("processgrupp", "processgruppnamn", "group", "group name"),
    "group_description": ("processgruppbeskrivning", "beskrivning processgrupp", "group description"),
    "process_code": ("processkod", "processnr", "processnummer", "process nr", "process code"),
    "process_name": ("processnamn", "process name"),
    "process": ("process", "processen"),
    "process_description": ("processbeskrivning", "beskrivning process", "process description"),
    "activity": ("aktivitet", "aktiviteter", "activity"),
    "name": (
        "handlingstyp",
        "handling",
        "handlingar",
        "rutin handling",
        "handlingsslag",
        "document type",
        "hasło klasyfikacyjne",
        "hasło",
        "hasła klasyfikacyjne",
    ),
    "format": ("format", "media", "medium"),
    "storage": ("förvaring", "förvaringsplats", "förvaras"),
    "analog_format": ("format analogt", "format analog", "analogt format", "analog format"),
    "analog_storage": ("förvaring analog", "förvaring analogt", "analog förvaring", "analog storage"),
    "digital_format": ("format digitalt", "format digital", "digitalt format", "digital format"),
    "digital_storage": ("förvaring digital", "förvaring digitalt", "digital förvaring", "digital storage"),
    "retention_text": (
        "bevaras/gallras",
        "bevaras gallras",
        "bevarande/gallring",
        "gallring",
        "retention",
        "kategoria archiwalna",
        "kategoria",
    ),
    "archival_format": ("format vid arkivering", "arkivformat", "archival format"),
    "remarks": ("anmärkning", "anmärkningar", "kommentar", "kommentarer", "uwagi", "remarks"),
    "legal_reference": ("lagrum", "legal reference"),
    "retain_mark": ("bevaras", "bevara", "ska bevaras"),
    "dispose_mark": ("gallras", "gallra", "ska gallras"),
    "rule_period": (
        "gallringsfrist",
        "gallras efter",
        "gallringstid",
        "bevarandetid",
        "lagringstid",
        "tid",
        "frist",
        "gallringsfrist tid",
    ),
    "retain_transfer": (
        "bevaras, levereras till arkiv efter",
        "bevaras, levereras till arkivet efter",
        "levereras till arkiv efter",
        "levereras till arkivet efter",
        "överlämnas till arkiv",
        "överlämnas till arkivet",
        "bevaras, överlämnas till arkiv",
    ),
    "reference_code": (
        "referens",
        "referenskod",
        "id dok",
        "dok id",
        "dokid",
        "dok nr",
        "dokumentnummer",
        "id",
        "nr",
        "reference code",
    ),
    "disposal_authority": (
        "gallringsföreskrift",
        "gallringsföreskrifter",
        "gallringsbeslut",
        "hänvisning till gallringsbeslut",
        "hänvisning till gallringsbeslut eller lagrum",
        "ra-fs/ föreskrift",
        "ra-fs",
        "föreskrift",
        "gallringsbeslut/föreskrift",
        "disposal authority",
    ),
    "secrecy": (
        "sekretess",
        "sekretessbestämmelse",
        "sekretessbestämmelser",
        "sekretess osl",
        "sekretess enligt osl",
        "secrecy",
    ),
    "personal_data": ("personuppgifter", "innehåller personuppgifter", "dane osobowe", "personal data"),
    "sorting": ("sorteringsform", "sortering", "sorting"),
    "delivery_deadline": ("tidsfrist för leverans", "leveransfrist", "delivery deadline"),
    "original_or_copy": ("original/kopia", "original eller kopia", "original or copy"),
    "jrwa_symbol": ("symbol klasyfikacyjny", "symbole klasyfikacyjne", "symbol", "symbol jrwa"),
}

_POLISH_LETTERS = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "æ": "ae", "ß": "ss"})
_MARKUP = re.compile(r"</?(?:i|b|u|em|strong)>", re.IGNORECASE)


_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# Cells repeat down a plan's columns ("Papper", "Bevaras"), so `normalize` and `clean` remember the
# results for short texts; long ones (remarks) are rarely repeated and would only fill the cache.
_CACHED_LENGTH = 200


def strip_markup(text: str) -> str:
    return _MARKUP.sub("", text)


def _normalize(label: str) -> str:
    text = unicodedata.normalize("NFKD", strip_markup(label).translate(_POLISH_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


_normalize_cached = functools.lru_cache(maxsize=8192)(_normalize)


def normalize(label: str) -> str:
    """'Bevaras/Gallras' → 'bevaras gallras'; 'Hasło' → 'haslo': lower case, no diacritics or punctuation."""
    return _normalize_cached(label) if len(label) <= _CACHED_LENGTH else _normalize(label)


ALIASES: dict[str, str] = {normalize(alias): key for key, aliases in _ALIASES.items() for alias in aliases}
ALIASES.update({normalize(label): key for key, label in EXPORT_COLUMNS})
ALIASES.update({normalize(key): key for key in (*STRUCTURE_FIELDS, *DOCUMENT_FIELDS)})

# Labels for error messages when the file has no such column.
DEFAULT_LABELS: dict[str, str] = dict(EXPORT_COLUMNS) | {
    "process": "Process",
    "jrwa_symbol": "Symbol klasyfikacyjny",
    "retain_mark": "Bevaras",
    "dispose_mark": "Gallras",
    "rule_period": "Gallringsfrist",
    "retain_transfer": "Bevaras, levereras till arkiv efter",
}


def _clean(text: str) -> str:
    value = strip_markup(text).strip()
    return "" if value in {"-", "–", "—"} else value


_clean_cached = functools.lru_cache(maxsize=8192)(_clean)


def clean(text: str) -> str:
    """A cell as data: markup gone, ends trimmed, '-' (the plans' sign for nothing) empty."""
    return _clean_cached(text) if len(text) <= _CACHED_LENGTH else _clean(text)


_NO_SPACE_AFTER_HYPHEN = re.compile(r"[^\W\d_]-$")
_KEEP_SPACE_WORDS = {"och", "eller", "samt", "resp", "respektive", "alternativt", "i", "oraz", "lub"}


def join_wrapped(first: str, rest: str) -> str:
    """Join a cell with its continuation line: one space, none after a hyphen inside a word.

    'informations-' + 'skrift' stays 'informations-skrift' as the source prints it; 'Post-' +
    'och telestyrelsen' keeps the space ('Post- och telestyrelsen').
    """
    first, rest = first.rstrip(), rest.strip()
    if not first or not rest:
        return first or rest
    next_word = re.split(r"[\s,.]", rest, maxsplit=1)[0].lower()
    if _NO_SPACE_AFTER_HYPHEN.search(first) and next_word not in _KEEP_SPACE_WORDS:
        return first + rest
    return f"{first} {rest}"


@dataclass
class HeaderMap:
    """A recognised header row: which column holds which field."""

    columns: dict[str, int]  # field → 0-based column index
    labels: list[str]  # the header cells as the file shows them
    width: int  # columns up to and including the last labelled one
    unmatched: list[str] = field(default_factory=list)  # labels of the `extra` columns
    # Columns that map to no field (unknown, repeated or unlabelled): (index, unique label), in order.
    extra: list[tuple[int, str]] = field(default_factory=list)
    # "retention_source.<label>" columns of our own exports: (index, label).
    sources: list[tuple[int, str]] = field(default_factory=list)
    used_labels: set[str] = field(default_factory=set)

    @property
    def is_jrwa(self) -> bool:
        return "jrwa_symbol" in self.columns

    def has(self, key: str) -> bool:
        return key in self.columns

    def value(self, cells: Sequence[str], key: str) -> str:
        index = self.columns.get(key)
        if index is None or index >= len(cells):
            return ""
        return clean(cells[index])

    def label(self, key: str) -> str:
        index = self.columns.get(key)
        if index is None:
            return DEFAULT_LABELS.get(key, key)
        return display_label(self.labels[index])

    def rule_keys(self) -> list[str]:
        """The rule columns this header has, in column order."""
        return sorted((key for key in RULE_FIELDS if key in self.columns), key=self.columns.__getitem__)

    def extra_cells(self, cells: Sequence[str]) -> dict[str, str]:
        """Every non-empty cell of a column that maps to no field, beyond the header too ("Kolumn H")."""
        found: dict[str, str] = {}
        for index, label in self.extra:
            if index < len(cells) and (text := clean(cells[index])):
                found[label] = text
        used = set(self.used_labels)
        for index in range(self.width, len(cells)):
            if text := clean(cells[index]):
                found[unique_label(UNLABELLED.format(letter=column_letter(index)), used)] = text
        return found

    def source_cells(self, cells: Sequence[str]) -> dict[str, str]:
        """The "retention_source.<label>" columns of our export, verbatim; {} when all are empty.

        An empty cell next to a filled one is kept: that "Bevaras" was empty is part of the rule.
        """
        found = {label: clean(cells[index]) if index < len(cells) else "" for index, label in self.sources}
        return found if any(found.values()) else {}


def display_label(label: str) -> str:
    """A header cell as a label: markup gone, whitespace collapsed."""
    return " ".join(strip_markup(label).split())


def unique_label(label: str, used: set[str]) -> str:
    """`label`, or "label (2)", "label (3)" … when a column before already has it; records it as used."""
    candidate, number = label, 1
    while candidate in used:
        number += 1
        candidate = f"{label} ({number})"
    used.add(candidate)
    return candidate


def _resolve_pairs(found: list[tuple[int, str]]) -> dict[str, int]:
    """First Format/Förvaring pair is analog, the second digital, unless named explicitly.

    A column whose field an earlier column already has is left out (it becomes an extra column).
    """
    columns: dict[str, int] = {}
    generic: dict[str, list[int]] = {"format": [], "storage": []}
    for index, key in found:
        if key in generic:
            generic[key].append(index)
        elif key not in columns:
            columns[key] = index
    for key, indexes in generic.items():
        free = [slot for slot in (f"analog_{key}", f"digital_{key}") if slot not in columns]
        for slot, index in zip(free, indexes, strict=False):
            columns[slot] = index
    return columns


def match_header(cells: Sequence[str]) -> HeaderMap | None:
    """The header map if `cells` is a header row: a document type (or JRWA symbol) column and one more."""
    # Quick reject, for every data row: fewer than two known labels, or none for the name column.
    known = [ALIASES[key] for key in map(normalize, cells) if key in ALIASES]
    if len(known) < 2 or "name" not in known:
        return None
    found: list[tuple[int, str]] = []
    sources: list[tuple[int, str]] = []
    width = 0
    for index, cell in enumerate(cells):
        key = normalize(cell)
        if not key:
            continue
        width = index + 1
        label = display_label(cell)
        if label.startswith(SOURCE_PREFIX) and len(label) > len(SOURCE_PREFIX):
            sources.append((index, label[len(SOURCE_PREFIX) :]))
        elif key in ALIASES:
            found.append((index, ALIASES[key]))
    if len(found) < 2 or "name" not in {key for _, key in found}:
        return None
    columns = _resolve_pairs(found)
    taken = {*columns.values(), *(index for index, _ in sources)}
    used: set[str] = set()
    extra: list[tuple[int, str]] = []
    for index in range(width):
        label = unique_label(display_label(cells[index]) or UNLABELLED.format(letter=column_letter(index)), used)
        if index not in taken:
            extra.append((index, label))
    return HeaderMap(
        columns=columns,
        labels=list(cells),
        width=width,
        unmatched=[label for _, label in extra],
        extra=extra,
        sources=sources,
        used_labels=used,
    )


def recognised_count(cells: Sequence[str]) -> int:
    """How many cells are known column names: to tell a header that lacks a required column."""
    return sum(1 for cell in cells if normalize(cell) in ALIASES)


def column_letter(index: int) -> str:
    """0 → 'A', 27 → 'AB': how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
