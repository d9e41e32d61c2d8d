"""The subject search by index (issue 10, acceptance 7): names and e-mails found through expression indexes on
both databases, logins found by e-mail only in their own municipality, and a bounded number of statements
however many models the registry names (the batching the benchmark relies on).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection

from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import make_user_with_role
from insyn.loans.tests.conftest import make_official
from insyn.officials.services import person_update
from insyn.privacy.selectors.subject_find import sql_lower_variants
from insyn.privacy.subject_search import SubjectQuery, subject_search
from insyn.privacy.tests.test_subject_search import PNR, build_world


@pytest.fixture
def world(db: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    return build_world(settings, tmp_path)


def _search(world: Any, **query: Any) -> Any:
    return subject_search(
        actor=world["dpo"], municipality_id=world["pitea"].municipality.pk, query=SubjectQuery(**query)
    )


def _ids(result: Any, label: str) -> set[str]:
    return {hit.object_id for hit in result.hits if hit.model_label == label}


@pytest.mark.parametrize("typed", ["åsa öberg", "ÅSA ÖBERG", "Åsa  Öberg"])
def test_a_name_with_swedish_letters_is_found_in_any_case(world: Any, typed: str) -> None:
    # SQLite's lower() folds ASCII letters only: "Åsa Öberg" must still be found when typed in lower case.
    person = make_official(world["pitea"].municipality, [(world["pitea"].kf, "ledamot")], given_name="Åsa")
    person = person_update(actor=SYSTEM, person=person, family_name="Öberg")
    result = _search(world, names=(typed,))
    assert _ids(result, "officials.person") == {str(person.pk)}
    assert [h.matched_by for h in result.hits if h.model_label == "officials.person"] == ["name"]


def test_a_two_word_family_name_is_found(world: Any) -> None:
    person = make_official(world["pitea"].municipality, [], given_name="Anna Maria")
    person = person_update(actor=SYSTEM, person=person, family_name="Lindberg Ek")
    assert _ids(_search(world, names=("anna maria lindberg ek",)), "officials.person") == {str(person.pk)}


def test_variants_cover_the_capitalised_and_upper_case_spellings() -> None:
    assert sql_lower_variants("anna ek") == ["anna ek"]
    # The upper-case spelling "ÅSA ÖBERG" lowers to the capitalised one on SQLite: listed once.
    assert sql_lower_variants("åsa öberg") == ["åsa öberg", "Åsa Öberg"]


def test_a_login_is_found_by_email_only_in_its_own_municipality(world: Any) -> None:
    staff = make_user_with_role(world["pitea"].municipality, "registrar", username="reg.pitea")
    User.objects.filter(pk=staff.pk).update(email="Registrator.Pitea@example.se")
    stranger = User.objects.create(username="elsewhere", email="registrator.pitea@example.se".upper())
    result = _search(world, emails=("registrator.pitea@EXAMPLE.se",))
    assert _ids(result, "auth.user") == {str(staff.pk)}
    assert str(stranger.pk) not in _ids(result, "auth.user")


def test_an_official_found_by_the_email_of_their_login(world: Any) -> None:
    person = world["person"]
    User.objects.filter(pk=person.user_id).update(email="login.only@example.se")
    result = _search(world, emails=("LOGIN.ONLY@example.se",))
    assert _ids(result, "auth.user") == {str(person.user_id)}
    assert _ids(result, "officials.person") == {str(person.pk)}
    assert _ids(result, "loans.loan") == {str(world["loan"].pk)}


def test_statements_do_not_grow_with_the_registry(world: Any, django_assert_max_num_queries: Any) -> None:
    # Every subject path and text field in one statement, one fetch per model with rows: about 20 statements
    # (permission check, roots, the batch, fetches, activities, the audit entry); one per path was over 30.
    # PostgreSQL adds one: the audit chain's advisory lock (insyn/core/audit.py _lock_chain).
    subject_search(actor=world["dpo"], municipality_id=world["pitea"].municipality.pk, query=SubjectQuery())
    with django_assert_max_num_queries(24 + (connection.vendor == "postgresql")):
        result = _search(world, national_id=PNR, emails=(world["person"].email,), names=("maria x",))
    assert {"officials.person", "loans.loan", "loans.receipt", "core.auditentry"} <= {
        h.model_label for h in result.hits
    }


def test_hits_need_no_statement_per_row(world: Any, django_assert_max_num_queries: Any) -> None:
    # A hit's fields and label come from the rows as fetched (their relations joined), not one query each.
    few = len(_search(world, national_id=PNR).hits)
    for n in range(5):
        person_update(actor=SYSTEM, person=world["person"], phone=f"070-00000{n}")  # five more audit entries
    with django_assert_max_num_queries(24 + (connection.vendor == "postgresql")):
        more = len(_search(world, national_id=PNR).hits)
    assert more >= few + 5


def test_the_search_indexes_exist(db: Any) -> None:
    with connection.cursor() as cursor:
        person = connection.introspection.get_constraints(cursor, "officials_person")
        login = connection.introspection.get_constraints(cursor, "auth_user")
    assert {"person_national_id", "person_email_lower", "person_name_lower"} <= set(person)
    assert {"auth_user_email_lower", "auth_user_name_lower"} <= set(login)
