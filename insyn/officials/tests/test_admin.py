"""The officials admin: the person page's extension point, person choices that tell namesakes apart, and the
import with a preview of the organisations it would create."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.safestring import mark_safe
from wagtail import hooks

from insyn.core.models import AuditEntry, Organisation
from insyn.core.permissions import SYSTEM
from insyn.officials.admin_views import PERSON_DETAIL_PANELS_HOOK
from insyn.officials.models import Membership, Person
from insyn.officials.services import membership_create, person_create

IMPORT = "/admin/officials/import/"


def text(response: Any) -> str:
    return response.content.decode()


@pytest.fixture
def anna(nordby: Any) -> Person:
    person = person_create(
        actor=SYSTEM,
        municipality=nordby.municipality,
        given_name="Anna",
        family_name="Lind",
        national_id="19811218-9876",
    )
    membership_create(actor=SYSTEM, person=person, organisation=nordby.nämnd, role="ledamot")
    return person


def test_person_page_shows_the_panels_other_modules_register(client, nordby, anna):
    seen = []

    def panel(request: Any, person: Person) -> str:
        seen.append(person.pk)
        return mark_safe(f'<section id="test-panel">Panel för {person.pk}</section>')  # noqa: S308

    client.force_login(nordby.secretary)
    with (
        hooks.register_temporarily(PERSON_DETAIL_PANELS_HOOK, panel),
        hooks.register_temporarily(PERSON_DETAIL_PANELS_HOOK, lambda request, person: None),
    ):
        response = client.get(f"/admin/officials/person/{anna.pk}/")

    assert response.status_code == 200 and seen == [anna.pk]
    assert f'<section id="test-panel">Panel för {anna.pk}</section>' in text(response)
    assert not {"loans", "eligibility", "eligible_devices", "can_lend"} & set(response.context_data)


def test_person_page_escapes_a_panel_that_is_not_marked_safe(client, nordby, anna):
    client.force_login(nordby.secretary)
    with hooks.register_temporarily(PERSON_DETAIL_PANELS_HOOK, lambda request, person: "<script>x</script>"):
        response = client.get(f"/admin/officials/person/{anna.pk}/")
    assert "<script>x</script>" not in text(response) and "&lt;script&gt;" in text(response)


def test_membership_form_tells_namesakes_apart(client, nordby, anna):
    person_create(actor=SYSTEM, municipality=nordby.municipality, given_name="Anna", family_name="Lind")
    client.force_login(nordby.secretary)
    page = text(client.get("/admin/officials/memberships/new/"))
    assert "Anna Lind (Barn- och utbildningsnämnden)" in page
    assert "Anna Lind</option>" in page  # the namesake without seat or identity number: the name only


# --- Import with preview --------------------------------------------------------------------------


def register_file() -> bytes:
    return json.dumps(
        {
            "persons": [{"id": "p1", "given_name": "Bo", "family_name": "Ek"}],
            "organizations": [
                {"id": "ks", "name": "Kommunstyrelsen"},
                {"id": "kfn", "name": "Kultur- och fritidsnämnden", "classification": "namnd"},
            ],
            "memberships": [
                {"id": "m1", "person_id": "p1", "organization_id": "ks", "role": "ledamot"},
                {"id": "m2", "person_id": "p1", "organization_id": "kfn", "role": "ledamot"},
            ],
        }
    ).encode()


def upload(client: Any, municipality: Organisation, **extra: Any) -> Any:
    data = {"file": SimpleUploadedFile("register.json", register_file()), "municipality": municipality.pk, **extra}
    return client.post(IMPORT, data)


def written() -> tuple[int, int, int, int]:
    return Person.objects.count(), Membership.objects.count(), Organisation.objects.count(), AuditEntry.objects.count()


def test_import_preview_lists_the_new_organisations_and_confirm_creates_them(client, nordby):
    client.force_login(nordby.administrator)
    before = written()

    preview = upload(client, nordby.municipality)

    assert preview.status_code == 200
    page = text(preview)
    assert 'id="import-new-organisations"' in page and "Kultur- och fritidsnämnden" in page
    assert written() == before  # the preview is a dry run
    token = preview.context["preview"]["token"]

    confirmed = client.post(IMPORT, {"token": token})

    assert confirmed.status_code == 302
    organ = Organisation.objects.get(name="Kultur- och fritidsnämnden")
    assert organ.municipality_id == nordby.municipality.pk and organ.parent_id == nordby.municipality.pk
    assert Person.objects.filter(municipality=nordby.municipality, external_id="p1").exists()
    assert Membership.objects.filter(organisation=organ).count() == 1
    # The token is spent: posting it again imports nothing more.
    assert client.post(IMPORT, {"token": token}).status_code == 404


def test_import_by_someone_without_the_right_to_add_organisations_is_refused(client, nordby):
    client.force_login(nordby.secretary)
    before = written()
    page = client.get(IMPORT)
    assert page.status_code == 200 and 'name="parent"' not in text(page)

    refused = upload(client, nordby.municipality)

    assert refused.status_code == 403 and "Kultur- och fritidsnämnden" in text(refused)
    assert refused.context["preview"] is None
    assert written() == before


def test_import_refuses_another_municipalitys_ids(client, nordby, sydby):
    client.force_login(nordby.administrator)
    before = written()

    into_other = upload(client, sydby.municipality)
    under_other = upload(client, nordby.municipality, parent=sydby.board.pk)

    for response in (into_other, under_other):
        assert response.status_code == 400 and response.context["preview"] is None
    assert into_other.context["form"].has_error("municipality", "invalid_choice")
    assert under_other.context["form"].has_error("parent", "invalid_choice")
    assert written() == before


def test_import_confirm_with_a_forged_token_writes_nothing(client, nordby):
    client.force_login(nordby.administrator)
    before = written()
    assert client.post(IMPORT, {"token": "0" * 32}).status_code == 404
    assert written() == before


def test_import_page_is_closed_to_those_who_may_not_add_officials(client, nordby):
    from insyn.core.tests.factories import make_user_with_role

    client.force_login(make_user_with_role(nordby.municipality, "it"))
    assert client.get(IMPORT).status_code in {302, 403}
    assert client.post(IMPORT, {"token": "0" * 32}).status_code in {302, 403}


def test_the_preview_keeps_the_file_out_of_the_session_and_one_preview_at_a_time(client, nordby, settings, tmp_path):
    from insyn.core.pending import PENDING_DIR

    settings.MEDIA_ROOT = str(tmp_path)
    client.force_login(nordby.administrator)
    first = upload(client, nordby.municipality).context["preview"]["token"]
    second = upload(client, nordby.municipality).context["preview"]["token"]

    session = client.session
    keys = [key for key in session.keys() if key.startswith("officials-import-")]  # noqa: SIM118 (no __iter__)
    assert keys == [f"officials-import-{second}"]
    stored = session[keys[0]]
    # only the token of the kept file and the choices: no person's data in the session table
    assert set(stored) == {"municipality", "parent", "file", "filename", "new_organisations"}
    assert len(list((tmp_path / PENDING_DIR).iterdir())) == 1  # the first preview's file is gone
    assert client.post(IMPORT, {"token": first}).status_code == 404
    assert client.post(IMPORT, {"token": second}).status_code == 302
    assert list((tmp_path / PENDING_DIR).iterdir()) == []
