"""Reads: the one "current membership", the one "chair", one access helper per entity, person choices."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from insyn.core.exceptions import NotFoundError
from insyn.core.permissions import SYSTEM
from insyn.core.tests.factories import make_organ
from insyn.officials import selectors
from insyn.officials.forms import PersonChoiceField, person_choice_label
from insyn.officials.models import Membership, MembershipRole, Post
from insyn.officials.services import membership_create, person_create

ON = dt.date(2025, 6, 15)


def person(register: Any, given: str = "Anna", family: str = "Lind", **extra: Any) -> Any:
    return person_create(
        actor=SYSTEM, municipality=register.municipality, given_name=given, family_name=family, **extra
    )


def seat(p: Any, organ: Any, role: str = "ledamot", start: Any = None, end: Any = None) -> Membership:
    return membership_create(actor=SYSTEM, person=p, organisation=organ, role=role, start_date=start, end_date=end)


def test_current_keeps_open_ended_and_boundary_days_and_drops_past_and_future(nordby):
    anna = person(nordby)
    open_ended = seat(anna, nordby.board, start=None, end=None)
    starts_today = seat(anna, nordby.nämnd, start=ON, end=None)
    ends_today = seat(anna, make_organ(nordby.municipality, "Valnämnden", "valnamnd"), start=None, end=ON)
    social = make_organ(nordby.municipality, "Socialnämnden", "namnd")
    seat(anna, social, start=dt.date(2020, 1, 1), end=ON.replace(day=14))
    seat(anna, make_organ(nordby.municipality, "Kulturnämnden", "namnd"), start=ON.replace(day=16))

    current = set(Membership.objects.current(ON).values_list("pk", flat=True))

    assert current == {open_ended.pk, starts_today.pk, ends_today.pk}
    assert Membership.objects.filter(person=anna).current(ON).count() == 3  # chains after filter() too


def test_current_defaults_to_today(nordby):
    anna = person(nordby)
    seat(anna, nordby.board, start=dt.date(2000, 1, 1), end=dt.date(2000, 12, 31))
    today = seat(anna, nordby.nämnd)
    assert list(Membership.objects.current()) == [today]


def test_chaired_organisation_ids_is_current_chair_seats_only(nordby):
    chair = person(nordby)
    seat(chair, nordby.board, role=MembershipRole.CHAIR, start=dt.date(2023, 1, 1))
    seat(chair, nordby.nämnd, role=MembershipRole.MEMBER, start=dt.date(2023, 1, 1))
    old = make_organ(nordby.municipality, "Gamla nämnden", "namnd")
    seat(chair, old, role=MembershipRole.CHAIR, start=dt.date(2019, 1, 1), end=dt.date(2022, 12, 31))

    assert selectors.chaired_organisation_ids(person=chair, on=ON) == {nordby.board.pk}
    assert selectors.chaired_organisation_ids(person=chair, on=dt.date(2022, 6, 1)) == {old.pk}
    assert selectors.chaired_organisation_ids(person=chair, on=ON, organ_types=["namnd"]) == set()
    assert selectors.chaired_organisation_ids(person=None, on=ON) == set()
    assert selectors.member_organisation_ids(person=chair, on=ON) == {nordby.board.pk, nordby.nämnd.pk}


@pytest.mark.parametrize(
    ("helper", "model_name"),
    [(selectors.access_person, "person"), (selectors.access_membership, "membership"), (selectors.access_post, "post")],
)
def test_access_helpers_answer_missing_and_foreign_alike(nordby, sydby, helper, model_name):
    foreign = person(sydby, "Sven", "Syd")
    membership = seat(foreign, sydby.board)
    objects = {"person": foreign, "membership": membership, "post": Post.objects.get(pk=membership.post_id)}
    target = objects[model_name]

    assert helper(actor=sydby.secretary, pk=target.pk) == target
    with pytest.raises(NotFoundError) as not_yours:
        helper(actor=nordby.secretary, pk=target.pk)
    with pytest.raises(NotFoundError) as missing:
        helper(actor=nordby.secretary, pk=10**9)
    with pytest.raises(NotFoundError) as garbage:
        helper(actor=nordby.secretary, pk="x")
    assert str(not_yours.value.message) == str(missing.value.message) == str(garbage.value.message)


def test_person_choice_label_names_the_organs_or_the_birth_year_never_for_protected_identity(nordby):
    in_organs = person(nordby, national_id="19811218-9876")
    seat(in_organs, nordby.nämnd)
    seat(in_organs, nordby.board)
    no_seat = person(nordby, "Anna", "Lind", national_id="19701063-2391")  # samordningsnummer: year still 1970
    nothing = person(nordby, "Anna", "Lind")
    protected = person(nordby, "Anna", "Lind", national_id="19900101-0017", protected_identity=True)
    seat(protected, nordby.board)

    assert person_choice_label(in_organs) == "Anna Lind (Barn- och utbildningsnämnden, Kommunstyrelsen)"
    assert person_choice_label(no_seat) == "Anna Lind (1970)"
    assert person_choice_label(nothing) == "Anna Lind"
    assert person_choice_label(protected) == "Anna Lind"


def test_person_choice_field_labels_every_option_in_two_queries(nordby, django_assert_num_queries):
    for number in range(12):
        p = person(nordby, "Anna", f"Lind{number}")
        seat(p, nordby.board if number % 2 else nordby.nämnd)
    field = PersonChoiceField()
    field.queryset = selectors.persons_by_name(actor=nordby.secretary)
    # Narrowed again, as the admin's form scoping does: still one prefetch, not two.
    field.queryset = field.queryset.filter(pk__in=selectors.person_list(actor=nordby.secretary).values("pk"))

    with django_assert_num_queries(2):
        labels = [label for _value, label in field.choices][1:]

    assert len(labels) == 12 and all("(" in label for label in labels)


def test_person_choice_field_keeps_a_posted_choice_in_scope(nordby, sydby):
    foreign = person(sydby, "Sven", "Syd")
    field = PersonChoiceField(queryset=selectors.persons_by_name(actor=nordby.secretary))
    with pytest.raises(ValidationError) as refused:
        field.clean(str(foreign.pk))
    assert refused.value.code == "invalid_choice"


def test_person_views_builds_views_only_for_the_page_read(nordby):
    for number in range(30):
        person(nordby, "Anna", f"Lind{number:02d}")
    views = selectors.person_views(actor=nordby.secretary)
    with CaptureQueriesContext(connection) as queries:
        page = views[10:15]
        count = len(views)
    assert [v["family_name"] for v in page] == [f"Lind{n:02d}" for n in range(10, 15)]
    assert count == 30
    assert len(queries) == 2 and "LIMIT 5" in queries[0]["sql"]
