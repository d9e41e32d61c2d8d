from insyn.core.models.audit import AuditEntry
from insyn.core.models.documents import DocumentExpiryNotice, GoverningDocument
from insyn.core.models.jobs import ScheduledJobRun
from insyn.core.models.organisations import Organisation, RoleAssignment

__all__ = [
    "AuditEntry",
    "DocumentExpiryNotice",
    "GoverningDocument",
    "Organisation",
    "RoleAssignment",
    "ScheduledJobRun",
]
