"""The DPO dashboard's counts: activities per legal basis, open register warnings, requests by deadline
state and breaches by the state of their 72-hour clock, each over what the actor may see.

Reading is allowed across the actor's municipality (`organisation_q` without `write`), as everywhere in
Insyn; each count reads only the rows of the model whose view permission the actor holds there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from insyn.core.actor import Actor
from insyn.core.models import Organisation
from insyn.core.permissions import actor_scope, organisation_q
from insyn.privacy.models import (
    Breach,
    BreachStatus,
    LegalBasis,
    LegalBasisArticle,
    ProcessingActivity,
    Register,
    RequestStatus,
    SubjectRequest,
    TaxonomyTerm,
)
from insyn.records.models import DocumentType, ITSystem
from insyn.records.selectors import document_type_list, published_plans

# A request is "due soon" when its (extended) due date is at most this many days away.
DUE_SOON_DAYS = 7
# Art. 33(1): the supervisory authority is notified within 72 hours of the controller becoming aware.
BREACH_CLOCK = dt.timedelta(hours=72)
OPEN_REQUEST_STATUSES = (RequestStatus.RECEIVED, RequestStatus.IN_PROGRESS)


def visible_registers(*, actor: Actor) -> QuerySet[Register]:
    return Register.objects.filter(
        organisation_q(actor, "privacy.view_register", prefix="controller__")
    ).select_related("controller", "controller__municipality")


def visible_activities(*, actor: Actor) -> QuerySet[ProcessingActivity]:
    """Every processing activity of the registers in the actor's municipalities (the admin's activity list)."""
    return ProcessingActivity.objects.filter(
        organisation_q(actor, "privacy.view_processingactivity", prefix="register__controller__")
    ).select_related("register", "register__controller")


def visible_requests(*, actor: Actor) -> QuerySet[SubjectRequest]:
    return SubjectRequest.objects.filter(organisation_q(actor, "privacy.view_subjectrequest", prefix="controller__"))


def visible_breaches(*, actor: Actor) -> QuerySet[Breach]:
    return Breach.objects.filter(organisation_q(actor, "privacy.view_breach", prefix="controller__"))


def it_systems_in_use(*, actor: Actor) -> list[dict[str, Any]]:
    """The IT systems (information carriers) of the actor's municipalities with the activities that use them."""
    scope = actor_scope(actor)
    systems_qs = ITSystem.objects.order_by("name")
    if not scope.is_superuser:
        systems_qs = systems_qs.filter(municipality_id__in=scope.municipalities_with("privacy.view_processingactivity"))
    systems: dict[int, dict[str, Any]] = {system.pk: {"system": system, "activities": []} for system in systems_qs}
    for activity in visible_activities(actor=actor).prefetch_related("systems"):
        for system in activity.systems.all():
            systems.setdefault(system.pk, {"system": system, "activities": []})["activities"].append(activity)
    return sorted(systems.values(), key=lambda entry: entry["system"].name.casefold())


# --- Counts ---------------------------------------------------------------------------------------


@dataclass
class Bar:
    key: str
    label: str
    count: int


@dataclass
class Dashboard:
    activities: int = 0
    legal_bases: list[Bar] = field(default_factory=list)
    without_basis: int = 0
    requests: list[Bar] = field(default_factory=list)
    requests_by_month: list[Bar] = field(default_factory=list)
    open_breaches: int = 0
    breaches: list[Bar] = field(default_factory=list)
    running_breaches: list[dict[str, Any]] = field(default_factory=list)


def activities_by_legal_basis(*, actor: Actor) -> tuple[list[Bar], int]:
    """Each Art. 6(1) basis with the number of activities resting on it (an activity with two counts twice),
    and the number of activities with no basis at all."""
    activities = visible_activities(actor=actor)
    counts = dict(
        LegalBasis.objects.filter(activity__in=activities)
        .values("article")
        .annotate(count=Count("activity", distinct=True))
        .values_list("article", "count")
    )
    bars = [Bar(article.value, str(article.label), counts.get(article.value, 0)) for article in LegalBasisArticle]
    without = activities.filter(legal_bases__isnull=True).count()
    return bars, without


def requests_by_deadline(*, actor: Actor, today: dt.date | None = None) -> list[Bar]:
    """Open requests by their Art. 12(3) deadline (the extended one when extended): on time, due soon, overdue."""
    today = today or timezone.localdate()
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    counts = (
        visible_requests(actor=actor)
        .filter(status__in=OPEN_REQUEST_STATUSES)
        .annotate(due=Coalesce("extended_due_on", "due_on"))
        .aggregate(
            overdue=Count("pk", filter=Q(due__lt=today)),
            due_soon=Count("pk", filter=Q(due__gte=today, due__lte=soon)),
            on_time=Count("pk", filter=Q(due__gt=soon)),
        )
    )
    return [
        Bar("on_time", _label("on_time"), counts["on_time"]),
        Bar("due_soon", _label("due_soon"), counts["due_soon"]),
        Bar("overdue", _label("overdue"), counts["overdue"]),
    ]


def requests_by_month(*, actor: Actor, today: dt.date | None = None, months: int = 12) -> list[Bar]:
    """Requests received in each of the last `months` calendar months, oldest first (months with none included)."""
    today = today or timezone.localdate()
    firsts: list[dt.date] = []
    year, month = today.year, today.month
    for _step in range(months):
        firsts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    firsts.reverse()
    start = timezone.make_aware(dt.datetime.combine(firsts[0], dt.time.min))
    rows = (
        visible_requests(actor=actor)
        .filter(received_at__gte=start)
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(count=Count("pk"))
        .values_list("month", "count")
    )
    counts: dict[tuple[int, int], int] = {}
    for month_start, count in rows:
        key = (month_start.year, month_start.month)
        counts[key] = counts.get(key, 0) + count
    return [
        Bar(first.strftime("%Y-%m"), first.strftime("%Y-%m"), counts.get((first.year, first.month), 0))
        for first in firsts
    ]


def breaches_by_clock(*, actor: Actor, now: dt.datetime | None = None) -> tuple[int, list[Bar], list[dict[str, Any]]]:
    """Open breaches by the state of their 72-hour clock, and those whose clock is still running (soonest first).

    Notified in time or late is read from `authority_notified_at`; a recorded reason for not notifying the
    authority stops the clock; with neither, the clock runs until discovery + 72 h and is overdue after it.
    """
    now = now or timezone.now()
    open_breaches = visible_breaches(actor=actor).filter(status=BreachStatus.OPEN)
    deadline = F("discovered_at") + BREACH_CLOCK
    unnotified = Q(authority_notified_at__isnull=True, authority_not_notified_reason="")
    counts = open_breaches.aggregate(
        total=Count("pk"),
        running=Count("pk", filter=unnotified & Q(discovered_at__gt=now - BREACH_CLOCK)),
        clock_overdue=Count("pk", filter=unnotified & Q(discovered_at__lte=now - BREACH_CLOCK)),
        in_time=Count("pk", filter=Q(authority_notified_at__isnull=False, authority_notified_at__lte=deadline)),
        late=Count("pk", filter=Q(authority_notified_at__isnull=False, authority_notified_at__gt=deadline)),
        not_notifiable=Count("pk", filter=Q(authority_notified_at__isnull=True) & ~Q(authority_not_notified_reason="")),
    )
    bars = [
        Bar(key, _label(key), counts[key]) for key in ("running", "clock_overdue", "in_time", "late", "not_notifiable")
    ]
    running = []
    for breach in open_breaches.filter(unnotified, discovered_at__gt=now - BREACH_CLOCK).order_by("discovered_at")[:10]:
        left = breach.discovered_at + BREACH_CLOCK - now
        running.append(
            {
                "breach": breach,
                "deadline": breach.discovered_at + BREACH_CLOCK,
                "hours_left": int(left.total_seconds() // 3600),
                "minutes_left": int(left.total_seconds() // 60 % 60),
            }
        )
    return counts["total"], bars, running


def open_warnings(*, actor: Actor) -> list[Bar]:
    """The register checks' warnings over every register the actor sees, counted by check code (most first)."""
    from insyn.privacy.selectors.register import register_warnings

    counts: dict[str, Bar] = {}
    for register in visible_registers(actor=actor):
        for warnings in register_warnings(actor=actor, register=register).values():
            for warning in warnings:
                bar = counts.setdefault(warning["code"], Bar(warning["code"], warning["message"], 0))
                bar.count += 1
    return sorted(counts.values(), key=lambda bar: (-bar.count, bar.key))


def dashboard(*, actor: Actor, today: dt.date | None = None, now: dt.datetime | None = None) -> Dashboard:
    """The counts the actor's permissions allow: a section the actor may not read stays empty."""
    data = Dashboard()
    if may_read(actor, "privacy.view_processingactivity"):
        data.activities = visible_activities(actor=actor).count()
        data.legal_bases, data.without_basis = activities_by_legal_basis(actor=actor)
    if may_read(actor, "privacy.view_subjectrequest"):
        data.requests = requests_by_deadline(actor=actor, today=today)
        data.requests_by_month = requests_by_month(actor=actor, today=today)
    if may_read(actor, "privacy.view_breach"):
        data.open_breaches, data.breaches, data.running_breaches = breaches_by_clock(actor=actor, now=now)
    return data


def may_read(actor: Actor, perm: str) -> bool:
    """Whether the actor holds `perm` somewhere (a role in some organisation), or is a superuser."""
    scope = actor_scope(actor)
    return scope.is_superuser or bool(scope.municipalities_with(perm))


def may_see_dashboard(actor: Actor) -> bool:
    return any(
        may_read(actor, perm)
        for perm in ("privacy.view_processingactivity", "privacy.view_subjectrequest", "privacy.view_breach")
    )


def _label(key: str) -> str:
    from django.utils.translation import gettext

    labels = {
        "on_time": gettext("On time"),
        "due_soon": gettext("Due within %(days)d days") % {"days": DUE_SOON_DAYS},
        "overdue": gettext("Overdue"),
        "running": gettext("72-hour clock running"),
        "clock_overdue": gettext("72 hours passed, authority not notified"),
        "in_time": gettext("Authority notified within 72 hours"),
        "late": gettext("Authority notified late"),
        "not_notifiable": gettext("Not notified, reason recorded"),
    }
    return labels[key]


# --- Choices the register admin's forms offer ------------------------------------------------------------
# (Reads of the register pages that P1's selectors do not cover; candidates to move to selectors/register.py.)


def municipality_id_of(register: Register) -> int:
    controller = register.controller
    return int(controller.municipality_id or controller.pk)


def register_terms(*, municipality_id: int, kind: str) -> QuerySet[TaxonomyTerm]:
    """Insyn's built-in terms of `kind` and the municipality's own, in the taxonomy's order."""
    return TaxonomyTerm.objects.filter(
        Q(municipality__isnull=True) | Q(municipality_id=municipality_id), kind=kind
    ).order_by("position", "key")


def adopted_document_types(*, actor: Actor, municipality_id: int) -> QuerySet[DocumentType]:
    """Rows of the municipality's adopted plans (the plans in force): what an activity's retention may link to."""
    return (
        document_type_list(actor=actor)
        .filter(plan__in=published_plans(municipality_id=municipality_id))
        .order_by("plan__title", "position")
    )


def register_controller_choices(*, actor: Actor) -> QuerySet[Organisation]:
    """Organs where the actor may create a register (a register belongs to an organ): their assigned subtree."""
    return Organisation.objects.filter(
        organisation_q(actor, "privacy.add_register", write=True), kind="organ"
    ).order_by("municipality__name", "path")
