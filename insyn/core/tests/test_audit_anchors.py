"""The audit head leaves the database every day, so that cutting off the newest entries is caught."""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from insyn.core.audit import audit_verify, entry_digest_of
from insyn.core.audit_anchors import audit_head, read_anchors_file
from insyn.core.models import AuditEntry
from insyn.core.services.documents import governing_document_update
from insyn.core.tasks import audit_head_daily
from insyn.core.tests.test_audit import _tamper


@pytest.fixture
def head_receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A local HTTP endpoint on 127.0.0.1 collecting the POSTed heads (no other network)."""
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/audit-heads", received
    server.shutdown()
    server.server_close()


def test_daily_job_logs_appends_and_posts_the_head(two_municipalities, settings, tmp_path, head_receiver, caplog):
    url, received = head_receiver
    settings.INSYN_AUDIT_HEAD_FILE = str(tmp_path / "elsewhere" / "audit-heads.txt")
    settings.INSYN_AUDIT_HEAD_URL = url
    head = str(audit_head())
    with caplog.at_level(logging.INFO, logger="insyn.core.audit_anchors"):
        audit_head_daily.enqueue(run_date="2026-11-27")
        audit_head_daily.enqueue(run_date="2026-11-27")  # run twice: one line, not two
    assert f"audit head {head}" in caplog.text
    assert (tmp_path / "elsewhere" / "audit-heads.txt").read_text() == f"2026-11-27 {head}\n"
    assert received[0]["head"] == head and received[0]["date"] == "2026-11-27"


def test_unreachable_url_is_logged_not_raised(two_municipalities, settings, caplog):
    settings.INSYN_AUDIT_HEAD_URL = "http://127.0.0.1:9/closed"  # discard port: connection refused
    with caplog.at_level(logging.ERROR, logger="insyn.core.audit_anchors"):
        audit_head_daily.enqueue(run_date="2026-11-27")
    assert "not delivered" in caplog.text


def test_recorded_heads_catch_a_removed_tail_without_a_hand_kept_anchor(two_municipalities, settings, tmp_path):
    pitea, _ = two_municipalities
    heads = tmp_path / "audit-heads.txt"
    settings.INSYN_AUDIT_HEAD_FILE = str(heads)
    audit_head_daily.enqueue(run_date="2026-11-26")
    governing_document_update(actor=pitea.registrar, document=pitea.document, version="2.0", reason="Revidering")
    audit_head_daily.enqueue(run_date="2026-11-27")
    recorded = read_anchors_file(heads)
    assert [a.recorded_on for a in recorded] == ["2026-11-26", "2026-11-27"]
    call_command("audit", "verify")  # reads INSYN_AUDIT_HEAD_FILE by itself

    newest = recorded[-1].entry_id
    _tamper("DELETE FROM core_auditentry WHERE id >= %s", [newest])  # bypasses the append-only triggers
    assert audit_verify()[1] is None  # the shortened chain is still a valid chain...
    with pytest.raises(CommandError, match=rf"#{newest} recorded on 2026-11-27"):
        call_command("audit", "verify")  # ...but yesterday's published head is gone
    settings.INSYN_AUDIT_HEAD_FILE = ""
    with pytest.raises(CommandError, match=rf"#{newest}"):
        call_command("audit", "verify", "--anchors-file", str(heads))


def test_rewritten_and_rehashed_entry_is_caught_by_its_recorded_head(two_municipalities, settings, tmp_path):
    """Rewriting the newest entry and re-hashing it keeps the chain valid, but its recorded head no longer matches."""
    settings.INSYN_AUDIT_HEAD_FILE = str(tmp_path / "audit-heads.txt")
    audit_head_daily.enqueue(run_date=dt.date(2026, 11, 27).isoformat())
    entry = AuditEntry.objects.get(pk=audit_head().entry_id)
    forged = entry_digest_of(entry, reason="förfalskad")
    _tamper("UPDATE core_auditentry SET reason = %s, entry_hash = %s WHERE id = %s", ["förfalskad", forged, entry.pk])
    assert audit_verify()[1] is None
    with pytest.raises(CommandError, match=rf"#{entry.pk} recorded on 2026-11-27"):
        call_command("audit", "verify")
