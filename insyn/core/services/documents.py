from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from insyn.core.audit import audit_change, audit_record, snapshot
from insyn.core.exceptions import ValidationFailed
from insyn.core.files import GOVERNING_DOCUMENT_EXTENSIONS, check_upload, is_new_upload
from insyn.core.models.audit import AuditAction
from insyn.core.models.documents import DocumentExpiryNotice, DocumentStatus, GoverningDocument
from insyn.core.models.organisations import Organisation
from insyn.core.permissions import require_org_perm
from insyn.core.rules import due_expiry_thresholds
from insyn.core.services.organisations import full_clean_or_raise

logger = logging.getLogger(__name__)

DOCUMENT_FIELDS = {
    "organisation",
    "title",
    "document_type",
    "decision_body",
    "decision_date",
    "paragraph",
    "registration_number",
    "version",
    "valid_from",
    "valid_until",
    "review_date",
    "responsible_unit",
    "owner",
    "description",
    "applies_to",
    "file",
    "status",
    "replaced_by",
}


def _check_fields(data: dict[str, Any]) -> None:
    unknown = set(data) - DOCUMENT_FIELDS
    if unknown:
        raise ValidationFailed(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _check_file(data: dict[str, Any]) -> None:
    """A new upload must be an accepted type, by its content and not only by its name."""
    value = data.get("file")
    if is_new_upload(value):
        check_upload(value, allowed=GOVERNING_DOCUMENT_EXTENSIONS, field="file")


def _check_replaced_by(document: GoverningDocument) -> None:
    replacement = document.replaced_by
    if replacement is not None and replacement.organisation.municipality_id != document.organisation.municipality_id:
        raise ValidationFailed(_("The replacing document must belong to the same municipality."))


@transaction.atomic
def governing_document_create(
    *, actor: Any, organisation: Organisation, reason: str = "", **data: Any
) -> GoverningDocument:
    _check_fields(data)
    require_org_perm(actor, "core.add_governingdocument", organisation)
    _check_file(data)
    document = GoverningDocument(organisation=organisation, **data)
    full_clean_or_raise(document)
    _check_replaced_by(document)
    document.save()
    audit_change(actor=actor, instance=document, before=None, organisation=organisation, reason=reason)
    return document


@transaction.atomic
def governing_document_update(
    *, actor: Any, document: GoverningDocument, reason: str = "", **data: Any
) -> GoverningDocument:
    _check_fields(data)
    locked = GoverningDocument.objects.select_for_update().select_related("organisation").get(pk=document.pk)
    require_org_perm(actor, "core.change_governingdocument", locked.organisation)
    _check_file(data)
    before = snapshot(locked)
    for key, value in data.items():
        setattr(locked, key, value)
    if "organisation" in data:
        require_org_perm(actor, "core.change_governingdocument", locked.organisation)
    full_clean_or_raise(locked)
    _check_replaced_by(locked)
    locked.save()
    audit_change(actor=actor, instance=locked, before=before, organisation=locked.organisation, reason=reason)
    return locked


@transaction.atomic
def governing_document_delete(*, actor: Any, document: GoverningDocument, reason: str = "") -> None:
    require_org_perm(actor, "core.delete_governingdocument", document.organisation)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=document,
        organisation=document.organisation,
        changes=snapshot(document),
        reason=reason,
    )
    document.delete()


@transaction.atomic
def governing_document_replace(
    *, actor: Any, document: GoverningDocument, replacement: GoverningDocument, reason: str = ""
) -> GoverningDocument:
    """Mark `document` replaced by `replacement` and put the replacement in force."""
    if replacement.pk == document.pk:
        raise ValidationFailed(_("A document cannot replace itself."))
    if replacement.status != DocumentStatus.IN_FORCE:
        governing_document_update(actor=actor, document=replacement, status=DocumentStatus.IN_FORCE, reason=reason)
    return governing_document_update(
        actor=actor, document=document, status=DocumentStatus.REPLACED, replaced_by=replacement, reason=reason
    )


def _recipient_language(document: GoverningDocument) -> str:
    """The owner's chosen admin language, else the language of the organisation's country."""
    profile = getattr(document.owner, "wagtail_userprofile", None) if document.owner else None
    preferred = getattr(profile, "preferred_language", "") if profile else ""
    if preferred:
        return str(preferred)
    return "pl" if document.organisation.country == "PL" else settings.LANGUAGE_CODE


def _notify_owner(document: GoverningDocument, days_before: int, recipient: str) -> None:
    language = _recipient_language(document)
    with translation.override(language):
        context = {
            "document": document,
            "days_before": days_before,
            "url": settings.INSYN_BASE_URL.rstrip("/") + reverse("governing_documents:edit", args=[document.pk]),
        }
        subject = render_to_string("core/email/document_expiry_subject.txt", context).strip()
        body = render_to_string("core/email/document_expiry_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient])


def governing_documents_expire_and_notify(*, today: dt.date | None = None) -> dict[str, int]:
    """Daily job: notify owners 90, 30 and 0 days before `valid_until`; mark past documents expired.

    Idempotent: each (document, valid_until, threshold) is handled once,
    guarded by a unique constraint, so a re-run or a second worker sends nothing twice.
    """
    today = today or timezone.localdate()
    thresholds = list(settings.INSYN_EXPIRY_NOTICE_DAYS)
    horizon = today + dt.timedelta(days=max(thresholds))
    sent = skipped = expired = 0
    candidates = (
        GoverningDocument.objects.filter(status=DocumentStatus.IN_FORCE, valid_until__isnull=False)
        .filter(valid_until__lte=horizon)
        .select_related("owner", "organisation")
        .prefetch_related("expiry_notices")
    )
    for document in candidates:
        assert document.valid_until is not None
        done = [n.days_before for n in document.expiry_notices.all() if n.valid_until == document.valid_until]
        due = due_expiry_thresholds(document.valid_until, today, thresholds, done)
        if not due:
            continue
        closest = min(due)
        recipient = (document.owner.email if document.owner else "") or document.organisation.email
        for days_before in due:
            will_send = days_before == closest and bool(recipient)
            try:
                with transaction.atomic():
                    DocumentExpiryNotice.objects.create(
                        document=document,
                        valid_until=document.valid_until,
                        days_before=days_before,
                        recipient=recipient if will_send else "",
                        sent=will_send,
                    )
                    if will_send:
                        _notify_owner(document, days_before, recipient)
            except IntegrityError:
                continue  # another run handled it
            if will_send:
                sent += 1
            else:
                skipped += 1
    for document in GoverningDocument.objects.filter(status=DocumentStatus.IN_FORCE, valid_until__lt=today):
        with transaction.atomic():
            before = snapshot(document)
            document.status = DocumentStatus.EXPIRED
            document.save(update_fields=["status", "updated_at"])
            audit_change(
                actor=None,
                instance=document,
                before=before,
                organisation=document.organisation_id,
                reason="Validity ended",  # stored in one language, shown as is
            )
        expired += 1
    logger.info("governing documents: %s notices sent, %s skipped, %s expired", sent, skipped, expired)
    return {"sent": sent, "skipped": skipped, "expired": expired}
