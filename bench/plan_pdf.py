"""Benchmark: render the PDF of a large retention plan (issue 8, item 6), time and memory.

Builds the deterministic plan of `bench/plan_import.py` (default 5,000 document types, 481 pages
with WeasyPrint) in memory, warms the engine up on a one-row plan, then renders it `--repeat`
times straight to bytes with `insyn.records.exporters.pdf.export_pdf`: every round is a real
render, never a stored file. Reports seconds per round, the median, pages, bytes, and the peak
resident memory (`ru_maxrss`) of the Typst child process that typesets (the largest of the rounds)
and of this process (Django, the plan, the JSON handed over). Goal: 10 s and 400 MB for the
5,000-row plan.

    .venv/bin/python bench/plan_pdf.py [--rows 5000] [--repeat 1] [--language sv]
    /usr/bin/time -v .venv/bin/python bench/plan_pdf.py --rows 5000   # max RSS as the kernel sees it

No database: the exporter takes a `PlanData`. Never run by the test suite.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _cpu_seconds() -> float:
    """User and system time of this process and its finished children (the Typst renderer is one)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _max_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # Linux: kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="document types in the plan (default 5000)")
    parser.add_argument("--repeat", type=int, default=1, help="renders; the median is reported (default 1)")
    parser.add_argument("--language", default="sv", help="label language (sv, pl, en)")
    args = parser.parse_args()
    if min(args.rows, args.repeat) < 1:
        parser.error("--rows and --repeat must be at least 1")
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["INSYN_TESTING"] = "1"
    os.environ["DEBUG"] = "0"

    import django

    django.setup()
    from pypdf import PdfReader

    from bench.plan_import import build_plan, machine
    from insyn.records.exporters.pdf import export_pdf

    print(f"Before: {machine()}")
    export_pdf(build_plan(1), language=args.language)  # engine, layout and fonts loaded once
    plan = build_plan(args.rows)
    gc.collect()
    baseline = _max_rss_mb()
    seconds: list[float] = []
    cpu: list[float] = []
    pdf = b""
    for round_number in range(args.repeat):
        gc.collect()
        start, cpu_start = time.perf_counter(), _cpu_seconds()
        pdf = export_pdf(plan, language=args.language)
        seconds.append(time.perf_counter() - start)
        cpu.append(_cpu_seconds() - cpu_start)
        print(
            f"  round {round_number + 1}: {seconds[-1]:.2f} s ({cpu[-1]:.2f} s CPU), peak RSS so far: "
            f"renderer {_max_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB, this process {_max_rss_mb():.0f} MB"
        )
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(
        f"{args.rows:,} document types, {args.repeat} render(s): median {statistics.median(seconds):.2f} s "
        f"({statistics.median(cpu):.2f} s CPU) "
        f"(spread {min(seconds):.2f}–{max(seconds):.2f}), {pages} pages, {len(pdf):,} bytes, "
        f"peak RSS of the renderer {_max_rss_mb(resource.RUSAGE_CHILDREN):.0f} MB, of this process "
        f"{_max_rss_mb():.0f} MB (before the first render of the plan {baseline:.0f} MB)"
    )
    print(f"After: load average {', '.join(f'{value:.2f}' for value in os.getloadavg())}")


if __name__ == "__main__":
    main()
