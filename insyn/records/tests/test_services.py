from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, IntegrityError, transaction

from insyn.core.exceptions import PermissionDeniedError
from insyn.core.models import AuditEntry
from insyn.records import selectors
from insyn.records.diff import plan_diff
from insyn.records.models import DocumentType, PlanStatus, RetentionPlan
from insyn.records.services import (
    PlanFrozen,
    document_type_update,
    plan_adopt,
    plan_import,
    plan_new_version,
    plan_update,
)
from insyn.records.tests.factories import make_plan_data


def test_import_writes_the_whole_tree_and_reads_back_identically(torsby):
    data = make_plan_data()
    assert selectors.plan_data(torsby.plan).to_dict() == data.to_dict()
    assert torsby.plan.status == PlanStatus.ADOPTED
    assert torsby.plan.document_types.count() == 4
    entry = AuditEntry.objects.filter(object_type="records.retentionplan").latest("id")
    assert entry.changes["document_types"] == 4


def test_reimporting_the_same_data_changes_nothing(torsby):
    audit_before = AuditEntry.objects.count()
    result = plan_import(actor=torsby.archivist, organisation=torsby.board, data=make_plan_data())
    assert result.unchanged and result.plan == torsby.plan
    assert RetentionPlan.objects.count() == 1 and AuditEntry.objects.count() == audit_before


def test_dry_run_writes_nothing_but_counts(pitea):
    result = plan_import(actor=pitea.archivist, organisation=pitea.board, data=make_plan_data(), dry_run=True)
    assert result.counts["document_types"] == 4 and result.created
    assert not RetentionPlan.objects.exists() and not DocumentType.objects.exists()


def test_changed_file_for_adopted_plan_is_refused(torsby):
    changed = make_plan_data()
    changed.areas[0].groups[0].processes[0].activities[0].document_types[0].remarks = "Ändrat"
    with pytest.raises(PlanFrozen):
        plan_import(actor=torsby.archivist, organisation=torsby.board, data=changed)
    assert selectors.plan_data(torsby.plan).to_dict() == make_plan_data().to_dict()


def test_archivist_of_another_municipality_cannot_import_or_edit(torsby, pitea):
    with pytest.raises(PermissionDeniedError):
        plan_import(actor=pitea.archivist, organisation=torsby.board, data=make_plan_data(version="9"))
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    with pytest.raises(PermissionDeniedError):
        document_type_update(actor=pitea.archivist, document_type=draft.document_types.first(), remarks="x")


def test_adopted_plan_is_frozen_in_services(torsby):
    row = torsby.plan.document_types.first()
    with pytest.raises(PlanFrozen):
        document_type_update(actor=torsby.archivist, document_type=row, remarks="Ny anmärkning")
    with pytest.raises(PlanFrozen):
        plan_update(actor=torsby.archivist, plan=torsby.plan, title="Ny titel")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE records_documenttype SET remarks = 'x' WHERE plan_id = %s",
        "DELETE FROM records_documenttype WHERE plan_id = %s",
        "UPDATE records_classificationnode SET name = 'x' WHERE plan_id = %s",
        "UPDATE records_retentionplan SET title = 'x' WHERE id = %s",
        "DELETE FROM records_retentionplan WHERE id = %s",
    ],
)
def test_adopted_plan_is_frozen_in_the_database(torsby, statement):
    from django.db import connection

    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [torsby.plan.pk])
    torsby.plan.refresh_from_db()
    assert torsby.plan.title == "Dokumenthanteringsplan"


def test_orm_update_of_adopted_row_is_refused_by_the_database(torsby):
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        DocumentType.objects.filter(plan=torsby.plan).update(remarks="x")


def test_new_version_edit_adopt_replaces_and_diff_is_right(torsby):
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    assert draft.status == PlanStatus.DRAFT and draft.previous_version == torsby.plan
    rows = {r.name: r for r in draft.document_types.all()}
    document_type_update(
        actor=torsby.archivist,
        document_type=rows["Avtal i samband med annonsering"],
        retention_text="Bevaras",
        action="retain",
        reason="structured by hand",
    )
    from insyn.records.services import document_type_create, document_type_delete

    document_type_delete(actor=torsby.archivist, document_type=rows["Handlingsplan för sociala medier"])
    document_type_create(
        actor=torsby.archivist,
        activity=rows["Annonser i dagspress och annonsblad"].activity,
        name="Annonsunderlag",
        retention_text="Gallras efter 2 år",
        action="dispose",
        period="P2Y",
        trigger="created",
    )
    adopted = plan_adopt(
        actor=torsby.archivist,
        plan=draft,
        adopted_by="Kommunstyrelsen",
        adopted_on=dt.date(2026, 11, 16),
        paragraph="§ 150",
        version="1.1",
        revision_note="Annonsering reviderad",
    )
    torsby.plan.refresh_from_db()
    assert adopted.status == PlanStatus.ADOPTED and torsby.plan.status == PlanStatus.REPLACED
    assert [(r.version, r.paragraph, r.description) for r in adopted.revisions.all()] == [
        ("1.1", "§ 150", "Annonsering reviderad")
    ]
    diff = plan_diff(selectors.plan_data(torsby.plan), selectors.plan_data(adopted))
    assert diff.added == [("2.9.2.6", "Hantera annonser", "Annonsunderlag")]
    assert diff.removed == [("2.9.2.0", "Hantera riktlinjer m.m.", "Handlingsplan för sociala medier")]
    assert len(diff.changed) == 1
    change = diff.changed[0]
    assert change.key == ("2.9.2.6", "Hantera annonser", "Avtal i samband med annonsering")
    assert change.changes == {"retention.action": ("unclear", "retain"), "retention_text": ("Se anmärkning", "Bevaras")}
    assert diff.plan_changes["version"] == ("1.0", "1.1")


def test_only_one_draft_per_version_and_replaced_plans_cannot_be_versioned(torsby):
    from insyn.core.exceptions import ConflictError

    plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    with pytest.raises(ConflictError):
        plan_new_version(actor=torsby.archivist, plan=torsby.plan)


def test_draft_rows_validate_iso_periods_and_events(torsby):
    from insyn.core.exceptions import ValidationFailed

    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    row = draft.document_types.first()
    with pytest.raises(ValidationFailed):
        document_type_update(actor=torsby.archivist, document_type=row, period="2 år")
    with pytest.raises(ValidationFailed):
        document_type_update(actor=torsby.archivist, document_type=row, trigger="event", trigger_event="")
    updated = document_type_update(actor=torsby.archivist, document_type=row, name="Riktlinjer för förvaring")
    assert "riktlinjer for forvaring" in updated.search_text


def test_search_forgives_missing_diacritics(torsby):
    plans = RetentionPlan.objects.all()
    assert [r.name for r in selectors.document_type_search(query="tjanstemans rum handlingsplan", plans=plans)] == [
        "Handlingsplan för sociala medier"
    ]
    assert selectors.document_type_search(query="förvaring inte finns", plans=plans).count() == 0
    assert selectors.document_type_search(query="ANNONSER", plans=plans).count() == 2


def test_plan_data_reads_with_constant_queries(torsby, django_assert_max_num_queries):
    from insyn.records.tests.factories import import_plan

    big = import_plan(torsby.board, make_plan_data(version="2.0", extra_rows=200))
    with django_assert_max_num_queries(8):
        data = selectors.plan_data(big)
    assert len(data.document_types()) == 204
