"""Audit heads kept outside the database, so that a removed tail of the audit trail is caught.

The hash chain proves that no entry was changed or taken out of the middle; it cannot prove that the
newest entries were not cut off (the shortened chain is still a valid chain). Each day the worker
publishes the head (`ID:HASH` of the newest entry, `insyn audit head`): to the log, and, when set, as a
line `DATE ID:HASH` appended to `INSYN_AUDIT_HEAD_FILE` (a file on another machine or a write-once
mount) and as a JSON POST to `INSYN_AUDIT_HEAD_URL`. `insyn audit verify` then checks that every
recorded head is still in the database with its hash.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from insyn.core.audit import GENESIS_HASH
from insyn.core.models.audit import AuditEntry

logger = logging.getLogger(__name__)

POST_TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Anchor:
    entry_id: int
    entry_hash: str
    recorded_on: str = ""  # the date the head was recorded, when known

    def __str__(self) -> str:
        return f"{self.entry_id}:{self.entry_hash}"


def audit_head() -> Anchor:
    """The newest entry as an anchor (`0:000…` for an empty trail)."""
    last = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
    return Anchor(last[0], last[1]) if last else Anchor(0, GENESIS_HASH)


def parse_anchor(text: str, *, recorded_on: str = "") -> Anchor:
    """`ID:HASH` (the output of `insyn audit head`); ValueError when malformed."""
    entry_id, sep, entry_hash = text.strip().partition(":")
    if not sep or not entry_id.isdigit() or len(entry_hash) != 64:
        raise ValueError(f"not an audit head (ID:HASH): {text.strip()!r}")
    return Anchor(int(entry_id), entry_hash.lower(), recorded_on)


def read_anchors_file(path: Path | str) -> list[Anchor]:
    """Every `DATE ID:HASH` (or bare `ID:HASH`) line of a heads file; blank lines and # comments skipped."""
    anchors = []
    for number, raw in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        *date, head = line.split()
        try:
            anchors.append(parse_anchor(head, recorded_on=" ".join(date)))
        except ValueError as exc:
            raise ValueError(f"{path}, line {number}: {exc}") from exc
    return anchors


def anchors_missing(anchors: list[Anchor]) -> list[Anchor]:
    """The anchors whose entry is no longer in the database with the recorded hash (id 0 = empty trail)."""
    wanted = {a.entry_id for a in anchors if a.entry_id}
    present = dict(AuditEntry.objects.filter(id__in=wanted).values_list("id", "entry_hash"))
    return [a for a in anchors if a.entry_id and present.get(a.entry_id) != a.entry_hash]


def _append_to_file(path: Path, line: str) -> bool:
    """Append `line` unless it is already the file's last line (the job may run twice a day)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        lines = path.read_text(encoding="utf-8").splitlines()
        if lines and lines[-1].strip() == line:
            return False
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return True


def _post(url: str, payload: dict[str, object]) -> bool:
    if not url.startswith(("https://", "http://")):
        logger.error("INSYN_AUDIT_HEAD_URL must be an http(s) URL, not %r", url)
        return False
    request = urllib.request.Request(  # noqa: S310 (scheme checked above)
        url,
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "User-Agent": "insyn-audit-head"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=POST_TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        logger.error("audit head not delivered to %s: %s", url, exc)
        return False
    return True


def audit_head_publish(*, today: dt.date | None = None) -> dict[str, object]:
    """Log the audit head and send it to the places outside the database that are configured."""
    day = (today or timezone.localdate()).isoformat()
    head = audit_head()
    line = f"{day} {head}"
    logger.info("audit head %s", head)
    result: dict[str, object] = {"head": str(head), "file": False, "url": False}
    head_file = getattr(settings, "INSYN_AUDIT_HEAD_FILE", "")
    if head_file:
        try:
            result["file"] = _append_to_file(Path(head_file), line)
        except OSError as exc:
            logger.error("audit head not written to %s: %s", head_file, exc)
    head_url = getattr(settings, "INSYN_AUDIT_HEAD_URL", "")
    if head_url:
        payload = {"date": day, "head": str(head), "entry_id": head.entry_id, "hash": head.entry_hash}
        payload["site"] = getattr(settings, "INSYN_BASE_URL", "")
        result["url"] = _post(head_url, payload)
    return result
