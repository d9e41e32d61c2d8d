"""Receipt PDFs (PDF/A) for checkout and return.

WeasyPrint is imported inside `render_receipt` only: `django.setup()` and quick commands
(`insyn loans eligibility`) never pay for it.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation


def render_receipt(*, loan: Any, kind: str, language: str = "sv") -> tuple[bytes, str]:
    """The receipt as PDF/A-2b and its SHA-256."""
    with translation.override(language):
        html = render_to_string(
            "loans/receipt_pdf.html",
            {
                "loan": loan,
                "kind": kind,
                "devices": list(loan.kit.devices.order_by("device_type", "serial_number")),
                "instruction": loan.rule_set.document,
                "rule_set": loan.rule_set,
                "generated_at": timezone.localtime(),
            },
        )
    import weasyprint  # heavy (fonts, cairo): only where a receipt is rendered

    pdf: bytes = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-2b")
    return pdf, hashlib.sha256(pdf).hexdigest()
