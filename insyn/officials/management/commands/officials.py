"""`insyn officials import|export`: the officials register as Popolo JSON, CSV or XLSX, acting as `--user`.

Every subcommand names its actor (`--user NAME`, or `--user system` for the installation administrator):
the same permissions apply as in the admin and the API, and nothing runs as "the system" by default.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError

from insyn.core.bounded_input import read_path
from insyn.core.exceptions import DomainError
from insyn.core.management.commands._base import ActorCommand
from insyn.core.models import Organisation
from insyn.officials import popolo, selectors, services
from insyn.officials.exceptions import UnknownOrganisations

EXPORT_FORMATS = ["json", "xlsx"]


def find_municipality(name: str) -> Organisation:
    """A municipality by id or by name (case does not matter). The service checks the actor's right to it."""
    municipalities = Organisation.objects.filter(kind="municipality")
    if name.isdigit():
        found = municipalities.filter(pk=int(name))
    else:
        found = municipalities.filter(name=name) or municipalities.filter(name__iexact=name.strip())
    matches = list(found[:10])
    if not matches:
        raise CommandError(f"No municipality {name!r}.")
    if len(matches) > 1:
        options = "; ".join(f"{m.name} (id {m.pk})" for m in matches)
        raise CommandError(f"{name!r} is ambiguous: {options}. Give the id.")
    return matches[0]


class Command(ActorCommand):
    help = "Elected officials (förtroendevalda): import from Popolo JSON, CSV or XLSX; export to Popolo JSON or XLSX."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        p = sub.add_parser(
            "import",
            help="import persons and memberships (Popolo .json, or .csv/.xlsx in the layout of insyn.officials.popolo)",
        )
        p.add_argument("file")
        p.add_argument("--municipality", required=True, help="the municipality: id or name")
        p.add_argument("--dry-run", action="store_true", help="check the file and count the changes; write nothing")
        p.add_argument(
            "--create-organisations",
            action="store_true",
            help="create the organs the file names that the municipality does not have (needs the right to add "
            "organisations there); with --dry-run, list them",
        )
        p.add_argument(
            "--organisations-parent",
            type=int,
            metavar="ID",
            help="with --create-organisations: the organisation (id) to create them under; default: the municipality",
        )
        self.add_actor_argument(p)

        p = sub.add_parser("export", help="export the register (personnummer masked unless the user may see them)")
        p.add_argument("--municipality", required=True, help="the municipality: id or name")
        p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
        p.add_argument("-o", "--output", required=True, help="file to write, - for standard output")
        self.add_actor_argument(p)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.get_actor(options["user"])
        try:
            getattr(self, "do_" + options["action"])(actor, options)
        except DomainError as exc:
            raise self.fail(exc) from exc

    def do_import(self, actor: Any, options: dict[str, Any]) -> None:
        municipality = find_municipality(options["municipality"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        parent = None
        if options["organisations_parent"] is not None:
            if not options["create_organisations"]:
                raise CommandError("--organisations-parent goes with --create-organisations.")
            try:
                _municipality, parent = selectors.access_import_target(
                    actor=actor, municipality_pk=municipality.pk, parent_pk=options["organisations_parent"]
                )
            except DomainError:  # missing, another municipality's, or no right there: one answer
                raise CommandError(
                    f"No organisation {options['organisations_parent']} in {municipality.name} "
                    "where you may create organisations."
                ) from None
        data = popolo.read_popolo(read_path(path), filename=path.name)
        try:
            result = services.officials_import(
                actor=actor,
                municipality=municipality,
                popolo=data,
                dry_run=options["dry_run"],
                create_organisations=options["create_organisations"],
                organisations_parent=parent,
            )
        except UnknownOrganisations as exc:
            names = ", ".join(o["name"] for o in exc.detail["organizations"])
            raise CommandError(
                f"{exc.code}: {exc.message} (not in {municipality.name}: {names}; "
                "--create-organisations creates them, --dry-run first lists them)"
            ) from exc
        self.emit(
            {
                "municipality": municipality.name,
                "file": path.name,
                "dry_run": result.dry_run,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "new_organisations": result.new_organisations,
            }
        )

    def do_export(self, actor: Any, options: dict[str, Any]) -> None:
        municipality = find_municipality(options["municipality"])
        if options["format"] == "json":
            exported = popolo.export_popolo(actor, municipality)
            content = (json.dumps(exported, ensure_ascii=False, indent=2) + "\n").encode()
        else:
            content = popolo.export_xlsx(actor, municipality)
        if options["output"] == "-":
            sys.stdout.buffer.write(content)
        else:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"Wrote {options['output']} ({len(content)} bytes)")
