"""Retention texts ("Gallras efter 2 år", "B5") read into structured rules.

Pure functions, no database. The grammar is data: a `GrammarRule` is a regular
expression plus the `RetentionData` it stands for, so a rule can be stored in a
database row or a JSON file (`to_dict`/`from_dict`) and an archivist can add one
without code. The built-in grammar is `DEFAULT_RULES`, read from the data in
`retention_grammar.RULES`.

Reading principle: a rule is a whole phrase, matched with `re.fullmatch` on the
normalised text. `parse_retention` goes further through
`retention_reader.read_retention`, which also finds rules inside sentences
("Loggar gallras efter 3 månader") and names the spans and candidates; both
structure a text only when everything in it agrees. Anything else (vague text, several
outcomes in one cell, a known phrase followed by a condition) becomes
`RetentionData()`, i.e. `action="unclear"`, for a person to structure in the
admin. The parser never guesses: a rule found inside a sentence counts only
when nothing else in the text adds to it or disagrees with it.

Semantics of the fields, as the grammar fills them:

- `action="retain"` with `sampling` set ("i urval", "datumurval"): only the
  sample is kept for ever; the rest is disposed of, after `period` counted from
  `trigger` when those are given, otherwise without a stated deadline.
- `period` is an ISO 8601 duration ("P2Y", "P3M", "P0D" for "at once").
- `align="year_end"`: the period runs from the end of the calendar year in which
  the trigger happened (Polish instrukcja kancelaryjna; Swedish "efter utgången
  av det kalenderår ...").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, NamedTuple

from insyn.records.plandata import RetentionData
from insyn.records.retention_grammar import NUMBER_WORDS, PLACEHOLDERS, RULES, UNIT_DESIGNATORS

ACTIONS = ("retain", "dispose", "review", "transfer", "unclear")
TRIGGERS = ("created", "case_closed", "event", "obsolete", "none")
ALIGNS = ("none", "year_end")
LANGS = ("sv", "pl", "*")

_ISO_DURATION = re.compile(r"P(?!$)(?:\d+Y)?(?:\d+M)?(?:\d+W)?(?:\d+D)?")
_TEMPLATE_FIELD = re.compile(r"\{(\w+)\}")
_PLACEHOLDER = re.compile(r"\{([A-Z][A-Z_]*)\}")


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "dwadzieścia pięć" wins over "dwadzieścia".
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_UNITS = _alternation(UNIT_DESIGNATORS)
_NUMBERS = _alternation(NUMBER_WORDS)
_UNIT_AHEAD = rf"(?= (?:{_UNITS})\b)"
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043]")
_DOUBLE_QUOTES = re.compile(r"[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033]")
_SINGLE_QUOTES = re.compile(r"[\u2018\u2019\u201a\u201b\u2032`´]")
_NUMBER_IN_PARENS = re.compile(rf"\b(\d+|{_NUMBERS}) \((\d+|{_NUMBERS})\){_UNIT_AHEAD}")
_NUMBER_WORD = re.compile(rf"\b({_NUMBERS}){_UNIT_AHEAD}")
_DIGIT_THEN_UNIT = re.compile(rf"(\d)(?=(?:{_UNITS})\b)")


def _number_value(token: str) -> int:
    return int(token) if token.isdigit() else NUMBER_WORDS[token]


def _same_number(match: re.Match[str]) -> str:
    first, second = match.group(1), match.group(2)
    # "två (2) år" -> "2 år"; "2 (tre) år" stays as it is and will not parse.
    return str(_number_value(first)) if _number_value(first) == _number_value(second) else match.group(0)


def normalise(text: str) -> str:
    """The form rules are matched against.

    Lower case, NFC, one space between words, dashes and quotes unified, no
    trailing punctuation, number words before a unit turned into digits
    ("två år" -> "2 år", "pięć lat" -> "5 lat"). Diacritics are kept: "lat" and
    "łat", "ar" and "år" are different words.
    """
    value = unicodedata.normalize("NFC", text).lower()
    value = _DASHES.sub("-", value)
    value = _DOUBLE_QUOTES.sub('"', value)
    value = _SINGLE_QUOTES.sub("'", value)
    value = re.sub(r"\s+", " ", value).strip()
    value = re.sub(r" ([,;:.)])", r"\1", value)  # "bevaras , se" -> "bevaras, se"
    value = re.sub(r"\( ", "(", value)
    value = re.sub(r"([,;])(?=[^\s\d])", r"\1 ", value)  # "bevaras,se" -> "bevaras, se"; "1,5" stays
    value = re.sub(r"(?<=[^\W\d])\.(?=[^\W\d])", ". ", value)  # "kat.b5" -> "kat. b5"
    value = _DIGIT_THEN_UNIT.sub(r"\1 ", value)  # "2år" -> "2 år"
    value = _NUMBER_IN_PARENS.sub(_same_number, value)
    value = _NUMBER_WORD.sub(lambda match: str(NUMBER_WORDS[match.group(1)]), value)
    return value.strip(" .,;:!\"'")


def expand_placeholders(pattern: str) -> str:
    """Replace `{NAME}` fragments (see `retention_grammar.PLACEHOLDERS`) until none is left.

    Unknown upper-case names are left alone; regex quantifiers (`{2}`, `{1,3}`) never clash.
    """
    for _ in range(10):
        expanded = _PLACEHOLDER.sub(lambda match: PLACEHOLDERS.get(match.group(1), match.group(0)), pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError(f"placeholders nest too deeply in {pattern!r}")


@functools.lru_cache(maxsize=2048)
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(expand_placeholders(pattern), re.IGNORECASE)


@dataclass(frozen=True)
class GrammarRule:
    """One phrase shape and the retention it means. Plain data: storable as a row or JSON.

    `pattern` is a regular expression matched with `re.fullmatch` against the
    normalised text (see `normalise`), case-insensitively. It may use the
    placeholders of `retention_grammar.PLACEHOLDERS`, e.g. `{PERIOD}`, which
    captures the named groups `n` and `unit`. `period` is an ISO 8601
    duration, or a template filled from named groups: "P{n}Y", or "P{n}{unit}"
    where `{unit}` is translated through `UNIT_DESIGNATORS`.

    Rules are tried highest `priority` first; the first rule that matches the
    whole text wins. A rule with `action="unclear"` marks a phrase as known to
    need a person (it stops lower-priority rules from reading it).
    """

    name: str
    pattern: str
    lang: str = "sv"  # "sv", "pl" or "*" (any language)
    action: str = "unclear"
    period: str | None = None
    trigger: str = "none"
    trigger_event: str | None = None
    align: str = "none"
    sampling: str | None = None
    priority: int = 100
    description: str = ""  # why the rule reads the phrase this way; shown in the admin

    def __post_init__(self) -> None:
        problems = self._problems()
        if problems:
            raise ValueError(f"grammar rule {self.name!r}: " + "; ".join(problems))

    def _problems(self) -> list[str]:
        problems: list[str] = []
        if not isinstance(self.pattern, str) or not isinstance(self.priority, int):
            return ["pattern must be text and priority a whole number"]
        if not self.name:
            problems.append("name is empty")
        if self.lang not in LANGS:
            problems.append(f"lang must be one of {LANGS}, not {self.lang!r}")
        if self.action not in ACTIONS:
            problems.append(f"action must be one of {ACTIONS}, not {self.action!r}")
        if self.trigger not in TRIGGERS:
            problems.append(f"trigger must be one of {TRIGGERS}, not {self.trigger!r}")
        if self.align not in ALIGNS:
            problems.append(f"align must be one of {ALIGNS}, not {self.align!r}")
        if (self.trigger == "event") != bool(self.trigger_event):
            problems.append("trigger_event is required when, and only when, trigger is 'event'")
        if self.action == "unclear" and (
            self.period or self.trigger != "none" or self.align != "none" or self.sampling or self.trigger_event
        ):
            problems.append("an 'unclear' rule carries no period, trigger, alignment or sampling")
        try:
            compiled = _compile(self.pattern)
        except re.error as error:
            problems.append(f"pattern is not a valid regular expression: {error}")
            return problems
        if self.period is not None:
            names = _TEMPLATE_FIELD.findall(self.period)
            missing = [name for name in names if name not in compiled.groupindex]
            if missing:
                problems.append(f"period {self.period!r} refers to groups the pattern lacks: {', '.join(missing)}")
            if not names and not _ISO_DURATION.fullmatch(self.period):
                problems.append(f"period {self.period!r} is not an ISO 8601 duration such as 'P2Y'")
        return problems

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GrammarRule:
        known = {field.name for field in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown grammar rule keys: {', '.join(unknown)}")
        return cls(**data)

    def read(self, normalised: str) -> RetentionData | None:
        """The retention this rule gives `normalised` text, or None when it does not match all of it."""
        match = _compile(self.pattern).fullmatch(normalised)
        if match is None:
            return None
        if self.action == "unclear":
            return RetentionData()
        period = self.period
        if period is not None:
            period = _fill_period(period, match)
            if period is None:
                return None
        return RetentionData(
            action=self.action,
            period=period,
            trigger=self.trigger,
            trigger_event=self.trigger_event,
            align=self.align,
            sampling=self.sampling,
        )


def _fill_period(template: str, match: re.Match[str]) -> str | None:
    """ "P{n}{unit}" with n="02", unit="månader" -> "P2M"; None when a group is empty or a unit unknown."""
    values: dict[str, str] = {}
    for name in _TEMPLATE_FIELD.findall(template):
        value = match.group(name)
        if not value:
            return None
        value = value.lower()
        if name == "unit":
            if value not in UNIT_DESIGNATORS:
                return None
            value = UNIT_DESIGNATORS[value]
        elif value.isdigit():
            value = str(int(value))
        values[name] = value
    period = _TEMPLATE_FIELD.sub(lambda found: values[found.group(1)], template)
    return period if _ISO_DURATION.fullmatch(period) else None


class RuleMatch(NamedTuple):
    rule: GrammarRule
    retention: RetentionData


# The built-in grammar: `retention_grammar.RULES`, read through the same `from_dict` as a user's rules.
DEFAULT_RULES: tuple[GrammarRule, ...] = tuple(GrammarRule.from_dict(data) for data in RULES)


def _candidates(lang: str, extra_rules: Iterable[GrammarRule]) -> list[GrammarRule]:
    rules = [rule for rule in (*extra_rules, *DEFAULT_RULES) if lang == "*" or rule.lang in (lang, "*")]
    # Stable sort: at equal priority a user's rule comes before a built-in one.
    return sorted(rules, key=lambda rule: -rule.priority)


def match_retention(text: str, lang: str = "sv", extra_rules: Iterable[GrammarRule] = ()) -> RuleMatch | None:
    """The rule that reads `text`, with its reading; None when no rule matches the whole text."""
    normalised = normalise(text or "")
    if re.fullmatch(r"-*", normalised):
        return None
    for rule in _candidates(lang, extra_rules):
        retention = rule.read(normalised)
        if retention is not None:
            return RuleMatch(rule, retention)
    return None


def parse_retention(
    text: str, lang: str = "sv", extra_rules: Iterable[GrammarRule] = (), *, column: str = ""
) -> RetentionData:
    """Structured retention for a plan's "Bevaras/Gallras" text (sv) or JRWA category (pl).

    `extra_rules` (an organisation's own grammar) are tried together with the
    built-in rules for `lang` and for "*", highest priority first. Whatever no
    rule reads in full is searched for retention clauses inside its sentences
    (`retention_reader.read_retention`, which also gives the spans and the
    candidates); whatever is not one consistent reading is `RetentionData()`:
    action "unclear", for a person.
    """
    # The tolerant reader tries `match_retention` on the whole text first, then finds clauses
    # inside sentences; imported here because it builds on this module.
    from insyn.records.retention_reader import read_retention

    return read_retention(text, lang, extra_rules, column=column).retention
