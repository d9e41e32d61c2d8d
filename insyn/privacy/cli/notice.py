"""`insyn privacy notice`: a controller's notice for one data-subject category, as the register makes it now.

Read-only: it builds the notice without saving a draft (the admin, the API and the receivers do that).
The JSON holds `sections`, one per activity, whose `rows` are keyed by seed 001's Swedish labels
("Laglighet", "Ändamål" …), and `art13`, the items Art. 13/14 add.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from insyn.privacy.notice_builder import LANGUAGES
from insyn.privacy.selectors import notices as selectors

HELP = "a privacy notice (Art. 13/14) of a controller for a data-subject category, as JSON, HTML or PDF/A"
READ_ONLY = True
MAX_ARGUMENT = 300  # characters of --controller and --subjects


def add_arguments(parser: Any) -> None:
    parser.add_argument("--controller", required=True, help='"MUNICIPALITY/ORGAN", e.g. "Piteå kommun/Kommunstyrelsen"')
    parser.add_argument("--subjects", required=True, help="data-subject category: its label in any language, or key")
    parser.add_argument("--format", default="json", choices=["json", "html", "pdf"])
    parser.add_argument("--lang", default="sv", choices=list(LANGUAGES))
    parser.add_argument("-o", "--output", required=True, help="file to write, - for standard output")


def as_json(content: dict[str, Any]) -> dict[str, Any]:
    """The CLI's JSON: each section's rows by their Swedish seed label, the text and its list joined."""
    return {
        "title": content["title"],
        "lang": content["lang"],
        "intro": content["intro"],
        "sections": [
            {
                "title": section["title"],
                "table": section["table_label"],
                "rows": {
                    row["seed_label"]: "\n".join(filter(None, [row["text"], *row.get("items", [])]))
                    for row in section["rows"]
                },
                "legal_bases": section["legal_bases"],
                "transfers": section["transfers"],
                "provision": section["provision"],
                "automated_decision": section["automated_decision"],
                "consent": section["consent"],
            }
            for section in content["sections"]
        ],
        "art13": content["art13"],
    }


def handle(command: Any, actor: Any, options: Any) -> None:
    if len(options["controller"]) > MAX_ARGUMENT or len(options["subjects"]) > MAX_ARGUMENT:
        raise ValueError("--controller and --subjects take at most 300 characters")
    controller = selectors.find_controller(actor=actor, spec=options["controller"])
    category = selectors.find_subject_category(controller=controller, label=options["subjects"])
    lang = options["lang"]
    content = selectors.notice_preview(actor=actor, controller=controller, subject_category=category)[lang]
    if options["format"] == "json":
        data = json.dumps(as_json(content), ensure_ascii=False, indent=2).encode()
    else:
        with translation.override(lang):
            html = render_to_string("privacy/notice_pdf.html", {"content": content, "version": None})
        if options["format"] == "html":
            data = html.encode()
        else:
            import weasyprint  # heavy: only for the PDF

            data = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/a-2b")
    if options["output"] == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(options["output"]).write_bytes(data)
        command.stderr.write(f"Wrote {options['output']} ({len(data)} bytes)")
