from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from insyn.core.exceptions import DomainError


class PrivacyError(DomainError):
    default_code = "privacy_error"


class ApprovalRefused(PrivacyError):
    """An activity, register or notice cannot be approved: the detail lists what is missing."""

    status_code = 409
    default_code = "approval_refused"

    def __init__(self, message: object = None, code: str | None = None, detail: object = None) -> None:
        super().__init__(message or _("This cannot be approved yet."), code, detail)


class RequestStateError(PrivacyError):
    status_code = 409
    default_code = "request_state"
