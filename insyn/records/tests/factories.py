from __future__ import annotations

from typing import Any

from insyn.core.permissions import SYSTEM
from insyn.records.plandata import (
    ActivityData,
    AreaData,
    DocumentTypeData,
    GroupData,
    PlanData,
    ProcessData,
    RetentionData,
)
from insyn.records.services import plan_import

RETAIN = RetentionData(action="retain")
OBSOLETE = RetentionData(action="dispose", trigger="obsolete")
TWO_YEARS = RetentionData(action="dispose", period="P2Y", trigger="created")


def make_plan_data(*, status: str = "adopted", version: str = "1.0", extra_rows: int = 0, **overrides: Any) -> PlanData:
    rows = [
        DocumentTypeData(
            name="Riktlinjer för användning av sociala medier",
            analog_format="Papper",
            analog_storage="Diarieförda handlingar",
            digital_format="PDF",
            digital_storage="W3D3",
            retention_text="Bevaras",
            retention=RETAIN,
            archival_format="Papper/digital",
        ),
        DocumentTypeData(
            name="Handlingsplan för sociala medier",
            analog_format="Papper",
            analog_storage="Tjänstemans rum",
            retention_text="Bevaras",
            retention=RETAIN,
            archival_format="Papper",
            remarks="Skickas ifylld till informationsstrategen.",
        ),
    ]
    rows += [
        DocumentTypeData(
            name=f"Underlag {n}",
            digital_storage="Server",
            retention_text="Gallras vid inaktualitet",
            retention=OBSOLETE,
        )
        for n in range(extra_rows)
    ]
    ads = [
        DocumentTypeData(
            name="Annonser i dagspress och annonsblad",
            analog_format="Papper",
            analog_storage="Tjänstemans rum",
            digital_format="Word/PDF",
            digital_storage="Server",
            retention_text="Gallras vid inaktualitet",
            retention=OBSOLETE,
        ),
        DocumentTypeData(
            name="Avtal i samband med annonsering", retention_text="Se anmärkning", retention=RetentionData()
        ),
    ]
    data = PlanData(
        title="Dokumenthanteringsplan",
        scope="Stödprocesser",
        organisation="Kommunstyrelsen",
        adopted_by="Kommunstyrelsen" if status != "draft" else "",
        adopted_on="2016-11-28" if status != "draft" else None,
        paragraph="§ 208" if status != "draft" else "",
        version=version,
        status=status,
        areas=[
            AreaData(
                "2.9",
                "Information och marknadsföring",
                "Information och marknadsföring är det operativa arbetet …",
                [
                    GroupData(
                        "2.9.2",
                        "Informationsförsörjning",
                        "",
                        [
                            ProcessData(
                                "2.9.2.0",
                                "Leda, styra, organisera",
                                "",
                                [ActivityData("Hantera riktlinjer m.m.", rows)],
                            ),
                            ProcessData("2.9.2.6", "Annonsera", "", [ActivityData("Hantera annonser", ads)]),
                        ],
                    )
                ],
            )
        ],
    )
    for key, value in overrides.items():
        setattr(data, key, value)
    return data


def import_plan(organisation: Any, data: PlanData | None = None, actor: Any = SYSTEM) -> Any:
    result = plan_import(actor=actor, organisation=organisation, data=data or make_plan_data())
    return result.plan
