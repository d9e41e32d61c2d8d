from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files import File
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from insyn.core.actor import SYSTEM, Actor
from insyn.core.audit import audit_change, audit_delete, snapshot
from insyn.core.exceptions import ValidationFailed
from insyn.core.files import GOVERNING_DOCUMENT_EXTENSIONS, check_upload, is_new_upload
from insyn.core.models.documents import DocumentExpiryNotice, DocumentStatus, GoverningDocument
from insyn.core.models.organisations import Organisation
from insyn.core.permissions import require_org_perm
from insyn.core.rules import due_expiry_thresholds
from insyn.core.services import UNCHANGED, Unchanged, changed_fields
from insyn.core.services.organisations import full_clean_or_raise

logger = logging.getLogger(__name__)


def _check_file(file: Any) -> None:
    """A new upload must be an accepted type, by its content and not only by its name."""
    if is_new_upload(file):
        check_upload(file, allowed=GOVERNING_DOCUMENT_EXTENSIONS, field="file")


def _check_replaced_by(document: GoverningDocument) -> None:
    replacement = document.replaced_by
    if replacement is not None and replacement.organisation.municipality_id != document.organisation.municipality_id:
        raise ValidationFailed(_("The replacing document must belong to the same municipality."))


@transaction.atomic
def governing_document_create(
    *,
    actor: Actor,
    organisation: Organisation,
    title: str,
    document_type: str,
    status: str = DocumentStatus.DRAFT,
    decision_body: str = "",
    decision_date: dt.date | None = None,
    paragraph: str = "",
    registration_number: str = "",
    version: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    review_date: dt.date | None = None,
    responsible_unit: str = "",
    owner: User | None = None,
    description: str = "",
    applies_to: str = "",
    file: File[Any] | None = None,
    replaced_by: GoverningDocument | None = None,
    reason: str = "",
) -> GoverningDocument:
    require_org_perm(actor, "core.add_governingdocument", organisation)
    _check_file(file)
    document = GoverningDocument(
        organisation=organisation,
        title=title,
        document_type=document_type,
        status=status,
        decision_body=decision_body,
        decision_date=decision_date,
        paragraph=paragraph,
        registration_number=registration_number,
        version=version,
        valid_from=valid_from,
        valid_until=valid_until,
        review_date=review_date,
        responsible_unit=responsible_unit,
        owner=owner,
        description=description,
        applies_to=applies_to,
        file=file or "",
        replaced_by=replaced_by,
    )
    full_clean_or_raise(document)
    _check_replaced_by(document)
    document.save()
    audit_change(actor=actor, instance=document, before=None, organisation=organisation, reason=reason)
    return document


@transaction.atomic
def governing_document_update(
    *,
    actor: Actor,
    document: GoverningDocument,
    organisation: Organisation | Unchanged = UNCHANGED,
    title: str | Unchanged = UNCHANGED,
    document_type: str | Unchanged = UNCHANGED,
    status: str | Unchanged = UNCHANGED,
    decision_body: str | Unchanged = UNCHANGED,
    decision_date: dt.date | Unchanged | None = UNCHANGED,
    paragraph: str | Unchanged = UNCHANGED,
    registration_number: str | Unchanged = UNCHANGED,
    version: str | Unchanged = UNCHANGED,
    valid_from: dt.date | Unchanged | None = UNCHANGED,
    valid_until: dt.date | Unchanged | None = UNCHANGED,
    review_date: dt.date | Unchanged | None = UNCHANGED,
    responsible_unit: str | Unchanged = UNCHANGED,
    owner: User | Unchanged | None = UNCHANGED,
    description: str | Unchanged = UNCHANGED,
    applies_to: str | Unchanged = UNCHANGED,
    file: File[Any] | Unchanged | None = UNCHANGED,
    replaced_by: GoverningDocument | Unchanged | None = UNCHANGED,
    reason: str = "",
) -> GoverningDocument:
    """Change the given fields (`file=None` removes the file); one audit entry with what changed."""
    data = changed_fields(
        organisation=organisation,
        title=title,
        document_type=document_type,
        status=status,
        decision_body=decision_body,
        decision_date=decision_date,
        paragraph=paragraph,
        registration_number=registration_number,
        version=version,
        valid_from=valid_from,
        valid_until=valid_until,
        review_date=review_date,
        responsible_unit=responsible_unit,
        owner=owner,
        description=description,
        applies_to=applies_to,
        file=file,
        replaced_by=replaced_by,
    )
    if data.get("file", "") is None:
        data["file"] = ""
    locked = GoverningDocument.objects.select_for_update().select_related("organisation").get(pk=document.pk)
    require_org_perm(actor, "core.change_governingdocument", locked.organisation)
    _check_file(data.get("file"))
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
def governing_document_delete(*, actor: Actor, document: GoverningDocument, reason: str = "") -> None:
    require_org_perm(actor, "core.delete_governingdocument", document.organisation)
    audit_delete(actor=actor, instance=document, organisation=document.organisation, reason=reason)


@transaction.atomic
def governing_document_replace(
    *, actor: Actor, document: GoverningDocument, replacement: GoverningDocument, reason: str = ""
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
                actor=SYSTEM,
                instance=document,
                before=before,
                organisation=document.organisation_id,
                reason="Validity ended",  # stored in one language, shown as is
            )
        expired += 1
    logger.info("governing documents: %s notices sent, %s skipped, %s expired", sent, skipped, expired)
    return {"sent": sent, "skipped": skipped, "expired": expired}
