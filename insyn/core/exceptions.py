"""Typed domain errors: every door (admin, API, CLI, tasks) shows the same message."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the domain refused the operation; maps to HTTP 400 unless a subclass says otherwise."""

    status_code = 400
    default_code = "domain_error"

    def __init__(self, message: Any = None, code: str | None = None, detail: Any = None) -> None:
        self.message = message if message is not None else _("The operation was refused.")
        self.code = code or self.default_code
        self.detail = detail
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    default_code = "validation_error"


class PermissionDeniedError(DomainError):
    status_code = 403
    default_code = "permission_denied"

    def __init__(self, message: Any = None, code: str | None = None, detail: Any = None) -> None:
        super().__init__(message or _("You do not have permission to do this."), code, detail)


class NotFoundError(DomainError):
    status_code = 404
    default_code = "not_found"

    def __init__(self, message: Any = None, code: str | None = None, detail: Any = None) -> None:
        super().__init__(message or _("Not found."), code, detail)


class ConflictError(DomainError):
    status_code = 409
    default_code = "conflict"


class ImportLimitExceeded(ValidationFailed):
    """An imported file passed one of the `INSYN_IMPORT_*` limits (see `insyn.core.bounded_input`)."""

    default_code = "import_limit"


class ImportTooLarge(ImportLimitExceeded):
    """The uploaded file is larger than `INSYN_IMPORT_MAX_BYTES`: refused before it is read."""

    status_code = 413


class UnsafeImportFile(ValidationFailed):
    """An imported file holds something no real plan or register has (a DTD, entity declarations)."""

    default_code = "unsafe_file"
