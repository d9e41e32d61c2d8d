"""Personal data is declared in code (issue 10, item 7): every field of every model in scope that can hold
personal data has a category and a path to whose data it is, or is declared not personal with a reason.

The checker lives in `insyn.core.personal_data`; these tests run it on the installed apps and on throwaway
models, so a checker that passes everything fails here.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test.utils import isolate_apps

from insyn.core import personal_data as pd


def test_every_field_that_can_hold_personal_data_is_classified() -> None:
    missing = pd.unclassified_fields()
    assert missing == [], "classify these with personal_data.register or register_not_personal: " + ", ".join(missing)


def test_the_registry_names_only_fields_that_exist_and_paths_that_end_at_a_root() -> None:
    assert pd.registry_problems() == []


def test_the_scope_covers_every_installed_app() -> None:
    # A new app (ours or a library) must be put in scope or out of it with a reason, never forgotten.
    labels = {config.label for config in apps.get_app_configs() if list(config.get_models())}
    third_party_apps = {label.split(".")[0] for label in pd.THIRD_PARTY_IN_SCOPE}
    unknown = labels - set(pd.OWN_APPS) - set(pd.OUT_OF_SCOPE_APPS) - third_party_apps
    assert unknown == set()


def test_the_three_roots_are_registered_with_their_search_fields() -> None:
    roots = {root.model_label: root for root in pd.subject_roots()}
    assert roots["officials.person"].national_id_fields == ("national_id",)
    assert roots["officials.person"].same_person == ("user",)
    assert roots["auth.user"].email_fields == ("email",)
    assert roots["privacy.subjectrequest"].address_fields == ("postal_address",)


@pytest.mark.parametrize(
    ("label", "field", "subject"),
    [
        ("loans.receipt", "pdf", "loan__person"),
        ("loans.loan", "person", "person"),
        ("officials.membership", "person", "person"),
        ("core.auditentry", "actor", "actor"),
        ("core.auditentry", "object_label", pd.GENERIC_OBJECT),
        ("core.governingdocument", "owner", "owner"),
        ("loans.broadbandrequest", "motivation", "loan__person"),
    ],
)
def test_fields_say_whose_data_they_are(label: str, field: str, subject: str) -> None:
    entry = pd.registered(label, field)
    assert entry is not None and entry.subject == subject


@isolate_apps("insyn.core")
def test_a_new_unclassified_personal_field_fails() -> None:
    class Volunteer(models.Model):  # noqa: DJ008 (a throwaway model)
        nickname = models.CharField(max_length=20)  # not personal by name: no word of the list
        email = models.EmailField()
        home_address = models.CharField(max_length=200)
        notes = models.TextField()
        cv = models.FileField()
        login = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
        official = models.ForeignKey("officials.Person", on_delete=models.CASCADE, related_name="+")
        shoe_size = models.PositiveIntegerField()

        class Meta:
            app_label = "core"

    missing = pd.unclassified_fields([Volunteer])
    assert missing == [
        "core.volunteer.email",
        "core.volunteer.home_address",
        "core.volunteer.notes",
        "core.volunteer.cv",
        "core.volunteer.login",
        "core.volunteer.official",
    ]


@isolate_apps("insyn.core")
def test_classifying_the_field_or_declaring_it_not_personal_satisfies_the_check() -> None:
    class Badge(models.Model):  # noqa: DJ008 (a throwaway model)
        holder_name = models.CharField(max_length=100)
        print_name = models.CharField(max_length=100)

        class Meta:
            app_label = "core"

    assert pd.unclassified_fields([Badge]) == ["core.badge.holder_name", "core.badge.print_name"]
    saved = (dict(pd._registry), dict(pd._not_personal))
    try:
        pd.register(Badge, "holder_name", pd.DataCategory.IDENTITY, subject=pd.TEXT)
        pd.register_not_personal(Badge, "print_name", "the printer's model name")
        assert pd.unclassified_fields([Badge]) == []
        with pytest.raises(ValueError):
            pd.register_not_personal(Badge, "print_name", " ")
    finally:
        pd._registry.clear()
        pd._registry.update(saved[0])
        pd._not_personal.clear()
        pd._not_personal.update(saved[1])


def test_a_registry_entry_for_a_missing_field_or_a_path_off_the_roots_is_a_problem() -> None:
    saved = dict(pd._registry)
    try:
        pd.register("loans.loan", "no_such_field", pd.DataCategory.OTHER, subject="person")
        pd.register("loans.receipt", "sha256", pd.DataCategory.OTHER, subject="loan")  # ends at loans.loan
        pd.register("loans.incident", "kind", pd.DataCategory.OTHER, subject="loan__nobody")
        problems = pd.registry_problems()
    finally:
        pd._registry.clear()
        pd._registry.update(saved)
    assert "loans.loan.no_such_field: no such field" in problems
    assert "loans.receipt.sha256: subject path 'loan' ends at loans.loan, not a subject root" in problems
    assert "loans.incident.kind: subject path 'loan__nobody' does not exist" in problems
