"""Errors of the records module; every door (admin, API, CLI, tasks) shows the same message."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from insyn.core.exceptions import ConflictError, ValidationFailed

if TYPE_CHECKING:
    from insyn.records.models import DocumentType


class PlanFrozen(ConflictError):
    default_code = "plan_frozen"

    def __init__(self) -> None:
        super().__init__(_("This plan version is adopted and cannot be changed. Create a new version to revise it."))


class UnclearRulesUnconfirmed(ValidationFailed):
    """Adoption refused: some rules are `unclear` and nobody confirmed them with a reason."""

    default_code = "unclear_rules_unconfirmed"

    def __init__(self, rows: list[DocumentType]) -> None:
        names = "; ".join(f"{row.name} (id {row.pk})" for row in rows)
        super().__init__(
            _("Confirm each unclear retention rule with a reason before adopting: %(rows)s") % {"rows": names},
            detail={"unclear_rules": [{"id": row.pk, "name": row.name} for row in rows]},
        )
        self.rows = rows
