"""Writes of privacy notices: generate a draft from the register, publish it (the DPO), discard it.

A published version is never changed. A change of the register or of a linked plan makes a new draft
(receivers.py); the DPO approves it, which publishes it and supersedes the version before.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_record
from insyn.core.events import send_after_commit
from insyn.core.exceptions import PermissionDeniedError, ValidationFailed
from insyn.core.models import Organisation
from insyn.core.permissions import has_org_perm
from insyn.privacy import notice_builder, signals
from insyn.privacy.exceptions import ApprovalRefused
from insyn.privacy.models import Notice, NoticeStatus, NoticeVersion, TaxonomyTerm, TermKind
from insyn.privacy.selectors import notices as selectors

GENERATE = "privacy.change_notice"
CREATE = "privacy.add_notice"
PUBLISH = "privacy.publish_notice"
MAX_TEXT = 5000


def _require(actor: Actor, perm: str, controller: Organisation) -> None:
    if not has_org_perm(actor, perm, controller):
        raise PermissionDeniedError(_("You may not change the privacy notices of %(organ)s.") % {"organ": controller})


def _unique_slug(controller: Organisation, subject_category: TaxonomyTerm) -> str:
    base = slugify(subject_category.label_sv or subject_category.key)[:90] or "notice"
    slug, n = base, 2
    while Notice.objects.filter(controller=controller, slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def notice_generate(
    *, actor: Actor, controller: Organisation, subject_category: TaxonomyTerm, reason: str = ""
) -> NoticeVersion | None:
    """Build the notice from the register as it is now; a new or refreshed draft, or None when nothing changed."""
    if subject_category.kind != TermKind.SUBJECT_CATEGORY:
        raise ValidationFailed(_("A notice is written for a data-subject category."))
    notice = Notice.objects.select_for_update().filter(controller=controller, subject_category=subject_category).first()
    if notice is None:
        _require(actor, CREATE, controller)
        notice = Notice.objects.create(
            controller=controller,
            subject_category=subject_category,
            slug=_unique_slug(controller, subject_category),
        )
        audit_record(actor=actor, action="create", obj=notice, organisation=controller, reason=reason[:300])
    else:
        _require(actor, GENERATE, controller)
    return _regenerate(actor=actor, notice=notice, reason=reason)


def _regenerate(*, actor: Actor, notice: Notice, reason: str) -> NoticeVersion | None:
    activities = selectors.notice_activities(
        controller_id=notice.controller_id, subject_category_id=notice.subject_category_id
    )
    register = selectors.controller_register(controller_id=notice.controller_id)
    content = notice_builder.build_all(notice=notice, activities=activities, register=register)
    digest = notice_builder.content_digest(content)
    versions = NoticeVersion.objects.select_for_update().filter(notice=notice)
    draft = versions.filter(status=NoticeStatus.DRAFT).first()
    published = versions.filter(status=NoticeStatus.PUBLISHED).first()
    if (draft or published) and (draft or published).source_digest == digest:  # type: ignore[union-attr]
        return None  # same source as the version waiting or in force: nothing to do
    if draft is None and published is None and not activities:
        return None  # no activity names the category: no empty notice is started
    if draft is not None:
        before = draft.source_digest
        draft.content, draft.source_digest, draft.reason = content, digest, reason[:300]
        draft.save(update_fields=["content", "source_digest", "reason"])
        audit_record(
            actor=actor,
            action="update",
            obj=draft,
            organisation=notice.controller,
            changes={"source_digest": [before, digest]},
            reason=reason[:300],
        )
        return draft
    last = versions.order_by("-number").values_list("number", flat=True).first() or 0
    draft = NoticeVersion.objects.create(
        notice=notice, number=last + 1, content=content, source_digest=digest, reason=reason[:300]
    )
    audit_record(
        actor=actor,
        action="create",
        obj=draft,
        organisation=notice.controller,
        changes={"number": [None, draft.number], "source_digest": [None, digest]},
        reason=reason[:300],
    )
    return draft


def notice_regenerate_for(*, actor: Actor, controller_id: int, reason: str = "") -> list[NoticeVersion]:
    """A draft for every data-subject category of the controller's register whose notice would change."""
    controller = Organisation.objects.get(pk=controller_id)
    made = []
    for category in selectors.controller_subject_categories(controller_id=controller_id):
        version = notice_generate(actor=actor, controller=controller, subject_category=category, reason=reason)
        if version is not None:
            made.append(version)
    return made


@transaction.atomic
def notice_publish(*, actor: Actor, version: NoticeVersion) -> NoticeVersion:
    """The DPO approves a draft: it becomes the published version and the one before is kept as superseded."""
    version = NoticeVersion.objects.select_for_update().select_related("notice__controller").get(pk=version.pk)
    notice = version.notice
    if not has_org_perm(actor, PUBLISH, notice.controller):
        raise PermissionDeniedError(_("Only the data protection officer may publish a privacy notice."))
    if version.status != NoticeStatus.DRAFT:
        raise ApprovalRefused(_("Only a draft can be published."), code="notice_not_draft")
    if not version.content.get("sv", {}).get("sections"):
        raise ApprovalRefused(_("The notice names no processing activity."), code="notice_empty")
    now = timezone.now()
    for old in NoticeVersion.objects.select_for_update().filter(notice=notice, status=NoticeStatus.PUBLISHED):
        old.status = NoticeStatus.SUPERSEDED
        old.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="update",
            obj=old,
            organisation=notice.controller,
            changes={"status": ["published", "superseded"]},
        )
    version.status = NoticeStatus.PUBLISHED
    version.published_at = now
    version.approved_by = actor if getattr(actor, "is_authenticated", False) else None  # type: ignore[assignment]
    version.approved_by_label = str(getattr(actor, "get_full_name", lambda: "")() or actor)[:200]
    version.save(update_fields=["status", "published_at", "approved_by", "approved_by_label"])
    audit_record(
        actor=actor,
        action="update",
        obj=version,
        organisation=notice.controller,
        changes={"status": ["draft", "published"]},
    )
    send_after_commit(signals.notice_published, sender=Notice, notice_id=notice.pk, version_id=version.pk, actor=actor)
    return version


@transaction.atomic
def notice_discard(*, actor: Actor, version: NoticeVersion, reason: str = "") -> NoticeVersion:
    version = NoticeVersion.objects.select_for_update().select_related("notice__controller").get(pk=version.pk)
    _require(actor, GENERATE, version.notice.controller)
    if version.status != NoticeStatus.DRAFT:
        raise ApprovalRefused(_("Only a draft can be discarded."), code="notice_not_draft")
    version.status = NoticeStatus.DISCARDED
    version.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="update",
        obj=version,
        organisation=version.notice.controller,
        changes={"status": ["draft", "discarded"]},
        reason=reason[:300],
    )
    return version


@transaction.atomic
def notice_set_texts(
    *, actor: Actor, notice: Notice, titles: dict[str, Any], intros: dict[str, Any]
) -> NoticeVersion | None:
    """The DPO's title and opening paragraph per language; the draft is remade with them."""
    notice = Notice.objects.select_for_update().select_related("controller").get(pk=notice.pk)
    _require(actor, GENERATE, notice.controller)
    clean: dict[str, dict[str, str]] = {"titles": {}, "intros": {}}
    for name, given, limit in (("titles", titles, 300), ("intros", intros, MAX_TEXT)):
        for lang, text in (given or {}).items():
            if lang not in notice_builder.LANGUAGES:
                raise ValidationFailed(_("Unknown language “%(lang)s”.") % {"lang": str(lang)[:10]})
            text = str(text or "").strip()
            if len(text) > limit:
                raise ValidationFailed(_("The text is too long (at most %(limit)d characters).") % {"limit": limit})
            if text:
                clean[name][lang] = text
    before = {"titles": notice.titles, "intros": notice.intros}
    notice.titles, notice.intros = clean["titles"], clean["intros"]
    notice.save(update_fields=["titles", "intros"])
    audit_record(
        actor=actor,
        action="update",
        obj=notice,
        organisation=notice.controller,
        changes={k: [before[k], clean[k]] for k in clean if before[k] != clean[k]},
    )
    return _regenerate(actor=actor, notice=notice, reason=_("Title or introduction changed"))
