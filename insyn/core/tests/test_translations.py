"""Swedish and Polish catalogs are complete and compiled (the .mo files are committed).

Every msgid of `locale/<lang>/LC_MESSAGES/django.po` has a translation that is not fuzzy (each plural
form filled), and the .mo holds exactly those translations: a .po edited without `make messages`
(compilemessages) fails here. The .mo is compared by content, not by modification time, which a
git checkout does not keep.
"""

from __future__ import annotations

import ast
import gettext
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import trans_real

from insyn.core import wagtail_strings

LOCALE = Path(settings.BASE_DIR) / "locale"


@dataclass
class PoEntry:
    msgid: str
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    line: int = 0

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    def describe(self) -> str:
        where = f"line {self.line}"
        context = f" [{self.msgctxt}]" if self.msgctxt is not None else ""
        return f"{where}{context}: {self.msgid!r}"


def _unquote(text: str) -> str:
    value = ast.literal_eval(text.strip())
    if not isinstance(value, str):
        raise ValueError(text)
    return value


def parse_po(text: str) -> list[PoEntry]:
    """The entries of a .po file (the header and obsolete `#~` entries left out)."""
    entries: list[PoEntry] = []
    for block_start, block in _blocks(text):
        entry: PoEntry | None = None
        fuzzy = False
        target: tuple[str, int] = ("", 0)
        values: dict[tuple[str, int], str] = {}
        for offset, raw in enumerate(block):
            line = raw.strip()
            if line.startswith("#~"):
                break
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in [flag.strip() for flag in line[2:].split(",")]
                continue
            if not line or line.startswith("#"):
                continue
            if line.startswith('"'):
                values[target] = values.get(target, "") + _unquote(line)
                continue
            keyword, _, rest = line.partition(" ")
            target = ("msgstr", int(keyword[7:-1])) if keyword.startswith("msgstr[") else (keyword, 0)
            values[target] = _unquote(rest)
            if keyword == "msgid" and entry is None:
                entry = PoEntry(msgid="", line=block_start + offset + 1)
        if entry is None:
            continue
        entry.msgid = values.get(("msgid", 0), "")
        if not entry.msgid:
            continue  # the header
        entry.msgctxt = values.get(("msgctxt", 0))
        entry.msgid_plural = values.get(("msgid_plural", 0))
        entry.msgstr = {index: value for (keyword, index), value in values.items() if keyword == "msgstr"}
        entry.fuzzy = fuzzy
        entries.append(entry)
    return entries


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines()):
        if line.strip():
            if not current:
                start = number
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _plural_count(text: str) -> int:
    for line in text.splitlines():
        if "nplurals=" in line:
            return int(line.split("nplurals=", 1)[1].split(";", 1)[0])
    raise AssertionError("the catalog has no Plural-Forms header")


def untranslated(entries: list[PoEntry], nplurals: int) -> list[PoEntry]:
    """Entries that show in English: an empty msgstr, a missing plural form, or fuzzy."""
    missing = []
    for entry in entries:
        forms = range(nplurals) if entry.msgid_plural is not None else range(1)
        if entry.fuzzy or any(not entry.msgstr.get(index) for index in forms):
            missing.append(entry)
    return missing


def _po(language: str) -> str:
    return (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")


def test_the_po_reader_sees_empty_fuzzy_and_plural_gaps() -> None:
    po = (
        'msgid ""\nmsgstr ""\n"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : 1);\\n"\n\n'
        'msgid "Done"\nmsgstr "Klart"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\nmsgid "Guess %(x)s"\nmsgstr "Gissning %(x)s"\n\n'
        'msgctxt "menu"\nmsgid ""\n"Two "\n"lines"\nmsgstr "Två rader"\n\n'
        'msgid "One file"\nmsgid_plural "%(n)s files"\nmsgstr[0] "Jeden plik"\nmsgstr[1] "%(n)s pliki"\n'
        'msgstr[2] ""\n\n'
        '#~ msgid "Old"\n#~ msgstr ""\n'
    )
    entries = parse_po(po)
    assert [entry.key for entry in entries] == ["Done", "Empty", "Guess %(x)s", "menu\x04Two lines", "One file"]
    assert [entry.msgid for entry in untranslated(entries, _plural_count(po))] == [
        "Empty",
        "Guess %(x)s",
        "One file",
    ]


@pytest.mark.parametrize("language", ["sv", "pl"])
def test_every_msgid_is_translated(language: str) -> None:
    po = _po(language)
    entries = parse_po(po)
    assert len(entries) > 100, "the catalog looks empty"
    missing = untranslated(entries, _plural_count(po))
    listing = "\n".join(entry.describe() for entry in missing)
    assert not missing, (
        f"{len(missing)} msgids without a {language} translation (empty, fuzzy or a plural form):\n{listing}"
    )


@pytest.mark.parametrize("language", ["sv", "pl"])
def test_the_mo_is_compiled_from_the_po(language: str) -> None:
    directory = LOCALE / language / "LC_MESSAGES"
    po = _po(language)
    with (directory / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    expected: dict[object, str] = {}
    for entry in parse_po(po):
        if entry.fuzzy:
            continue
        if entry.msgid_plural is None:
            if entry.msgstr.get(0):
                expected[entry.key] = entry.msgstr[0]
        elif all(entry.msgstr.get(index) for index in range(_plural_count(po))):
            expected.update({(entry.key, index): text for index, text in entry.msgstr.items()})
    actual = {key: value for key, value in compiled.items() if key != ""}
    stale = sorted(str(key) for key in set(expected) | set(actual) if expected.get(key) != actual.get(key))
    assert not stale, f"{directory / 'django.mo'} is not compiled from the .po (run `make messages`): {stale[:20]}"


def _msgids(catalog: trans_real.DjangoTranslation) -> set[str]:
    # Django's TranslationCatalog has keys() but no __iter__.
    keys = catalog._catalog.keys()  # type: ignore[attr-defined]
    return {key[0] if isinstance(key, tuple) else key for key in keys} - {""}


def test_nothing_falls_back_to_swedish_in_the_polish_admin() -> None:
    """Django answers a msgid missing in pl from LANGUAGE_CODE (sv): every msgid any installed catalog
    translates into Swedish needs a Polish translation too (insyn/core/wagtail_strings.py lists Wagtail's)."""
    swedish = _msgids(trans_real.DjangoTranslation("sv"))
    polish = _msgids(trans_real.DjangoTranslation("pl"))
    missing = sorted(swedish - polish)
    assert not missing, f"{len(missing)} msgids show in Swedish in the Polish admin: {missing}"


@pytest.mark.parametrize("language", ["sv", "pl"])
def test_wagtail_api_token_strings_are_translated(language: str) -> None:
    # Present in the merged catalog, not "differs from the msgid": "Token" is "Token" in sv and pl.
    catalog = _msgids(trans_real.DjangoTranslation(language))
    english = [msgid for msgid in wagtail_strings.API_TOKENS if msgid not in catalog]
    assert not english, f"API-token screen strings still in English in {language}: {english}"


@pytest.mark.parametrize("language", ["sv", "pl"])
def test_api_token_screen_is_in_the_users_language(client, django_user_model, language: str) -> None:
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    html = client.get("/admin/api-tokens/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "Last used" not in html
    with translation.override(language):
        assert translation.gettext("Last used") in html


def test_polish_dashboard_has_no_swedish_image_summary(client, django_user_model) -> None:
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert 'href="/admin/images/"' in html  # the summary of images is on the dashboard
    assert "skapade i" not in html
    assert "Bilder" not in html
