"""Register extracts (registerutdrag): made from a subject search, kept as files for three months, disposed of.

Seed 003 (Södertälje Kommunstyrelsen) keeps "Fullständigt registerutdrag i 3 månader"; the request file
itself follows the request's own retention (services.requests).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, audit_delete, audit_record
from insyn.core.exceptions import NotFoundError, ValidationFailed
from insyn.core.models.audit import AuditAction
from insyn.core.models.organisations import Organisation
from insyn.core.permissions import has_org_perm
from insyn.privacy.models import ExtractFormat, Recipient, SubjectExtract, SubjectRequest
from insyn.privacy.subject_search import SubjectQuery, audit_search, subject_search

KEEP_MONTHS = 3
CONTENT_TYPES = {"pdf": "application/pdf", "json": "application/json"}
DISPOSE_PERMISSION = "privacy.erase_subject_data"


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _login(actor: Actor) -> User | None:
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def _recipients(activity_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for recipient in Recipient.objects.filter(activity_id__in=activity_ids).order_by("activity_id", "position", "pk"):
        text = f"{recipient.name} ({recipient.country})" if recipient.country else recipient.name
        found.setdefault(recipient.activity_id, []).append(text)
    return found


def _formats(formats: tuple[str, ...] | list[str]) -> list[str]:
    chosen = list(dict.fromkeys(formats))
    allowed = set(ExtractFormat.values)
    if not chosen or any(f not in allowed for f in chosen):
        raise ValidationFailed(
            _("Choose the extract's formats among: %(formats)s.") % {"formats": ", ".join(sorted(allowed))},
            code="invalid",
            detail={"field": "formats"},
        )
    return chosen


def extract_create(
    *,
    actor: Actor,
    municipality_id: int,
    query: SubjectQuery,
    request: SubjectRequest | None = None,
    formats: tuple[str, ...] | list[str] = ("pdf", "json"),
    language: str = "sv",
) -> list[SubjectExtract]:
    """Search for the subject and store the extract in each format; audited as one extract.

    The search checks `privacy.view_subject_data` in the municipality (NotFoundError otherwise). With a
    request, the extract belongs to it and to its controller; without one, to the municipality.

    The files are written at once (the caller may read them within its transaction), and no file outlives a
    rollback: one inside this service (its own failure, or the commit failing) deletes them here; one of a
    caller's transaction after this returns leaves files without rows, which `extracts_remove_orphans`
    deletes (run by `extracts_dispose_due`, and callable right after such a rollback)."""
    written: list[str] = []
    try:
        with transaction.atomic():
            return _extract_create(
                actor=actor,
                municipality_id=municipality_id,
                query=query,
                request=request,
                formats=formats,
                language=language,
                written=written,
            )
    except BaseException:
        _delete_files(written)
        raise


def _delete_files(names: list[str]) -> None:
    storage = SubjectExtract._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # already gone, or the storage is down: the orphan sweep tries again
            continue


def _extract_create(
    *,
    actor: Actor,
    municipality_id: int,
    query: SubjectQuery,
    request: SubjectRequest | None,
    formats: tuple[str, ...] | list[str],
    language: str,
    written: list[str],
) -> list[SubjectExtract]:
    from insyn.privacy.extract_pdf import extract_data, render_json, render_pdf
    from insyn.privacy.selectors.subject import mask_query, normalise_query

    chosen = _formats(formats)
    result = subject_search(actor=actor, municipality_id=municipality_id, query=query, audit=False)
    if request is not None:
        controller = request.controller
        if controller.municipality_id != municipality_id:
            raise ValidationFailed(_("The request belongs to another municipality."), code="invalid")
    else:
        controller = Organisation.objects.get(pk=municipality_id)
    audit_search(actor=actor, municipality_id=municipality_id, query=query, hits=len(result.hits), what="extract")
    activity_ids = {ref.id for hit in result.hits for ref in hit.activities}
    data = extract_data(
        result=result,
        controller=controller,
        recipients=_recipients(activity_ids),
        query=mask_query(normalise_query(query)),
        reference=request.reference if request is not None else "",
    )
    today = timezone.localdate()
    made = []
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    for fmt in chosen:
        with translation.override(language):
            content = render_pdf(data, language=language) if fmt == "pdf" else render_json(data)
        extract = SubjectExtract(
            request=request,
            controller=controller,
            format=fmt,
            hits=len(result.hits),
            created_by=_login(actor),
            dispose_after=add_months(today, KEEP_MONTHS),
        )
        name = f"registerutdrag-{request.reference if request else controller.pk}-{stamp}.{fmt}"
        extract.file.save(name, ContentFile(content), save=False)
        written.append(extract.file.name)
        extract.save()
        audit_change(actor=actor, instance=extract, before=None, organisation=controller)
        made.append(extract)
    return made


@transaction.atomic
def extract_open(*, actor: Actor, pk: int) -> tuple[str, bytes, str]:
    """The stored file of an extract for someone who may see it: (file name, content, content type).
    Every download is on the audit trail."""
    from insyn.privacy.selectors.subject import access_extract

    extract = access_extract(actor=actor, pk=pk)
    try:
        with extract.file.open("rb") as handle:
            content = handle.read()
    except (OSError, ValueError) as exc:
        raise NotFoundError() from exc
    audit_record(
        actor=actor,
        action=AuditAction.READ,
        obj=extract,
        organisation=extract.controller,
        changes={"fields": ["file"]},
    )
    return extract.file.name.rsplit("/", 1)[-1], content, CONTENT_TYPES.get(extract.format, "application/octet-stream")


@transaction.atomic
def extracts_dispose_due(*, actor: Actor, today: dt.date) -> int:
    """Delete every extract whose period has run out (file and row, audited); running it twice is safe."""
    # First, while every row still stands: a file of an extract disposed of below is not an orphan until the
    # delete commits (then on_commit removes it).
    extracts_remove_orphans(actor=actor)
    due = SubjectExtract.objects.filter(dispose_after__lte=today).select_related("controller").order_by("pk")
    count = 0
    for extract in due:
        if not has_org_perm(actor, DISPOSE_PERMISSION, extract.controller):
            continue
        name = extract.file.name
        audit_delete(actor=actor, instance=extract, organisation=extract.controller, reason=_("Retention period ended"))
        if name:
            storage = extract.file.storage
            # After the commit: a rolled-back delete must not lose the file.
            transaction.on_commit(lambda name=name, storage=storage: storage.delete(name))  # type: ignore[misc]
        count += 1
    return count


EXTRACT_DIR = "privacy/extracts"
ORPHAN_AGE = dt.timedelta(hours=1)  # older than any transaction that may still commit its row


@transaction.atomic
def extracts_remove_orphans(*, actor: Actor, older_than: dt.timedelta = ORPHAN_AGE) -> int:
    """Delete extract files that no row names: left by a transaction that rolled back after writing them.
    Only files older than `older_than`, so that a transaction still running keeps its own. Needs the
    disposal permission somewhere (SYSTEM, the scheduled task); the files belong to no row to scope by."""
    from insyn.core.permissions import actor_scope

    scope = actor_scope(actor)
    if not (scope.is_superuser or scope.municipalities_with(DISPOSE_PERMISSION)):
        return 0
    storage = SubjectExtract._meta.get_field("file").storage
    try:
        _dirs, files = storage.listdir(EXTRACT_DIR)
    except (OSError, NotImplementedError):
        return 0
    names = {f"{EXTRACT_DIR}/{f}" for f in files}
    kept = set(SubjectExtract.objects.filter(file__in=names).values_list("file", flat=True))
    limit = timezone.now() - older_than
    removed = 0
    for name in sorted(names - kept):
        try:
            if storage.get_modified_time(name) > limit:
                continue
            storage.delete(name)
        except (OSError, NotImplementedError):
            continue
        removed += 1
    if removed:
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            object_type="privacy.extractfile",
            object_id="",
            object_label="orphaned extract files",
            changes={"files": removed},
        )
    return removed


def extract_info(extract: SubjectExtract) -> dict[str, Any]:
    return {
        "id": extract.pk,
        "format": extract.format,
        "hits": extract.hits,
        "request": extract.request.reference if extract.request_id and extract.request else None,
        "created_at": extract.created_at.isoformat() if extract.created_at else None,
        "dispose_after": extract.dispose_after.isoformat() if extract.dispose_after else None,
    }
