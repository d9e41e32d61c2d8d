from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import CommandError

from insyn.core.actor import Actor
from insyn.core.bounded_input import read_path
from insyn.core.exceptions import DomainError
from insyn.core.management.commands._base import ActorCommand
from insyn.core.models import Organisation
from insyn.records import selectors, services
from insyn.records.plandata import PlanFileError

FORMATS = ["auto", "text", "xlsx", "ods", "csv", "docx", "json"]
EXPORT_FORMATS = ["json", "xlsx", "csv", "ods", "pdf"]


def find_organisation(name: str) -> Organisation:
    """An organ by id, by "Municipality/Organ", by "Organ, Municipality" or by a name that is unique."""
    if name.isdigit():
        found = Organisation.objects.filter(pk=int(name))
    elif "/" in name:
        municipality, organ = (part.strip() for part in name.split("/", 1))
        found = Organisation.objects.filter(name=organ, municipality__name=municipality)
    elif "," in name:
        organ, municipality = (part.strip() for part in name.split(",", 1))
        found = Organisation.objects.filter(name=organ, municipality__name=municipality)
    else:
        found = Organisation.objects.filter(name=name)
    matches = list(found.select_related("municipality")[:10])
    if not matches:
        raise CommandError(f"No organisation {name!r}.")
    if len(matches) > 1:
        options = "; ".join(f"{m.municipality.name if m.municipality else ''}/{m.name} (id {m.pk})" for m in matches)
        raise CommandError(f"{name!r} is ambiguous: {options}. Write MUNICIPALITY/ORGAN or the id.")
    return matches[0]


def _confirmations(values: list[str]) -> dict[int, str]:
    """`--confirm-unclear ID=REASON` options as document type id → reason."""
    confirmations: dict[int, str] = {}
    for value in values:
        pk, sep, reason = value.partition("=")
        if not sep or not pk.strip().isdigit():
            raise CommandError(f"--confirm-unclear takes ID=REASON, not {value!r}")
        confirmations[int(pk)] = reason.strip()
    return confirmations


class Command(ActorCommand):
    help = (
        "Retention plans (dokumenthanteringsplaner): import, export, parse-retention, list, adopt, new-version, diff. "
        "Commands that change data require --user (a user name, or `system` for the installation administrator)."
    )

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def actor_arg(p: Any) -> None:
            # Changes data: no default actor, so nothing runs with rights nobody named.
            self.add_actor_argument(p)

        def reader_arg(p: Any) -> None:
            p.add_argument(
                "--user",
                default=None,
                help="read as this user (their drafts too), or `system`; default: an anonymous visitor "
                "(published plans only)",
            )

        p = sub.add_parser("import", help="import a plan from a file (text as seed 000, xlsx, ods, csv, docx, json)")
        p.add_argument("file")
        p.add_argument(
            "--organisation", required=True, help="the organ (archive creator): id, MUNICIPALITY/ORGAN or name"
        )
        p.add_argument("--format", default="auto", choices=FORMATS)
        p.add_argument("--lang", default=None, choices=["sv", "pl"], help="language of the retention texts")
        p.add_argument("--dry-run", action="store_true", help="show what would be created; write nothing")
        p.add_argument("--name", default="", help="the plan's title (default: the file's own, else the file name)")
        actor_arg(p)

        p = sub.add_parser("export", help="export a plan")
        p.add_argument("plan", type=int, help="plan id")
        p.add_argument("--format", required=True, choices=EXPORT_FORMATS)
        p.add_argument("-o", "--output", required=True, help="file to write, - for standard output")
        reader_arg(p)

        p = sub.add_parser(
            "parse-retention", help="print the reading of a retention text as JSON, with the spans it rests on"
        )
        p.add_argument("text")
        p.add_argument("--lang", default="sv", choices=["sv", "pl"])
        p.add_argument("--column", default="", help='heading of the column, e.g. "Gallras" for a Ja/Nej answer')

        p = sub.add_parser("list", help="list plans")
        reader_arg(p)

        p = sub.add_parser("adopt", help="adopt a draft plan (it is frozen from then on)")
        p.add_argument("plan", type=int)
        p.add_argument("--adopted-by", required=True)
        p.add_argument("--adopted-on", required=True, help="YYYY-MM-DD")
        p.add_argument("--paragraph", default="")
        p.add_argument("--version", dest="plan_version", required=True)
        p.add_argument("--note", default="", help="what the revision concerns")
        p.add_argument(
            "--confirm-unclear",
            action="append",
            default=[],
            metavar="ID=REASON",
            help="adopt the unclear rule of document type ID as it stands, for REASON (repeat for each)",
        )
        actor_arg(p)

        p = sub.add_parser("new-version", help="start a draft of a new version of an adopted plan")
        p.add_argument("plan", type=int)
        actor_arg(p)

        p = sub.add_parser("diff", help="rows added, removed and changed between two plan versions")
        p.add_argument("old", type=int)
        p.add_argument("new", type=int)
        reader_arg(p)

    def _actor(self, options: dict[str, Any]) -> Actor:
        """The named user (or `system`); a reading subcommand without --user reads as an anonymous visitor."""
        username = options.get("user")
        if not username:
            return AnonymousUser()
        return self.get_actor(username)

    def _emit(self, data: Any) -> None:
        self.emit(data)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "do_" + options["action"].replace("-", "_"))(options)
        except PlanFileError as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            raise CommandError(f"{exc.code}: {exc.message}") from exc

    def do_parse_retention(self, options: dict[str, Any]) -> None:
        from insyn.records.grammar import user_rules
        from insyn.records.retention_reader import read_retention

        # The rule's fields as before, plus "spans" (offsets into TEXT) and, when unclear, "candidates" and "reason".
        self._emit(read_retention(options["text"], options["lang"], user_rules(), column=options["column"]).as_dict())

    def do_import(self, options: dict[str, Any]) -> None:
        from insyn.records.importers import read_plan

        actor = self._actor(options)
        organisation = find_organisation(options["organisation"])
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        from insyn.records.grammar import parser_for

        lang = options["lang"] or ("pl" if organisation.country == "PL" else "sv")
        data = read_plan(
            read_path(path), filename=path.name, format=options["format"], lang=lang, parse=parser_for(organisation)
        )
        data.organisation = data.organisation or organisation.name
        data.title = options["name"].strip() or data.title
        result = services.plan_import(
            actor=actor,
            organisation=organisation,
            data=data,
            dry_run=options["dry_run"],
            source=path.name,
        )
        self._emit(
            {
                "plan": result.plan.pk if result.plan and not result.dry_run else None,
                "dry_run": result.dry_run,
                "created": result.created,
                "unchanged": result.unchanged,
                "replaced_content": result.replaced_content,
                "counts": result.counts,
                "unclear_rules": result.unclear,
            }
        )

    def do_export(self, options: dict[str, Any]) -> None:
        from insyn.records.export import export_plan

        plan = selectors.plan_get(actor=self._actor(options), pk=options["plan"])
        content = export_plan(plan, options["format"])
        if options["output"] == "-":
            sys.stdout.buffer.write(content)
        else:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(f"Wrote {options['output']} ({len(content)} bytes)")

    def do_list(self, options: dict[str, Any]) -> None:
        plans = selectors.plan_list(actor=self._actor(options))
        self._emit(
            [
                {
                    "id": p.pk,
                    "title": p.title,
                    "organisation": str(p.organisation),
                    "version": p.version,
                    "status": p.status,
                    "adopted_on": p.adopted_on,
                }
                for p in plans
            ]
        )

    def do_adopt(self, options: dict[str, Any]) -> None:
        import datetime as dt

        actor = self._actor(options)
        plan = selectors.plan_get(actor=actor, pk=options["plan"])
        try:
            adopted_on = dt.date.fromisoformat(options["adopted_on"])
        except ValueError:
            raise CommandError("--adopted-on must be YYYY-MM-DD") from None
        plan = services.plan_adopt(
            actor=actor,
            plan=plan,
            adopted_by=options["adopted_by"],
            adopted_on=adopted_on,
            paragraph=options["paragraph"],
            version=options["plan_version"],
            revision_note=options["note"],
            unclear_confirmations=_confirmations(options["confirm_unclear"]),
        )
        self._emit({"plan": plan.pk, "status": plan.status})

    def do_new_version(self, options: dict[str, Any]) -> None:
        actor = self._actor(options)
        draft = services.plan_new_version(actor=actor, plan=selectors.plan_get(actor=actor, pk=options["plan"]))
        self._emit({"plan": draft.pk, "status": draft.status, "previous_version": options["plan"]})

    def do_diff(self, options: dict[str, Any]) -> None:
        from insyn.records.diff import plan_diff

        actor = self._actor(options)
        old = selectors.plan_data(selectors.plan_get(actor=actor, pk=options["old"]))
        new = selectors.plan_data(selectors.plan_get(actor=actor, pk=options["new"]))
        self._emit(plan_diff(old, new).to_dict())
