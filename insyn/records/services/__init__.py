"""Every change to a retention plan, one module per entity:

- `importing`: `plan_import` (and `content`, the bulk writer it shares with a new version);
- `plans`: edit a draft, adopt, new version, delete a draft;
- `document_types`: a draft plan's rows;
- `retention_patterns`: users' grammar rules.

`from insyn.records.services import plan_adopt` keeps working: the public names are here.
"""

from insyn.core.services import UNCHANGED
from insyn.records.exceptions import PlanFrozen, UnclearRulesUnconfirmed
from insyn.records.services._common import ADD_PLAN, CHANGE_PLAN
from insyn.records.services.content import write_content
from insyn.records.services.document_types import document_type_create, document_type_delete, document_type_update
from insyn.records.services.importing import ImportResult, plan_import
from insyn.records.services.plans import plan_adopt, plan_delete_draft, plan_new_version, plan_update
from insyn.records.services.retention_patterns import (
    retention_pattern_create,
    retention_pattern_delete,
    retention_pattern_update,
)

__all__ = [
    "ADD_PLAN",
    "CHANGE_PLAN",
    "UNCHANGED",
    "ImportResult",
    "PlanFrozen",
    "UnclearRulesUnconfirmed",
    "document_type_create",
    "document_type_delete",
    "document_type_update",
    "plan_adopt",
    "plan_delete_draft",
    "plan_import",
    "plan_new_version",
    "plan_update",
    "retention_pattern_create",
    "retention_pattern_delete",
    "retention_pattern_update",
    "write_content",
]
