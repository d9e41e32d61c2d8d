"""Retention rules for people: the structured rule in words and the retention text with its read span marked.

Used by the import preview and the admin pages of plans and document types, so the archivist sees
one wording everywhere. Pure functions: no database (the caller passes the grammar rules).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from insyn.records.models import RetentionAction, RetentionAlign, RetentionTrigger
from insyn.records.plandata import RetentionData
from insyn.records.retention import GrammarRule
from insyn.records.retention_reader import RetentionReading, read_retention

_DURATION = re.compile(r"^P(?:(?P<Y>\d+)Y)?(?:(?P<M>\d+)M)?(?:(?P<W>\d+)W)?(?:(?P<D>\d+)D)?$")


def period_words(period: str | None) -> str:
    """ "P7Y" → "7 years" (in the active language); anything else as written."""
    found = _DURATION.match(period or "")
    if not period or not found:
        return period or ""
    words = {
        "Y": lambda n: ngettext("%(n)d year", "%(n)d years", n),
        "M": lambda n: ngettext("%(n)d month", "%(n)d months", n),
        "W": lambda n: ngettext("%(n)d week", "%(n)d weeks", n),
        "D": lambda n: ngettext("%(n)d day", "%(n)d days", n),
    }
    parts = [words[unit](int(n)) % {"n": int(n)} for unit, n in found.groupdict().items() if n]
    return " ".join(parts) or period


def _value(rule: Any, name: str) -> Any:
    return rule.get(name) if isinstance(rule, dict) else getattr(rule, name, None)


def retention_words(rule: Any) -> str:
    """A structured rule (RetentionData, a DocumentType or a dict of their fields) in words."""
    if rule is None:
        return ""
    action = _value(rule, "action") or "unclear"
    parts = [str(RetentionAction(action).label) if action in RetentionAction.values else action]
    if period := _value(rule, "period"):
        parts.append(_("after %(period)s") % {"period": period_words(period)})
    trigger = _value(rule, "trigger") or "none"
    if trigger != "none":
        label = str(RetentionTrigger(trigger).label) if trigger in RetentionTrigger.values else trigger
        if event := _value(rule, "trigger_event"):
            label = f"{label} ({str(event).replace('_', ' ')})"
        parts.append(_("counted from: %(trigger)s") % {"trigger": label})
    if (_value(rule, "align") or "none") == "year_end":
        parts.append(str(RetentionAlign.YEAR_END.label))
    if sampling := _value(rule, "sampling"):
        parts.append(_("sampling: %(sampling)s") % {"sampling": sampling})
    return ", ".join(parts)


def mark_spans(text: str, spans: Iterable[Any]) -> SafeString:
    """`text` escaped, each span (character offsets into `text`) wrapped in <mark>."""
    text = text or ""
    ranges = sorted(
        (max(0, int(_value(span, "start"))), min(len(text), int(_value(span, "end")))) for span in spans or ()
    )
    merged: list[list[int]] = []
    for start, end in ranges:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[str] = []
    at = 0
    for start, end in merged:
        pieces.append(conditional_escape(text[at:start]))
        pieces.append(format_html('<mark class="retention-span">{}</mark>', text[start:end]))
        at = end
    pieces.append(conditional_escape(text[at:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece above is escaped


def same_rule(a: Any, b: Any) -> bool:
    fields = ("action", "period", "trigger", "trigger_event", "align", "sampling")

    def norm(rule: Any) -> tuple[Any, ...]:
        return tuple(_value(rule, name) or None for name in fields)

    return norm(a) == norm(b)


def reading_of(text: str, lang: str, rules: Iterable[GrammarRule] = ()) -> RetentionReading:
    return read_retention(text or "", lang, rules)


def spans_for(text: str, rule: Any, lang: str, rules: Iterable[GrammarRule] = ()) -> list[Any]:
    """The spans the reading of `text` rests on, when that reading is the rule stored (else none: set by hand)."""
    if not text:
        return []
    reading = reading_of(text, lang, rules)
    return list(reading.spans) if same_rule(reading.retention, rule) else []


def distinct_candidates(reading: RetentionReading) -> list[RetentionData]:
    """The different rules a reading found, in the order found: what an archivist may choose from."""
    out: list[RetentionData] = []
    for candidate in reading.candidates:
        if candidate.retention.action == "unclear":
            continue
        if not any(asdict(candidate.retention) == asdict(known) for known in out):
            out.append(candidate.retention)
    return out


def plan_language(plan: Any) -> str:
    """The language the plan's retention texts are read in: JRWA plans are Polish."""
    return "pl" if getattr(plan, "classification", "sv") == "jrwa" else "sv"


# A document type's other fields, shown as a label/value list next to its rule, in this order.
DETAIL_FIELDS = (
    "reference_code",
    "disposal_authority",
    "secrecy",
    "legal_reference",
    "archival_format",
    "personal_data",
    "sorting",
    "delivery_deadline",
    "original_or_copy",
)


def _detail_label(name: str) -> str:
    from insyn.records.models import DocumentType

    try:
        return capfirst(str(getattr(DocumentType._meta.get_field(name), "verbose_name", name)))
    except FieldDoesNotExist:
        return name


def detail_items(row: Any) -> list[tuple[str, str]]:
    """The other fields of a row (DocumentTypeData or DocumentType) that hold something, as (label, value)."""
    items = []
    for name in DETAIL_FIELDS:
        value = getattr(row, name, None)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = _("Yes") if value else _("No")
        items.append((_detail_label(name), str(value)))
    return items
