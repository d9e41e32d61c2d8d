"""Importing a register file through every door: service, CLI, API and admin. Real database, real services."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation
from wagtail.models import APIToken

from insyn.core.exceptions import PermissionDeniedError
from insyn.core.models import AuditEntry, Organisation
from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
from insyn.privacy.importing import read_register
from insyn.privacy.models import ProcessingActivity, Register, TaxonomyTerm
from insyn.privacy.services.importing import register_import, register_import_preview

SEED_CSV = Path(__file__).parent / "fixtures" / "sodertalje_ks_register_excerpt.csv"
BUILT_IN = [
    ("subject_category", "employee", "Medarbetare", "Employees"),
    ("subject_category", "se.fortroendevald", "Förtroendevald", "Elected official"),
    ("data_category", "user.name", "Namn", "Name"),
    ("data_category", "user.contact", "Kontaktuppgifter", "Contact details"),
    ("data_category", "se.personnummer", "Personnummer", "Personal identity number"),
    ("data_category", "se.uppgift_om_halsa", "Uppgift om hälsa", "Health information"),
]


@dataclass
class World:
    municipality: Organisation
    ks: Organisation
    dpo: Any
    other_dpo: Any


@pytest.fixture
def w(db: Any) -> World:
    for kind, key, sv, en in BUILT_IN:
        TaxonomyTerm.objects.update_or_create(
            kind=kind, key=key, municipality=None, defaults={"label_sv": sv, "label_en": en}
        )
    municipality = make_municipality("Södertälje kommun")
    ks = make_organ(municipality, "Kommunstyrelsen")
    other = make_municipality("Piteå kommun")
    return World(municipality, ks, make_user_with_role(municipality, "dpo"), make_user_with_role(other, "dpo"))


def _read(w: World, actor: Any = None) -> Any:
    return register_import_preview(
        actor=actor or w.dpo, controller=w.ks, content=SEED_CSV.read_bytes(), filename=SEED_CSV.name
    )


def test_import_creates_the_register_its_activities_and_the_new_terms(w: World) -> None:
    read = _read(w)
    result = register_import(actor=w.dpo, controller=w.ks, data=read)
    register = Register.objects.get(controller=w.ks)
    assert result.created_register and result.register_id == register.pk
    names = list(register.activities.order_by("position", "id").values_list("name", flat=True))
    assert len(names) == 6 and names[0] == "Administrera ekonomi"
    # Every term the file named that the taxonomy lacks is created as the municipality's own, and only those.
    local = set(TaxonomyTerm.objects.filter(municipality=w.municipality).values_list("key", flat=True))
    assert local == set(result.new_terms)
    fardtjanst = register.activities.get(name="Hantering av färdtjänst")
    # "personliga förhållanden" is a built-in Swedish term: matched by its label, not created again.
    assert {"se.uppgift_om_halsa", "se.personliga_forhallanden"} <= set(
        fardtjanst.data.values_list("category__key", flat=True)
    )
    badges = register.activities.get(name="Hantera tillgänglighet till kommunens lokaler")
    assert list(badges.legal_bases.values_list("article", flat=True)) == ["6.1.b"]
    it = register.activities.get(name="Förvalta IT och teknisk kommunikation")
    assert list(it.transfers.values_list("country", "mechanism")) == [("US", "adequacy")]
    assert AuditEntry.objects.filter(object_id=str(register.pk), changes__import=SEED_CSV.name).exists()


def test_the_preview_is_what_the_import_writes_and_a_dry_run_writes_nothing(w: World) -> None:
    read = _read(w)
    dry = register_import(actor=w.dpo, controller=w.ks, data=read, dry_run=True)
    assert dry.created == [item.data["name"] for item in read.activities]
    assert dry.new_terms == [term.key for term in read.new_terms]
    assert not Register.objects.filter(controller=w.ks).exists()
    assert not TaxonomyTerm.objects.filter(municipality=w.municipality).exists()
    real = register_import(actor=w.dpo, controller=w.ks, data=_read(w))
    assert (real.created, real.new_terms) == (dry.created, dry.new_terms)


def test_the_same_file_twice_adds_nothing_and_says_what_it_skipped(w: World) -> None:
    register_import(actor=w.dpo, controller=w.ks, data=_read(w))
    again = register_import(actor=w.dpo, controller=w.ks, data=_read(w))
    assert again.created == [] and len(again.skipped) == 6
    assert ProcessingActivity.objects.filter(register__controller=w.ks).count() == 5 + 1  # two "Bildbank" rows
    assert again.new_terms == []


def test_another_municipalitys_dpo_cannot_import(w: World) -> None:
    with pytest.raises(PermissionDeniedError):
        _read(w, actor=w.other_dpo)
    read = read_register(SEED_CSV.read_bytes(), filename=SEED_CSV.name)
    with pytest.raises(PermissionDeniedError):
        register_import(actor=w.other_dpo, controller=w.ks, data=read)
    assert not Register.objects.filter(controller=w.ks).exists()


def test_cli_dry_run_prints_the_preview_and_writes_nothing(w: World) -> None:
    out = io.StringIO()
    call_command(
        "privacy",
        "register",
        "import",
        str(SEED_CSV),
        "--controller",
        "Södertälje kommun/Kommunstyrelsen",
        "--dry-run",
        "--user",
        w.dpo.username,
        stdout=out,
    )
    preview = json.loads(out.getvalue())
    assert preview["activities"][0]["name"] == "Administrera ekonomi"
    assert preview["problems"][0]["row"] == 5
    assert not Register.objects.filter(controller=w.ks).exists()


def test_cli_refuses_a_file_without_a_header_naming_file_and_column(w: World, tmp_path: Path) -> None:
    junk = tmp_path / "junk.csv"
    junk.write_text("a;b\n1;2\n")
    with translation.override("en"), pytest.raises(CommandError) as caught:
        call_command(
            "privacy",
            "register",
            "import",
            str(junk),
            "--controller",
            "Södertälje kommun/Kommunstyrelsen",
            "--user",
            w.dpo.username,
        )
    assert "junk.csv" in str(caught.value) and "Behandlingsaktivitet" in str(caught.value)


def test_cli_export_writes_a_spreadsheet_that_reads_back(w: World, tmp_path: Path) -> None:
    register_import(actor=w.dpo, controller=w.ks, data=_read(w))
    target = tmp_path / "register.xlsx"
    call_command(
        "privacy",
        "register",
        "export",
        "--controller",
        "Södertälje kommun/Kommunstyrelsen",
        "--format",
        "xlsx",
        "-o",
        str(target),
        "--user",
        w.dpo.username,
        stdout=io.StringIO(),
    )
    again = read_register(target.read_bytes(), filename=target.name)
    assert len(again.activities) == 6
    it = next(a.data for a in again.activities if a.data["name"].startswith("Förvalta IT"))
    assert [(t["country"], t["mechanism"]) for t in it["transfers"]] == [("US", "adequacy")]


def _bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=user, name='t')[1]}"}


def test_api_preview_then_confirm_with_the_token(w: World, client: Any) -> None:
    upload = SimpleUploadedFile(SEED_CSV.name, SEED_CSV.read_bytes(), content_type="text/csv")
    headers = _bearer(w.dpo)
    response = client.post("/api/v1/privacy/registers/import", {"controller_id": w.ks.pk, "file": upload}, **headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert len(body["activities"]) == 6 and body["token"]
    assert not Register.objects.filter(controller=w.ks).exists()
    confirmed = client.post(
        "/api/v1/privacy/registers/import",
        {"controller_id": w.ks.pk, "token": body["token"], "confirm": "true", "filename": SEED_CSV.name},
        **headers,
    )
    assert confirmed.status_code == 201, confirmed.content
    register = Register.objects.get(controller=w.ks)
    exported = client.get(f"/api/v1/privacy/registers/{register.pk}/export?format=json", **headers)
    assert exported.status_code == 200
    assert len(json.loads(exported.content)["activities"]) == 6
    other = client.get(f"/api/v1/privacy/registers/{register.pk}/export?format=json", **_bearer(w.other_dpo))
    assert other.status_code == 404


def test_admin_upload_preview_confirm(w: World, client: Any) -> None:
    client.force_login(w.dpo)
    url = reverse("privacy_register_import")
    assert client.get(url).status_code == 200
    upload = SimpleUploadedFile(SEED_CSV.name, SEED_CSV.read_bytes(), content_type="text/csv")
    preview = client.post(url, {"file": upload, "controller": w.ks.pk})
    assert preview.status_code == 200
    # The preview shows what will be created: each activity by name, and the terms the taxonomy lacks.
    body = preview.content.decode()
    assert "Hantering av färdtjänst" in body
    assert all(term["key"] in body for term in preview.context["preview"].get("new_terms", []))
    token = preview.context["preview"]["token"]
    assert not Register.objects.filter(controller=w.ks).exists()
    done = client.post(url, {"token": token})
    assert done.status_code == 302
    register = Register.objects.get(controller=w.ks)
    assert register.activities.count() == 6
    xlsx = client.get(reverse("privacy_register_export", args=[register.pk, "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
