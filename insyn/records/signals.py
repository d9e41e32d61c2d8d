"""Facts about retention plans, sent after commit (`insyn.core.events.send_after_commit`)."""

from __future__ import annotations

from django.dispatch import Signal

# sender=RetentionPlan; plan_id: int, organisation_id: int, actor: Actor
plan_adopted = Signal()
