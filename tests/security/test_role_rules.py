"""Who may grant which role where: checked in the service, so the admin, the CLI and any later door agree."""

from __future__ import annotations

from typing import Any

import pytest

from insyn.core.exceptions import PermissionDeniedError
from insyn.core.models import RoleAssignment
from insyn.core.roles import ROLES_BY_CODE, Role
from insyn.core.selectors import assignable_users
from insyn.core.services.organisations import role_assign, role_revoke
from insyn.core.tests.factories import UserFactory, make_municipality, make_organ, make_user_with_role
from tests.security.tenants import make_superuser

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    torsby = make_municipality("Torsby kommun")
    pitea = make_municipality("Piteå kommun")
    torsby_board = make_organ(torsby, "Barn- och utbildningsnämnden", "namnd")
    return {
        "torsby": torsby,
        "pitea": pitea,
        "board": torsby_board,
        "admin": make_user_with_role(torsby, "administrator", username="admin.torsby"),
        "board_admin": make_user_with_role(torsby_board, "administrator", username="admin.bun.torsby"),
        "pitea_user": make_user_with_role(pitea, "registrar", username="registrar.pitea"),
        "newcomer": UserFactory(username="ny.torsby"),
    }


def test_administrator_cannot_grant_in_another_municipality(world: dict[str, Any]) -> None:
    with pytest.raises(PermissionDeniedError):
        role_assign(actor=world["admin"], user=world["newcomer"], organisation=world["pitea"], role_code="registrar")
    assert not RoleAssignment.objects.filter(user=world["newcomer"]).exists()


def test_administrator_cannot_take_another_municipalitys_user(world: dict[str, Any]) -> None:
    with pytest.raises(PermissionDeniedError):
        role_assign(actor=world["admin"], user=world["pitea_user"], organisation=world["torsby"], role_code="dpo")
    assert world["pitea_user"] not in assignable_users(actor=world["admin"])


def test_administrator_of_an_organ_cannot_grant_above_it(world: dict[str, Any]) -> None:
    with pytest.raises(PermissionDeniedError):
        role_assign(
            actor=world["board_admin"], user=world["newcomer"], organisation=world["torsby"], role_code="administrator"
        )
    role_assign(actor=world["board_admin"], user=world["newcomer"], organisation=world["board"], role_code="secretary")


def test_no_one_grants_rights_they_do_not_hold(world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    # A role with a right no municipality administrator holds (managing users across the installation).
    monkeypatch.setitem(
        ROLES_BY_CODE,
        "user_manager",
        Role("user_manager", "User manager", "User manager", ("wagtailadmin.access_admin", "auth.change_user")),
    )
    with pytest.raises(PermissionDeniedError):
        role_assign(
            actor=world["admin"], user=world["newcomer"], organisation=world["torsby"], role_code="user_manager"
        )
    assert not RoleAssignment.objects.filter(user=world["newcomer"]).exists()


def test_superusers_are_out_of_reach_of_municipality_administrators(world: dict[str, Any]) -> None:
    root = make_superuser()
    assert root not in assignable_users(actor=world["admin"])
    with pytest.raises(PermissionDeniedError):
        role_assign(actor=world["admin"], user=root, organisation=world["torsby"], role_code="registrar")
    # Only an installation administrator gives roles to one, and takes them away.
    assignment = role_assign(actor=root, user=root, organisation=world["torsby"], role_code="registrar")
    with pytest.raises(PermissionDeniedError):
        role_revoke(actor=world["admin"], assignment=assignment)
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_only_superuser_assigns_across_municipalities(world: dict[str, Any]) -> None:
    root = make_superuser()
    role_assign(actor=root, user=world["newcomer"], organisation=world["pitea"], role_code="registrar")
    role_assign(actor=root, user=world["newcomer"], organisation=world["torsby"], role_code="registrar")
    assert RoleAssignment.objects.filter(user=world["newcomer"]).count() == 2


def test_an_officials_login_belongs_to_the_officials_municipality(world: dict[str, Any]) -> None:
    """An official's login usually holds no role; it is still the official's municipality's, not anyone's."""
    from insyn.core.exceptions import ValidationFailed
    from insyn.core.permissions import SYSTEM
    from insyn.officials.services import person_create

    login = UserFactory(username="pol.pitea")
    person_create(actor=SYSTEM, municipality=world["pitea"], given_name="Pia", family_name="Piteåsson", user=login)
    assert login not in assignable_users(actor=world["admin"])
    with pytest.raises(PermissionDeniedError):
        role_assign(actor=world["admin"], user=login, organisation=world["torsby"], role_code="registrar")
    secretary = make_user_with_role(world["torsby"], "secretary", username="sekr.torsby")
    with pytest.raises(ValidationFailed):
        person_create(actor=secretary, municipality=world["torsby"], given_name="T", family_name="T", user=login)
    with pytest.raises(ValidationFailed):
        person_create(
            actor=secretary, municipality=world["torsby"], given_name="R", family_name="R", user=make_superuser()
        )
    # The official's own municipality still may give the login a role.
    pitea_admin = make_user_with_role(world["pitea"], "administrator", username="admin.pitea")
    role_assign(actor=pitea_admin, user=login, organisation=world["pitea"], role_code="elected_official")
