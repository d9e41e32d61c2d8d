"""`insyn privacy search`: every place Insyn holds one person's data in a municipality, as JSON.

Read-only, but it reads personal data: it needs `--user` (with `privacy.view_subject_data` there) and the
search is on the audit trail like any other.
"""

from __future__ import annotations

import json
from typing import Any

from insyn.privacy.selectors.subject import hit_as_dict, municipality_by_name
from insyn.privacy.subject_search import SubjectQuery, subject_search

HELP = "subject search: every place Insyn holds a person's data (--national-id, --name, --email, --address)"
READ_ONLY = True
MAX_ARGUMENT = 300


def add_query_arguments(parser: Any) -> None:
    parser.add_argument("--municipality", required=True, help='the municipality by name, e.g. "Piteå kommun"')
    parser.add_argument("--national-id", default="", help="verified personnummer or samordningsnummer")
    parser.add_argument("--name", action="append", default=[], help="a name to search for (repeatable)")
    parser.add_argument("--email", action="append", default=[], help="an e-mail address (repeatable)")
    parser.add_argument("--address", action="append", default=[], help="a postal address (repeatable)")


def add_arguments(parser: Any) -> None:
    add_query_arguments(parser)


def bounded(value: str) -> str:
    if len(value) > MAX_ARGUMENT:
        raise ValueError(f"argument longer than {MAX_ARGUMENT} characters")
    return value


def query_from(options: Any) -> SubjectQuery:
    return SubjectQuery(
        national_id=bounded(options.get("national_id") or ""),
        names=tuple(bounded(v) for v in options.get("name") or []),
        emails=tuple(bounded(v) for v in options.get("email") or []),
        addresses=tuple(bounded(v) for v in options.get("address") or []),
    )


def handle(command: Any, actor: Any, options: Any) -> None:
    municipality = municipality_by_name(actor=actor, name=bounded(options["municipality"]))
    result = subject_search(actor=actor, municipality_id=municipality.pk, query=query_from(options))
    data = {
        "municipality": municipality.name,
        "truncated": result.truncated,
        "count": len(result.hits),
        "hits": [hit_as_dict(hit) for hit in result.hits],
    }
    command.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))
