from __future__ import annotations

import pytest

from insyn.core import selectors
from insyn.core.exceptions import NotFoundError, PermissionDeniedError
from insyn.core.services.documents import governing_document_create, governing_document_update
from insyn.core.services.organisations import organisation_create
from insyn.core.tests.factories import make_organ, make_user_with_role


def test_selectors_show_only_the_actors_municipality(two_municipalities):
    pitea, torsby = two_municipalities
    visible = set(selectors.governing_document_list(actor=pitea.registrar))
    assert pitea.document in visible
    assert torsby.document not in visible
    orgs = set(selectors.organisation_list(actor=pitea.registrar))
    assert pitea.board in orgs and torsby.board not in orgs


def test_reading_another_municipalitys_document_is_not_found(two_municipalities):
    pitea, torsby = two_municipalities
    with pytest.raises(NotFoundError):
        selectors.governing_document_get(actor=pitea.registrar, pk=torsby.document.pk)


def test_registrar_cannot_change_another_municipalitys_document(two_municipalities):
    pitea, torsby = two_municipalities
    with pytest.raises(PermissionDeniedError):
        governing_document_update(actor=pitea.registrar, document=torsby.document, title="Kapad")
    torsby.document.refresh_from_db()
    assert torsby.document.title != "Kapad"


def test_registrar_cannot_create_document_in_another_municipality(two_municipalities):
    pitea, torsby = two_municipalities
    with pytest.raises(PermissionDeniedError):
        governing_document_create(
            actor=pitea.registrar, organisation=torsby.board, title="Intrång", document_type="policy"
        )


def test_write_permission_is_limited_to_the_assigned_subtree(two_municipalities):
    pitea, _ = two_municipalities
    social = make_organ(pitea.municipality, "Socialnämnden", "namnd")
    secretary = make_user_with_role(pitea.board, "secretary")
    # Seeing the whole municipality...
    assert pitea.document in set(selectors.governing_document_list(actor=secretary))
    # ...but writing only below the organ the role was given in.
    governing_document_create(actor=secretary, organisation=pitea.board, title="Rutin", document_type="routine")
    with pytest.raises(PermissionDeniedError):
        governing_document_create(actor=secretary, organisation=social, title="Rutin", document_type="routine")


def test_role_without_write_permission_is_refused(two_municipalities):
    pitea, _ = two_municipalities
    official = make_user_with_role(pitea.municipality, "elected_official")
    assert pitea.document in set(selectors.governing_document_list(actor=official))
    with pytest.raises(PermissionDeniedError):
        governing_document_update(actor=official, document=pitea.document, title="Ändrad")


def test_only_installation_administrators_create_municipalities(two_municipalities):
    pitea, _ = two_municipalities
    admin = make_user_with_role(pitea.municipality, "administrator")
    with pytest.raises(PermissionDeniedError):
        organisation_create(actor=admin, name="Ny kommun", kind="municipality", parent=None)
    organ = organisation_create(
        actor=admin, name="Kulturnämnden", kind="organ", organ_type="namnd", parent=pitea.municipality
    )
    assert organ.municipality_id == pitea.municipality.pk
    assert organ.path == f"{pitea.municipality.path}{organ.pk}/"


def test_user_without_roles_sees_nothing(two_municipalities, django_user_model):
    nobody = django_user_model.objects.create_user("nobody", password="x" * 12)
    assert not selectors.governing_document_list(actor=nobody).exists()
    assert not selectors.organisation_list(actor=nobody).exists()


def test_municipal_administrator_assigns_roles_only_at_home(two_municipalities):
    from insyn.core.services.organisations import role_assign
    from insyn.core.tests.factories import UserFactory

    pitea, torsby = two_municipalities
    admin = make_user_with_role(pitea.municipality, "administrator")
    newcomer = UserFactory(username="ny.registrator")
    role_assign(actor=admin, user=newcomer, organisation=pitea.board, role_code="registrar")
    assert pitea.document in set(selectors.governing_document_list(actor=newcomer))
    with pytest.raises(PermissionDeniedError):
        role_assign(actor=admin, user=newcomer, organisation=torsby.board, role_code="registrar")
    # Torsby's registrar cannot be pulled into Piteå by Piteå's administrator.
    with pytest.raises(PermissionDeniedError):
        role_assign(actor=admin, user=torsby.registrar, organisation=pitea.board, role_code="archivist")
    assert torsby.registrar not in set(selectors.assignable_users(actor=admin))


def test_revoking_the_last_assignment_removes_group_membership(two_municipalities):
    from insyn.core.models import RoleAssignment
    from insyn.core.services.organisations import role_revoke

    pitea, _ = two_municipalities
    admin = make_user_with_role(pitea.municipality, "administrator")
    assignment = RoleAssignment.objects.get(user=pitea.registrar)
    role_revoke(actor=admin, assignment=assignment)
    assert not pitea.registrar.groups.exists()
    assert not selectors.governing_document_list(actor=pitea.registrar).exists()


def test_access_helpers_answer_the_same_for_missing_and_not_yours(two_municipalities):
    from insyn.core.models import RoleAssignment
    from insyn.core.tests.factories import make_user_with_role as make_admin

    pitea, torsby = two_municipalities
    admin = make_admin(pitea.municipality, "administrator")
    theirs = RoleAssignment.objects.get(user=torsby.registrar)
    missing = 10**9
    for access, foreign in (
        (selectors.access_governing_document, torsby.document.pk),
        (selectors.access_organisation, torsby.board.pk),
        (selectors.access_role_assignment, theirs.pk),
    ):
        errors = []
        for pk in (foreign, missing, "nonsense"):
            with pytest.raises(NotFoundError) as caught:
                access(actor=admin, pk=pk)
            errors.append((caught.value.code, str(caught.value.message)))
        assert len(set(errors)) == 1, access.__name__
    assert selectors.access_role_assignment(actor=admin, pk=RoleAssignment.objects.get(user=pitea.registrar).pk)


def test_typed_services_refuse_a_field_they_do_not_have(two_municipalities):
    pitea, _ = two_municipalities
    with pytest.raises(TypeError):
        governing_document_update(actor=pitea.registrar, document=pitea.document, no_such_field="x")  # type: ignore[call-arg]
