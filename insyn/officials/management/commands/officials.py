from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from insyn.core.bounded_input import read_path
from insyn.core.exceptions import DomainError
from insyn.core.models import Organisation
from insyn.core.permissions import SYSTEM
from insyn.officials import popolo, services

EXPORT_FORMATS = ["json", "xlsx"]


def find_municipality(name: str) -> Organisation:
    """A municipality by id or by name (case does not matter)."""
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


class Command(BaseCommand):
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
        p.add_argument("--user", help="act as this user (permissions apply); default: the system")

        p = sub.add_parser("export", help="export the register (personnummer masked unless the user may see them)")
        p.add_argument("--municipality", required=True, help="the municipality: id or name")
        p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
        p.add_argument("-o", "--output", required=True, help="file to write, - for standard output")
        p.add_argument("--user", required=True, help="act as this user: what they may see is what is exported")

    def _actor(self, options: dict[str, Any]) -> Any:
        username = options.get("user")
        if not username:
            return SYSTEM
        try:
            return get_user_model().objects.get(username=username, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user named {username!r}.") from None

    def _emit(self, data: Any) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "do_" + options["action"])(options)
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc

    def do_import(self, options: dict[str, Any]) -> None:
        municipality = find_municipality(options["municipality"])
        actor = self._actor(options)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        data = popolo.read_popolo(read_path(path), filename=path.name)
        result = services.officials_import(
            actor=actor, municipality=municipality, popolo=data, dry_run=options["dry_run"]
        )
        self._emit(
            {
                "municipality": municipality.name,
                "file": path.name,
                "dry_run": result.dry_run,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            }
        )

    def do_export(self, options: dict[str, Any]) -> None:
        municipality = find_municipality(options["municipality"])
        actor = self._actor(options)
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
