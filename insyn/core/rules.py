"""Pure rules without database access."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable


def _luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def is_valid_organisation_number(value: str, country: str = "SE") -> bool:
    """Swedish organisationsnummer (Luhn, third digit >= 2) or Polish REGON (9 or 14 digits, weighted checksum)."""
    digits = re.sub(r"[\s-]", "", value)
    if not digits.isdigit():
        return False
    if country == "SE":
        return len(digits) == 10 and int(digits[2]) >= 2 and _luhn_ok(digits)
    if country == "PL":
        if len(digits) == 9:
            weights = [8, 9, 2, 3, 4, 5, 6, 7]
        elif len(digits) == 14:
            weights = [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8]
        else:
            return False
        check = sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10
        return check == int(digits[-1])
    return False


def due_expiry_thresholds(
    valid_until: dt.date, today: dt.date, thresholds: Iterable[int], already_sent: Iterable[int]
) -> list[int]:
    """Thresholds (days before `valid_until`) that have been reached and not yet notified.

    When several are reached at once (the job did not run for a while, or the
    document was registered late), only the closest one deserves an e-mail; the
    others are returned too so that the caller marks them done without sending.
    """
    days_left = (valid_until - today).days
    sent = set(already_sent)
    return sorted((t for t in thresholds if days_left <= t and t not in sent), reverse=False)
