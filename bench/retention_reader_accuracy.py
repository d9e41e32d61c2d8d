"""How well the tolerant retention reader reads real phrases nobody here wrote.

Run: .venv/bin/python bench/retention_reader_accuracy.py [-v]

Right: action, period and trigger as an archivist reads the phrase. Unclear: the reader asks a person.
Wrong: a structured reading that differs from the archivist's (worse than unclear: it would be acted on).
The phrases and their readings: insyn/records/tests/fixtures/retention_outside_phrases.py.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from insyn.records.retention import parse_retention
from insyn.records.tests.fixtures.retention_outside_phrases import BATCH_4, HELD_OUT, HELD_OUT_2, PHRASES


def grade(text: str, lang: str, action: str, period: str | None, trigger: str) -> tuple[str, tuple]:
    got = parse_retention(text, lang)
    found = (got.action, got.period, got.trigger)
    if found == (action, period, trigger):
        return "right", found
    if got.action == "unclear":
        return "unclear", found
    return "wrong", found


def measure(phrases: list, verbose: bool = False) -> Counter:
    counts: Counter = Counter()
    for text, lang, action, period, trigger, _source in phrases:
        verdict, found = grade(text, lang, action, period, trigger)
        counts[verdict] += 1
        counts[f"{lang}:{verdict}"] += 1
        if verbose and verdict != "right":
            print(f"{verdict:7} expected {(action, period, trigger)} got {found}: {text[:110]!r}")
    return counts


def report(name: str, phrases: list, verbose: bool) -> None:
    counts = measure(phrases, verbose)
    total = len(phrases)
    langs = Counter(lang for _t, lang, *_ in phrases)
    print(f"{name}: {total} phrases ({', '.join(f'{lang} {n}' for lang, n in sorted(langs.items()))})")
    for verdict in ("right", "unclear", "wrong"):
        per_lang = ", ".join(f"{lang} {counts[f'{lang}:{verdict}']}" for lang in sorted(langs))
        print(f"  {verdict:8} {counts[verdict]:4}  {counts[verdict] / total:6.1%}  ({per_lang})")


def main() -> None:
    verbose = "-v" in sys.argv
    report("first batch", PHRASES, verbose)
    report("second batch", HELD_OUT, verbose)
    report("third batch", HELD_OUT_2, verbose)
    report("fourth batch (plan cells, JRWA rows)", BATCH_4, verbose)
    report("all", PHRASES + HELD_OUT + HELD_OUT_2 + BATCH_4, False)


if __name__ == "__main__":
    main()
