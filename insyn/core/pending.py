"""Files of import previews: kept under media/imports/pending/ between the preview and the confirmation.

A preview saves the uploaded bytes under a random token; the confirmation reads them back, so the
import writes exactly what was previewed. A file expires `INSYN_IMPORT_PENDING_HOURS` (24) after
it was saved: the confirmation refuses it and the daily job `import_pending_cleanup_daily`
removes it (and any file a preview left behind).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.exceptions import NotFoundError

PENDING_DIR = "imports/pending"


def _path(token: str) -> str:
    if not token.isalnum():
        raise NotFoundError(_("The preview has expired; upload the file again."))
    return f"{PENDING_DIR}/{token}"


def _max_age() -> dt.timedelta:
    return dt.timedelta(hours=settings.INSYN_IMPORT_PENDING_HOURS)


def pending_save(content: bytes) -> str:
    """Keep a previewed file; return its token."""
    token = uuid.uuid4().hex
    default_storage.save(_path(token), ContentFile(content))
    return token


def pending_read(token: str) -> bytes:
    """The previewed file's bytes; NotFoundError once it has expired or been removed."""
    path = _path(token)
    try:
        expired = default_storage.get_modified_time(path) < timezone.now() - _max_age()
        if not expired:
            with default_storage.open(path) as handle:
                return bytes(handle.read())
    except FileNotFoundError:
        expired = True
    pending_delete(token)
    raise NotFoundError(_("The preview has expired; upload the file again."))


def pending_delete(token: str) -> None:
    default_storage.delete(_path(token))


def pending_cleanup(*, now: dt.datetime | None = None) -> int:
    """Remove preview files older than `INSYN_IMPORT_PENDING_HOURS`; return how many. Safe to run twice."""
    cutoff = (now or timezone.now()) - _max_age()
    try:
        _directories, names = default_storage.listdir(PENDING_DIR)
    except FileNotFoundError:
        return 0
    removed = 0
    for name in names:
        path = f"{PENDING_DIR}/{name}"
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                removed += 1
        except FileNotFoundError:  # removed meanwhile (another worker, a confirmation)
            continue
    return removed
