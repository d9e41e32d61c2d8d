"""Shared set-up of the request tests: a municipality with two controllers, a DPO, a registrar, an outsider."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from insyn.core.models import Organisation
from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role


@dataclass
class World:
    municipality: Organisation
    ks: Organisation
    bun: Organisation
    dpo: Any
    registrar: Any
    contact: Any
    outsider: Any


def make_world() -> World:
    municipality = make_municipality("Piteå kommun")
    ks = make_organ(municipality, "Kommunstyrelsen")
    bun = make_organ(municipality, "Barn- och utbildningsnämnden", "namnd")
    Organisation.objects.filter(pk__in=[ks.pk, bun.pk]).update(is_controller=True)
    ks.refresh_from_db()
    bun.refresh_from_db()
    other = make_municipality("Södertälje kommun")
    return World(
        municipality=municipality,
        ks=ks,
        bun=bun,
        dpo=make_user_with_role(municipality, "dpo", email="dso@pitea.se"),
        registrar=make_user_with_role(ks, "registrar", email="registrator@pitea.se"),
        contact=make_user_with_role(bun, "privacy_contact"),
        outsider=make_user_with_role(other, "dpo"),
    )


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
