"""Every write to the Art. 30 register: registers, activities, approval with versions, review reminders.

An activity is written whole from `ActivityData` (`activity_save`): the activity and all its children are
replaced in one transaction, so the API's PUT, an import and the demo share one path and one audit entry
that holds the field-level diff. Any change makes an approved activity and its register drafts again;
only the DPO (`privacy.approve_register`) approves, and an approval freezes the register as data in a
`RegisterVersion`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, audit_delete, audit_record, snapshot
from insyn.core.events import send_after_commit
from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.core.models import Organisation
from insyn.core.models.audit import AuditAction
from insyn.core.permissions import actor_scope, has_org_perm, require_org_perm
from insyn.core.services.organisations import full_clean_or_raise
from insyn.privacy.activity_data import ActivityData
from insyn.privacy.exceptions import ApprovalRefused
from insyn.privacy.models import ActivityData as ActivityDataRow
from insyn.privacy.models import (
    ActivitySubject,
    ApprovalStatus,
    Art9Condition,
    DpiaNeed,
    LegalBasis,
    LegalBasisArticle,
    ProcessingActivity,
    Processor,
    ProvisionRequirement,
    Recipient,
    RecipientKind,
    Register,
    RegisterKind,
    RegisterVersion,
    SourceKind,
    TaxonomyTerm,
    TermKind,
    Transfer,
    TransferMechanism,
)
from insyn.privacy.register_data import activity_as_data, municipality_of, register_as_data, register_dpo
from insyn.privacy.rules import (
    DPIA_CRITERIA,
    MAX_ITEMS,
    missing_for_approval,
    read_choice,
    read_country,
    read_iso_date,
    read_list,
    read_text,
)
from insyn.privacy.signals import register_changed

logger = logging.getLogger(__name__)

REVIEW_INTERVAL_DAYS = 365  # an approved register is reviewed at least yearly unless a date is set
# The register fields an approval freezes: changing one makes an approved register a draft again.
_CONTENT_FIELDS = ("title", "dpo_name", "dpo_email", "dpo_phone", "contact_email", "contact_address")
_REGISTER_FIELDS = (*_CONTENT_FIELDS, "review_date", "source_file")


def _changed(register: Register, actor: Actor) -> None:
    send_after_commit(
        register_changed, sender=Register, register_id=register.pk, controller_id=register.controller_id, actor=actor
    )


def _login(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Registers -------------------------------------------------------------------------------------


@transaction.atomic
def register_create(
    *, actor: Actor, controller: Organisation, title: str, kind: str = RegisterKind.CONTROLLER, **fields: Any
) -> Register:
    """A register for `controller` (an organ: a nämnd, the kommunstyrelse or a municipal company)."""
    require_org_perm(actor, "privacy.add_register", controller)
    unknown = sorted(set(fields) - set(_REGISTER_FIELDS))
    if unknown:
        raise ValidationFailed(_("Unknown register fields: %(fields)s.") % {"fields": ", ".join(unknown)})
    if controller.kind != "organ":
        raise ValidationFailed(_("A register belongs to an organ: a committee, the board or a municipal company."))
    register = Register(controller=controller, kind=kind, title=title, **fields)
    full_clean_or_raise(register, exclude=["controller"])
    if Register.objects.filter(controller=controller, kind=register.kind).exists():
        raise ValidationFailed(
            _("%(controller)s already has a register of this kind.") % {"controller": controller.name},
            code="register_exists",
        )
    register.save()
    audit_change(actor=actor, instance=register, before=None, organisation=controller)
    _changed(register, actor)
    return register


@transaction.atomic
def register_update(*, actor: Actor, register: Register, **fields: Any) -> Register:
    """Change the given fields; a change of what an approval froze makes the register a draft again."""
    require_org_perm(actor, "privacy.change_register", register.controller)
    unknown = sorted(set(fields) - set(_REGISTER_FIELDS))
    if unknown:
        raise ValidationFailed(_("Unknown register fields: %(fields)s.") % {"fields": ", ".join(unknown)})
    register = Register.objects.select_for_update().select_related("controller").get(pk=register.pk)
    before = snapshot(register)
    old_review = register.review_date
    for name, value in fields.items():
        setattr(register, name, value)
    if "review_date" in fields and fields["review_date"] != old_review:
        register.review_reminder_sent_on = None  # a new date gets its own reminder
    if any(getattr(register, name) != before.get(name) for name in _CONTENT_FIELDS if name in fields):
        register.status = ApprovalStatus.DRAFT
    full_clean_or_raise(register, exclude=["controller"])
    register.save()
    if audit_change(actor=actor, instance=register, before=before, organisation=register.controller):
        _changed(register, actor)
    return register


def _mark_draft(register: Register) -> None:
    # By the row, not the instance: the caller's copy may be older than an approval.
    Register.objects.filter(pk=register.pk, status=ApprovalStatus.APPROVED).update(
        status=ApprovalStatus.DRAFT, updated_at=timezone.now()
    )
    register.status = ApprovalStatus.DRAFT


# --- Activities: from data to rows ------------------------------------------------------------------


def _terms(municipality: Organisation, kind: str, keys: list[str]) -> dict[str, TaxonomyTerm]:
    """The terms of `keys`: the municipality's own before Insyn's built-in ones of the same key."""
    found: dict[str, TaxonomyTerm] = {}
    rows = TaxonomyTerm.objects.filter(kind=kind, key__in=set(keys)).filter(
        Q(municipality__isnull=True) | Q(municipality=municipality)
    )
    for term in sorted(rows, key=lambda t: t.municipality_id is not None):
        found[term.key] = term  # a local term, sorted last, wins
    return found


def _document_types(municipality: Organisation, ids: list[Any]) -> list[Any]:
    """Rows of an ADOPTED plan of the controller's municipality; any other id is refused by number."""
    from insyn.records.models import DocumentType, PlanStatus

    wanted: list[int] = []
    for value in ids:
        pk = value.get("id") if isinstance(value, dict) else value
        if not isinstance(pk, int) or isinstance(pk, bool) or pk < 1:
            raise ValidationFailed(_("A document type is named by its id."), detail={"field": "retention"})
        wanted.append(pk)
    rows = list(
        DocumentType.objects.filter(
            pk__in=wanted, plan__status=PlanStatus.ADOPTED, plan__organisation__municipality_id=municipality.pk
        )
    )
    missing = sorted(set(wanted) - {row.pk for row in rows})
    if missing:
        raise ValidationFailed(
            _("No document type of an adopted plan of this municipality has the id %(ids)s.")
            % {"ids": ", ".join(map(str, missing))},
            detail={"field": "retention.document_types", "ids": missing},
        )
    return rows


SYSTEM_ADD = "records.add_itsystem"
SYSTEM_CHANGE = "records.change_itsystem"


def _systems(*, actor: Actor, municipality: Organisation, items: list[Any]) -> list[Any]:
    """The municipality's IT systems by name, created (as records' demo does) when missing; hosting filled in
    where the shared register has none, never overwritten from one activity.

    Linking a system that exists needs nothing more than the activity's permission; creating one, or filling
    in its hosting, writes the municipality's shared register of IT systems and needs the records permission
    for it (the records roles', held at the municipality)."""
    from insyn.records.models import ITSystem

    systems = []
    for index, item in enumerate(items):
        name = read_text(item.get("name") if isinstance(item, dict) else item, f"systems[{index}].name")
        if not name:
            continue
        location = read_text(item.get("hosting_location", ""), "hosting_location") if isinstance(item, dict) else ""
        country = read_country(item.get("hosting_country", ""), "hosting_country") if isinstance(item, dict) else ""
        system = ITSystem.objects.filter(municipality=municipality, name__iexact=name).first()
        if system is None:
            if not has_org_perm(actor, SYSTEM_ADD, municipality):
                raise ValidationFailed(
                    _("%(name)s is not in the register of IT systems, and you may not add it.") % {"name": name[:200]},
                    code="it_system_not_allowed",
                    detail={"field": f"systems[{index}].name", "system": name[:200]},
                )
            system = ITSystem(municipality=municipality, name=name, hosting_location=location, hosting_country=country)
            full_clean_or_raise(system, exclude=["municipality"])
            system.save()
            audit_change(actor=actor, instance=system, before=None, organisation=municipality)
        elif (location and not system.hosting_location) or (country and not system.hosting_country):
            if not has_org_perm(actor, SYSTEM_CHANGE, municipality):
                raise ValidationFailed(
                    _("You may not change the hosting of the IT system %(name)s.") % {"name": system.name},
                    code="it_system_not_allowed",
                    detail={"field": f"systems[{index}]", "system": system.name},
                )
            before = snapshot(system)
            system.hosting_location = system.hosting_location or location
            system.hosting_country = system.hosting_country or country
            full_clean_or_raise(system, exclude=["municipality"])
            system.save()
            audit_change(actor=actor, instance=system, before=before, organisation=municipality)
        systems.append(system)
    return systems


def _resolve_terms(municipality: Organisation, data: ActivityData) -> dict[str, dict[str, TaxonomyTerm]]:
    wanted: dict[str, list[str]] = {
        TermKind.SUBJECT_CATEGORY: [str(s.get("key", "")) for s in read_list(data, "data_subject_categories")],
        TermKind.DATA_CATEGORY: [str(c.get("key", "")) for c in read_list(data, "personal_data_categories")],
        TermKind.DATA_USE: [str(k) for k in read_list(data, "data_uses")],
    }
    resolved: dict[str, dict[str, TaxonomyTerm]] = {
        kind: _terms(municipality, kind, keys) for kind, keys in wanted.items()
    }
    unknown = sorted({f"{key}" for kind, keys in wanted.items() for key in keys if key not in resolved[kind]})
    if unknown:
        raise ValidationFailed(
            _("Unknown taxonomy keys: %(keys)s.") % {"keys": ", ".join(k[:150] for k in unknown[:20])},
            code="unknown_taxonomy_keys",
            detail={"unknown_keys": unknown[:100]},
        )
    return resolved


def _fill_activity(activity: ProcessingActivity, data: ActivityData) -> None:
    activity.name = read_text(data.get("name"), "name")
    for name in ("description", "joint_controllers", "joint_arrangement", "owning_unit", "contact", "on_behalf_of"):
        setattr(activity, name, read_text(data.get(name), name))
    activity.purposes = [p for p in (read_text(p, "purposes") for p in read_list(data, "purposes")) if p]
    activity.legal_basis_text = read_text(data.get("legal_basis_text"), "legal_basis_text")
    activity.sources = [read_choice(s, SourceKind, "sources") for s in read_list(data, "sources")]
    activity.sources_text = read_text(data.get("sources_text"), "sources_text")
    activity.provision_requirement = read_choice(
        data.get("provision_requirement", ""), ProvisionRequirement, "provision_requirement"
    )
    activity.provision_consequence = read_text(data.get("provision_consequence"), "provision_consequence")
    activity.recipients_text = read_text(data.get("recipients_text"), "recipients_text")
    retention = data.get("retention") or {"text": ""}
    if not isinstance(retention, dict):
        raise ValidationFailed(_("retention must be an object."), detail={"field": "retention"})
    activity.retention_text = read_text(retention.get("text"), "retention.text")
    activity.retention_rules = _read_retention(activity.retention_text)
    activity.systems_text = read_text(data.get("systems_text"), "systems_text")
    activity.security_measures = read_text(data.get("security_measures"), "security_measures")
    activity.automated_decision = bool(data.get("automated_decision", False))
    activity.automated_decision_logic = read_text(data.get("automated_decision_logic"), "automated_decision_logic")
    dpia = data.get("dpia") or {"need": ""}
    activity.dpia_need = read_choice(dpia.get("need", ""), DpiaNeed, "dpia.need")
    criteria = [str(c) for c in dpia.get("criteria") or []]
    unknown = sorted(set(criteria) - set(DPIA_CRITERIA))
    if unknown:
        raise ValidationFailed(
            _("Unknown DPIA criteria: %(keys)s.") % {"keys": ", ".join(c[:60] for c in unknown[:10])},
            detail={"field": "dpia.criteria", "unknown": unknown[:50]},
        )
    activity.dpia_criteria = sorted(set(criteria), key=list(DPIA_CRITERIA).index)
    activity.dpia_link = read_text(dpia.get("link"), "dpia.link")
    activity.system_models = [read_text(m, "system_models")[:100] for m in read_list(data, "system_models")]
    extra = data.get("extra") or {}
    if not isinstance(extra, dict) or len(extra) > MAX_ITEMS:
        raise ValidationFailed(_("extra must be an object of texts."), detail={"field": "extra"})
    activity.extra = {read_text(k, "extra")[:300]: read_text(v, "extra") for k, v in extra.items()}


def _read_retention(text: str) -> list[dict[str, Any]]:
    """The records parser's reading of the register's text, kept with its spans (and candidates when unclear)."""
    if not text:
        return []
    from insyn.records.retention_reader import read_retention

    return [read_retention(text).as_dict()]


def _write_children(
    activity: ProcessingActivity, data: ActivityData, terms: dict[str, dict[str, TaxonomyTerm]]
) -> None:
    subjects: dict[str, ActivitySubject] = {}
    for position, item in enumerate(read_list(data, "data_subject_categories")):
        term = terms[TermKind.SUBJECT_CATEGORY][str(item.get("key", ""))]
        if term.key not in subjects:
            subjects[term.key] = ActivitySubject.objects.create(activity=activity, category=term, position=position)
    seen_articles: set[str] = set()
    for position, basis in enumerate(read_list(data, "legal_bases")):
        article = read_choice(basis.get("article"), LegalBasisArticle, "legal_bases.article")
        if article in seen_articles:
            raise ValidationFailed(_("A legal basis is listed twice: %(article)s.") % {"article": article})
        seen_articles.add(article)
        row = LegalBasis(
            activity=activity,
            article=article,
            reference=read_text(basis.get("reference"), "legal_bases.reference"),
            withdrawal_route=read_text(basis.get("withdrawal_route"), "legal_bases.withdrawal_route"),
            position=position,
        )
        full_clean_or_raise(row, exclude=["activity"], validate_constraints=False)
        row.save()
    for position, item in enumerate(read_list(data, "personal_data_categories")):
        subject_key = item.get("subject")
        if subject_key and subject_key not in subjects:
            raise ValidationFailed(
                _("%(key)s is not a data-subject category of this activity.") % {"key": str(subject_key)[:150]},
                detail={"field": "personal_data_categories.subject"},
            )
        data_row = ActivityDataRow(
            activity=activity,
            subject=subjects[subject_key] if subject_key else None,
            category=terms[TermKind.DATA_CATEGORY][str(item.get("key", ""))],
            art9_condition=read_choice(item.get("art9_condition", ""), Art9Condition, "art9_condition"),
            dsl_reference=read_text(item.get("dsl_reference"), "dsl_reference"),
            art10_reference=read_text(item.get("art10_reference"), "art10_reference"),
            national_id_reason=read_text(item.get("national_id_reason"), "national_id_reason"),
            children=bool(item.get("children", False)),
            secrecy=read_text(item.get("secrecy"), "secrecy"),
            position=position,
        )
        full_clean_or_raise(data_row, exclude=["activity", "subject", "category"])
        data_row.save()
    for position, item in enumerate(read_list(data, "recipients")):
        recipient = Recipient(
            activity=activity,
            kind=read_choice(item.get("kind", RecipientKind.CATEGORY), RecipientKind, "recipients.kind"),
            name=read_text(item.get("name"), "recipients.name"),
            country=read_country(item.get("country"), "recipients.country"),
            position=position,
        )
        full_clean_or_raise(recipient, exclude=["activity"])
        recipient.save()
    for position, item in enumerate(read_list(data, "processors")):
        processor = Processor(
            activity=activity,
            name=read_text(item.get("name"), "processors.name"),
            service=read_text(item.get("service"), "processors.service"),
            agreement_reference=read_text(item.get("agreement_reference"), "processors.agreement_reference"),
            agreement_date=read_iso_date(item.get("agreement_date"), "processors.agreement_date"),
            position=position,
        )
        full_clean_or_raise(processor, exclude=["activity"])
        processor.save()
    for position, item in enumerate(read_list(data, "transfers")):
        transfer = Transfer(
            activity=activity,
            country=read_country(item.get("country"), "transfers.country"),
            recipient=read_text(item.get("recipient"), "transfers.recipient"),
            mechanism=read_choice(item.get("mechanism", ""), TransferMechanism, "transfers.mechanism"),
            mechanism_reference=read_text(item.get("mechanism_reference"), "transfers.mechanism_reference"),
            tia_reference=read_text(item.get("tia_reference"), "transfers.tia_reference"),
            tia_date=read_iso_date(item.get("tia_date"), "transfers.tia_date"),
            position=position,
        )
        full_clean_or_raise(transfer, exclude=["activity"])
        transfer.save()
    activity.data_uses.set(terms[TermKind.DATA_USE].values())


def _comparable(data: ActivityData) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in ("id", "status", "warnings")}


@transaction.atomic
def activity_save(
    *, actor: Actor, register: Register, data: ActivityData, activity: ProcessingActivity | None = None
) -> ProcessingActivity:
    """Create the activity, or replace `activity` and all its children, from `data` (one audit entry with
    the field diff). A change of an approved activity makes it and its register drafts again."""
    perm = "privacy.add_processingactivity" if activity is None else "privacy.change_processingactivity"
    require_org_perm(actor, perm, register.controller)
    if not isinstance(data, dict):
        raise ValidationFailed(_("An activity is an object."))
    if activity is not None and activity.register_id != register.pk:
        raise ValidationFailed(_("The activity belongs to another register."))
    municipality = municipality_of(register.controller)
    terms = _resolve_terms(municipality, data)
    retention = data.get("retention") or {"text": ""}
    document_types = _document_types(municipality, read_list(retention, "document_types"))
    systems = _systems(actor=actor, municipality=municipality, items=read_list(data, "systems"))
    before: ActivityData | None = None
    if activity is None:
        top = ProcessingActivity.objects.filter(register=register).aggregate(top=Max("position"))["top"]
        activity = ProcessingActivity(register=register, position=(top or 0) + 1)
    else:
        activity = ProcessingActivity.objects.select_for_update().get(pk=activity.pk)
        before = activity_as_data(activity, lang="en")
    _fill_activity(activity, data)
    full_clean_or_raise(activity, exclude=["register"])
    activity.save()
    if before is not None:
        for related in ("legal_bases", "subjects", "data", "recipients", "processors", "transfers"):
            getattr(activity, related).all().delete()
    _write_children(activity, data, terms)
    activity.document_types.set(document_types)
    activity.systems.set(systems)
    activity = ProcessingActivity.objects.select_related("register__controller").get(pk=activity.pk)
    after = activity_as_data(activity, lang="en")
    old, new = ({} if before is None else _comparable(before)), _comparable(after)
    changes = {k: [old.get(k), new.get(k)] for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)}
    if before is not None and not changes:
        return activity
    if activity.status == ApprovalStatus.APPROVED:
        activity.status = ApprovalStatus.DRAFT
        activity.save(update_fields=["status", "updated_at"])
    _mark_draft(register)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
        obj=activity,
        organisation=register.controller,
        changes=changes,
    )
    _changed(register, actor)
    return activity


@transaction.atomic
def activity_delete(*, actor: Actor, activity: ProcessingActivity, reason: str = "") -> None:
    register = activity.register
    require_org_perm(actor, "privacy.delete_processingactivity", register.controller)
    audit_delete(actor=actor, instance=activity, organisation=register.controller, reason=reason)
    _mark_draft(register)
    _changed(register, actor)


def _refuse_if_missing(activities: list[ProcessingActivity]) -> None:
    refused: list[dict[str, Any]] = []
    for activity in activities:
        missing = missing_for_approval(activity_as_data(activity, lang="en"))
        if missing:
            refused.append({"id": activity.pk, "activity": activity.name, "missing": missing})
    if len(refused) == 1 and len(activities) == 1:
        raise ApprovalRefused(
            _("%(activity)s lacks required fields: %(fields)s.")
            % {"activity": refused[0]["activity"], "fields": ", ".join(refused[0]["missing"])},
            detail={"missing": refused[0]["missing"], "activities": refused},
        )
    if refused:
        raise ApprovalRefused(
            _("%(count)s activities lack required fields.") % {"count": len(refused)},
            detail={"missing": sorted({f for r in refused for f in r["missing"]}), "activities": refused},
        )


@transaction.atomic
def activity_approve(*, actor: Actor, activity: ProcessingActivity) -> ProcessingActivity:
    """The DPO approves one activity; refused (`ApprovalRefused`, detail["missing"]) while a required field is empty."""
    register = activity.register
    require_org_perm(actor, "privacy.approve_register", register.controller)
    activity = ProcessingActivity.objects.select_for_update().select_related("register__controller").get(pk=activity.pk)
    _refuse_if_missing([activity])
    if activity.status != ApprovalStatus.APPROVED:
        before = snapshot(activity)
        activity.status = ApprovalStatus.APPROVED
        activity.save(update_fields=["status", "updated_at"])
        audit_change(actor=actor, instance=activity, before=before, organisation=register.controller)
        _changed(register, actor)
    return activity


@transaction.atomic
def register_approve(*, actor: Actor, register: Register, note: str = "") -> RegisterVersion:
    """The DPO approves the whole register: every activity must pass, the version goes up by one and the
    register as data is frozen in a `RegisterVersion`; the next review falls a year on unless set later."""
    require_org_perm(actor, "privacy.approve_register", register.controller)
    register = Register.objects.select_for_update().select_related("controller").get(pk=register.pk)
    activities = list(ProcessingActivity.objects.filter(register=register).select_related("register__controller"))
    if not activities:
        raise ApprovalRefused(
            _("A register with no activities cannot be approved."), detail={"missing": ["activities"]}
        )
    _refuse_if_missing(activities)
    before = snapshot(register)
    now = timezone.now()
    ProcessingActivity.objects.filter(register=register).update(status=ApprovalStatus.APPROVED, updated_at=now)
    register.status = ApprovalStatus.APPROVED
    register.version += 1
    register.approved_at = now
    register.approved_by = _login(actor)
    today = timezone.localdate()
    if register.review_date is None or register.review_date <= today:
        register.review_date = today + dt.timedelta(days=REVIEW_INTERVAL_DAYS)
        register.review_reminder_sent_on = None
    register.save()
    version = RegisterVersion.objects.create(
        register=register,
        number=register.version,
        snapshot=register_as_data(register, lang=settings.LANGUAGE_CODE),
        approved_at=now,
        approved_by=_login(actor),
        approved_by_label=str(getattr(actor, "get_full_name", lambda: "")() or actor)[:200],
        note=read_text(note, "note"),
    )
    audit_change(actor=actor, instance=register, before=before, organisation=register.controller, reason=note)
    _changed(register, actor)
    return version


# --- Review reminders -------------------------------------------------------------------------------


def review_reminder_days() -> int:
    return int(getattr(settings, "INSYN_PRIVACY_REVIEW_REMINDER_DAYS", 30))


@transaction.atomic
def register_review_reminders(*, actor: Actor, today: dt.date) -> int:
    """E-mail the DPO `INSYN_PRIVACY_REVIEW_REMINDER_DAYS` (30) days before a register's review date, once per
    date: `review_reminder_sent_on` is set with the e-mail, and a new date (`register_update`, an approval)
    clears it. Safe to run twice. Returns the number of e-mails sent."""
    if not actor_scope(actor).is_superuser:
        raise PermissionDeniedError()
    horizon = today + dt.timedelta(days=review_reminder_days())
    due = Register.objects.filter(
        review_date__isnull=False, review_date__lte=horizon, review_reminder_sent_on__isnull=True
    ).select_related("controller__municipality")
    sent = 0
    for register in due.select_for_update(of=("self",)):
        recipient = register_dpo(register)["email"]
        if not recipient:
            logger.warning("register %s: review due, but no DPO e-mail to remind", register.pk)
            continue
        with translation.override("pl" if register.controller.country == "PL" else settings.LANGUAGE_CODE):
            subject = _("Review of the processing register: %(title)s") % {"title": register.title}
            body = _(
                "The processing register %(title)s of %(controller)s is due for review on %(date)s.\n"
                "Check every activity and approve the register again."
            ) % {"title": register.title, "controller": register.controller.name, "date": register.review_date}
        register.review_reminder_sent_on = today
        register.save(update_fields=["review_reminder_sent_on"])
        audit_record(
            actor=actor,
            action=AuditAction.SYSTEM,
            obj=register,
            organisation=register.controller,
            changes={"review_reminder": [register.review_date, recipient]},
        )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])
        sent += 1
    return sent
