"""Review finding 10(b): saving an activity let a controller contact create IT systems in the municipality's
shared register of systems (records), and change their hosting, without the records permission for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import translation

from insyn.core.actor import SYSTEM
from insyn.core.exceptions import ValidationFailed
from insyn.core.models import AuditEntry, Organisation
from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
from insyn.privacy.activity_data import ActivityData, SystemData
from insyn.privacy.models import ProcessingActivity, Register
from insyn.privacy.services.importing import register_import, register_import_preview
from insyn.privacy.services.register import activity_save, register_create
from insyn.records.models import ITSystem


@dataclass
class World:
    municipality: Organisation
    ks: Organisation
    register: Register
    contact: Any
    lex: ITSystem


@pytest.fixture
def w(db: Any) -> World:
    municipality = make_municipality("Piteå kommun")
    ks = make_organ(municipality, "Kommunstyrelsen")
    return World(
        municipality=municipality,
        ks=ks,
        register=register_create(actor=SYSTEM, controller=ks, title="Kommunstyrelsens behandlingar"),
        contact=make_user_with_role(ks, "privacy_contact"),
        lex=ITSystem.objects.create(municipality=municipality, name="LEX"),
    )


def _activity(*systems: SystemData) -> ActivityData:
    return {
        "name": "Diarieföring",
        "purposes": ["Registrering av allmänna handlingar"],
        "legal_bases": [{"article": "6.1.c", "reference": "OSL 5 kap. 1 §"}],
        "data_subject_categories": [],
        "personal_data_categories": [],
        "retention": {"text": "Bevaras"},
        "systems": list(systems),
    }


def test_a_controller_contact_cannot_create_an_it_system(w: World) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        activity_save(actor=w.contact, register=w.register, data=_activity({"name": "Ciceron"}))
    assert "Ciceron" in refused.value.message and "register of IT systems" in refused.value.message
    assert refused.value.detail["system"] == "Ciceron"
    assert not ITSystem.objects.filter(name="Ciceron").exists()
    assert not ProcessingActivity.objects.filter(register=w.register).exists()


def test_a_controller_contact_links_an_existing_system(w: World) -> None:
    saved = activity_save(actor=w.contact, register=w.register, data=_activity({"name": "lex"}))
    assert list(saved.systems.all()) == [w.lex]
    assert not AuditEntry.objects.filter(object_type__icontains="itsystem").exists()


def test_a_controller_contact_cannot_fill_in_a_systems_hosting(w: World) -> None:
    with translation.override("en"), pytest.raises(ValidationFailed) as refused:
        activity_save(
            actor=w.contact,
            register=w.register,
            data=_activity({"name": "LEX", "hosting_location": "USA", "hosting_country": "US"}),
        )
    assert "LEX" in refused.value.message
    w.lex.refresh_from_db()
    assert (w.lex.hosting_location, w.lex.hosting_country) == ("", "")


def test_an_administrator_with_the_records_permission_creates_a_system(w: World) -> None:
    administrator = make_user_with_role(w.municipality, "administrator")
    saved = activity_save(
        actor=administrator, register=w.register, data=_activity({"name": "Ciceron", "hosting_location": "Sverige"})
    )
    assert [system.name for system in saved.systems.all()] == ["Ciceron"]
    assert ITSystem.objects.get(municipality=w.municipality, name="Ciceron").hosting_location == "Sverige"


def test_an_import_by_a_controller_contact_links_known_systems_and_reports_the_others(w: World) -> None:
    content = (
        "Behandlingsaktivitet;Ändamål med behandlingen;Rättslig grund;IT-system\n"
        "Diarieföring;Registrering av allmänna handlingar.;Rättslig förpliktelse;LEX, Ciceron\n"
    ).encode()
    with translation.override("en"):
        read = register_import_preview(actor=w.contact, controller=w.ks, content=content, filename="register.csv")
    unlinked = [p for p in read.problems if p.code == "system_not_linked"]
    assert [(p.row, p.column) for p in unlinked] == [(2, "IT-system")]
    assert "Ciceron" in unlinked[0].message
    result = register_import(actor=w.contact, controller=w.ks, data=read)
    assert result.register_id == w.register.pk
    activity = ProcessingActivity.objects.get(register=w.register, name="Diarieföring")
    assert list(activity.systems.all()) == [w.lex]
    assert activity.systems_text == "LEX, Ciceron"  # the register's own words, whole
    assert not ITSystem.objects.filter(name="Ciceron").exists()
