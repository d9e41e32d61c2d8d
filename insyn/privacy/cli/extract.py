"""`insyn privacy extract`: the register extract (registerutdrag) of one person, as PDF/A or JSON.

The extract is stored (and disposed of after three months) like one made in the admin or the API, and a copy
is written to the output file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from insyn.privacy.cli.search import add_query_arguments, bounded, query_from
from insyn.privacy.selectors.subject import municipality_by_name
from insyn.privacy.services.extracts import extract_create, extract_open

HELP = "register extract of a person as PDF/A (decision with appeal instructions) or JSON (portability)"
READ_ONLY = False


def add_arguments(parser: Any) -> None:
    add_query_arguments(parser)
    parser.add_argument("--format", default="pdf", choices=["pdf", "json"])
    parser.add_argument("--lang", default="sv", choices=["sv", "en", "pl"])
    parser.add_argument("-o", "--output", required=True, help="file to write, - for standard output")


def handle(command: Any, actor: Any, options: Any) -> None:
    municipality = municipality_by_name(actor=actor, name=bounded(options["municipality"]))
    [extract] = extract_create(
        actor=actor,
        municipality_id=municipality.pk,
        query=query_from(options),
        formats=(options["format"],),
        language=options["lang"],
    )
    _name, content, _type = extract_open(actor=actor, pk=extract.pk)
    if options["output"] == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        Path(options["output"]).write_bytes(content)
        command.stderr.write(f"{options['output']}: {extract.hits} places, kept until {extract.dispose_after}")
