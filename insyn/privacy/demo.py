"""`insyn demo`: the registers of seeds 003 (Södertälje KS) and 001 (Piteå KS, förtroendevalda).

Runs after the core, records, officials and loans demos, as SYSTEM, through the same services as the admin
(taxonomy, organisations, the plan import, `activity_save`, `register_approve`), so everything is audited.
Idempotent: an activity already in a register is left as it is (a DPO may have edited it), an approved
register is not approved again, and the plan excerpt is imported only once.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from django.db import transaction

from insyn.core.actor import Actor
from insyn.core.exceptions import DomainError
from insyn.core.models import Organisation
from insyn.core.models.organisations import OrganisationKind, OrganType
from insyn.privacy.activity_data import ActivityData
from insyn.privacy.models import ApprovalStatus, Register, RegisterKind

DEMO_DATA = Path(__file__).parent / "demo_data"
PITEA_PLAN = DEMO_DATA / "pitea_ks_plan_excerpt.json"


def _controller(actor: Actor, municipality_name: str, organ_name: str) -> Organisation:
    """The organ, created (as a controller) when the core demo has not made it; marked a controller if it is not."""
    from insyn.core.services.organisations import organisation_create, organisation_update

    root = Organisation.objects.filter(parent=None, name=municipality_name).first()
    if root is None:
        root = organisation_create(
            actor=actor, name=municipality_name, kind=OrganisationKind.MUNICIPALITY, parent=None, country="SE"
        )
    organ = Organisation.objects.filter(parent=root, name=organ_name).first()
    if organ is None:
        organ = organisation_create(
            actor=actor,
            name=organ_name,
            kind=OrganisationKind.ORGAN,
            organ_type=OrganType.EXECUTIVE_BOARD,
            parent=root,
            country="SE",
            is_controller=True,
            is_archive_creator=True,
        )
    elif not organ.is_controller:
        organ = organisation_update(actor=actor, organisation=organ, is_controller=True, reason="demo")
    return organ


def _register(actor: Actor, controller: Organisation, title: str) -> Register:
    from insyn.privacy.services.register import register_create

    register = Register.objects.filter(controller=controller, kind=RegisterKind.CONTROLLER).first()
    return register or register_create(actor=actor, controller=controller, title=title)


def _load_activities(actor: Actor, register: Register, activities: list[ActivityData]) -> int:
    from insyn.privacy.services.register import activity_save

    existing = set(register.activities.values_list("name", flat=True))
    created = 0
    for data in activities:
        if data["name"] in existing:
            continue
        activity_save(actor=actor, register=register, data=data)
        created += 1
    return created


def _approve(actor: Actor, register: Register) -> str:
    """Approve when every activity has its required fields; the checks' warnings (6.1.f) do not block it."""
    from insyn.privacy.services.register import register_approve

    register.refresh_from_db()
    if register.status == ApprovalStatus.APPROVED:
        return "approved"
    try:
        with transaction.atomic():
            register_approve(actor=actor, register=register, note="demo")
    except DomainError as refused:
        return f"draft: {refused.message}"
    return "approved"


def _pitea_plan(actor: Actor, board: Organisation) -> dict[str, int]:
    """Piteå KS has no plan in the records demo: a small adopted excerpt, imported like any plan file.

    Its rows follow Danderyds kommun's dokumenthanteringsplan (Produktionsstyrelsen), "Allmän nämnds- och
    förvaltningsadministration": Protokoll "Bevaras", Kallelser and Underlag för utbetalning av
    sammanträdesarvoden "2 år" (that plan's Gallring column; written "Gallras efter 2 år" here). Source:
    http://docplayer.se/8966863 (read 2026-11-27). The adoption (KS 2024-01-15 § 1) is the demo's own."""
    from insyn.records.grammar import parser_for
    from insyn.records.importers import read_plan
    from insyn.records.models import DocumentType, PlanStatus, RetentionPlan
    from insyn.records.services import plan_import

    data = read_plan(PITEA_PLAN.read_bytes(), filename=PITEA_PLAN.name, format="json", parse=parser_for(board))
    plan = RetentionPlan.objects.filter(organisation=board, title=data.title, status=PlanStatus.ADOPTED).first()
    if plan is None:
        plan = plan_import(actor=actor, organisation=board, data=data, source=PITEA_PLAN.name).plan
    return dict(DocumentType.objects.filter(plan=plan).values_list("name", "pk"))


def _with_plan_rows(activities: list[ActivityData], rows: dict[str, int], links: dict[str, list[str]]) -> list[Any]:
    linked = []
    for activity in activities:
        data = copy.deepcopy(activity)
        names = [name for name in links.get(data["name"], []) if name in rows]
        if names:
            data["retention"]["document_types"] = [{"id": rows[name]} for name in names]
        linked.append(data)
    return linked


def load_demo(*, actor: Any) -> dict[str, Any]:
    from insyn.privacy.demo_data import pitea_ks, sodertalje_ks
    from insyn.privacy.services.taxonomy import taxonomy_sync

    result: dict[str, Any] = {"taxonomy_terms_written": taxonomy_sync(actor=actor)}
    with transaction.atomic():
        board = _controller(actor, *sodertalje_ks.CONTROLLER)
        register = _register(actor, board, sodertalje_ks.TITLE)
        created = _load_activities(actor, register, copy.deepcopy(sodertalje_ks.ACTIVITIES))
        result["privacy_sodertalje"] = {"register": register.pk, "activities_created": created}
    result["privacy_sodertalje"]["status"] = _approve(actor, register)
    with transaction.atomic():
        board = _controller(actor, *pitea_ks.CONTROLLER)
        rows = _pitea_plan(actor, board)
        register = _register(actor, board, pitea_ks.TITLE)
        activities = _with_plan_rows(pitea_ks.ACTIVITIES, rows, pitea_ks.PLAN_ROWS)
        created = _load_activities(actor, register, activities)
        result["privacy_pitea"] = {"register": register.pk, "activities_created": created, "plan_rows": len(rows)}
    result["privacy_pitea"]["status"] = _approve(actor, register)
    result["privacy_pitea"]["notice"] = _publish_officials_notice(actor, board)
    return result


# Seed 001's own title and opening paragraph; the Polish and English are the demo's translations.
NOTICE_TITLES = {
    "sv": "Information till förtroendevalda om hantering av personuppgifter",
    "pl": "Informacja dla osób pełniących funkcje z wyboru o przetwarzaniu danych osobowych",
    "en": "Information to elected officials about the processing of personal data",
}
NOTICE_INTROS = {
    "sv": (
        "När du har uppdrag som förtroendevald i fullmäktige, nämnder och bolag eller annat organ behandlar vi de "
        "personuppgifter om dig som behövs för att vi ska kunna administrera nämndens/styrelsens arbete och för att "
        "du ska kunna utföra ditt uppdrag."
    ),
    "pl": (
        "Gdy pełnisz funkcję z wyboru w radzie, komisjach, spółkach lub innym organie, przetwarzamy Twoje dane "
        "osobowe potrzebne do obsługi pracy organu i do wykonywania przez Ciebie mandatu."
    ),
    "en": (
        "When you hold office as an elected official in the council, committees, companies or another body, we "
        "process the personal data about you that we need to administer the body's work and for you to carry out "
        "your office."
    ),
}


def _publish_officials_notice(actor: Actor, board: Organisation) -> str:
    """Seed 001 as the published notice of Piteå KS to its elected officials (generated from the register)."""
    from insyn.privacy.models import Notice, NoticeStatus, TaxonomyTerm
    from insyn.privacy.services.notices import notice_generate, notice_publish, notice_set_texts

    category = TaxonomyTerm.objects.filter(kind="subject_category", key="se.fortroendevald").first()
    if category is None:
        return "no subject category"
    with transaction.atomic():
        notice_generate(actor=actor, controller=board, subject_category=category, reason="demo")
        notice = Notice.objects.filter(controller=board, subject_category=category).first()
        if notice is None:
            return "no activity for the category"
        if notice.titles != NOTICE_TITLES or notice.intros != NOTICE_INTROS:
            notice_set_texts(actor=actor, notice=notice, titles=NOTICE_TITLES, intros=NOTICE_INTROS)
        draft = notice.versions.filter(status=NoticeStatus.DRAFT).first()
        if draft is not None:
            notice_publish(actor=actor, version=draft)
    return "published"
