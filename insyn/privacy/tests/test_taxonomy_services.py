"""The taxonomy in the database: the built-in terms kept in step, a DPO's own terms, who sees what, the admin."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from insyn.core.actor import SYSTEM
from insyn.core.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed
from insyn.core.models import AuditEntry
from insyn.core.tests.factories import make_municipality, make_user_with_role
from insyn.privacy.models import TaxonomyTerm
from insyn.privacy.selectors.taxonomy import access_term, taxonomy_terms, term_by_key
from insyn.privacy.services.taxonomy import sync_taxonomy_after_migrate, taxonomy_sync, term_create, term_update
from insyn.privacy.taxonomy_data import BUILTIN_TERMS


@pytest.fixture
def builtins(db: Any) -> int:
    taxonomy_sync(actor=SYSTEM)
    return TaxonomyTerm.objects.filter(municipality=None).count()


@pytest.fixture
def pitea(db: Any) -> Any:
    municipality = make_municipality("Piteå kommun")
    return municipality, make_user_with_role(municipality, "dpo", username="pitea.dso")


@pytest.fixture
def torsby(db: Any) -> Any:
    municipality = make_municipality("Torsby kommun")
    return municipality, make_user_with_role(municipality, "dpo", username="torsby.dso")


def test_sync_writes_every_built_in_term_without_a_municipality(builtins: Any) -> None:
    assert builtins == len(BUILTIN_TERMS)
    assert not TaxonomyTerm.objects.filter(municipality=None, label_pl="").exists()


def test_sync_twice_writes_nothing_and_audits_nothing(builtins: Any) -> None:
    entries = AuditEntry.objects.count()
    assert taxonomy_sync(actor=SYSTEM) == 0
    assert AuditEntry.objects.count() == entries


def test_sync_restores_a_built_in_label_and_audits_it(builtins: Any) -> None:
    TaxonomyTerm.objects.filter(municipality=None, key="se.personnummer").update(label_sv="X", national_id=False)
    assert taxonomy_sync(actor=SYSTEM) == 1
    term = TaxonomyTerm.objects.get(municipality=None, key="se.personnummer")
    assert (term.label_sv, term.national_id) == ("Personnummer", True)
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None and entry.changes["updated"] == ["data_category:se.personnummer"]


def test_post_migrate_receiver_fills_the_taxonomy(db: Any) -> None:
    from django.apps import apps

    sync_taxonomy_after_migrate(sender=None, app_config=apps.get_app_config("privacy"), plan=[("m", False)])
    assert TaxonomyTerm.objects.filter(municipality=None).count() == len(BUILTIN_TERMS)


def test_sync_refused_to_a_user(builtins: Any, pitea: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        taxonomy_sync(actor=pitea[1])


def test_dpo_adds_a_term_of_their_municipality(builtins: Any, pitea: Any) -> None:
    municipality, dpo = pitea
    term = term_create(actor=dpo, kind="data_category", key="se.pitea.bostadsko", label_sv="Bostadskö")
    assert term.municipality == municipality and term.fideslang is False
    assert AuditEntry.objects.filter(object_type="privacy.taxonomyterm", object_id=str(term.pk)).exists()


def test_a_built_in_key_cannot_be_taken_again(builtins: Any, pitea: Any) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed, match=r"already has the key se\.personnummer"):
        term_create(actor=pitea[1], kind="data_category", key="se.personnummer", label_sv="Pnr")


def test_a_key_must_look_like_a_fideslang_key(builtins: Any, pitea: Any) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed, match="lower-case words joined by dots"):
        term_create(actor=pitea[1], kind="data_category", key="Skor storlek", label_sv="Skostorlek")


def test_a_registrar_may_not_extend_the_taxonomy(builtins: Any, pitea: Any) -> None:
    registrar = make_user_with_role(pitea[0], "registrar", username="pitea.registrator")
    with pytest.raises(PermissionDeniedError):
        term_create(actor=registrar, kind="data_category", key="se.x", label_sv="X")


def test_built_in_terms_are_read_only(builtins: Any, pitea: Any) -> None:
    term = TaxonomyTerm.objects.get(municipality=None, kind="data_category", key="user.name")
    with pytest.raises(PermissionDeniedError):
        term_update(actor=pitea[1], term=term, label_sv="Fullständigt namn")
    with pytest.raises(PermissionDeniedError):
        term_update(actor=SYSTEM, term=term, label_sv="Fullständigt namn")


def test_dpo_edits_their_own_term_and_another_municipality_cannot(builtins: Any, pitea: Any, torsby: Any) -> None:
    term = term_create(actor=pitea[1], kind="subject_category", key="se.fritidsgardsbesokare", label_sv="Besökare")
    term = term_update(actor=pitea[1], term=term, label_en="Youth centre visitors", children=True)
    assert (term.label_en, term.children) == ("Youth centre visitors", True)
    with pytest.raises(PermissionDeniedError):
        term_update(actor=torsby[1], term=term, label_sv="Nej")


def test_each_municipality_sees_built_ins_and_its_own_terms_only(builtins: Any, pitea: Any, torsby: Any) -> None:
    own = term_create(actor=pitea[1], kind="data_category", key="se.own", label_sv="Egen")
    theirs = term_create(actor=torsby[1], kind="data_category", key="se.theirs", label_sv="Deras")
    visible = set(taxonomy_terms(actor=pitea[1], kind="data_category").values_list("key", flat=True))
    assert "se.own" in visible and "se.theirs" not in visible and "user.name" in visible
    assert access_term(actor=pitea[1], pk=own.pk) == own
    with pytest.raises(NotFoundError):
        access_term(actor=pitea[1], pk=theirs.pk)
    with pytest.raises(NotFoundError):
        access_term(actor=pitea[1], pk="not a number")


def test_term_by_key_finds_the_municipalitys_term_then_the_built_in_one(builtins: Any, pitea: Any, torsby: Any) -> None:
    own = term_create(actor=pitea[1], kind="data_use", key="se.own_use", label_sv="Egen")
    assert term_by_key(municipality_id=pitea[0].pk, kind="data_use", key="se.own_use") == own
    assert term_by_key(municipality_id=torsby[0].pk, kind="data_use", key="se.own_use") is None
    builtin = term_by_key(municipality_id=torsby[0].pk, kind="data_use", key="employment")
    assert builtin is not None and builtin.municipality_id is None


def test_admin_lists_terms_and_offers_no_edit_of_a_built_in_one(client: Any, builtins: Any, pitea: Any) -> None:
    client.force_login(pitea[1])
    assert client.get("/admin/privacy/taxonomy/").status_code == 200
    builtin = TaxonomyTerm.objects.get(municipality=None, kind="data_category", key="user.name")
    assert client.get(f"/admin/privacy/taxonomy/edit/{builtin.pk}/").status_code == 404


def test_admin_creates_and_edits_a_local_term(client: Any, builtins: Any, pitea: Any) -> None:
    client.force_login(pitea[1])
    form = {"kind": "data_category", "key": "se.parkeringstillstand", "label_sv": "Parkeringstillstånd", "special": ""}
    response = client.post("/admin/privacy/taxonomy/new/", form)
    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    term = TaxonomyTerm.objects.get(key="se.parkeringstillstand")
    assert term.municipality == pitea[0]
    response = client.post(
        f"/admin/privacy/taxonomy/edit/{term.pk}/", {"label_sv": "Parkeringstillstånd", "label_en": "Parking permit"}
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.label_en == "Parking permit"
