from __future__ import annotations

from typing import Any

from insyn.core import selectors
from insyn.core.audit import snapshot
from insyn.core.exceptions import DomainError
from insyn.core.management.commands._base import ActorCommand
from insyn.core.services.organisations import organisation_create


class Command(ActorCommand):
    help = "List, show or create organisations, acting as --user."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p_list = sub.add_parser("list", help="list the organisations the user may see")
        self.add_actor_argument(p_list)
        p_list.add_argument("--kind")
        p_show = sub.add_parser("show", help="show one organisation")
        self.add_actor_argument(p_show)
        p_show.add_argument("id", type=int)
        p_create = sub.add_parser("create", help="create an organisation below --parent")
        self.add_actor_argument(p_create)
        p_create.add_argument("--name", required=True)
        p_create.add_argument("--kind", required=True, choices=["municipality", "organ", "administration", "unit"])
        p_create.add_argument("--parent", type=int)
        p_create.add_argument("--organ-type", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.get_actor(options["user"])
        try:
            if options["action"] == "list":
                orgs = selectors.organisation_list(actor=actor, kind=options.get("kind"))
                self.emit([{"id": o.pk, "name": o.name, "kind": o.kind, "parent_id": o.parent_id} for o in orgs])
            elif options["action"] == "show":
                self.emit(
                    snapshot(selectors.access_organisation(actor=actor, pk=options["id"])) | {"id": options["id"]}
                )
            else:
                parent = selectors.access_organisation(actor=actor, pk=options["parent"]) if options["parent"] else None
                org = organisation_create(
                    actor=actor,
                    name=options["name"],
                    kind=options["kind"],
                    parent=parent,
                    organ_type=options["organ_type"],
                )
                self.emit({"id": org.pk, "name": org.name})
        except DomainError as exc:
            raise self.fail(exc) from exc
