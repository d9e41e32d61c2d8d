"""Every change to the officials register: persons, memberships, Popolo import.

Every service is keyword-only, takes `actor: Actor` and typed parameters; an update's parameters
default to `UNCHANGED` (only those given change). One module per entity; import from here.
"""

from insyn.core.services import UNCHANGED, Unchanged
from insyn.officials.services.erasure import person_erase
from insyn.officials.services.importing import PopoloImportResult, officials_import
from insyn.officials.services.memberships import membership_create, membership_end, membership_update
from insyn.officials.services.persons import person_create, person_update

__all__ = [
    "UNCHANGED",
    "PopoloImportResult",
    "Unchanged",
    "membership_create",
    "membership_end",
    "membership_update",
    "officials_import",
    "person_create",
    "person_erase",
    "person_update",
]
