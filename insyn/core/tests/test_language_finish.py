"""Role names and the audit trail read in the user's language (issue 9, "Language")."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from insyn.core.audit import MASKED, audit_record
from insyn.core.audit_display import change_table, object_type_label
from insyn.core.models import AuditEntry, GoverningDocument
from insyn.core.models.audit import AuditAction
from insyn.core.roles import ROLES_BY_CODE, translate_role_names
from insyn.core.tests.factories import make_user_with_role


def _role(code: str, language: str) -> str:
    with translation.override(language):
        return str(ROLES_BY_CODE[code].label)


# --- Role names ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["sv", "pl"])
def test_role_assignment_list_shows_translated_role_names(client, two_municipalities, language: str) -> None:
    pitea, _torsby = two_municipalities
    client.force_login(make_user_with_role(pitea.municipality, "administrator"))
    html = client.get("/admin/role_assignments/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert _role("registrar", language) in html
    assert "Registrar" not in html  # the group's stable English key


@pytest.mark.parametrize("language", ["sv", "pl"])
def test_wagtail_user_form_offers_roles_by_translated_name(
    client, django_user_model, two_municipalities, language: str
) -> None:
    pitea, _torsby = two_municipalities
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "x"))
    html = client.get(f"/admin/users/edit/{pitea.registrar.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert _role("dpo", language) in html
    assert "Data protection officer" not in html


def test_role_names_in_stored_labels_follow_the_reader() -> None:
    stored_in_swedish = f"anna · {_role('registrar', 'sv')} · Piteå kommun"
    with translation.override("pl"):
        assert translate_role_names(stored_in_swedish) == f"anna · {_role('registrar', 'pl')} · Piteå kommun"
        assert (
            translate_role_names("Registrar · Registrar") == f"{_role('registrar', 'pl')} · {_role('registrar', 'pl')}"
        )
        assert translate_role_names("anna · Kommunstyrelsen") == "anna · Kommunstyrelsen"


def test_dashboard_role_changes_show_translated_role_names(client, two_municipalities) -> None:
    pitea, _torsby = two_municipalities
    client.force_login(make_user_with_role(pitea.municipality, "administrator"))
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    assert 'id="role-changes' in html or "role-changes" in html
    assert f"{pitea.registrar} · {_role('registrar', 'pl')} · " in html
    assert f" · {_role('registrar', 'sv')} · " not in html
    assert " · Registrar · " not in html


# --- Audit trail ---------------------------------------------------------------------


def test_object_type_is_the_models_translated_name() -> None:
    with translation.override("sv"):
        assert object_type_label("core.governingdocument") == str(GoverningDocument._meta.verbose_name).capitalize()
        assert object_type_label("auth.user") != "auth.user"
        assert object_type_label("nosuch.thing") == "nosuch.thing"


def test_audit_list_shows_object_types_in_swedish(client, two_municipalities) -> None:
    pitea, _torsby = two_municipalities
    client.force_login(make_user_with_role(pitea.municipality, "archivist"))
    html = client.get("/admin/audit_trail/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    with translation.override("sv"):
        assert object_type_label("core.governingdocument") in html
    assert "core.governingdocument" not in html


def _person_update(organisation: Any) -> AuditEntry:
    return audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        object_type="officials.person",
        object_id="7",
        object_label="Anna Andersson",
        organisation=organisation,
        changes={"family_name": ["Andersson", "Berg"], "national_id": [MASKED, MASKED]},
    )


def test_audit_inspect_shows_the_change_set_as_a_table_in_swedish(client, two_municipalities) -> None:
    from insyn.officials.models import Person

    pitea, _torsby = two_municipalities
    entry = _person_update(pitea.board)
    client.force_login(make_user_with_role(pitea.municipality, "archivist"))
    html = client.get(f"/admin/audit_trail/inspect/{entry.pk}/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    with translation.override("sv"):
        family_name = str(Person._meta.get_field("family_name").verbose_name).capitalize()
        national_id = str(Person._meta.get_field("national_id").verbose_name).capitalize()
        person = str(Person._meta.verbose_name).capitalize()
        old_value = translation.pgettext("audit change set", "Old value")
    assert f'<th scope="row">{family_name}</th>' in html
    assert f'<th scope="row">{national_id}</th>' in html
    assert old_value in html
    assert "<td>Andersson</td>" in html and "<td>Berg</td>" in html
    assert f"<td>{MASKED}</td>" in html  # masked stays masked
    assert "[&#x27;Andersson&#x27;" not in html and "{&#x27;" not in html  # no raw Python dict
    assert person in html and "officials.person" not in html


def test_change_table_of_a_delete_a_read_and_an_event() -> None:
    entry = AuditEntry(action=AuditAction.DELETE, object_type="core.governingdocument", changes={"title": "Policy"})
    with translation.override("sv"):
        title = str(GoverningDocument._meta.get_field("title").verbose_name).capitalize()
        table = change_table(entry)
        assert table.has_old_and_new
        assert [(row.field, row.old) for row in table.rows] == [(title, "Policy")]

        read = AuditEntry(action=AuditAction.READ, object_type="officials.person", changes={"fields": ["national_id"]})
        assert not change_table(read).has_old_and_new
        assert change_table(read).rows[0].new != "national_id"

        token = AuditEntry(action=AuditAction.TOKEN, object_type="wagtailcore.apitoken", changes={"event": "created"})
        assert [(row.field, row.new) for row in change_table(token).rows] == [("event", "created")]


def test_change_table_shows_choices_by_label() -> None:
    entry = AuditEntry(
        action=AuditAction.UPDATE, object_type="core.governingdocument", changes={"status": ["draft", "in_force"]}
    )
    with translation.override("sv"):
        row = change_table(entry).rows[0]
        choices = dict(GoverningDocument._meta.get_field("status").flatchoices)
        assert (row.old, row.new) == (str(choices["draft"]), str(choices["in_force"]))


# --- Import errors -------------------------------------------------------------------


@pytest.fixture
def swedish_marked() -> Any:
    """A Swedish catalog where the given msgids read «msgid»: a message that did not go through gettext
    shows no «». (The real translations are filled by `make messages`; this proves the marking.)"""
    catalog = trans_real.translation("sv")._catalog._catalogs[0]  # type: ignore[attr-defined]
    saved: dict[str, Any] = {}
    missing = object()

    def mark(*msgids: str) -> None:
        for msgid in msgids:
            saved.setdefault(msgid, catalog.get(msgid, missing))
            catalog[msgid] = f"«{msgid}»"

    with translation.override("sv"):
        yield mark
    for msgid, value in saved.items():
        if value is missing:
            catalog.pop(msgid, None)
        else:
            catalog[msgid] = value


def test_plan_file_and_cell_errors_are_translated(swedish_marked: Any) -> None:
    from insyn.records.importers.jrwa import JrwaBuilder
    from insyn.records.importers.jsonfile import read_json
    from insyn.records.importers.tree import PlanTree
    from insyn.records.importers.values import iso_date
    from insyn.records.plandata import DocumentTypeData, PlanData, PlanFileError

    swedish_marked(
        "the file is not UTF-8",
        "%(value)s is not a date (YYYY-MM-DD)",
        "%(symbol)s is not a JRWA symbol (digits only)",
    )
    with pytest.raises(PlanFileError) as file_error:
        read_json(b"\xff\xfe{", file="plan.json")
    assert "«the file is not UTF-8»" in str(file_error.value)
    with pytest.raises(ValueError, match="«'31/12' is not a date"):
        iso_date("31/12")
    builder = JrwaBuilder(PlanTree(PlanData(title="JRWA")))
    with pytest.raises(ValueError, match="«'0a1' is not a JRWA symbol"):
        builder.add("0a1", DocumentTypeData(name="Sesje"))


def test_popolo_errors_are_translated(swedish_marked: Any) -> None:
    from insyn.core.exceptions import ValidationFailed
    from insyn.officials.popolo import _Where

    swedish_marked("%(where)s: %(message)s", ", row %(row)d")
    with pytest.raises(ValidationFailed) as caught:
        _Where("ledamoter.csv", letters=False).fail("tom", row=4)
    assert str(caught.value.message) == "«ledamoter.csv«, row 4»: tom»"


def test_import_limit_errors_are_translated(swedish_marked: Any) -> None:
    from insyn.core.bounded_input import Budget
    from insyn.core.exceptions import DomainError

    swedish_marked("%(file)s: %(what)s: %(setting)s = %(value)s. Nothing was imported.")
    with pytest.raises(DomainError) as caught:
        Budget("plan.xlsx").fail("INSYN_IMPORT_MAX_ROWS")
    assert str(caught.value.message).startswith("«plan.xlsx: ")
