"""Data for the query-count table (tests/test_query_counts.py): two municipalities, and one "grow" per list.

`build_world()` makes Torsby (the actor's municipality) and Piteå (another one), each with the organs, rule
set and staff of the loans fixture, and Torsby's administrator. A grow function adds `n` rows of one list's
model to one municipality, through the services, and returns a label of each row it added that the list
shows, so that the test can check the rows it counted are on the page (and Piteå's are not).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import itertools
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import make_document, make_organ, make_user_with_role
from insyn.loans.models import Loan
from insyn.loans.tests.conftest import HANDOVER, ON, RETURN_OK, Pitea, build_pitea, make_kit, make_official
from insyn.officials.models import Person
from insyn.records.models import ClassificationNode, RetentionPlan
from insyn.records.plandata import ActivityData, AreaData, DocumentTypeData, GroupData, PlanData, ProcessData
from insyn.records.tests.factories import OBSOLETE, import_plan, make_plan_data

_numbers = itertools.count(1)

Grow = Callable[["World", Pitea, int], list[str]]


@dataclass
class World:
    own: Pitea  # the actor's municipality
    other: Pitea  # another municipality: none of its rows may show, none may be counted
    administrator: Any
    official: Person  # Torsby's chair of the municipal board, with a login: the actor of Mina sidor
    focus: dict[Any, Any] = field(default_factory=dict)  # the one object a detail-like list is about, and counters


def fake_receipt_pdf(*, loan: Any, kind: str) -> tuple[bytes, str]:
    """WeasyPrint takes most of a second per receipt; the lists only need the receipt row."""
    pdf = f"%PDF-1.4 receipt {loan.pk} {kind}".encode()
    return pdf, hashlib.sha256(pdf).hexdigest()


def patch_receipts(monkeypatch: Any) -> None:
    """Replace `render_receipt` wherever the loans services imported it (a module or a package of them)."""
    importlib.import_module("insyn.loans.services")
    patched = False
    for name, module in list(sys.modules.items()):
        if name.startswith("insyn.loans.services") and hasattr(module, "render_receipt"):
            monkeypatch.setattr(module, "render_receipt", fake_receipt_pdf)
            patched = True
    assert patched, "insyn.loans.services no longer imports render_receipt: update patch_receipts"


def build_world() -> World:
    own = build_pitea("Torsby kommun")
    other = build_pitea("Piteå kommun")
    administrator = make_user_with_role(own.municipality, "administrator", username="administrator.torsby")
    official = make_official(
        own.municipality, [(own.ks, "ordforande"), (own.bun, "ledamot")], given_name="Ordförande", family_name="Torsby"
    )
    return World(own, other, administrator, official)


def _n() -> int:
    """A number for a label, always five digits, so that no label is a part of another ("Q10001" in "Q100012")."""
    return 10_000 + next(_numbers)


def _focus(world: World, key: Any, make: Callable[[], Any]) -> Any:
    if key not in world.focus:
        world.focus[key] = make()
    return world.focus[key]


# Core ----------------------------------------------------------------------------------------------------


def grow_documents(world: World, base: Pitea, n: int) -> list[str]:
    return [make_document(base.ks, title=f"Riktlinje Q{_n()}").title for _ in range(n)]


def grow_organisations(world: World, base: Pitea, n: int) -> list[str]:
    return [make_organ(base.municipality, f"Utskott Q{_n()}", "namnd").name for _ in range(n)]


def grow_api_tokens(world: World, base: Pitea, n: int) -> list[str]:
    """Tokens the actor may manage (their own) in their municipality; another municipality's user's elsewhere."""
    from wagtail.models import APIToken

    owner = world.administrator if base is world.own else make_user_with_role(base.municipality, "registrar")
    return [APIToken.create_token(user=owner, name=f"Integration Q{_n()}")[0].name for _ in range(n)]


def grow_role_assignments(world: World, base: Pitea, n: int) -> list[str]:
    return [make_user_with_role(base.municipality, "registrar", username=f"diarie.q{_n()}").username for _ in range(n)]


def grow_audit_entries(world: World, base: Pitea, n: int) -> list[str]:
    # Each created document writes one entry to the audit trail of its municipality.
    return grow_documents(world, base, n)


# Records -------------------------------------------------------------------------------------------------


def _organ_with_plan(base: Pitea, data: PlanData) -> RetentionPlan:
    organ = make_organ(base.municipality, f"Nämnd Q{_n()}", "namnd")
    plan: RetentionPlan = import_plan(organ, data)
    return plan


def grow_adopted_plans(world: World, base: Pitea, n: int) -> list[str]:
    """n adopted plans, each of its own organ (one adopted plan per organ is in force)."""
    return [_organ_with_plan(base, make_plan_data(title=f"Plan Q{_n()}")).title for _ in range(n)]


def grow_draft_plans(world: World, base: Pitea, n: int) -> list[str]:
    return [_organ_with_plan(base, make_plan_data(status="draft", title=f"Utkast Q{_n()}")).title for _ in range(n)]


def grow_document_types(world: World, base: Pitea, n: int) -> list[str]:
    """One more adopted plan whose first process holds `n` more rows ("Underlag 0" … "Underlag n-1")."""
    number = _n()
    rows = [
        DocumentTypeData(name=f"Underlag Q{number}-{i}", retention_text="Gallras vid inaktualitet", retention=OBSOLETE)
        for i in range(n)
    ]
    data = _wide_plan_data(f"Plan Q{number}", processes=1, rows=rows)
    _organ_with_plan(base, data)
    return [row.name for row in rows]


def _wide_plan_data(title: str, *, processes: int, rows: list[DocumentTypeData] | None = None) -> PlanData:
    """An adopted plan with `processes` processes; the first holds `rows`, every other one row of its own."""
    nodes = []
    for i in range(processes):
        own_rows = (
            rows
            if (i == 0 and rows is not None)
            else [DocumentTypeData(name=f"Handling {title} {i}", retention_text="Bevaras", retention=OBSOLETE)]
        )
        nodes.append(
            ProcessData(f"1.1.{i + 1}", f"Process {title} {i}", "", [ActivityData(f"Aktivitet {i}", own_rows)])
        )
    return PlanData(
        title=title,
        scope="Stödprocesser",
        organisation="Kommunstyrelsen",
        adopted_by="Kommunstyrelsen",
        adopted_on="2016-11-28",
        paragraph="§ 208",
        version="1.0",
        status="adopted",
        areas=[AreaData("1", "Ledning", "", [GroupData("1.1", "Styrning", "", nodes)])],
    )


def grow_plan_processes(world: World, base: Pitea, n: int) -> list[str]:
    """The focus plan (a plan's outline, its rows) is replaced by an adopted plan with `n` more processes."""
    count = world.focus.get(("processes", base.municipality.pk), 0) + n
    world.focus[("processes", base.municipality.pk)] = count
    plan = _organ_with_plan(base, _wide_plan_data(f"Plan Q{_n()}", processes=count))
    if base is world.own:
        world.focus["plan"] = plan
    return [f"Process {plan.title} {i}" for i in range(count)]


def grow_plan_rows(world: World, base: Pitea, n: int) -> list[str]:
    """The focus plan is replaced by an adopted plan whose first process holds `n` more rows."""
    count = world.focus.get(("rows", base.municipality.pk), 0) + n
    world.focus[("rows", base.municipality.pk)] = count
    number = _n()
    rows = [
        DocumentTypeData(name=f"Underlag Q{number}-{i}", retention_text="Gallras vid inaktualitet", retention=OBSOLETE)
        for i in range(count)
    ]
    plan = _organ_with_plan(base, _wide_plan_data(f"Plan Q{number}", processes=1, rows=rows))
    if base is world.own:
        world.focus["plan"] = plan
        world.focus["process"] = ClassificationNode.objects.get(plan=plan, code="1.1.1")
    return [row.name for row in rows]


def grow_patterns(world: World, base: Pitea, n: int) -> list[str]:
    from insyn.records.services import retention_pattern_create

    names = []
    for _ in range(n):
        name = f"Mönster Q{_n()}"
        retention_pattern_create(
            actor=SYSTEM,
            municipality=base.municipality,
            name=name,
            pattern=r"gallras efter avslutat ärende",
            lang="sv",
            action="dispose",
            trigger="case_closed",
        )
        names.append(name)
    return names


# Officials -----------------------------------------------------------------------------------------------


def grow_persons(world: World, base: Pitea, n: int) -> list[str]:
    return [make_official(base.municipality, [(base.kf, "ledamot")], family_name=f"Q{_n()}son").name for _ in range(n)]


def grow_memberships(world: World, base: Pitea, n: int) -> list[str]:
    """n memberships of the focus person (Torsby's chair; in Piteå, a person of its own), each in an organ."""
    from insyn.officials.services import membership_create

    person = (
        world.official if base is world.own else _focus(world, "other_person", lambda: make_official(base.municipality))
    )
    names = []
    for _ in range(n):
        organ = make_organ(base.municipality, f"Beredning Q{_n()}", "namnd")
        membership_create(
            actor=SYSTEM, person=person, organisation=organ, role="ledamot", start_date=dt.date(2023, 1, 1)
        )
        names.append(organ.name)
    return names


# Loans ---------------------------------------------------------------------------------------------------


def grow_kits(world: World, base: Pitea, n: int) -> list[str]:
    return [make_kit(base.municipality, base.it, "tablet", label=f"Surfplatta Q{_n()}").label for _ in range(n)]


def grow_devices(world: World, base: Pitea, n: int) -> list[str]:
    """n devices: the main device of n computer kits (each with a charger too)."""
    serials = []
    for _ in range(n):
        kit = make_kit(base.municipality, base.it, "computer", label=f"Dator Q{_n()}")
        serials.append(kit.devices.get(device_type="computer").serial_number)
    return serials


def _lend(base: Pitea, person: Person | None = None, kit: Any = None) -> Loan:
    from insyn.loans.services import loan_checkout

    person = person or make_official(base.municipality, [(base.ks, "ledamot")], family_name=f"Låntagare Q{_n()}")
    kit = kit or make_kit(base.municipality, base.it, "tablet", label=f"Surfplatta Q{_n()}")
    return loan_checkout(actor=base.it, kit=kit, person=person, handover=HANDOVER, on=ON)


def grow_loans(world: World, base: Pitea, n: int) -> list[str]:
    return [_lend(base).kit.label for _ in range(n)]


def grow_loans_by_id(world: World, base: Pitea, n: int) -> list[str]:
    """The API's loans name their kit by id only."""
    return [f'"kit_id": {_lend(base).kit_id}, ' for _ in range(n)]


def _report_loss(base: Pitea, loan: Loan) -> Any:
    from insyn.loans.services import incident_report

    return incident_report(
        actor=base.it,
        loan=loan,
        device=loan.kit.devices.exclude(device_type="tablet").first(),
        kind="lost",
        occurred_at=dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC),
        description=f"Borttappad Q{_n()}",
    )


def grow_incidents(world: World, base: Pitea, n: int) -> list[str]:
    labels = []
    for _ in range(n):
        loan = _lend(base)
        _report_loss(base, loan)
        labels.append(loan.person.name)
    return labels


def grow_loan_rows(world: World, base: Pitea, n: int) -> list[str]:
    """The focus loan (one loan's page) is replaced by a loan of a kit with `n` more chargers, each reported lost."""
    from insyn.loans.services import device_create, incident_report, kit_create, loan_checkout

    key = ("loan rows", base.municipality.pk)
    count = world.focus.get(key, 0) + n
    world.focus[key] = count
    number = _n()
    devices = [
        device_create(
            actor=base.it,
            municipality=base.municipality,
            device_type=kind,
            serial_number=f"SN-Q{number}-{i}",
            **({"make": "Apple", "model": "iPad 10"} if kind == "tablet" else {}),
        )
        for i, kind in enumerate(["tablet"] + ["charger"] * count)
    ]
    kit = kit_create(
        actor=base.it, municipality=base.municipality, label=f"Surfplatta Q{number}", kind="tablet", devices=devices
    )
    person = make_official(base.municipality, [(base.ks, "ledamot")], family_name=f"Låntagare Q{_n()}")
    loan = loan_checkout(actor=base.it, kit=kit, person=person, handover=HANDOVER, on=ON)
    places = []
    for device in kit.devices.exclude(device_type="tablet").order_by("pk"):
        place = f"Plats Q{_n()}"
        incident_report(
            actor=base.it,
            loan=loan,
            device=device,
            kind="lost",
            occurred_at=dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC),
            place=place,
        )
        places.append(place)
    if base is world.own:
        world.focus["loan"] = loan
    return places


def grow_own_pages(world: World, base: Pitea, n: int) -> list[str]:
    """Mina sidor of Torsby's chair: n more assignments, n more returned loans, n more requests to decide.

    Each returned loan has two receipts; each request to decide is a member of the board the chair chairs, with
    a loan and a request for mobile broadband. In Piteå the same is made for a chair of its own.
    """
    from insyn.loans.services import broadband_request, loan_return

    chair = world.official
    if base is not world.own:
        chair = _focus(world, "other_chair", lambda: make_official(base.municipality, [(base.ks, "ordforande")]))
    labels = grow_memberships(world, base, n) if base is world.own else []
    for _ in range(n):
        loan = _lend(base, chair)
        loan_return(actor=base.it, loan=loan, checklist=RETURN_OK)
        labels.append(loan.kit.label)
        member_loan = _lend(base)
        broadband_request(actor=member_loan.person.user, loan=member_loan, reason="no_wifi", motivation="Ingen wifi")
        labels.append(member_loan.person.name)
    return labels


def grow_search_hits(world: World, base: Pitea, n: int) -> list[str]:
    """For the admin search "Sökbar": n of each kind it finds (documents, organisations, officials, loans, plans,
    document types), each with the word in its name."""
    labels = []
    for _ in range(n):
        labels.append(make_document(base.ks, title=f"Sökbar riktlinje Q{_n()}").title)
        labels.append(make_organ(base.municipality, f"Sökbar beredning Q{_n()}", "namnd").name)
        labels.append(make_official(base.municipality, [(base.kf, "ledamot")], family_name=f"Sökbar{_n()}").name)
        kit = make_kit(base.municipality, base.it, "tablet", label=f"Sökbar surfplatta Q{_n()}")
        labels.append(_lend(base, kit=kit).kit.label)
        row = DocumentTypeData(name=f"Sökbar handling Q{_n()}", retention_text="Bevaras", retention=OBSOLETE)
        labels.append(_organ_with_plan(base, _wide_plan_data(f"Sökbar plan Q{_n()}", processes=1, rows=[row])).title)
        labels.append(row.name)
    return labels


# Grow functions that replace the focus object by a bigger one: the page shows only the newest labels.
REPLACING = {grow_plan_processes, grow_plan_rows, grow_loan_rows}


# History (one object's log entries, written by the audit trail) ---------------------------------------------


def _history_object(base: Pitea, kind: str) -> Any:
    """One object of the kind a viewset lists, in `base`'s municipality, whose History gets the entries."""
    from insyn.core.models import RoleAssignment
    from insyn.officials.models import Membership
    from insyn.records.models import RetentionPattern

    if kind == "governing_documents":
        return make_document(base.ks, title=f"Historik Q{_n()}")
    if kind == "organisations":
        return make_organ(base.municipality, f"Historik Q{_n()}", "namnd")
    if kind == "role_assignments":
        user = make_user_with_role(base.municipality, "registrar", username=f"historik.q{_n()}")
        return RoleAssignment.objects.get(user=user)
    if kind in {"records_plans", "records_document_types"}:
        plan = _organ_with_plan(base, make_plan_data(status="draft", title=f"Historik Q{_n()}"))
        return plan if kind == "records_plans" else plan.document_types.first()
    if kind == "records_retention_patterns":
        name = grow_patterns(None, base, 1)[0]  # type: ignore[arg-type]
        return RetentionPattern.objects.get(name=name)
    if kind in {"officials_persons", "officials_memberships"}:
        person = make_official(base.municipality, [(base.kf, "ledamot")], family_name=f"Historik{_n()}")
        return person if kind == "officials_persons" else Membership.objects.get(person=person)
    if kind.startswith("privacy_"):
        return _privacy_history_object(base, kind)
    loan = _lend(base)
    if kind == "loans_loans":
        return loan
    if kind == "loans_kits":
        return loan.kit
    if kind == "loans_devices":
        return loan.kit.devices.first()
    if kind == "loans_incidents":
        return _report_loss(base, loan)
    raise ValueError(kind)


def history_object(world: World, kind: str) -> Any:
    return world.focus[("history", kind, world.own.municipality.pk)]


def grow_history(kind: str) -> Grow:
    """A grow of n audited changes of one object of `kind` (made on the first call), each shown in its History."""

    def grow(world: World, base: Pitea, n: int) -> list[str]:
        from django.db.models import CharField

        from insyn.core.audit import audit_record
        from insyn.core.models.audit import AuditAction

        obj = _focus(world, ("history", kind, base.municipality.pk), lambda: _history_object(base, kind))
        text = next(
            (f.name for f in obj._meta.concrete_fields if isinstance(f, CharField) and not f.choices and f.editable),
            None,
        )
        reasons = []
        for _ in range(n):
            reason = f"Ändring Q{_n()}"
            changes = {text: ["före", f"efter {reason}"]} if text else {}
            audit_record(
                actor=world.administrator,
                action=AuditAction.UPDATE,
                obj=obj,
                organisation=base.municipality,
                changes=changes,
                reason=reason,
            )
            reasons.append(reason)
        return reasons

    grow.__name__ = f"grow_history_{kind}"
    return grow


# Privacy -------------------------------------------------------------------------------------------------


def _controller(base: Pitea) -> Any:
    """The municipal board, made a GDPR controller (once) so that registers, requests and breaches may name it."""
    from insyn.core.services.organisations import organisation_update

    if not base.ks.is_controller:
        organisation_update(actor=SYSTEM, organisation=base.ks, is_controller=True)
        base.ks.refresh_from_db()
    return base.ks


def grow_privacy_registers(world: World, base: Pitea, n: int) -> list[str]:
    """n registers, each of a controller (an organ) of its own."""
    from insyn.core.services.organisations import organisation_update
    from insyn.privacy.services.register import register_create

    titles = []
    for _ in range(n):
        organ = make_organ(base.municipality, f"Nämnd Q{_n()}", "namnd")
        organisation_update(actor=SYSTEM, organisation=organ, is_controller=True)
        titles.append(register_create(actor=SYSTEM, controller=organ, title=f"Register Q{_n()}").title)
    return titles


def _privacy_activity(name: str) -> Any:
    return {
        "name": name,
        "purposes": ["Skicka ut beslutsunderlag"],
        "legal_bases": [{"article": "6.1.e", "reference": "Kommunallagen (2017:725) 6 kap. 6 §"}],
        "data_subject_categories": [{"key": "se.fortroendevald"}],
        "personal_data_categories": [{"key": "user.name"}, {"key": "user.contact"}],
        "sources": ["subject"],
        "recipients": [{"kind": "named", "name": "Revisorerna"}],
        "retention": {"text": "Gallras efter 3 år"},
    }


def grow_privacy_activities(world: World, base: Pitea, n: int) -> list[str]:
    """n activities in the board's register (made on the first call; the focus register in Torsby)."""
    from insyn.privacy.services.register import activity_save, register_create

    def make() -> Any:
        return register_create(actor=SYSTEM, controller=_controller(base), title=f"Register Q{_n()}")

    register = _focus(world, ("register", base.municipality.pk), make)
    if base is world.own:
        world.focus["register"] = register
    names = []
    for _ in range(n):
        names.append(activity_save(actor=SYSTEM, register=register, data=_privacy_activity(f"Behandling Q{_n()}")).name)
    return names


def grow_privacy_requests(world: World, base: Pitea, n: int) -> list[str]:
    from django.utils import timezone

    from insyn.privacy.services.requests import request_register

    received = timezone.now() - dt.timedelta(days=1)
    return [
        request_register(
            actor=SYSTEM, controller=_controller(base), kind="access", received_at=received, name=f"Sökande Q{_n()}"
        ).reference
        for _ in range(n)
    ]


def grow_privacy_breaches(world: World, base: Pitea, n: int) -> list[str]:
    from django.utils import timezone

    from insyn.privacy.services.breaches import breach_report

    discovered = timezone.now() - dt.timedelta(hours=1)
    return [
        breach_report(
            actor=SYSTEM,
            controller=_controller(base),
            title=f"Incident Q{_n()}",
            discovered_at=discovered,
            description="Ett USB-minne saknas",
        ).title
        for _ in range(n)
    ]


def _notice_register(base: Pitea) -> Any:
    """A register of a controller (an organ) of its own, named after it: what a notice is built from."""
    from insyn.core.services.organisations import organisation_update
    from insyn.privacy.services.register import register_create

    organ = make_organ(base.municipality, f"Nämnd Q{_n()}", "namnd")
    organisation_update(actor=SYSTEM, organisation=organ, is_controller=True)
    organ.refresh_from_db()
    return register_create(actor=SYSTEM, controller=organ, title=f"Register Q{_n()}", contact_email="reg@example.se")


def _notice_version(register: Any, *, publish: bool, reason: str = "") -> Any:
    """One more activity in the register naming the subject category, and the notice remade from it."""
    from insyn.privacy.models import TaxonomyTerm
    from insyn.privacy.services.notices import notice_generate, notice_publish
    from insyn.privacy.services.register import activity_save

    activity_save(actor=SYSTEM, register=register, data=_privacy_activity(f"Behandling Q{_n()}"))
    category = TaxonomyTerm.objects.get(key="se.fortroendevald", municipality__isnull=True)
    version = notice_generate(actor=SYSTEM, controller=register.controller, subject_category=category, reason=reason)
    assert version is not None, "the notice did not change"
    return notice_publish(actor=SYSTEM, version=version) if publish else version


def grow_privacy_notices(world: World, base: Pitea, n: int) -> list[str]:
    """n notices (drafts), each of a controller of its own."""
    return [_notice_version(_notice_register(base), publish=False).notice.controller.name for _ in range(n)]


def grow_privacy_published_notices(world: World, base: Pitea, n: int) -> list[str]:
    """n published notices, each of a controller of its own (the public index shows every municipality's)."""
    return [_notice_version(_notice_register(base), publish=True).notice.controller.name for _ in range(n)]


def grow_privacy_notice_versions(world: World, base: Pitea, n: int) -> list[str]:
    """n more published versions of the focus notice, each made from one more activity; labelled by reason."""
    register = _focus(world, ("notice register", base.municipality.pk), lambda: _notice_register(base))
    reasons = []
    for _ in range(n):
        reason = f"Ändring Q{_n()}"
        version = _notice_version(register, publish=True, reason=reason)
        reasons.append(reason)
    if base is world.own:
        world.focus["notice"] = version.notice
    return reasons


def grow_privacy_public_versions(world: World, base: Pitea, n: int) -> list[str]:
    """The same, labelled by each version's address on the public history page."""
    from django.urls import reverse

    from insyn.privacy.models import Notice
    from insyn.privacy.selectors.notices import slugs_of

    before = world.focus.get(("notice versions", base.municipality.pk), 0)
    grow_privacy_notice_versions(world, base, n)
    world.focus[("notice versions", base.municipality.pk)] = before + n
    register = world.focus[("notice register", base.municipality.pk)]
    m, c, slug = slugs_of(Notice.objects.get(controller=register.controller))
    return [
        reverse("privacy:notice_version", kwargs={"municipality": m, "controller": c, "notice": slug, "number": number})
        for number in range(before + 1, before + n + 1)
    ]


def grow_privacy_notice_changes(world: World, base: Pitea, n: int) -> list[str]:
    """The focus notice's next version names n more activities than the one before (its diff has n more rows)."""
    from insyn.privacy.models import TaxonomyTerm
    from insyn.privacy.services.notices import notice_generate
    from insyn.privacy.services.register import activity_save

    register = _focus(world, ("notice register", base.municipality.pk), lambda: _notice_register(base))
    if ("notice published", base.municipality.pk) not in world.focus:
        world.focus[("notice published", base.municipality.pk)] = _notice_version(register, publish=True)
    names = []
    for _ in range(n):
        data = _privacy_activity(f"Behandling Q{_n()}")
        data["purposes"] = [f"Syfte Q{_n()}"]
        activity_save(actor=SYSTEM, register=register, data=data)
        names.append(data["purposes"][0])
    category = TaxonomyTerm.objects.get(key="se.fortroendevald", municipality__isnull=True)
    version = notice_generate(actor=SYSTEM, controller=register.controller, subject_category=category)
    assert version is not None, "the notice did not change"
    if base is world.own:
        world.focus["notice"], world.focus["notice version"] = version.notice, version.number
    return names


def grow_privacy_register_versions(world: World, base: Pitea, n: int) -> list[str]:
    """n more approved versions of the focus register, each with one more (approved) activity; labelled by note."""
    from insyn.privacy.services.register import activity_approve, activity_save, register_approve

    register = _focus(world, ("versioned register", base.municipality.pk), lambda: _notice_register(base))
    notes = []
    for _ in range(n):
        activity = activity_save(actor=SYSTEM, register=register, data=_privacy_activity(f"Behandling Q{_n()}"))
        activity_approve(actor=SYSTEM, activity=activity)
        notes.append(register_approve(actor=SYSTEM, register=register, note=f"Godkänd Q{_n()}").note)
    if base is world.own:
        world.focus["register"] = register
    return notes


def grow_privacy_register_changes(world: World, base: Pitea, n: int) -> list[str]:
    """n more activities in the focus register since its first approved version (its diff to now grows)."""
    from insyn.privacy.services.register import activity_approve, activity_save, register_approve

    def make() -> Any:
        register = _notice_register(base)
        activity = activity_save(actor=SYSTEM, register=register, data=_privacy_activity(f"Behandling Q{_n()}"))
        activity_approve(actor=SYSTEM, activity=activity)
        register_approve(actor=SYSTEM, register=register)
        return register

    register = _focus(world, ("diffed register", base.municipality.pk), make)
    if base is world.own:
        world.focus["register"] = register
    return grow_privacy_activities_of(register, n)


def grow_privacy_activities_of(register: Any, n: int) -> list[str]:
    from insyn.privacy.services.register import activity_save

    return [
        activity_save(actor=SYSTEM, register=register, data=_privacy_activity(f"Behandling Q{_n()}")).name
        for _ in range(n)
    ]


def grow_privacy_warnings(world: World, base: Pitea, n: int) -> list[str]:
    """n activities in the focus register, each with a warning (no legal basis): the warnings name them."""
    from insyn.privacy.services.register import activity_save

    register = _focus(world, ("warned register", base.municipality.pk), lambda: _notice_register(base))
    if base is world.own:
        world.focus["register"] = register
    names = []
    for _ in range(n):
        data = _privacy_activity(f"Behandling Q{_n()}")
        data["legal_bases"] = []
        names.append(activity_save(actor=SYSTEM, register=register, data=data).name)
    return names


def grow_privacy_requests_this_month(world: World, base: Pitea, n: int) -> list[str]:
    """n requests received now: the per-month counts are of a fixed 12 months, labelled by the month."""
    from django.utils import timezone

    grow_privacy_requests(world, base, n)
    return [timezone.now().strftime("%Y-%m")] if base is world.own else []


def grow_privacy_terms(world: World, base: Pitea, n: int) -> list[str]:
    from insyn.privacy.services.taxonomy import term_create

    return [
        term_create(
            actor=SYSTEM,
            municipality=base.municipality,
            kind="data_category",
            key=f"local.q{_n()}",
            label_sv=f"Lokalterm Q{_n()}",
        ).label_sv
        for _ in range(n)
    ]


def grow_privacy_systems(world: World, base: Pitea, n: int) -> list[str]:
    """n IT systems, each used by an activity of its own in the board's register."""
    from insyn.privacy.services.register import activity_save, register_create

    register = _focus(
        world,
        ("systems register", base.municipality.pk),
        lambda: register_create(actor=SYSTEM, controller=_controller(base), title=f"Register Q{_n()}"),
    )
    names = []
    for _ in range(n):
        data = _privacy_activity(f"Behandling Q{_n()}")
        data["systems"] = [{"name": f"System Q{_n()}", "hosting_location": "Eget datacenter", "hosting_country": "SE"}]
        activity_save(actor=SYSTEM, register=register, data=data)
        names.append(data["systems"][0]["name"])
    return names


def _privacy_history_object(base: Pitea, kind: str) -> Any:
    register = _notice_register(base)
    if kind == "privacy_registers":
        return register
    if kind == "privacy_activities":
        from insyn.privacy.services.register import activity_save

        return activity_save(actor=SYSTEM, register=register, data=_privacy_activity(f"Historik Q{_n()}"))
    if kind == "privacy_taxonomy":
        from insyn.privacy.models import TaxonomyTerm

        return TaxonomyTerm.objects.get(label_sv=grow_privacy_terms(None, base, 1)[0])  # type: ignore[arg-type]
    raise ValueError(kind)
