"""How an official accepts a receipt. Click-to-accept now; BankID or Freja eID plug in here later."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Signature:
    method: str
    document_sha256: str
    evidence: dict[str, Any]


class Signer(Protocol):
    method: str

    def sign(self, *, document: bytes, signer: Any) -> Signature: ...


class ClickToAccept:
    """The logged-in official ticks "I have received the items and read the instruction" and clicks."""

    method = "click_to_accept"

    def sign(self, *, document: bytes, signer: Any) -> Signature:
        return Signature(
            method=self.method,
            document_sha256=hashlib.sha256(document).hexdigest(),
            evidence={"user_id": getattr(signer, "pk", None), "username": signer.get_username()},
        )


DEFAULT_SIGNER: Signer = ClickToAccept()
