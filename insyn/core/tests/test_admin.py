"""Cross-municipality isolation and service-backed saves through the Wagtail admin."""

from __future__ import annotations

from insyn.core.models import AuditEntry, GoverningDocument


def test_document_list_shows_only_own_municipality(client, two_municipalities):
    pitea, torsby = two_municipalities
    client.force_login(pitea.registrar)
    response = client.get("/admin/governing_documents/")
    assert response.status_code == 200
    assert pitea.document.title in response.text
    assert torsby.document.title not in response.text


def test_edit_inspect_and_delete_of_other_municipality_are_404(client, two_municipalities):
    pitea, torsby = two_municipalities
    client.force_login(pitea.registrar)
    for url in (
        f"/admin/governing_documents/edit/{torsby.document.pk}/",
        f"/admin/governing_documents/inspect/{torsby.document.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/admin/governing_documents/edit/{torsby.document.pk}/", {"title": "Kapad"})
    assert response.status_code == 404
    torsby.document.refresh_from_db()
    assert torsby.document.title != "Kapad"


def test_municipal_administrator_cannot_edit_another_municipalitys_organisation(client, two_municipalities):
    from insyn.core.tests.factories import make_user_with_role

    pitea, torsby = two_municipalities
    admin = make_user_with_role(pitea.municipality, "administrator")
    client.force_login(admin)
    assert client.get(f"/admin/organisations/edit/{pitea.board.pk}/").status_code == 200
    assert client.get(f"/admin/organisations/edit/{torsby.board.pk}/").status_code == 404
    response = client.get("/admin/organisations/")
    assert pitea.municipality.name in response.text and torsby.municipality.name not in response.text


def test_create_form_offers_only_own_organisations(client, two_municipalities):
    pitea, torsby = two_municipalities
    client.force_login(pitea.registrar)
    form = client.get("/admin/governing_documents/new/").context["form"]
    choices = set(form.fields["organisation"].queryset)
    assert pitea.board in choices
    assert torsby.board not in choices


def test_create_posted_with_foreign_organisation_is_rejected(client, two_municipalities):
    pitea, torsby = two_municipalities
    client.force_login(pitea.registrar)
    response = client.post(
        "/admin/governing_documents/new/",
        {"organisation": torsby.board.pk, "title": "Intrång", "document_type": "policy", "status": "draft"},
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not GoverningDocument.objects.filter(title="Intrång").exists()


def test_create_through_admin_uses_the_service_and_is_audited(client, two_municipalities):
    pitea, _ = two_municipalities
    client.force_login(pitea.registrar)
    response = client.post(
        "/admin/governing_documents/new/",
        {
            "organisation": pitea.board.pk,
            "title": "Informationssäkerhetspolicy",
            "document_type": "policy",
            "status": "in_force",
            "valid_from": "2026-01-01",
            "valid_until": "2028-12-31",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    document = GoverningDocument.objects.get(title="Informationssäkerhetspolicy")
    entry = AuditEntry.objects.get(object_type="core.governingdocument", object_id=str(document.pk), action="create")
    assert entry.actor_id == pitea.registrar.pk
    assert entry.organisation_id == pitea.board.pk


def test_domain_validation_comes_back_as_form_error(client, two_municipalities):
    pitea, _ = two_municipalities
    client.force_login(pitea.registrar)
    response = client.post(
        "/admin/governing_documents/new/",
        {
            "organisation": pitea.board.pk,
            "title": "Baklänges",
            "document_type": "policy",
            "status": "draft",
            "valid_from": "2027-01-01",
            "valid_until": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "valid_until" in response.context["form"].errors
    assert not GoverningDocument.objects.filter(title="Baklänges").exists()


def test_audit_trail_is_scoped_and_read_only(client, two_municipalities):
    from insyn.core.tests.factories import make_user_with_role

    pitea, torsby = two_municipalities
    archivist = make_user_with_role(pitea.municipality, "archivist")
    client.force_login(archivist)
    response = client.get("/admin/audit_trail/")
    assert response.status_code == 200
    listed = {entry.pk for entry in response.context["object_list"]}
    own = set(AuditEntry.objects.filter(organisation_id=pitea.board.pk).values_list("pk", flat=True))
    foreign = set(AuditEntry.objects.filter(organisation_id=torsby.board.pk).values_list("pk", flat=True))
    assert own and own <= listed
    assert not (foreign & listed)
    assert client.get("/admin/audit_trail/new/").status_code in {403, 404, 302}
    # A registrar holds no audit permission at all.
    client.force_login(pitea.registrar)
    assert client.get("/admin/audit_trail/").status_code in {302, 403}


def test_dashboard_lists_expiring_documents_of_own_municipality(client, two_municipalities):
    import datetime as dt

    from django.utils import timezone

    from insyn.core.tests.factories import make_document

    pitea, torsby = two_municipalities
    soon = timezone.localdate() + dt.timedelta(days=40)
    make_document(pitea.board, title="Anvisning för lån", registration_number="22KS572", valid_until=soon)
    make_document(torsby.board, title="Främmande anvisning", registration_number="T-1", valid_until=soon)
    make_document(pitea.board, title="Långlivad", registration_number="L-1", valid_until=soon + dt.timedelta(days=200))
    client.force_login(pitea.registrar)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "22KS572" in response.text
    assert "T-1" not in response.text
    assert "L-1" not in response.text


# The index's query count is pinned at its real value, at two sizes, in tests/test_query_counts.py.


def test_history_and_usage_of_another_municipalitys_objects_are_404(client, two_municipalities):
    pitea, torsby = two_municipalities
    client.force_login(pitea.registrar)
    assert client.get(f"/admin/governing_documents/history/{pitea.document.pk}/").status_code == 200
    for view in ("history", "usage"):
        response = client.get(f"/admin/governing_documents/{view}/{torsby.document.pk}/")
        assert response.status_code == 404, view
        assert torsby.document.title not in response.text
