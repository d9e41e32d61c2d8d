"""Protected files: nothing under MEDIA_URL is served by URL alone; uploads are checked by content."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from insyn.core.exceptions import ValidationFailed
from insyn.core.files import check_upload, sniff
from insyn.core.models import GoverningDocument
from insyn.core.services.documents import governing_document_create, governing_document_update
from insyn.core.tests.conftest import Tenant
from insyn.core.tests.factories import UserFactory

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML = b"<!DOCTYPE html><html><body><script>fetch('/api/v1/loans').then(r => r.text())</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def office_zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = office_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = office_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})


def with_file(tenant: Tenant, content: bytes, name: str) -> GoverningDocument:
    return governing_document_update(
        actor=tenant.registrar, document=tenant.document, file=SimpleUploadedFile(name, content)
    )


def stored_by_hand(tenant: Tenant, content: bytes, name: str) -> GoverningDocument:
    """A file put in storage before the upload check existed (or by hand): no service saw it."""
    stored = default_storage.save(f"governing-documents/{tenant.board.pk}/{name}", ContentFile(content))
    GoverningDocument.objects.filter(pk=tenant.document.pk).update(file=stored)
    return GoverningDocument.objects.get(pk=tenant.document.pk)


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else bytes(response.content)


# --- Upload checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name"),
    [(PDF, "beslut.pdf"), (DOCX, "riktlinje.docx"), (ODT, "riktlinje.odt"), ("Å;Ä;Ö\n1;2;3\n".encode(), "x.txt")],
)
def test_accepted_types_pass_the_content_check(content: bytes, name: str) -> None:
    check_upload(SimpleUploadedFile(name, content), allowed=("pdf", "docx", "odt", "txt"))


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (HTML, "riktlinje.html", "file_type_refused"),
        (SVG, "logo.svg", "file_type_refused"),
        (b"alert(document.cookie)", "x.js", "file_type_refused"),
        (HTML, "riktlinje.pdf", "file_content_refused"),
        (HTML, "riktlinje.txt", "file_content_refused"),
        (b"\r\n  <html><body onload=alert(1)>", "riktlinje.txt", "file_content_refused"),
        (SVG, "riktlinje.txt", "file_content_refused"),
        (PNG, "riktlinje.pdf", "file_content_refused"),
        (b"PK\x03\x04 not really an archive", "riktlinje.docx", "file_content_refused"),
        (ODT, "riktlinje.docx", "file_content_refused"),
    ],
)
def test_hostile_or_mislabelled_upload_is_refused(content: bytes, name: str, code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_upload(SimpleUploadedFile(name, content), allowed=("pdf", "docx", "odt", "txt"))
    assert refused.value.code == code
    assert "file" in refused.value.detail


def test_html_attachment_on_governing_document_is_refused_by_the_service(two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    with pytest.raises(ValidationFailed) as refused:
        with_file(pitea, HTML, "bilaga.html")
    assert refused.value.code == "file_type_refused"
    with pytest.raises(ValidationFailed) as refused:
        governing_document_create(
            actor=pitea.registrar,
            organisation=pitea.board,
            title="Ny riktlinje",
            document_type="guideline",
            file=SimpleUploadedFile("bilaga.pdf", HTML),
        )
    assert refused.value.code == "file_content_refused"
    assert not GoverningDocument.objects.filter(title="Ny riktlinje").exists()
    pitea.document.refresh_from_db()
    assert not pitea.document.file


def test_html_attachment_is_refused_in_the_admin_form(client: Any, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    client.force_login(pitea.registrar)
    url = f"/admin/governing_documents/edit/{pitea.document.pk}/"
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name != "file"}
    data["organisation"] = pitea.board.pk
    data["file"] = SimpleUploadedFile("bilaga.pdf", HTML)
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the error
    assert "file" in response.context["form"].errors
    pitea.document.refresh_from_db()
    assert not pitea.document.file


def test_uploaded_names_are_not_guessable(two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    first = with_file(pitea, PDF, "beslut.pdf").file.name
    second = with_file(pitea, PDF, "beslut.pdf").file.name
    assert first != second
    prefix, token, filename = first.rsplit("/", 2)
    assert prefix == f"governing-documents/{pitea.board.pk}" and filename == "beslut.pdf"
    assert len(token) == 32 and int(token, 16) >= 0


# --- Downloads ----------------------------------------------------------------------------


def test_registrar_downloads_pdf_inline_with_nosniff(client: Any, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    document = with_file(pitea, PDF, "beslut.pdf")
    client.force_login(pitea.registrar)
    for url in (reverse("core:governing_document_file", args=[document.pk]), document.file.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert body(response) == PDF


def test_other_municipality_gets_404_for_file_and_its_media_path(client: Any, two_municipalities: Any) -> None:
    pitea, torsby = two_municipalities
    document = with_file(pitea, PDF, "beslut.pdf")
    client.force_login(torsby.registrar)
    assert client.get(reverse("core:governing_document_file", args=[document.pk])).status_code == 404
    assert client.get(document.file.url).status_code == 404
    assert client.get(f"/api/v1/governing-documents/{document.pk}/file").status_code == 404


def test_user_without_any_role_gets_404(client: Any, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    document = with_file(pitea, PDF, "beslut.pdf")
    client.force_login(UserFactory())
    assert client.get(reverse("core:governing_document_file", args=[document.pk])).status_code == 404
    assert client.get(document.file.url).status_code == 404


def test_anonymous_download_goes_to_login(client: Any, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    document = with_file(pitea, PDF, "beslut.pdf")
    for url in (reverse("core:governing_document_file", args=[document.pk]), document.file.url):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    assert client.get(f"/api/v1/governing-documents/{document.pk}/file").status_code == 401


@pytest.mark.parametrize(
    "path",
    [
        "loans/receipts/loan-1-checkout.pdf",
        "governing-documents/1/policy.pdf",
        "imports/pending/abc.xlsx",
        "records/pdf/plan-1-20260101-sv.pdf",
        "original_images/photo.jpg",
        "images/photo.max-165x165.jpg",
        "documents/bilaga.pdf",
        "anything/else.html",
        "../config/settings.py",
    ],
)
def test_anonymous_fetch_of_any_media_path_goes_to_login(client: Any, db: Any, path: str) -> None:
    default_storage.save(path.replace("../", ""), ContentFile(b"%PDF-1.4 secret"))
    response = client.get(f"/media/{path}")
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"]


def test_unowned_media_path_is_404_even_for_superuser(client: Any, db: Any) -> None:
    name = default_storage.save("imports/pending/plan.xlsx", ContentFile(b"PK\x03\x04"))
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(f"/media/{name}").status_code == 404
    assert client.get("/media/records/pdf/nothing.pdf").status_code == 404


def test_html_stored_before_the_check_is_an_attachment_with_nosniff(client: Any, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    document = stored_by_hand(pitea, HTML, "bilaga.html")
    client.force_login(pitea.registrar)
    for url in (reverse("core:governing_document_file", args=[document.pk]), document.file.url):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/octet-stream"
        assert "html" not in response["Content-Type"]
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"


def test_html_renamed_pdf_stored_by_hand_is_not_shown_inline(client: Any, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    document = stored_by_hand(pitea, HTML, "beslut.pdf")
    client.force_login(pitea.registrar)
    response = client.get(reverse("core:governing_document_file", args=[document.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_x_accel_redirect_mode_leaves_the_bytes_to_nginx(client: Any, two_municipalities: Any, settings: Any) -> None:
    settings.INSYN_FILE_SERVE = "x-accel-redirect"
    settings.INSYN_X_ACCEL_PREFIX = "/protected-media/"
    pitea, _ = two_municipalities
    document = with_file(pitea, PDF, "beslut.pdf")
    client.force_login(pitea.registrar)
    response = client.get(reverse("core:governing_document_file", args=[document.pk]))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-media/{document.file.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_x_sendfile_mode_names_the_local_path(client: Any, two_municipalities: Any, settings: Any) -> None:
    settings.INSYN_FILE_SERVE = "x-sendfile"
    pitea, _ = two_municipalities
    document = with_file(pitea, PDF, "beslut.pdf")
    client.force_login(pitea.registrar)
    response = client.get(reverse("core:governing_document_file", args=[document.pk]))
    assert response["X-Sendfile"] == document.file.path
    assert response.content == b""


def test_api_file_url_is_the_protected_download(client: Any, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    document = with_file(pitea, PDF, "beslut.pdf")
    client.force_login(pitea.registrar)
    data = client.get(f"/api/v1/governing-documents/{document.pk}").json()
    assert data["file_url"] == f"/api/v1/governing-documents/{document.pk}/file"
    response = client.get(data["file_url"])
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == PDF


# --- Wagtail documents and images ----------------------------------------------------------


def test_wagtail_document_needs_login_and_its_upload_is_checked(client: Any, db: Any) -> None:
    from wagtail.documents import get_document_model
    from wagtail.documents.forms import get_document_form

    Document = get_document_model()
    form_class = get_document_form(Document)
    admin = UserFactory(is_superuser=True, is_staff=True)
    form = form_class(
        data={"title": "Bilaga", "collection": 1},
        files={"file": SimpleUploadedFile("bilaga.txt", HTML)},
        user=admin,
    )
    assert not form.is_valid()
    assert "file" in form.errors

    document = Document.objects.create(title="Bilaga", file=ContentFile(PDF, name="bilaga.pdf"))
    response = client.get(document.url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = client.get(document.file.url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(admin)
    response = client.get(document.file.url)
    assert response.status_code == 302 and response["Location"] == document.url
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"


def test_wagtail_image_files_are_for_admin_users_and_only_as_images(client: Any, db: Any) -> None:
    from wagtail.images import get_image_model

    image = get_image_model().objects.create(title="Logo", file=ContentFile(PNG, name="logo.png"), width=1, height=1)
    url = image.file.url
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(UserFactory())  # no admin access
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    # A non-image put where an image was: never served.
    get_image_model().objects.filter(pk=image.pk).update(
        file=default_storage.save("original_images/evil.png", ContentFile(SVG))
    )
    assert client.get("/media/original_images/evil.png").status_code == 404


# --- Content-Security-Policy on every response -----------------------------------------------


def test_every_kind_of_response_carries_the_content_security_policy(client: Any, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    document = with_file(pitea, PDF, "beslut.pdf")
    anonymous = [client.get("/"), client.get("/plans/"), client.get("/no-such-page/"), client.get("/media/x.pdf")]
    anonymous.append(client.get("/api/v1/governing-documents"))  # 401 JSON
    client.force_login(pitea.registrar)
    signed_in = [
        client.get("/admin/"),
        client.get("/admin/governing_documents/"),
        client.get("/api/v1/governing-documents"),
        client.get("/api/v1/no-such-endpoint"),
        client.get(reverse("core:governing_document_file", args=[document.pk])),
        client.get("/files/governing-documents/999999/"),
    ]
    for response in anonymous + signed_in:
        policy = response.get("Content-Security-Policy", "")
        assert "default-src 'self'" in policy, (response.status_code, response.get("Content-Type"))
        assert "script-src 'self'" in policy
        assert "object-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy
    assert {r.status_code for r in signed_in} >= {200, 404}


def test_sniff_never_calls_markup_text() -> None:
    assert sniff(HTML) == "markup"
    assert sniff(b"\xef\xbb\xbf<svg onload=alert(1)>") == "markup"
    assert sniff("namn;e-post\nÅsa;asa@example.se\n".encode("cp1252")) == "text"
    assert sniff(PDF) == "pdf"
    assert sniff(PNG) == "png"
