"""What privacy does when other modules (or its own register) announce a fact."""

from __future__ import annotations


def connect() -> None:
    # Filled in by the notices part: a changed register or an adopted plan makes new notice drafts.
    pass
