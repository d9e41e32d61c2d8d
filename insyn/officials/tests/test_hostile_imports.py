"""Hostile officials-register files end in a clean, typed error in `insyn officials import`.

The register has two import doors, the CLI and the admin's upload with preview (no API import); both
read through `popolo.read_popolo`. Nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from insyn.core.models import AuditEntry
from insyn.core.tests import hostile_files
from insyn.core.tests.factories import make_municipality
from insyn.officials.models import Membership, Person

POPOLO_FILES = {
    "deep.json": ("import_limit", "INSYN_IMPORT_MAX_DEPTH"),
    "wide-row.csv": ("import_limit", "INSYN_IMPORT_MAX_COLUMNS"),
    "big.csv": ("import_limit", "INSYN_IMPORT_MAX_BYTES"),
    "zip-bomb.xlsx": ("import_limit", "INSYN_IMPORT_MAX_UNCOMPRESSED_BYTES"),
    "zip-bomb-ratio.xlsx": ("import_limit", "INSYN_IMPORT_MAX_RATIO"),
    "zip-bomb-lying-header.xlsx": ("file_error", "CRC"),
    "billion-laughs-utf-8.xlsx": ("unsafe_file", "DTD"),
    "billion-laughs-utf-16.xlsx": ("unsafe_file", "DTD"),
}


@pytest.fixture(scope="module")
def popolo_dir(tmp_path_factory: Any) -> Path:
    directory = Path(tmp_path_factory.mktemp("hostile-popolo"))
    files = hostile_files.all_for_plans()
    for name in POPOLO_FILES:
        if name != "big.csv":
            (directory / name).write_bytes(files[name])
    hostile_files.big_csv(directory / "big.csv")
    return directory


@pytest.mark.parametrize("name", sorted(POPOLO_FILES))
def test_officials_cli_import_refuses_hostile_file_cleanly(name: str, popolo_dir: Path, db: Any) -> None:
    municipality = make_municipality("Testby kommun")
    before = AuditEntry.objects.count()
    code, text = POPOLO_FILES[name]

    with pytest.raises(CommandError) as caught:
        call_command(
            "officials", "import", str(popolo_dir / name), "--municipality", str(municipality.pk), "--user", "system"
        )

    assert str(caught.value).startswith(f"{code}: {name}") and text in str(caught.value)
    assert not Person.objects.exists() and not Membership.objects.exists()
    assert AuditEntry.objects.count() == before
