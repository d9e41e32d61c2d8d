"""Equipment loans' own refusals (on top of `insyn.core.exceptions`)."""

from __future__ import annotations

from insyn.core.exceptions import ConflictError


class NotEligible(ConflictError):
    """The official may not borrow (this kind of kit) under the instruction in force; `detail` has the reasons."""

    default_code = "not_eligible"


class DeviceUnavailable(ConflictError):
    """The kit is on loan, or one of its items is not in stock."""

    default_code = "device_unavailable"
