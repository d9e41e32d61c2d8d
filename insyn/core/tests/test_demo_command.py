"""`insyn demo` as `make run` calls it: quiet PDF libraries, one process, the administrator's password last."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.management import call_command

from insyn.core.management.commands.demo import quiet_pdf_warnings


def test_pdf_font_warnings_are_silenced_while_the_demo_loads_and_only_then(caplog: pytest.LogCaptureFixture) -> None:
    weasyprint, fonttools = logging.getLogger("weasyprint"), logging.getLogger("fontTools.subset")
    levels = (weasyprint.level, logging.getLogger("fontTools").level)
    with caplog.at_level(logging.DEBUG):  # the root handler would show a warning
        with quiet_pdf_warnings():
            weasyprint.warning("Ignored `font-variant-ligatures` at 1:1, unknown property")
            fonttools.warning("meta NOT subset; don't know how to subset; dropped")
            weasyprint.error("a real failure still shows")
        weasyprint.warning("after the demo a warning shows again")

    messages = [record.getMessage() for record in caplog.records]
    assert messages == ["a real failure still shows", "after the demo a warning shows again"]
    assert (weasyprint.level, logging.getLogger("fontTools").level) == levels


@pytest.mark.django_db
def test_demo_with_ensure_admin_prints_the_administrator_after_the_demo_users(
    capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    settings.DEBUG = True
    call_command("demo", user="system", ensure_admin=True)

    out = capsys.readouterr().out.rstrip().splitlines()
    assert "pitea.archivist" in "\n".join(out)
    assert out[-2].startswith("Administrator created: user name admin  password ")
    assert out[-1] == "The password is shown only this once."
