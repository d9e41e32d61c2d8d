from __future__ import annotations

import datetime as dt
from typing import Any

from insyn.core import selectors
from insyn.core.audit import snapshot
from insyn.core.exceptions import DomainError
from insyn.core.management.commands._base import ActorCommand
from insyn.core.services.documents import governing_document_create, governing_document_update


def _date(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


class Command(ActorCommand):
    help = "List, show, create or update governing documents (styrdokument), acting as --user."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p_list = sub.add_parser("list", help="list the documents the user may see")
        self.add_actor_argument(p_list)
        p_list.add_argument("--status")
        p_list.add_argument("--expiring-within", type=int, help="days")
        p_show = sub.add_parser("show", help="show one document")
        self.add_actor_argument(p_show)
        p_show.add_argument("id", type=int)
        for name in ("create", "update"):
            p = sub.add_parser(name, help=f"{name} a document")
            self.add_actor_argument(p)
            if name == "update":
                p.add_argument("id", type=int)
                p.add_argument("--title")
                p.add_argument("--type", dest="document_type")
            else:
                p.add_argument("--organisation", type=int, required=True, help="owning organisation id")
                p.add_argument("--title", required=True)
                p.add_argument("--type", dest="document_type", required=True)
            p.add_argument("--status")
            p.add_argument("--registration-number")
            p.add_argument("--decision-body")
            p.add_argument("--decision-date", type=_date)
            p.add_argument("--paragraph")
            p.add_argument("--version")
            p.add_argument("--valid-from", type=_date)
            p.add_argument("--valid-until", type=_date)
            p.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.get_actor(options["user"])
        fields = [
            "title",
            "document_type",
            "status",
            "registration_number",
            "decision_body",
            "decision_date",
            "paragraph",
            "version",
            "valid_from",
            "valid_until",
        ]
        data = {f: options[f] for f in fields if options.get(f) is not None}
        try:
            action = options["action"]
            if action == "list":
                docs = selectors.governing_document_list(
                    actor=actor, status=options.get("status"), expiring_within_days=options.get("expiring_within")
                )
                self.emit(
                    [
                        {
                            "id": d.pk,
                            "title": d.title,
                            "registration_number": d.registration_number,
                            "organisation": d.organisation.name,
                            "status": d.status,
                            "valid_until": d.valid_until,
                        }
                        for d in docs
                    ]
                )
            elif action == "show":
                self.emit(
                    snapshot(selectors.access_governing_document(actor=actor, pk=options["id"])) | {"id": options["id"]}
                )
            elif action == "create":
                organisation = selectors.access_organisation(actor=actor, pk=options["organisation"])
                doc = governing_document_create(
                    actor=actor, organisation=organisation, reason=options["reason"], **data
                )
                self.emit({"id": doc.pk, "title": doc.title})
            else:
                doc = selectors.access_governing_document(actor=actor, pk=options["id"])
                doc = governing_document_update(actor=actor, document=doc, reason=options["reason"], **data)
                self.emit({"id": doc.pk, "title": doc.title})
        except DomainError as exc:
            raise self.fail(exc) from exc
