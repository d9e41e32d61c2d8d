from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from insyn.loans.selectors import person_eligibility
from insyn.officials.models import Person


class Command(BaseCommand):
    help = "Equipment loans. `loans eligibility --person ID --on DATE` prints who may borrow what, and why."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("eligibility", help="print one JSON object: eligible, devices, reasons, dates")
        p.add_argument("--person", required=True, help="the person's id from the Popolo import (or #PK)")
        p.add_argument("--on", default=None, help="YYYY-MM-DD (default: today)")
        p.add_argument("--municipality", default=None, help="municipality name, when the id is not unique")

    def handle(self, *args: Any, **options: Any) -> None:
        on = timezone.localdate()
        if options["on"]:
            try:
                on = dt.date.fromisoformat(options["on"])
            except ValueError:
                raise CommandError("--on must be YYYY-MM-DD") from None
        ref = options["person"]
        people = (
            Person.objects.filter(pk=int(ref[1:]))
            if ref.startswith("#") and ref[1:].isdigit()
            else (Person.objects.filter(external_id=ref))
        )
        if options["municipality"]:
            people = people.filter(municipality__name=options["municipality"])
        found = list(people[:2])
        if not found:
            raise CommandError(f"No person with id {ref!r}.")
        if len(found) > 1:
            raise CommandError(f"Person id {ref!r} exists in several municipalities: add --municipality.")
        eligibility, _rules = person_eligibility(person=found[0], on=on)
        self.stdout.write(json.dumps(eligibility.to_dict(), ensure_ascii=False))
