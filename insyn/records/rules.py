"""Pure helpers for retention plans."""

from __future__ import annotations

import re
import unicodedata

_ISO_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")


def is_iso_duration(value: str) -> bool:
    return bool(_ISO_DURATION.match(value))


def fold(text: str) -> str:
    """Lower-case without diacritics (å→a, ö→o, ł→l), for search that forgives missing letters."""
    if text.isascii():
        return text.lower()
    # Character by character (a table built as characters come), then lower-cased as a whole: the
    # same as decomposing the whole text, since only combining marks, all dropped, are reordered.
    return text.translate(_UNMARKED).lower()


class _Unmarked(dict[int, str]):
    """A character without its diacritics (NFKD, combining marks dropped; ł → l), computed once."""

    def __missing__(self, code: int) -> str:
        char = chr(code).replace("ł", "l").replace("Ł", "L")
        value = "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        if len(self) < 20_000:  # bounded, whatever a file holds
            self[code] = value
        return value


_UNMARKED = _Unmarked()
for _code in range(0x250):  # Latin, filled in advance; other characters as they come
    _UNMARKED[_code]
