from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from insyn.core.models import Organisation
from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role


@dataclass
class Register:
    municipality: Organisation
    board: Organisation
    nämnd: Organisation
    secretary: Any
    administrator: Any


def build_register(name: str) -> Register:
    municipality = make_municipality(name)
    slug = name.split()[0].casefold()
    return Register(
        municipality,
        make_organ(municipality, "Kommunstyrelsen", "kommunstyrelse"),
        make_organ(municipality, "Barn- och utbildningsnämnden", "namnd"),
        make_user_with_role(municipality, "secretary", username=f"{slug}.sekreterare"),
        make_user_with_role(municipality, "administrator", username=f"{slug}.admin"),
    )


@pytest.fixture
def english() -> Any:
    """For tests that assert messages in English; the site's default language is Swedish."""
    with translation.override("en"):
        yield


@pytest.fixture
def nordby(db: Any) -> Register:
    return build_register("Nordby kommun")


@pytest.fixture
def sydby(db: Any) -> Register:
    return build_register("Sydby kommun")
