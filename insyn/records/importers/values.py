"""Cell values that must mean something: dates, yes/no, structured retention, adoption lines.

Each function raises `ValueError` with a message; the readers turn it into a `PlanFileError`
naming the file, row and column.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

from insyn.records.importers.columns import normalize
from insyn.records.plandata import RetentionData

ACTIONS = ("retain", "dispose", "review", "transfer", "unclear")
TRIGGERS = ("created", "case_closed", "event", "obsolete", "none")
ALIGNS = ("none", "year_end")
CLASSIFICATIONS = ("sv", "jrwa")
_DURATION = re.compile(r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")


class CellValueError(ValueError):
    """A value that does not fit its column; `key` names the field (e.g. "retention_period")."""

    def __init__(self, message: str, *, key: str) -> None:
        super().__init__(message)
        self.key = key


_YES = {"ja", "j", "x", "yes", "y", "true", "1", "tak", "t"}
_NO = {"nej", "n", "no", "false", "0", "nie"}


def iso_date(value: str) -> str:
    """'2016-11-28', '2016-11-28 00:00:00' or '28.11.2016' → '2016-11-28'."""
    text = value.strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?", text)
    if match:
        year, month, day = match.groups()
    else:
        match = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        if not match:
            raise ValueError(_("%(value)s is not a date (YYYY-MM-DD)") % {"value": repr(value)})
        day, month, year = match.groups()
    try:
        return datetime.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        raise ValueError(_("%(value)s is not a valid date") % {"value": repr(value)}) from None


def yes_no(value: str) -> bool | None:
    """Personuppgifter: ja/nej/x/yes/no/true/false (and tak/nie); empty is unknown."""
    key = normalize(value)
    if not key:
        return None
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise ValueError(_("%(value)s is neither yes nor no (ja/nej)") % {"value": repr(value)})


def yes_no_text(value: bool | None) -> str:
    return "" if value is None else ("ja" if value else "nej")


def check_retention(retention: RetentionData) -> RetentionData:
    """Refuse values outside the contract's vocabulary; returns the object for chaining."""
    checks = (
        ("action", retention.action, ACTIONS),
        ("trigger", retention.trigger, TRIGGERS),
        ("align", retention.align, ALIGNS),
    )
    for key, value, allowed in checks:
        if value not in allowed:
            message = _("retention %(key)s %(value)s is not one of %(allowed)s")
            raise CellValueError(message % {"key": key, "value": repr(value), "allowed": ", ".join(allowed)}, key=key)
    if retention.period is not None and not _DURATION.match(retention.period):
        message = _("retention period %(period)s is not an ISO 8601 duration such as P2Y")
        raise CellValueError(message % {"period": repr(retention.period)}, key="period")
    return retention


def retention_from_cells(cells: dict[str, str]) -> RetentionData | None:
    """The structured retention columns our exports write (`retention.action` …); None when empty."""
    if not any(cells.values()):
        return None
    if not cells.get("action"):
        message = _("retention.action is empty while other retention columns are filled")
        raise CellValueError(message, key="action")
    return check_retention(
        RetentionData(
            action=cells["action"],
            period=cells.get("period") or None,
            trigger=cells.get("trigger") or "none",
            trigger_event=cells.get("trigger_event") or None,
            align=cells.get("align") or "none",
            sampling=cells.get("sampling") or None,
        )
    )


def retention_to_cells(retention: RetentionData | None) -> dict[str, str]:
    if retention is None:
        return {}
    return {
        "action": retention.action,
        "period": retention.period or "",
        "trigger": retention.trigger,
        "trigger_event": retention.trigger_event or "",
        "align": retention.align,
        "sampling": retention.sampling or "",
    }


_DECISION = re.compile(
    r"^(?P<by>.*?)[\s,]*(?P<date>\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:[\s,]*§\s*(?P<paragraph>[\w.:/-]+))?[\s,.]*$"
)


def decision(value: str) -> tuple[str, str, str]:
    """'Kommunstyrelsen, 2016-11-28 § 208' → ('Kommunstyrelsen', '2016-11-28', '§ 208')."""
    match = _DECISION.match(" ".join(value.split()))
    if not match:
        raise ValueError(_("%(value)s does not read as 'organ, YYYY-MM-DD § N'") % {"value": repr(value)})
    paragraph = f"§ {match['paragraph']}" if match["paragraph"] else ""
    return match["by"].strip(" ,"), iso_date(match["date"]), paragraph
