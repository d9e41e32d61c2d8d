from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
from insyn.records.tests.factories import import_plan


@dataclass
class RecordsTenant:
    municipality: Any
    board: Any
    archivist: Any
    plan: Any


@pytest.fixture
def torsby(db: Any) -> RecordsTenant:
    municipality = make_municipality("Torsby kommun")
    board = make_organ(municipality)
    archivist = make_user_with_role(municipality, "archivist", username="torsby.arkivarie")
    return RecordsTenant(municipality, board, archivist, import_plan(board))


@pytest.fixture
def pitea(db: Any) -> RecordsTenant:
    municipality = make_municipality("Piteå kommun")
    board = make_organ(municipality)
    archivist = make_user_with_role(municipality, "archivist", username="pitea.arkivarie")
    return RecordsTenant(municipality, board, archivist, None)
