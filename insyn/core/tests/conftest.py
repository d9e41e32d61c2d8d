from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from insyn.core.models import Organisation
from insyn.core.tests.factories import make_document, make_municipality, make_organ, make_user_with_role


@dataclass
class Tenant:
    municipality: Organisation
    board: Organisation
    registrar: Any
    document: Any


@pytest.fixture
def two_municipalities(db: Any) -> tuple[Tenant, Tenant]:
    tenants = []
    for name in ("Piteå kommun", "Torsby kommun"):
        municipality = make_municipality(name)
        board = make_organ(municipality)
        registrar = make_user_with_role(municipality, "registrar", username=f"registrar.{name.split()[0].lower()}")
        document = make_document(board, title=f"Dokumentpolicy för {name}", registration_number=f"KS-{name[:3]}")
        tenants.append(Tenant(municipality, board, registrar, document))
    return tenants[0], tenants[1]
