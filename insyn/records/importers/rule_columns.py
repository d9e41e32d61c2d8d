"""One retention rule from the separate columns a plan states it in.

Many Swedish plans do not write "Gallras 2 år" in one cell. They have a column per part:

    Process | Handlingstyp | Bevaras | Gallras | Gallringsfrist | Anmärkning
            | Faktura      |         |    X    | 2 år           |

or "Bevaras/Gallras" + "Gallringsfrist", or "Bevaras, levereras till arkiv efter". `combine_rule`
reads one row's cells of those columns (`columns.RULE_FIELDS`) as one rule:

- a mark (X, x, Ja, ✓, 1) under "Bevaras" means retain, under "Gallras" dispose; "Nej" means the
  opposite; any other text in a mark column is read with the column's word before it
  ("i urval" under "Bevaras" is "Bevaras i urval");
- the period column says when ("2 år", "vid inaktualitet"); a period alone is a disposal;
- "Bevaras, levereras till arkiv efter" + "5 år" is a retain rule that says when the records move.

The result is a readable `retention_text` ("Gallras 2 år") that the retention parser reads like any
other, and `retention_sources` with every cell verbatim. When the columns disagree (both marks, or
a retain mark with a disposal period) nothing is guessed: the rule is unclear and an
`ImportWarning` names the two cells.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from insyn.records.importers.columns import HeaderMap, normalize
from insyn.records.plandata import ImportWarning, RetentionData

_MARK_YES = {"x", "ja", "j", "yes", "y", "1", "✓", "✔", "☑", "☒", "✗", "✘", "*", "•"}
_MARK_NO = {"nej", "n", "no", "0"}
# Matched on `normalize()`d text (lower case, no diacritics or punctuation).
_RETAIN = re.compile(
    r"\b(?:bevara(?:s|nde)?|arkiveras|(?:ska|skall|far) (?:ej|inte) gallras|gallras (?:ej|inte|nej)|ingen gallring)\b"
)
_DISPOSE = re.compile(r"\b(?:gallr\w*|raderas|rensas|forstors|destrueras|tas bort)\b")
_WORDS = {"retain": "Bevaras", "dispose": "Gallras"}
_MARK_MEANING = {"retain_mark": "retain", "dispose_mark": "dispose"}
_OPPOSITE = {"retain": "dispose", "dispose": "retain"}


@dataclass
class CombinedRule:
    text: str  # the readable combination, for `retention_text`
    sources: dict[str, str] = field(default_factory=dict)  # label → cell, verbatim; empty for one column
    retention: RetentionData | None = None  # set (unclear) only when the columns disagree
    warning: ImportWarning | None = None


def is_mark(text: str) -> bool:
    return text.strip().lower() in _MARK_YES | _MARK_NO


def stated_action(text: str) -> str | None:
    """'retain' or 'dispose' when the text says so in words; None when it says neither or both."""
    key = normalize(text)
    if _RETAIN.search(key):
        rest = _RETAIN.sub(" ", key)
        return None if _DISPOSE.search(rest) else "retain"
    return "dispose" if _DISPOSE.search(key) else None


@functools.lru_cache(maxsize=4096)  # a plan repeats a handful of period texts thousands of times
def _parsed_action(text: str, label: str) -> str | None:
    from insyn.records.retention import parse_retention

    action = parse_retention(text, "sv", column=label).action
    return action if action in ("retain", "dispose") else None


def _with_word(word: str, text: str) -> str:
    """'i urval' under "Bevaras" → 'Bevaras i urval'; a text that names its action stays as it is."""
    if stated_action(text) is not None:
        return text
    return f"{word} {text}"


def _transfer_text(label: str, text: str) -> str:
    """'Bevaras, levereras till arkiv efter' + '5 år'; a label without "bevaras" gets it in front."""
    if stated_action(text) is not None:
        return text
    if stated_action(label) == "retain":
        return f"{label} {text}"
    return f"Bevaras, {label[:1].lower()}{label[1:]} {text}"


def _join(parts: list[str]) -> str:
    """Fragments in column order; a bare action word dropped when the next fragment starts with it."""
    out: list[str] = []
    for part in parts:
        if out and normalize(out[-1]) and normalize(part).startswith(normalize(out[-1])):
            out[-1] = part
        else:
            out.append(part)
    return " ".join(out)


def combine_rule(header: HeaderMap, cells: list[str], row: int | None) -> CombinedRule:
    """The rule of one row from the header's rule columns (see the module docstring)."""
    keys = header.rule_keys()
    values = {key: header.value(cells, key) for key in keys}
    if len(keys) == 1 and keys[0] in ("retention_text", "rule_period"):
        return CombinedRule(text=values[keys[0]])  # one column holds the whole rule, as before
    if not any(values.values()):
        return CombinedRule(text="")
    labels = {key: header.label(key) for key in keys}
    if len(keys) == 1 and is_mark(values[keys[0]]):  # one "Gallras" column with "Ja": keep the mark itself
        return CombinedRule(text=f"{labels[keys[0]]}: {values[keys[0]]}")
    sources = {labels[key]: values[key] for key in keys} if len(keys) > 1 else {}
    votes: list[tuple[str, str]] = []  # (action, key)
    parts: list[str] = []
    for key in keys:
        text, label = values[key], labels[key]
        if not text:
            continue
        if key in _MARK_MEANING:
            meaning = _MARK_MEANING[key]
            word = text.strip().lower()
            if word in _MARK_YES:
                votes.append((meaning, key))
            elif word in _MARK_NO:
                votes.append((_OPPOSITE[meaning], key))
            else:
                part = _with_word(_WORDS[meaning], text)
                parts.append(part)
                votes.append((stated_action(part) or meaning, key))
        elif key == "retain_transfer":
            if text.strip().lower() in _MARK_NO:
                continue
            parts.append("Bevaras" if is_mark(text) else _transfer_text(label, text))
            votes.append(("retain", key))
        else:  # the combined column, or the period column
            parts.append(text)
            action = stated_action(text) or (_parsed_action(text, label) if key == "rule_period" else None)
            if action is not None:
                votes.append((action, key))
    actions = {action for action, _ in votes}
    if len(actions) > 1:
        first = votes[0]
        second = next(vote for vote in votes if vote[0] != first[0])
        a, b = labels[first[1]], labels[second[1]]
        message = _(
            "The columns “%(first)s” (%(first_text)s) and “%(second)s” (%(second_text)s) state different "
            "retention rules; the rule is left unclear for a person to decide."
        ) % {"first": a, "first_text": values[first[1]], "second": b, "second_text": values[second[1]]}
        text = "; ".join(f"{labels[key]}: {values[key]}" for key in keys if values[key])
        return CombinedRule(text, sources, RetentionData(), ImportWarning(row=row, columns=[a, b], message=message))
    if actions:
        (action,) = actions
        if not any(stated_action(part) == action for part in parts):
            parts.insert(0, _WORDS[action])
    return CombinedRule(_join(parts), sources)
