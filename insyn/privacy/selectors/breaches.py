"""Reads of the breach register: what the actor may see, and the 72-hour clock of Art. 33(1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.exceptions import NotFoundError
from insyn.core.models import Organisation, RoleAssignment
from insyn.core.permissions import organisation_q
from insyn.core.roles import ROLES_BY_CODE
from insyn.privacy.models import Breach, BreachStatus, Register, TaxonomyTerm

VIEW = "privacy.view_breach"
ADD = "privacy.add_breach"
DEADLINE = dt.timedelta(hours=72)
REMINDER_AFTER = dt.timedelta(hours=48)
DUE_SOON = dt.timedelta(hours=24)
# The supervisory authority of the controller's country (Art. 51): Integritetsskyddsmyndigheten, Urząd
# Ochrony Danych Osobowych.
AUTHORITY_BY_COUNTRY = {"SE": "IMY", "PL": "UODO"}

# Clock states, stable codes for the API, CSS and tests.
RUNNING = "running"
DUE_SOON_STATE = "due_soon"
OVERDUE = "overdue"
NOTIFIED = "notified"
NOTIFIED_LATE = "notified_late"
NOT_REQUIRED = "not_required"


@dataclass(frozen=True)
class BreachClock:
    deadline: dt.datetime
    remaining: dt.timedelta  # negative once the deadline has passed
    state: str

    @property
    def stopped(self) -> bool:
        return self.state in (NOTIFIED, NOTIFIED_LATE, NOT_REQUIRED)

    @property
    def remaining_seconds(self) -> int:
        return int(self.remaining.total_seconds())

    @property
    def label(self) -> str:
        """The remaining time as words, for the server-rendered countdown."""
        if self.state == NOTIFIED:
            return _("Notified in time")
        if self.state == NOTIFIED_LATE:
            return _("Notified after the deadline")
        if self.state == NOT_REQUIRED:
            return _("Not notified: reasons recorded")
        seconds = abs(self.remaining_seconds)
        hours, minutes = seconds // 3600, seconds % 3600 // 60
        if self.remaining_seconds < 0:
            return _("%(hours)d h %(minutes)02d min overdue") % {"hours": hours, "minutes": minutes}
        return _("%(hours)d h %(minutes)02d min left") % {"hours": hours, "minutes": minutes}


def clock(breach: Breach, now: dt.datetime) -> BreachClock:
    """The deadline to notify the authority (72 hours from discovery), the time left and the state."""
    deadline = breach.discovered_at + DEADLINE
    if breach.authority_notified_at is not None:
        state = NOTIFIED if breach.authority_notified_at <= deadline else NOTIFIED_LATE
        return BreachClock(deadline, deadline - breach.authority_notified_at, state)
    remaining = deadline - now
    if breach.authority_not_notified_reason:
        return BreachClock(deadline, remaining, NOT_REQUIRED)
    if remaining < dt.timedelta(0):
        state = OVERDUE
    elif remaining <= DUE_SOON:
        state = DUE_SOON_STATE
    else:
        state = RUNNING
    return BreachClock(deadline, remaining, state)


def breaches(*, actor: Actor, status: str | None = None) -> QuerySet[Breach]:
    qs = Breach.objects.filter(organisation_q(actor, VIEW, prefix="controller__")).select_related("controller")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-discovered_at", "-pk")


def open_breaches(*, actor: Actor) -> QuerySet[Breach]:
    return breaches(actor=actor, status=BreachStatus.OPEN)


def access_breach(*, actor: Actor, pk: Any) -> Breach:
    """One breach the actor may see; "missing" and "not yours" are the same error."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise NotFoundError() from None
    breach = (
        breaches(actor=actor).prefetch_related("data_categories", "subject_categories", "activities").filter(pk=key)
    ).first()
    if breach is None:
        raise NotFoundError()
    return breach


def breach_by_reference(*, actor: Actor, reference: str) -> Breach:
    breach = breaches(actor=actor).filter(reference=reference[:40]).first()
    if breach is None:
        raise NotFoundError()
    return breach


def breach_controllers(*, actor: Actor) -> QuerySet[Organisation]:
    """The organisations the actor may report a breach for (the assigned subtree)."""
    return Organisation.objects.filter(organisation_q(actor, ADD, write=True), active=True).order_by("path")


def controller_by_path(*, actor: Actor, label: str) -> Organisation:
    """ "MUNICIPALITY/ORGAN" (or a municipality's name) among the organisations the actor may report for."""
    parts = [p.strip() for p in label.split("/") if p.strip()]
    candidates = breach_controllers(actor=actor)
    if not parts:
        raise NotFoundError()
    if len(parts) == 1:
        found = candidates.filter(name=parts[0], parent__isnull=True).first()
    else:
        found = candidates.filter(name=parts[-1], municipality__name=parts[0]).first()
    if found is None:
        raise NotFoundError()
    return found


def breach_choices(*, actor: Actor, breach: Breach) -> dict[str, QuerySet[Any]]:
    """What a breach may point at: the municipality's taxonomy terms and register activities."""
    from insyn.privacy.models import ProcessingActivity

    municipality_id = breach.controller.municipality_id or breach.controller_id
    terms = TaxonomyTerm.objects.filter(Q(municipality__isnull=True) | Q(municipality_id=municipality_id))
    return {
        "terms": terms.order_by("kind", "key"),
        "activities": ProcessingActivity.objects.filter(register__controller__municipality_id=municipality_id).order_by(
            "register__controller__path", "position"
        ),
    }


def dpo_recipients(controller: Organisation) -> list[str]:
    """Who hears of a breach: the DPO named on the controller's registers and every user holding the DPO role
    on the controller or above it."""
    emails = [e for e in Register.objects.filter(controller=controller).values_list("dpo_email", flat=True) if e]
    parts = controller.path.strip("/").split("/")
    wanted = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    dpo = ROLES_BY_CODE["dpo"].group_name
    users = RoleAssignment.objects.filter(organisation__path__in=wanted, role__name=dpo).values_list("user_id")
    emails += list(
        get_user_model()
        .objects.filter(pk__in=users, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys(emails))


def breach_counts(*, actor: Actor, now: dt.datetime) -> dict[str, int]:
    """Open breaches by clock state, for the DPO's dashboard."""
    counts = {RUNNING: 0, DUE_SOON_STATE: 0, OVERDUE: 0, NOTIFIED: 0, NOTIFIED_LATE: 0, NOT_REQUIRED: 0}
    for breach in open_breaches(actor=actor):
        counts[clock(breach, now).state] += 1
    return counts
