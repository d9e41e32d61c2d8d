"""Pure rules for officials: identity numbers, masking and text checks."""

from __future__ import annotations

import re

from personnummer import personnummer as pnr


def normalise_national_id(value: str) -> tuple[str, str]:
    """Validate a personnummer or samordningsnummer; return (YYYYMMDD-XXXX, scheme).

    Raises ValueError with a reason a person can act on.
    """
    try:
        parsed = pnr.Personnummer(value.strip())
    except (pnr.PersonnummerException, ValueError, TypeError) as exc:
        raise ValueError(f"not a valid personnummer or samordningsnummer: {value!r}") from exc
    full = parsed.format(True)  # YYYYMMDDXXXX
    scheme = "se_samordningsnummer" if parsed.is_coordination_number() else "se_personnummer"
    return f"{full[:8]}-{full[8:]}", scheme


def mask_national_id(value: str) -> str:
    """ÅÅMMDD-XXXX: the date part stays, the last four digits are hidden."""
    if not value:
        return ""
    digits = value.replace("-", "").replace("+", "")
    return f"{digits[-10:-4]}-XXXX"


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_CHARACTERS_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def has_control_characters(text: str, *, multiline: bool = False) -> bool:
    """True when `text` holds a control character (tab and line breaks are allowed in `multiline` text).

    No name holds one; a pasted one would break exports (XLSX cannot store it) and screen readers.
    """
    pattern = _CONTROL_CHARACTERS_BUT_LINES if multiline else _CONTROL_CHARACTERS
    return bool(pattern.search(text or ""))
