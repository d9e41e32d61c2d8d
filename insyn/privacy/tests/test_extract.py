"""The register extract (issue 10, item 9; acceptance 3): a PDF/A decision with appeal instructions and a
JSON for portability, both listing each place found with purpose, legal basis and retention; stored for
three months, served only to those who may see it, disposed of through audited deletes.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from insyn.core.models.audit import AuditEntry
from insyn.core.permissions import SYSTEM
from insyn.privacy.models import SubjectExtract
from insyn.privacy.services.extracts import add_months, extract_create, extracts_dispose_due
from insyn.privacy.subject_search import SubjectQuery
from insyn.privacy.tests.test_subject_search import PNR, build_world


@pytest.fixture
def world(db: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    return build_world(settings, tmp_path)


WANTED = {"officials.person", "officials.membership", "loans.loan", "loans.receipt", "core.auditentry"}


def _make(world: Any, **kwargs: Any) -> list[SubjectExtract]:
    return extract_create(
        actor=world["dpo"],
        municipality_id=world["pitea"].municipality.pk,
        query=SubjectQuery(national_id=PNR),
        language="en",
        **kwargs,
    )


def test_pdf_and_json_list_every_place_with_purpose_legal_basis_and_retention(world: Any) -> None:
    pdf_extract, json_extract = _make(world)
    assert (pdf_extract.format, json_extract.format) == ("pdf", "json")

    data = json.loads(json_extract.file.read())
    models = {hit["model"] for hit in data["hits"]}
    assert models >= WANTED
    for hit in data["hits"]:
        if hit["model"] in WANTED:
            [activity] = hit["activities"]
            assert activity["purposes"] and activity["legal_bases"] and activity["retention"]["text"]
    loan = next(hit for hit in data["hits"] if hit["model"] == "loans.loan")
    assert loan["activities"][0]["legal_bases"][0]["article"] == "6.1.b"
    assert data["query"]["national_id"] == "811218-XXXX"

    raw = pdf_extract.file.read()
    assert raw.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(raw))
    text = " ".join((page.extract_text() or "") for page in reader.pages)
    text = " ".join(text.split())
    assert "Register extract" in text
    for expected in (
        "Utlåning av teknisk utrustning",
        "Låna ut surfplattor till förtroendevalda",
        "Gallras 2 år efter återlämnande",
        "Förtroendevaldas uppdrag",
        "Kommunallagen (2017:725)",
        "three weeks",
        "förvaltningslagen",
    ):
        assert expected in text, expected
    xmp = reader.xmp_metadata  # PDF/A-2b, as the receipts and plans are
    assert xmp is not None and (xmp.pdfaid_part, xmp.pdfaid_conformance) == ("2", "B")


def test_one_audit_entry_for_the_extract_and_one_per_file(world: Any) -> None:
    before = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    made = _make(world)
    new = AuditEntry.objects.filter(pk__gt=before)
    assert new.filter(object_type="privacy.subjectsearch", changes__what="extract").count() == 1
    assert new.filter(object_type="privacy.subjectextract", action="create").count() == len(made) == 2


def test_kept_three_months_then_disposed_of_once(world: Any, django_capture_on_commit_callbacks: Any) -> None:
    made = _make(world)
    due = made[0].dispose_after
    assert due == add_months(made[0].created_at.date(), 3)
    storage, names = made[0].file.storage, [e.file.name for e in made]
    assert extracts_dispose_due(actor=SYSTEM, today=due - __import__("datetime").timedelta(days=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert extracts_dispose_due(actor=SYSTEM, today=due) == 2
    assert not SubjectExtract.objects.exists()
    assert not any(storage.exists(name) for name in names)
    assert AuditEntry.objects.filter(object_type="privacy.subjectextract", action="delete").count() == 2
    assert extracts_dispose_due(actor=SYSTEM, today=due) == 0


def test_the_file_is_served_only_to_those_who_may_see_it(world: Any, client: Any) -> None:
    [extract] = _make(world, formats=("json",))
    url = reverse("privacy:extract_file", args=[extract.pk])
    client.force_login(world["pitea"].secretary)
    assert client.get(url).status_code == 404
    assert client.get(reverse("privacy:extract_file", args=[extract.pk + 1000])).status_code == 404
    client.force_login(world["dpo"])
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["type"] == "registerutdrag"
    assert AuditEntry.objects.filter(object_type="privacy.subjectextract", action="read").count() == 1


def test_api_search_and_extract(world: Any, client: Any) -> None:
    from wagtail.models import APIToken

    headers = {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=world['dpo'], name='t')[1]}"}
    body = {"municipality_id": world["pitea"].municipality.pk, "national_id": PNR}
    response = client.post("/api/v1/privacy/subject-search", body, content_type="application/json", **headers)
    assert response.status_code == 200, response.content
    assert {hit["model_label"] for hit in response.json()["hits"]} >= WANTED
    response = client.post(
        "/api/v1/privacy/extracts", {**body, "formats": ["json"]}, content_type="application/json", **headers
    )
    assert response.status_code == 201, response.content
    [made] = response.json()
    file = client.get(f"/api/v1/privacy/extracts/{made['id']}/file", **headers)
    assert file.status_code == 200 and json.loads(file.content)["hits"]
    other = {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=world['pitea'].secretary, name='t')[1]}"}
    assert client.get(f"/api/v1/privacy/extracts/{made['id']}/file", **other).status_code == 404


def test_cli_search_and_extract(world: Any, tmp_path: Any) -> None:
    out = io.StringIO()
    args = ["--municipality", "Piteå kommun", "--national-id", PNR, "--user", "dpo.pitea"]
    call_command("privacy", "search", *args, stdout=out)
    assert {hit["model_label"] for hit in json.loads(out.getvalue())["hits"]} >= WANTED
    target = tmp_path / "utdrag.json"
    call_command("privacy", "extract", *args, "--format", "json", "-o", str(target), stderr=io.StringIO())
    assert json.loads(target.read_text())["type"] == "registerutdrag"
    with pytest.raises(Exception):  # noqa: B017 (CommandError: not allowed, as if missing)
        call_command(
            "privacy",
            "search",
            "--municipality",
            "Piteå kommun",
            "--national-id",
            PNR,
            "--user",
            world["pitea"].secretary.username,
            stdout=io.StringIO(),
        )


def _extract_files(world: Any) -> set[str]:
    storage = SubjectExtract._meta.get_field("file").storage
    try:
        return set(storage.listdir("privacy/extracts")[1])
    except FileNotFoundError:
        return set()


def test_a_failure_inside_the_service_leaves_no_file(world: Any, monkeypatch: Any) -> None:
    # The storage refuses the second file (a full disk): the first, written already, goes with the rollback.
    storage: Any = SubjectExtract._meta.get_field("file").storage
    real_save, calls = storage._save, []

    def failing_save(name: str, content: Any) -> Any:
        calls.append(name)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real_save(name, content)

    monkeypatch.setattr(storage, "_save", failing_save)
    with pytest.raises(OSError, match="No space left"):
        _make(world)
    assert len(calls) == 2
    assert not SubjectExtract.objects.exists()
    assert _extract_files(world) == set()


def test_a_rolled_back_caller_leaves_no_file_after_the_sweep(world: Any) -> None:
    from django.db import transaction

    from insyn.privacy.services.extracts import extracts_remove_orphans

    class Abort(Exception):
        pass

    kept = _make(world, formats=("json",))
    with pytest.raises(Abort), transaction.atomic():
        _make(world)
        assert len(_extract_files(world)) == 3
        raise Abort
    assert SubjectExtract.objects.count() == 1
    # A transaction may still be running for a young file: it is left alone ...
    assert extracts_remove_orphans(actor=SYSTEM) == 0
    assert len(_extract_files(world)) == 3
    # ... and removed once older than any transaction, the file of the committed extract kept.
    assert extracts_remove_orphans(actor=SYSTEM, older_than=__import__("datetime").timedelta(0)) == 2
    assert _extract_files(world) == {kept[0].file.name.rsplit("/", 1)[-1]}
    assert AuditEntry.objects.filter(object_type="privacy.extractfile", action="delete").count() == 1
    assert extracts_remove_orphans(actor=world["pitea"].secretary, older_than=__import__("datetime").timedelta(0)) == 0
