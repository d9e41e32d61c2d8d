"""The register extract (registerutdrag) as data, JSON (Art. 20) and a PDF/A decision with appeal instructions.

WeasyPrint is imported inside `render_pdf` only, as in `insyn.loans.receipts`.
"""

from __future__ import annotations

import json
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from insyn.privacy.subject_search import SubjectHit, SubjectSearchResult

EXTRACT_VERSION = 1


def _activity(ref: Any, recipients: dict[int, list[str]]) -> dict[str, Any]:
    return {
        "name": ref.name,
        "controller": ref.controller,
        "purposes": list(ref.purposes),
        "legal_bases": list(ref.legal_bases),
        "retention": {
            "text": ref.retention.get("text", ""),
            "document_types": [
                {k: d.get(k, "") for k in ("name", "plan", "decision", "action", "period", "retention_text")}
                for d in ref.retention.get("document_types", [])
            ],
        },
        "recipients": recipients.get(ref.id, []),
    }


def _hit(hit: SubjectHit, recipients: dict[int, list[str]]) -> dict[str, Any]:
    return {
        "module": hit.module,
        "model": hit.model_label,
        "kind": hit.kind,
        "object_id": hit.object_id,
        "label": hit.label,
        "matched_by": hit.matched_by,
        "data": dict(hit.fields),
        "activities": [_activity(ref, recipients) for ref in hit.activities],
    }


def extract_data(
    *,
    result: SubjectSearchResult,
    controller: Any,
    recipients: dict[int, list[str]],
    query: dict[str, Any],
    reference: str = "",
) -> dict[str, Any]:
    """The extract as one dict: what the JSON holds and the PDF shows."""
    return {
        "type": "registerutdrag",
        "version": EXTRACT_VERSION,
        "controller": controller.name,
        "reference": reference,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "query": query,
        "truncated": result.truncated,
        "hits": [_hit(hit, recipients) for hit in result.hits],
    }


def render_json(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8")


def render_pdf(data: dict[str, Any], *, language: str = "sv") -> bytes:
    """A PDF/A-2b decision: the places found, each with purpose, legal basis, retention and recipients, and
    how to appeal (förvaltningslagen 44 §: within three weeks, to the förvaltningsrätt through the authority)."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for hit in data["hits"]:
        groups.setdefault(hit["module"], []).append(hit)
    with translation.override(language):
        html = render_to_string("privacy/extract_pdf.html", {"extract": data, "groups": groups})
    import weasyprint  # heavy (fonts, cairo): only where an extract is rendered

    pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-2b")
    return pdf
