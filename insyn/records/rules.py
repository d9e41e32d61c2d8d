"""Pure helpers for retention plans."""

from __future__ import annotations

import re
import unicodedata

_ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")


def is_iso_duration(value: str) -> bool:
    return bool(_ISO_DURATION.match(value))


def fold(text: str) -> str:
    """Lower-case without diacritics (å→a, ö→o, ł→l), for search that forgives missing letters."""
    text = text.replace("ł", "l").replace("Ł", "L")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
