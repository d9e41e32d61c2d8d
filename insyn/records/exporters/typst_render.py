"""Compile one Typst document in a process of its own: `python -I typst_render.py < request.json > out.pdf`.

Run by `insyn.records.exporters.pdf` through `subprocess`, never imported by the application: Typst
keeps a process-wide cache of every layout it has computed (comemo), several hundred megabytes for a
5,000-row plan, and the Python binding offers no way to free it. A short-lived process gives all of it
back when the PDF is written, so the worker that queued the render stays small
(docs/decisions/0004-plan-pdf-engine.md). Nothing but the standard library and `typst` is imported.

Standard input: JSON {"template": path, "root": folder, "inputs": {name: string}, "standard": "a-2b",
"timestamp": UNIX seconds}. Standard output: the PDF. On a Typst error: its message on standard error
and exit status 2.
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    import typst

    request = json.load(sys.stdin.buffer)
    try:
        pdf = typst.compile(
            request["template"],
            root=request["root"],
            format="pdf",
            sys_inputs=request["inputs"],
            pdf_standards=request["standard"],
            timestamp=request["timestamp"],
        )
    except typst.TypstError as exc:
        sys.stderr.write(f"{exc.message}\n{exc.diagnostic}\n")
        return 2
    sys.stdout.buffer.write(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
