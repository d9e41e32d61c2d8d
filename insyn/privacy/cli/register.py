"""`insyn privacy register export|import`: the register to a file, and a register file into Insyn.

    insyn privacy register export --controller "MUNICIPALITY/ORGAN" --format json|xlsx|ods|pdf -o FILE --user U
    insyn privacy register import FILE --controller "MUNICIPALITY/ORGAN" [--dry-run] --user U

`import --dry-run` prints the preview (activities as they will be stored, new terms, columns kept as extra,
problems with sheet, row and column) and writes nothing. A refused file exits non-zero with the file, sheet,
row and column in the message.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from insyn.core.bounded_input import read_path
from insyn.privacy.exporting import FORMATS, register_export

HELP = "the processing register: export (json, xlsx, ods, pdf) or import (xlsx, ods, csv)"
READ_ONLY = False


def add_arguments(parser: Any) -> None:
    # One parser, not sub-parsers: `--user` (added by the command) may then come anywhere on the line.
    parser.add_argument("action", choices=["export", "import"])
    parser.add_argument("file", nargs="?", help="import: the register file (xlsx, ods, csv)")
    parser.add_argument(
        "--controller",
        required=True,
        help='the controller (an organ): "MUNICIPALITY/ORGAN", "ORGAN, MUNICIPALITY" or id',
    )
    parser.add_argument(
        "--kind", default="controller", choices=["controller", "processor"], help="export: which register"
    )
    parser.add_argument("--format", default="json", choices=list(FORMATS), help="export format")
    parser.add_argument("-o", "--output", help="export: the file to write (json: '-' for standard output)")
    parser.add_argument("--language", default="sv", choices=["sv", "pl", "en"])
    parser.add_argument("--dry-run", action="store_true", help="import: print the preview, write nothing")
    parser.add_argument("--title", default="", help="import: the title of a register created for the controller")


def _controller(name: str) -> Any:
    from insyn.records.management.commands.records import find_organisation  # the CLI's organ resolver

    return find_organisation(name)


def handle(command: Any, actor: Any, options: Any) -> None:
    controller = _controller(options["controller"])
    if options["action"] == "export":
        _export(command, actor, controller, options)
    else:
        _import(command, actor, controller, options)


def _export(command: Any, actor: Any, controller: Any, options: Any) -> None:
    from insyn.privacy.selectors.register import registers  # P1's selector: only what the actor may read

    output = options.get("output")
    if not output:
        raise CommandError("export needs -o FILE")
    register = registers(actor=actor).filter(controller=controller, kind=options["kind"]).first()
    if register is None:
        raise CommandError(f"No {options['kind']} register of {options['controller']!r} that you may read.")
    content, _filename, _type = register_export(
        actor=actor, register_id=register.pk, fmt=options["format"], language=options["language"]
    )
    if output == "-" and options["format"] == "json":
        command.stdout.write(content.decode("utf-8"))
        return
    Path(output).write_bytes(content)
    command.stdout.write(f"{output}: {len(content)} bytes, {options['format']}")


def _import(command: Any, actor: Any, controller: Any, options: Any) -> None:
    from insyn.privacy.services.importing import register_import, register_import_preview

    if not options.get("file"):
        raise CommandError("import needs FILE")
    path = Path(options["file"])
    data = read_path(path)  # refused from its size before it is read
    read = register_import_preview(actor=actor, controller=controller, content=data, filename=path.name)
    if options["dry_run"]:
        command.emit(read.preview())
        return
    result = register_import(actor=actor, controller=controller, data=read, title=options["title"])
    command.emit({**result.as_dict(), "problems": [problem.as_dict() for problem in read.problems]})
    if read.problems:
        sys.stderr.write(f"{len(read.problems)} problem(s): see 'problems' above.\n")
