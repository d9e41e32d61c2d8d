"""Column headings of registers as municipalities keep them, and how a header row maps onto `ActivityData`.

Shared by the importer and the exporters (what we write is what we read). Headings are compared case- and
diacritics-insensitively (`insyn.records.importers.columns.normalize`): "Rättslig grund", "RATTSLIG GRUND" and
"rättslig grund:" are one heading. The aliases below are the one place to teach Insyn a new heading.

Sources of the headings: seed 003 (Södertälje Kommunstyrelsen's register), the Art. 30(1) wording
(ändamål, kategorier av registrerade, mottagare, tidsfrister för radering …), the headings municipalities
and authorities publish (see `tests/fixtures/SOURCES.md`) and English ones of RoPA templates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Literal

from insyn.privacy.activity_data import LegalBasisData, TransferData
from insyn.records.importers.columns import normalize

# Field keys a column can map to (each maps onto one or more `ActivityData` keys in `importing`).
FIELDS = (
    "name",
    "description",
    "purposes",
    "subjects",
    "data",
    "sensitive",
    "legal_basis",
    "legal_reference",
    "retention",
    "recipients",
    "processors",
    "sources",
    "transfers",
    "systems",
    "security",
    "owning_unit",
    "contact",
    "joint_controllers",
    "dpia",
)

# The layout of the export (SKR's template's columns as Swedish municipalities fill them in), in order.
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Behandlingsaktivitet"),
    ("purposes", "Ändamål med behandlingen"),
    ("subjects", "Kategorier av registrerade"),
    ("data", "Kategorier av personuppgifter"),
    ("sensitive", "Känsliga personuppgifter"),
    ("legal_basis", "Rättslig grund"),
    ("legal_reference", "Lagrum"),
    ("retention", "Lagringstid"),
    ("recipients", "Mottagare"),
    ("processors", "Personuppgiftsbiträden"),
    ("sources", "Källa som personuppgifter samlas in från"),
    ("transfers", "Överföring tredje land"),
    ("systems", "IT-system"),
    ("security", "Säkerhetsåtgärder"),
    ("owning_unit", "Ansvarig enhet"),
    ("contact", "Kontaktperson"),
    ("joint_controllers", "Gemensamt personuppgiftsansvar"),
    ("dpia", "Konsekvensbedömning"),
    ("description", "Beskrivning"),
)
WARNINGS_COLUMN = "Varningar"

_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "Behandlingsaktivitet",
        "Behandling",
        "Behandlingar",
        "Behandlingens namn",
        "Personuppgiftsbehandling",
        "Namn på behandlingen",
        "Benämning",
        "Processing activity",
        "Processing",
        "Activity",
        "Activity name",
        "Name",
    ),
    "description": ("Beskrivning", "Beskrivning av behandlingen", "Description"),
    "purposes": (
        "Ändamål med behandlingen",
        "Ändamål",
        "Ändamålen med behandlingen",
        "Syfte",
        "Syfte med behandlingen",
        "Purpose",
        "Purposes",
        "Purpose of processing",
    ),
    "subjects": (
        "Kategorier av registrerade",
        "Kategori av registrerade",
        "Kategori registrerad",
        "Kategorier av registrerade personer",
        "Registrerade",
        "De registrerade",
        "Data subjects",
        "Categories of data subjects",
        "Data subject categories",
    ),
    "data": (
        "Kategorier av personuppgifter",
        "Kategori av personuppgifter",
        "Personuppgifter",
        "Typ av personuppgifter",
        "Personuppgiftstyper",
        "Categories of personal data",
        "Personal data categories",
        "Personal data",
    ),
    "sensitive": (
        "Känsliga personuppgifter",
        "Känsliga uppgifter",
        "Särskilda kategorier av personuppgifter",
        "Special categories",
        "Special categories of personal data",
    ),
    "legal_basis": (
        "Rättslig grund",
        "Laglig grund",
        "Rättslig grund för behandlingen",
        "Laglig grund för behandlingen",
        "Laglighet",
        "Rättsliga grunder",
        "Legal basis",
        "Lawful basis",
        "Legal basis for processing",
    ),
    "legal_reference": ("Lagrum", "Lagstöd", "Rättsligt stöd", "Law reference", "Legal reference"),
    "retention": (
        "Lagringstid",
        "Gallring",
        "Gallras",
        "Gallringsfrist",
        "Bevarande och gallring",
        "Tidsfrister för radering",
        "Tidsfrist för radering",
        "Retention",
        "Retention period",
        "Time limits for erasure",
    ),
    "recipients": (
        "Mottagare",
        "Kategorier av mottagare",
        "Kategorier av mottagare av personuppgifterna",
        "Skickas till",
        "Utlämnas till",
        "Recipients",
        "Categories of recipients",
    ),
    "processors": ("Personuppgiftsbiträde", "Personuppgiftsbiträden", "Biträde", "Processor", "Processors"),
    "sources": (
        "Källa som personuppgifter samlas in från",
        "Källa",
        "Källor",
        "Hämtas från",
        "Varifrån uppgifterna hämtas",
        "Insamling",
        "Source",
        "Sources",
        "Source of the data",
    ),
    "transfers": (
        "Överföring tredje land",
        "Överföring till tredje land",
        "Överföring av personuppgifter till tredje land",
        "Tredjelandsöverföring",
        "Överföring till tredjeland",
        "Third-country transfers",
        "Transfers to third countries",
        "Third country transfer",
    ),
    "systems": ("IT-system", "System", "Informationsbärare", "Systemstöd", "Systems", "IT systems"),
    "security": (
        "Säkerhetsåtgärder",
        "Tekniska och organisatoriska säkerhetsåtgärder",
        "Security measures",
        "Technical and organisational security measures",
    ),
    "owning_unit": ("Ansvarig enhet", "Enhet", "Förvaltning", "Verksamhet", "Owning unit", "Department"),
    "contact": ("Kontaktperson", "Kontakt", "Ansvarig", "Contact"),
    "joint_controllers": (
        "Gemensamt personuppgiftsansvar",
        "Gemensamt personuppgiftsansvariga",
        "Joint controllers",
    ),
    "dpia": ("Konsekvensbedömning", "DPIA", "Konsekvensbedömning avseende dataskydd", "Data protection impact"),
}

ALIASES: dict[str, str] = {normalize(alias): key for key, aliases in _ALIASES.items() for alias in aliases}
ALIASES.update({normalize(label): key for key, label in EXPORT_COLUMNS})
# Headings that say "this is a register" on their own; a header row needs the name and two others.
_MIN_KNOWN = 3


def field_of(label: str) -> str | None:
    """The field a heading maps to, or None. A trailing ":" or "*" (required-field marks) does not count."""
    return ALIASES.get(normalize(label))


def match_header(cells: Sequence[str]) -> dict[int, str] | None:
    """{column index: field} when `cells` is a header row (the activity's name and two more known headings)."""
    found: dict[int, str] = {}
    for index, cell in enumerate(cells):
        key = field_of(cell) if cell and len(cell) < 200 else None
        if key is not None and key not in found.values():
            found[index] = key
    if "name" in found.values() and len(found) >= _MIN_KNOWN:
        return found
    return None


# -- Cell texts ---------------------------------------------------------------------------------
# Registers are written by people: lists separated by commas, semicolons, line breaks or bullets; legal
# bases by their Swedish names ("Allmänt intresse och samtycke" is two); "Nej" for no transfer. Matching is
# on the normalised text with spaces removed, so a hyphenated line break ("Intresseav-vägning") still reads.

_SEPARATORS = {",", ";", "\n", "•", "·"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ])")


def split_items(text: str, *, sentences: bool = False) -> list[str]:
    """A cell's list items: split at , ; line breaks and bullets outside parentheses (with `sentences`:
    at line breaks and sentence ends only, since purposes are prose)."""
    if not text.strip():
        return []
    parts: list[str] = []
    if sentences:
        parts = [part for line in text.splitlines() for part in _SENTENCE_END.split(line)]
    else:
        current: list[str] = []
        depth = 0
        for char in text:
            if char in "([":
                depth += 1
            elif char in ")]":
                depth = max(0, depth - 1)
            if char in _SEPARATORS and depth == 0:
                parts.append("".join(current))
                current = []
            else:
                current.append(char)
        parts.append("".join(current))
    items: list[str] = []
    for part in parts:
        item = part.strip().strip("-–*").strip()
        if not sentences:
            item = item.rstrip(".").strip()
            if normalize(item).startswith("och "):  # "…, och X"
                item = item[4:].strip()
        if item and item not in items:
            items.append(item)
    return items


def _squeeze(text: str) -> str:
    return normalize(text).replace(" ", "")


# (phrase as squeezed normalised text, article); longer phrases first so "uppgift av allmänt intresse" is one.
_BASIS_PHRASES: tuple[tuple[str, str], ...] = tuple(
    (_squeeze(phrase), article)
    for phrase, article in (
        ("Uppgift av allmänt intresse", "6.1.e"),
        ("Allmänt intresse", "6.1.e"),
        ("Myndighetsutövning", "6.1.e"),
        ("Public interest", "6.1.e"),
        ("Public task", "6.1.e"),
        ("Official authority", "6.1.e"),
        ("Rättslig förpliktelse", "6.1.c"),
        ("Rättslig förpliktelser", "6.1.c"),
        ("Laglig förpliktelse", "6.1.c"),
        ("Rättlig förpliktelse", "6.1.c"),  # a spelling seen on a municipality's page (SOURCES.md)
        ("Rättslig skyldighet", "6.1.c"),
        ("Legal obligation", "6.1.c"),
        ("Avtal", "6.1.b"),
        ("Contract", "6.1.b"),
        ("Samtycke", "6.1.a"),
        ("Consent", "6.1.a"),
        ("Intresseavvägning", "6.1.f"),
        ("Berättigat intresse", "6.1.f"),
        ("Berättigade intressen", "6.1.f"),
        ("Legitimate interest", "6.1.f"),
        ("Grundläggande intresse", "6.1.d"),
        ("Vital interest", "6.1.d"),
    )
)
_ARTICLE = re.compile(r"6\s*[.(]?\s*1\s*[.)]?\s*[.(]?\s*([a-f])\b", re.IGNORECASE)
_PARENTHESES = re.compile(r"\(([^()]*)\)")


def _phrase_pattern(squeezed: str) -> re.Pattern[str]:
    """The phrase at a word start in normalised text, a space allowed between any two letters (line breaks)."""
    return re.compile(r"(?<![a-z0-9])" + r" ?".join(map(re.escape, squeezed)))


_BASIS_PATTERNS = tuple((_phrase_pattern(phrase), article) for phrase, article in _BASIS_PHRASES)


def legal_bases_of(text: str, *, reference: str = "") -> tuple[list[LegalBasisData], str]:
    """(bases in the order the text names them, the text when no basis was read, else "").

    A law reference in parentheses ("Rättslig förpliktelse (bokföringslagen)") or from a separate "Lagrum"
    column goes to every basis read; the whole cell stays in `legal_basis_text`.
    """
    normal = normalize(_PARENTHESES.sub(" ", text))
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, article in _BASIS_PATTERNS:
        for match in pattern.finditer(normal):
            if not any(a <= match.start() < b for a, b in taken):
                taken.append(match.span())
                found.append((match.start(), article))
    for match in _ARTICLE.finditer(text):
        found.append((10_000 + match.start(), f"6.1.{match.group(1).lower()}"))
    articles: list[str] = []
    for _position, article in sorted(found):
        if article not in articles:
            articles.append(article)
    law = law_reference_of(text, reference=reference)[:LAW_REFERENCE_LIMIT]
    bases: list[LegalBasisData] = [{"article": article, "reference": law} for article in articles]
    return bases, ("" if bases else text)


LAW_REFERENCE_LIMIT = 500  # LegalBasis.reference


def law_reference_of(text: str, *, reference: str = "") -> str:
    """The law reference every basis read gets, whole: the "Lagrum" column and the notes in parentheses
    (the importer compares it with LAW_REFERENCE_LIMIT to report what a basis cannot hold)."""
    note = "; ".join(part.strip() for part in _PARENTHESES.findall(text) if part.strip())
    return "; ".join(part for part in (reference.strip(), note) if part)


_SOURCE_WORDS: tuple[tuple[str, str], ...] = tuple(
    (_squeeze(words), kind)
    for words, kind in (
        ("Individen själv", "subject"),
        ("Den registrerade", "subject"),
        ("Registrerade själv", "subject"),
        ("Den enskilde", "subject"),
        ("The data subject", "subject"),
        ("Skatteverket", "public_registers"),
        ("Navet", "public_registers"),
        ("Folkbokföring", "public_registers"),
        ("Offentliga register", "public_registers"),
        ("Public register", "public_registers"),
        ("Myndighet", "authorities"),
        ("Authorit", "authorities"),
        ("Genereras internt", "internal"),
        ("Internt", "internal"),
        ("Internal", "internal"),
        ("Tredje part", "third_party"),
        ("Andra aktörer", "third_party"),
        ("Third part", "third_party"),
    )
)


def sources_of(text: str) -> list[str]:
    """SourceKind values a "Källa" cell names, in the order of `SourceKind`, each once."""
    squeezed = _squeeze(text)
    found = {kind for words, kind in _SOURCE_WORDS if words in squeezed}
    return [kind for kind in ("subject", "authorities", "public_registers", "internal", "third_party") if kind in found]


_NO_TRANSFER = {
    _squeeze(word) for word in ("Nej", "Ingen", "Inga", "No", "None", "Nej.", "-", "–", "Ej aktuellt", "N/A")
}
_NO_TRANSFER_START = tuple(_squeeze(word) for word in ("Nej ", "Ingen ", "Inga ", "No ", "Sker ej", "Förekommer ej"))
_COUNTRIES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(r"(?<![a-z0-9])" + re.escape(normalize(name)) + r"(?![a-z0-9])"), code)
    for name, code in (
        ("Förenta staterna", "US"),
        ("United States", "US"),
        ("USA", "US"),
        ("Storbritannien", "GB"),
        ("United Kingdom", "GB"),
        ("Kanada", "CA"),
        ("Canada", "CA"),
        ("Schweiz", "CH"),
        ("Switzerland", "CH"),
        ("Japan", "JP"),
        ("Sydkorea", "KR"),
        ("Israel", "IL"),
        ("Nya Zeeland", "NZ"),
        ("Indien", "IN"),
        ("India", "IN"),
        ("Kina", "CN"),
        ("China", "CN"),
        ("Australien", "AU"),
        ("Australia", "AU"),
        ("Ukraina", "UA"),
        ("Serbien", "RS"),
        ("Turkiet", "TR"),
        ("Singapore", "SG"),
        ("Filippinerna", "PH"),
        ("Brasilien", "BR"),
    )
)
_MECHANISMS: tuple[tuple[str, str], ...] = tuple(
    (_squeeze(words), mechanism)
    for words, mechanism in (
        ("Adekvansbeslut", "adequacy"),
        ("Adekvat skyddsnivå", "adequacy"),
        ("Data Privacy Framework", "adequacy"),
        ("DPF", "adequacy"),
        ("Adequacy", "adequacy"),
        ("Standardavtalsklausul", "sccs"),
        ("Standardavtalsklausuler", "sccs"),
        ("Standard contractual clauses", "sccs"),
        ("SCC", "sccs"),
        ("Bindande företagsbestämmelser", "bcrs"),
        ("Binding corporate rules", "bcrs"),
        ("BCR", "bcrs"),
        ("Artikel 49", "derogation"),
        ("Article 49", "derogation"),
        ("Art 49", "derogation"),
    )
)


_CODE = re.compile(r"(?<![A-Za-z])([A-Z]{2})(?![A-Za-z])")


def transfers_of(text: str) -> tuple[list[TransferData], bool]:
    """(transfers, readable): "Nej" is none; each country named is one transfer with the mechanism the text
    names ("" when none). `readable` is False when a transfer seems stated but no country was recognised."""
    normal = normalize(text)
    if not normal or normal in _NO_TRANSFER or normal.startswith(_NO_TRANSFER_START):
        return [], True
    squeezed = normal.replace(" ", "")
    mechanism: Any = next((found for words, found in _MECHANISMS if words in squeezed), "")
    transfers: list[TransferData] = []
    codes = set(_CODE.findall(text))  # "US (adekvansbeslut)": the export writes ISO codes in capitals
    for pattern, code in _COUNTRIES:
        if (pattern.search(normal) or code in codes) and all(item["country"] != code for item in transfers):
            transfers.append({"country": code, "mechanism": mechanism, "mechanism_reference": text[:300]})
    return transfers, bool(transfers)


_DONE_WORDS = {"genomford", "utford", "gjord", "klar", "done"}


def dpia_read(text: str) -> tuple[Literal["", "not_needed", "needed", "done"], bool]:
    """(DpiaNeed of a "Konsekvensbedömning" cell, whether that is all the cell says).

    "Ja, gjord 2023 dnr KS 2023/12" is "done" but not whole: the date and the diary number are more than a
    need can hold, so the importer keeps the cell in `extra` and reports it. Need "" when it cannot be told."""
    words = re.sub(r"[^\w\s/]", " ", normalize(text)).split()
    first = words[0] if words else ""
    if first in {"nej", "no"}:
        return "not_needed", len(words) == 1
    for phrase in (["behovs", "inte"], ["not", "needed"], ["ej", "nodvandig"]):
        if words[:2] == phrase:
            return "not_needed", len(words) == 2
    if first in _DONE_WORDS:
        return "done", len(words) == 1
    if first in {"ja", "yes"} and len(words) > 1 and words[1] in _DONE_WORDS:
        return "done", len(words) == 2
    if first in {"ja", "yes", "behovs", "needed"}:
        return "needed", len(words) == 1
    return "", False


def dpia_of(text: str) -> Literal["", "not_needed", "needed", "done"]:
    """DpiaNeed of a "Konsekvensbedömning" cell ("" when it cannot be told: the text goes to `extra`)."""
    return dpia_read(text)[0]
