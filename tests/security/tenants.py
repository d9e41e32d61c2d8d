"""Two municipalities holding one object of every kind, for walks that try every door with the other's ids.

Everything of Piteå's carries the marker "Piteå" in a name or label, so a page that leaks any of it to a
Torsby user is caught by looking for the marker, wherever on the page it shows.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from insyn.core.models import AuditEntry, GoverningDocument, Organisation, RoleAssignment
from insyn.core.permissions import SYSTEM
from insyn.core.roles import ROLES
from insyn.core.services.organisations import organisation_update
from insyn.core.tests.factories import UserFactory, make_user_with_role
from insyn.loans.models import BroadbandRequest, Device, Incident, Kit, Loan, Receipt
from insyn.loans.services import broadband_request, incident_report, loan_checkout
from insyn.loans.tests.conftest import HANDOVER, ON, Pitea, build_pitea, make_kit, make_official
from insyn.officials.models import Membership, Person
from insyn.records.models import DocumentType, RetentionPattern, RetentionPlan
from insyn.records.services import retention_pattern_create
from insyn.records.tests.factories import import_plan, make_plan_data

MARKER = "piteå"


@dataclass
class Tenant:
    base: Pitea
    users: dict[str, Any]  # role code → a user holding that role for the whole municipality
    objects: dict[type, list[Any]] = field(default_factory=dict)

    @property
    def municipality(self) -> Organisation:
        return self.base.municipality


def build_tenant(name: str) -> Tenant:
    base = build_pitea(name)
    slug = name.split()[0].lower()
    if "Piteå" not in name:  # the fixture's company is Piteå's by name; another tenant's must not carry the marker
        organisation_update(actor=SYSTEM, organisation=base.bolag, name=f"{name.split()[0]} kommunföretag AB")
    users = {
        role.code: make_user_with_role(base.municipality, role.code, username=f"{role.code}.{slug}") for role in ROLES
    }
    person = make_official(
        base.municipality,
        [(base.ks, "ordforande"), (base.bun, "ledamot")],
        given_name=f"Anna {name.split()[0]}",
        family_name=f"{name.split()[0]}sson",
    )
    kit = make_kit(base.municipality, base.it, "tablet", label=f"Surfplatta {name.split()[0]}")
    loan = loan_checkout(actor=base.it, kit=kit, person=person, handover=HANDOVER, on=ON)
    device = kit.devices.exclude(device_type="tablet").first()
    incident_report(
        actor=base.it,
        loan=loan,
        device=device,
        kind="lost",
        occurred_at=dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC),
        description=f"Borttappad i {name}",
    )
    broadband_request(actor=person.user, loan=loan, reason="no_wifi", motivation=f"Bor utanför {name}")
    adopted = import_plan(base.ks, make_plan_data(title=f"Plan för {name}"))
    draft = import_plan(base.ks, make_plan_data(status="draft", version="2.0", title=f"Utkast för {name}"))
    retention_pattern_create(
        actor=SYSTEM,
        municipality=base.municipality,
        name=f"Mönster {name}",
        pattern=r"gallras efter avslutat ärende",
        lang="sv",
        action="dispose",
        trigger="case_closed",
    )
    tenant = Tenant(base, users)
    municipality_id = base.municipality.pk
    tenant.objects = {
        Organisation: list(Organisation.objects.filter(municipality_id=municipality_id)),
        GoverningDocument: list(GoverningDocument.objects.filter(organisation__municipality_id=municipality_id)),
        RoleAssignment: list(RoleAssignment.objects.filter(organisation__municipality_id=municipality_id)),
        AuditEntry: list(AuditEntry.objects.filter(organisation__municipality_id=municipality_id)[:3]),
        RetentionPlan: [adopted, draft],
        DocumentType: [adopted.document_types.first(), draft.document_types.first()],
        RetentionPattern: list(RetentionPattern.objects.filter(municipality_id=municipality_id)),
        Person: [person],
        Membership: list(Membership.objects.filter(person=person)),
        Kit: [kit],
        Device: list(Device.objects.filter(kit=kit)),
        Loan: [loan],
        Receipt: list(Receipt.objects.filter(loan=loan)),
        Incident: list(Incident.objects.filter(loan=loan)),
        BroadbandRequest: list(BroadbandRequest.objects.filter(loan=loan)),
        get_user_model(): [person.user, *users.values()],
    }
    from tests.security.privacy_tenant import build_privacy

    tenant.objects.update(build_privacy(base, name, users, person))
    return tenant


def fingerprint() -> str:
    """A digest of every row a refused request must leave alone (read entries on the audit trail excepted)."""
    digest = hashlib.sha256()
    labels = [m for m in apps.get_models() if m._meta.app_label in {"core", "records", "officials", "loans", "privacy"}]
    labels += [get_user_model(), Group, apps.get_model("wagtailcore", "ModelLogEntry")]
    labels += [apps.get_model("wagtailadmin", "EditingSession"), apps.get_model("wagtailcore", "APIToken")]
    for model in labels:
        rows = model._default_manager.all()
        if model is AuditEntry:
            rows = rows.exclude(action="read")
        fields = sorted(f.attname for f in model._meta.concrete_fields if f.attname != "last_login")
        for row in rows.order_by("pk").values_list(*fields):
            digest.update(repr((model._meta.label, row)).encode())
    for user in get_user_model().objects.order_by("pk").prefetch_related("groups"):
        digest.update(repr((user.pk, sorted(g.pk for g in user.groups.all()))).encode())
    return digest.hexdigest()


def make_superuser() -> Any:
    user = UserFactory(username="installation.admin")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


def role_group(code: str) -> Group:
    return Group.objects.get(name=next(r.group_name for r in ROLES if r.code == code))
