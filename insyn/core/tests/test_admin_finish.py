"""What a user notices in the core admin: governing documents' form, inspect view and export; organisations
named with their municipality in every choice; API tokens for oneself; the language changed on its own."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zoneinfo
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from django.utils.text import capfirst
from wagtail.models import APIToken
from wagtail.users.models import UserProfile

from insyn.core.models import GoverningDocument, RoleAssignment
from insyn.core.models.documents import DocumentStatus, DocumentType
from insyn.core.tests.factories import UserFactory, make_user_with_role

pytestmark = pytest.mark.django_db

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
NEW = "/admin/governing_documents/new/"


def _document_post(board: Any, **extra: Any) -> dict[str, Any]:
    return {
        "organisation": board.pk,
        "title": "Arkivreglemente",
        "document_type": "regulation",
        "status": "in_force",
        **extra,
    }


# --- Governing documents ---------------------------------------------------------------------


def test_upload_is_kept_after_a_refused_form_and_saved_when_sent_again(client: Client, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    client.force_login(pitea.registrar)
    upload = SimpleUploadedFile("arkivreglemente.pdf", PDF, content_type="application/pdf")
    refused = client.post(
        NEW, _document_post(pitea.board, valid_from="2027-01-01", valid_until="2026-01-01", file=upload)
    )
    assert refused.status_code == 200
    assert not GoverningDocument.objects.filter(title="Arkivreglemente").exists()
    html = refused.text
    assert "arkivreglemente.pdf" in html  # the form says which file it keeps …
    token = re.search(r'name="file-kept" value="([0-9a-f]{32})"', html)
    assert token is not None  # … and carries it back
    banner = [str(m) for m in refused.context["messages"]]
    assert any("arkivreglemente.pdf" in message for message in banner), banner

    # Sent again without choosing the file: the kept one is saved with the document.
    saved = client.post(
        NEW, _document_post(pitea.board, valid_from="2026-01-01", valid_until="2027-01-01", **{"file-kept": token[1]})
    )
    assert saved.status_code == 302
    document = GoverningDocument.objects.get(title="Arkivreglemente")
    assert document.file.name.endswith("arkivreglemente.pdf")
    with document.file.open("rb") as handle:
        assert handle.read() == PDF


def test_kept_upload_of_another_session_is_not_taken(client: Client, two_municipalities: Any) -> None:
    pitea, torsby = two_municipalities
    client.force_login(pitea.registrar)
    refused = client.post(
        NEW,
        _document_post(
            pitea.board, valid_from="2027-01-01", valid_until="2026-01-01", file=SimpleUploadedFile("hemlig.pdf", PDF)
        ),
    )
    token = re.search(r'name="file-kept" value="([0-9a-f]{32})"', refused.text)
    assert token is not None
    other = Client()
    other.force_login(torsby.registrar)
    response = other.post(NEW, _document_post(torsby.board, **{"file-kept": token[1]}))
    assert response.status_code == 302
    assert not GoverningDocument.objects.get(organisation=torsby.board, title="Arkivreglemente").file


def test_inspect_shows_a_dash_for_empty_values_a_download_link_and_local_times(
    client: Client, two_municipalities: Any
) -> None:
    pitea, _ = two_municipalities
    document = pitea.document
    document.file.save("beslut.pdf", io.BytesIO(PDF), save=True)
    client.force_login(pitea.registrar)
    response = client.get(f"/admin/governing_documents/inspect/{document.pk}/")
    assert response.status_code == 200
    html = response.text
    dl = html[html.index("<dl") : html.index("</dl>")]
    assert "None" not in dl  # owner, replaced by, decision date … are empty
    assert dl.count("—") >= 5  # owner, replaced by, decision date, review date, valid until …
    assert f'<a href="/files/governing-documents/{document.pk}/">beslut.pdf</a>' in dl
    assert document.file.name not in dl  # never the stored path
    local = timezone.localtime(document.created_at, zoneinfo.ZoneInfo("Europe/Stockholm"))
    utc = document.created_at.astimezone(dt.UTC)
    assert local.utcoffset() != dt.timedelta(0)
    assert f"{local:%H:%M}" in dl or f"{local.hour}:{local:%M}" in dl
    assert f"{utc:%H:%M}" not in dl


def test_csv_export_holds_labels_not_codes(client: Client, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    client.force_login(pitea.registrar)
    response = client.get("/admin/governing_documents/?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    heading, row = list(csv.reader(io.StringIO(content)))
    # Wagtail writes the streamed rows after the view has returned: in the installation's language, Swedish.
    with translation.override("sv"):
        assert row[1] == str(DocumentType.GUIDELINE.label) != "guideline"
        assert row[-1] == str(DocumentStatus.IN_FORCE.label) != "in_force"
        assert heading[1] == capfirst(str(GoverningDocument._meta.get_field("document_type").verbose_name))
        assert heading[-1] == capfirst(str(GoverningDocument._meta.get_field("status").verbose_name))


# --- Organisations named with their municipality ------------------------------------------------


def test_organisation_choices_name_their_municipality(client: Client, two_municipalities: Any) -> None:
    # An installation administrator sees both municipalities' boards: both are "Kommunstyrelsen".
    admin = UserFactory(username="installation.admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    form_html = client.get(NEW).text
    select = form_html[
        form_html.index('name="organisation"') : form_html.index("</select>", form_html.index('name="organisation"'))
    ]
    assert ">Kommunstyrelsen (Piteå kommun)</option>" in select
    assert ">Kommunstyrelsen (Torsby kommun)</option>" in select
    assert ">Piteå kommun</option>" in select  # a municipality is named alone
    assert ">Kommunstyrelsen</option>" not in select

    listing = client.get("/admin/governing_documents/").text
    assert "Kommunstyrelsen (Piteå kommun)" in listing  # the list filter's choices too


# --- API tokens ------------------------------------------------------------------------------


def test_token_form_is_for_oneself_and_ignores_another_owner(client: Client, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    colleague = make_user_with_role(pitea.municipality, "registrar", username="kollega")
    client.force_login(pitea.registrar)
    form = client.get("/admin/api-tokens/new/").context["form"]
    field = form.fields["user"]
    assert field.disabled
    assert list(field.queryset) == [pitea.registrar]
    assert form["user"].value() == pitea.registrar.pk

    response = client.post("/admin/api-tokens/new/", {"name": "Min integration", "user": colleague.pk})
    assert response.status_code == 200
    token = APIToken.objects.get(name="Min integration")
    assert token.user == pitea.registrar


def test_administrator_of_users_may_choose_among_those_they_manage(client: Client, two_municipalities: Any) -> None:
    pitea, torsby = two_municipalities
    manager = make_user_with_role(pitea.municipality, "administrator", username="it.chef")
    manager.user_permissions.add(Permission.objects.get(codename="change_user", content_type__app_label="auth"))
    colleague = make_user_with_role(pitea.municipality, "registrar", username="kollega")
    client.force_login(manager)
    form = client.get("/admin/api-tokens/new/").context["form"]
    field = form.fields["user"]
    assert not field.disabled
    assert form["user"].value() == manager.pk  # preset to oneself
    choices = set(field.queryset)
    assert {manager, colleague, pitea.registrar} <= choices
    assert torsby.registrar not in choices  # another municipality's user is not theirs to manage

    response = client.post("/admin/api-tokens/new/", {"name": "Åt kollegan", "user": colleague.pk})
    assert response.status_code == 200
    assert APIToken.objects.get(name="Åt kollegan").user == colleague
    refused = client.post("/admin/api-tokens/new/", {"name": "Åt Torsby", "user": torsby.registrar.pk})
    assert not APIToken.objects.filter(name="Åt Torsby").exists(), refused.status_code


def test_a_login_that_also_belongs_elsewhere_gets_no_token_from_one_municipality(
    client: Client, two_municipalities: Any
) -> None:
    """A token carries all its owner's rights: Piteå's user manager must not mint one for a login that is
    also Torsby's administrator, nor see or revoke that login's tokens."""
    pitea, torsby = two_municipalities
    manager = make_user_with_role(pitea.municipality, "administrator", username="it.chef")
    manager.user_permissions.add(Permission.objects.get(codename="change_user", content_type__app_label="auth"))
    both = make_user_with_role(pitea.municipality, "registrar", username="dubbel")
    RoleAssignment.objects.create(
        user=both, organisation=torsby.municipality, role=Group.objects.get(name="Administrator")
    )
    theirs, _key = APIToken.create_token(user=both, name="Deras")
    client.force_login(manager)
    field = client.get("/admin/api-tokens/new/").context["form"].fields["user"]
    assert both not in set(field.queryset)
    client.post("/admin/api-tokens/new/", {"name": "Åt dubbel", "user": both.pk})
    assert not APIToken.objects.filter(name="Åt dubbel").exists()
    assert theirs.name not in client.get("/admin/api-tokens/").text


# --- Language ----------------------------------------------------------------------------------


def test_language_changes_without_a_name(client: Client, two_municipalities: Any) -> None:
    pitea, _ = two_municipalities
    user = pitea.registrar
    user.first_name = user.last_name = ""
    user.email = "registrator@pitea.example"
    user.save()
    client.force_login(user)
    response = client.post(
        "/admin/account/",
        {
            "name_email-first_name": "",
            "name_email-last_name": "",
            "name_email-email": user.email,
            "locale-preferred_language": "pl",
            "locale-current_time_zone": "",
            "theme-theme": "system",
            "theme-density": "default",
            "theme-contrast": "system",
            "theme-keyboard_shortcuts": "on",
        },
    )
    errors = [] if response.status_code == 302 else _panel_errors(response)
    assert response.status_code == 302, errors
    assert UserProfile.get_for_user(user).preferred_language == "pl"


def _panel_errors(response: Any) -> list[Any]:
    panels = [panel for tab in response.context["panels_by_tab"].values() for panel in tab]
    return [(panel.name, panel.get_form().errors) for panel in panels if panel.get_form().errors]


def test_organisation_choice_field_of_a_form_of_its_own_names_the_municipality(
    two_municipalities: Any, django_assert_num_queries: Any
) -> None:
    from django import forms

    from insyn.core.forms import OrganisationChoiceField
    from insyn.core.models import Organisation

    class ImportForm(forms.Form):
        organisation = OrganisationChoiceField(queryset=Organisation.objects.order_by("path"))

    field = ImportForm().fields["organisation"]
    with django_assert_num_queries(1):  # the municipalities' names come with the organisations
        labels = [label for _value, label in field.choices][1:]
    assert labels == [
        "Piteå kommun",
        "Kommunstyrelsen (Piteå kommun)",
        "Torsby kommun",
        "Kommunstyrelsen (Torsby kommun)",
    ]
