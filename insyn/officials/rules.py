"""Pure rules for officials: identity numbers and masking."""

from __future__ import annotations

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
