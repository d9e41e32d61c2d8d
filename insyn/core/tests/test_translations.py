"""Swedish and Polish catalogs are complete and compiled (the .mo files are committed)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
ENTRY = re.compile(r'(?:^msgctxt "((?:[^"\\]|\\.)*)"\n)?^msgid "((?:[^"\\]|\\.)*)"\n((?:^"(?:[^"\\]|\\.)*"\n)*)', re.M)


def _msgids(po: str) -> list[str]:
    ids = []
    for match in ENTRY.finditer(po):
        ctxt, first, rest = match.groups()
        msgid = first + "".join(line[1:-1] for line in rest.splitlines())
        if msgid:
            ids.append(f"{ctxt}\x04{msgid}" if ctxt is not None else msgid)
    return ids


@pytest.mark.parametrize("language", ["sv", "pl"])
def test_catalog_is_complete_and_compiled(language):
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po.split("\n\n", 1)[1], "fuzzy translations left"
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    translated = {key if isinstance(key, str) else key[0] for key in catalog}
    missing = [msgid for msgid in _msgids(po) if msgid.replace('\\"', '"').replace("\\n", "\n") not in translated]
    assert missing == [], f"untranslated or not compiled in {language}: {missing[:10]}"
    assert len(_msgids(po)) > 100
