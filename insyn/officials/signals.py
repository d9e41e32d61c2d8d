"""Facts about officials, sent after commit (`insyn.core.events.send_after_commit`).

Receivers live in the modules that care (loans: due dates follow memberships); officials imports none of them.
"""

from __future__ import annotations

from django.dispatch import Signal

# sender=Membership; membership_id: int, person_id: int, organisation_id: int, actor: Actor
membership_changed = Signal()
# sender=Person; person_id: int, municipality_id: int, actor: Actor. Declared for the erasure of the privacy
# module (issue 10), which sends it after erasing; loans and records will listen. Nothing sends it yet.
person_erased = Signal()
