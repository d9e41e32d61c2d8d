"""Demo: Torsby kommun's plan for 2.9.2 Informationsförsörjning (seed 000), imported like any file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from insyn.core.models import Organisation
from insyn.records.models import ITSystem

SEED_PLAN = Path(__file__).parent / "demo_data" / "torsby_2_9_2_informationsforsorjning.txt"
# Systems the plan names in its "Förvaring" columns.
TORSBY_SYSTEMS = ("W3D3", "Server", "Ärendehanteringssystem")


def load_demo(*, actor: Any) -> dict[str, Any]:
    from insyn.records.grammar import parser_for
    from insyn.records.importers import read_plan
    from insyn.records.services import plan_import

    torsby = Organisation.objects.filter(parent=None, name="Torsby kommun").first()
    if torsby is None:
        return {}
    board = Organisation.objects.get(municipality=torsby, name="Kommunstyrelsen")
    for name in TORSBY_SYSTEMS:
        ITSystem.objects.get_or_create(municipality=torsby, name=name)
    data = read_plan(SEED_PLAN.read_bytes(), filename=SEED_PLAN.name, format="text", parse=parser_for(board))
    result = plan_import(actor=actor, organisation=board, data=data, source=SEED_PLAN.name)
    return {"retention_plan": result.plan.pk if result.plan else None, "plan_created": result.created}
