"""Acceptance 1 on the demo itself: Piteå KS's published notice to elected officials is seed 001, generated.

The expected table titles and row labels are read from the seed file, not from the demo's data.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from insyn.core.actor import SYSTEM
from insyn.privacy.demo import load_demo
from insyn.privacy.models import Notice, NoticeStatus

SEED_001 = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "001_a4c289c1bf19f121.txt"


def _seed_tables() -> tuple[list[str], list[str]]:
    """Each table's title (the line before its header row) and the row labels, as seed 001 prints them."""
    lines = SEED_001.read_text(encoding="utf-8").splitlines()
    titles: list[str] = []
    for index, line in enumerate(lines):
        if line.startswith("| Område"):
            titles.append(next(lines[i] for i in range(index - 1, 0, -1) if lines[i].strip()).strip())
    first = lines.index(next(line for line in lines if line.startswith("| Område")))
    labels = []
    for line in lines[first + 2 :]:
        if not line.startswith("|"):
            break
        labels.append(re.split(r"\s*\|\s*", line.strip("| "))[0])
    return titles, labels


@pytest.mark.skipif(not SEED_001.exists(), reason="the seeds are kept beside the repository")
def test_the_demo_publishes_seed_001_as_four_tables_without_the_duplicate(db: Any, client: Client) -> None:
    seed_titles, seed_labels = _seed_tables()
    assert len(seed_titles) == 5 and len(set(seed_titles)) == 4  # the source repeats one table
    load_demo(actor=SYSTEM)
    notice = Notice.objects.get(controller__name="Kommunstyrelsen", controller__municipality__name="Piteå kommun")
    published = notice.versions.get(status=NoticeStatus.PUBLISHED)
    sections = published.content["sv"]["sections"]
    assert [s["title"] for s in sections] == list(dict.fromkeys(seed_titles))
    for section in sections:
        assert [row["seed_label"] for row in section["rows"]] == seed_labels
    gallras = {row["seed_label"]: row for row in sections[0]["rows"]}["Gallras"]
    assert gallras["from_plan"] is True and any("Protokoll" in item for item in gallras["items"])
    assert published.content["sv"]["title"] == "Information till förtroendevalda om hantering av personuppgifter"
    # The public page shows it to an anonymous visitor; a second demo run changes nothing.
    page = client.get("/integritet/", HTTP_ACCEPT_LANGUAGE="sv")
    assert page.status_code == 200 and "Information till förtroendevalda" in page.content.decode()
    versions = notice.versions.count()
    load_demo(actor=SYSTEM)
    assert notice.versions.count() == versions
