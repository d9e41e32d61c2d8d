"""Who may borrow what: the instruction's rules as data, evaluated without the database.

The default rule set is Piteå's instruction 22KS572 v1 (seed 002):
- members and substitutes of kommunfullmäktige, a nämnd (kommunstyrelsen
  included) or a kommunalt bolag may borrow a tablet with accessories;
- chairs of fullmäktige, a nämnd or a company board may choose a computer instead;
- the valnämnd, and external members of samverkans- and brukarråd, may not.
A person is eligible if any current membership qualifies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

ORGAN_LABELS_SV = {
    "kommunfullmaktige": "kommunfullmäktige",
    "kommunstyrelse": "kommunstyrelsen",
    "namnd": "nämnd",
    "utskott": "utskott",
    "kommunalt_bolag": "kommunalt bolag",
    "valnamnd": "valnämnd",
    "revision": "revisionen",
    "samverkansrad": "samverkansråd",
    "brukarrad": "brukarråd",
}
ROLE_LABELS_SV = {
    "ordforande": "ordförande",
    "vice_ordforande": "vice ordförande",
    "ledamot": "ledamot",
    "ersattare": "ersättare",
}
DEVICE_LABELS_SV = {"tablet": "surfplatta", "computer": "dator"}

PITEA_22KS572_V1: dict[str, Any] = {
    "grants": [
        {
            "organ_types": ["kommunfullmaktige", "kommunstyrelse", "namnd", "kommunalt_bolag"],
            "roles": ["ordforande", "vice_ordforande", "ledamot", "ersattare"],
            "external": None,
            "devices": ["tablet"],
        },
        {
            "organ_types": ["kommunfullmaktige", "kommunstyrelse", "namnd", "kommunalt_bolag"],
            "roles": ["ordforande"],
            "external": None,
            "devices": ["tablet", "computer"],
        },
    ],
    "exclusions": [
        {"organ_types": ["valnamnd"], "roles": None, "external": None, "why": "valnämnden lånar inte ut utrustning"},
        {
            "organ_types": ["samverkansrad", "brukarrad"],
            "roles": None,
            "external": True,
            "why": "externa ledamöter och ersättare i samverkans- eller brukarråd lånar inte",
        },
    ],
}


@dataclass(frozen=True)
class MembershipFacts:
    role: str
    organ_type: str
    organ_name: str
    is_external: bool = False
    start_date: dt.date | None = None
    end_date: dt.date | None = None

    def current_on(self, day: dt.date) -> bool:
        return (self.start_date is None or self.start_date <= day) and (self.end_date is None or self.end_date >= day)

    def describe(self) -> str:
        role = ROLE_LABELS_SV.get(self.role, self.role)
        external = "extern " if self.is_external else ""
        return f"{external}{role} i {self.organ_name}"


@dataclass
class Eligibility:
    eligible: bool
    devices: list[str]
    reasons: list[str] = field(default_factory=list)
    qualifying_until: dt.date | None = None
    return_due: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.eligible,
            "devices": self.devices,
            "reasons": self.reasons,
            "qualifying_until": self.qualifying_until.isoformat() if self.qualifying_until else None,
            "return_due": self.return_due.isoformat() if self.return_due else None,
        }


def _matches(clause: dict[str, Any], membership: MembershipFacts) -> bool:
    organ_types = clause.get("organ_types")
    roles = clause.get("roles")
    external = clause.get("external")
    return (
        (not organ_types or membership.organ_type in organ_types)
        and (not roles or membership.role in roles)
        and (external is None or membership.is_external == external)
    )


def _devices_for(membership: MembershipFacts, rules: dict[str, Any]) -> tuple[list[str], str | None]:
    """Devices this membership gives, or the exclusion that stops it."""
    for exclusion in rules.get("exclusions", []):
        if _matches(exclusion, membership):
            return [], str(exclusion.get("why") or "undantagen enligt anvisningen")
    devices: list[str] = []
    for grant in rules.get("grants", []):
        if _matches(grant, membership):
            devices += [d for d in grant.get("devices", []) if d not in devices]
    return devices, None if devices else "uppdraget ger ingen rätt att låna"


def _label(devices: list[str]) -> str:
    return " eller ".join(DEVICE_LABELS_SV.get(d, d) for d in devices)


def evaluate(
    memberships: Iterable[MembershipFacts], *, on: dt.date, rules: dict[str, Any], return_days: int = 14
) -> Eligibility:
    devices: list[str] = []
    reasons: list[str] = []
    current_ends: list[dt.date | None] = []
    past_ends: list[dt.date] = []
    for membership in sorted(memberships, key=lambda m: (m.organ_name, m.role)):
        granted, why_not = _devices_for(membership, rules)
        if not granted:
            reasons.append(f"{membership.describe()} → inget lån ({why_not})")
            continue
        if membership.start_date and membership.start_date > on:
            # Not yet: say so, rather than "no assignments registered" (newly elected, term not started).
            reasons.append(f"{membership.describe()} börjar {membership.start_date.isoformat()} → inget lån ännu")
            continue
        if membership.current_on(on):
            devices += [d for d in granted if d not in devices]
            current_ends.append(membership.end_date)
            through = f" t.o.m. {membership.end_date.isoformat()}" if membership.end_date else ""
            reasons.append(f"{membership.describe()}{through} → {_label(granted)}")
        elif membership.end_date is not None:
            past_ends.append(membership.end_date)
            reasons.append(f"{membership.describe()} upphörde {membership.end_date.isoformat()} → inget lån längre")
    if devices:
        order = ["tablet", "computer"]
        devices.sort(key=lambda d: order.index(d) if d in order else len(order))
        until = None if any(end is None for end in current_ends) else max(e for e in current_ends if e is not None)
    else:
        until = max(past_ends) if past_ends else None
    if not reasons:
        reasons.append("inga uppdrag registrerade")
    return Eligibility(
        eligible=bool(devices),
        devices=devices,
        reasons=reasons,
        qualifying_until=until,
        return_due=until + dt.timedelta(days=return_days) if until else None,
    )
