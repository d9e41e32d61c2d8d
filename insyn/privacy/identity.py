"""Identity checks of data-subject requests: one-time codes by post, and pluggable e-ID providers.

`INSYN_EID_PROVIDER` names the provider class (dotted path). A BankID or Freja eID integration implements
`EidProvider` in its own module and is named there; Insyn ships two:

- `insyn.privacy.identity.DisabledProvider` (the default): no e-ID, the form offers post and in person only;
- `insyn.privacy.identity.TestProvider`: the person types the personnummer to "prove"; refused unless DEBUG or
  INSYN_TESTING, so a misconfigured production server can never verify anyone with it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from insyn.core.exceptions import ValidationFailed

POST_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read from paper
POST_CODE_LENGTH = 10


@dataclass(frozen=True)
class EidStart:
    transaction_id: str
    redirect_url: str  # where the browser goes to identify (the provider's page, or ours for the test provider)


@dataclass(frozen=True)
class EidResult:
    status: str  # "complete", "pending", "failed"
    national_id: str = ""
    name: str = ""


@runtime_checkable
class EidProvider(Protocol):
    code: str
    label: Any

    def available(self) -> bool: ...

    def start(self, *, transaction_id: str, return_url: str) -> EidStart: ...

    def collect(self, *, transaction_id: str, payload: dict[str, str]) -> EidResult: ...


class DisabledProvider:
    code = "disabled"
    label = _("Electronic identification is not offered")

    def available(self) -> bool:
        return False

    def start(self, *, transaction_id: str, return_url: str) -> EidStart:
        raise ValidationFailed(_("Electronic identification is not offered."), code="eid_unavailable")

    def collect(self, *, transaction_id: str, payload: dict[str, str]) -> EidResult:
        raise ValidationFailed(_("Electronic identification is not offered."), code="eid_unavailable")


class TestProvider:
    """Stands in for BankID/Freja in development and tests: the callback carries the personnummer typed."""

    code = "test"
    label = _("Test e-ID (development only)")

    def available(self) -> bool:
        return bool(settings.DEBUG or getattr(settings, "TESTING", False))

    def _require(self) -> None:
        if not self.available():
            raise ValidationFailed(_("Electronic identification is not offered."), code="eid_unavailable")

    def start(self, *, transaction_id: str, return_url: str) -> EidStart:
        self._require()
        return EidStart(transaction_id=transaction_id, redirect_url=return_url)

    def collect(self, *, transaction_id: str, payload: dict[str, str]) -> EidResult:
        self._require()
        from insyn.officials.rules import normalise_national_id

        if payload.get("transaction_id") != transaction_id:
            return EidResult(status="failed")
        try:
            national_id, _scheme = normalise_national_id(payload.get("national_id", "")[:20])
        except ValueError:
            return EidResult(status="failed")
        return EidResult(status="complete", national_id=national_id, name=payload.get("name", "")[:200])


def eid_provider() -> EidProvider:
    path = getattr(settings, "INSYN_EID_PROVIDER", "") or "insyn.privacy.identity.DisabledProvider"
    provider = import_string(path)()
    if not isinstance(provider, EidProvider):
        raise TypeError(f"{path} does not implement EidProvider")
    return provider


def new_secret(nbytes: int = 24) -> str:
    return secrets.token_urlsafe(nbytes)


def new_post_code() -> str:
    return "".join(secrets.choice(POST_CODE_ALPHABET) for _ in range(POST_CODE_LENGTH))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper()[:64] if ch.isalnum())


def hash_secret(value: str, *, purpose: str) -> str:
    """Keyed hash: a stolen database does not let anyone try codes offline without the SECRET_KEY."""
    key = f"insyn.privacy.{purpose}:{settings.SECRET_KEY}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def secret_matches(value: str, stored_hash: str, *, purpose: str) -> bool:
    return bool(stored_hash) and hmac.compare_digest(hash_secret(value, purpose=purpose), stored_hash)
