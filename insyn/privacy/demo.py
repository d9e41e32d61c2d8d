"""`insyn demo`: the registers of seeds 003 (Södertälje KS) and 001 (Piteå KS, förtroendevalda)."""

from __future__ import annotations

from typing import Any


def load_demo(*, actor: Any) -> dict[str, Any]:
    return {}
