"""Adopting a plan with `unclear` rules needs a recorded reason for each, through every door."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from insyn.core.exceptions import ValidationFailed
from insyn.core.models import AuditEntry
from insyn.records.models import PlanStatus, UnclearRuleConfirmation
from insyn.records.services import UnclearRulesUnconfirmed, plan_adopt, plan_new_version
from insyn.records.tests.test_doors import bearer

REASON = "Se anmärkning: hanteras manuellt"


@pytest.fixture
def draft(torsby):
    return plan_new_version(actor=torsby.archivist, plan=torsby.plan)


def _unclear(plan):
    return plan.document_types.get(action="unclear")


def _adopt_entry(plan):
    return AuditEntry.objects.filter(object_type="records.retentionplan", object_id=str(plan.pk)).order_by("-pk")[0]


def _assert_confirmed(plan, row, actor):
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED
    confirmation = UnclearRuleConfirmation.objects.get(document_type=row)
    assert confirmation.reason == REASON
    assert confirmation.confirmed_by == actor and confirmation.confirmed_by_label == actor.username
    assert confirmation.confirmed_at is not None
    entry = _adopt_entry(plan)
    assert entry.changes["status"] == ["draft", "adopted"]
    assert entry.changes["unclear_confirmations"] == [{"document_type": row.pk, "name": row.name, "reason": REASON}]


def _service_adopt(actor, plan, **kwargs):
    return plan_adopt(
        actor=actor,
        plan=plan,
        adopted_by="Kommunstyrelsen",
        adopted_on=dt.date(2026, 11, 16),
        paragraph="",
        version="1.1",
        **kwargs,
    )


# --- the service ------------------------------------------------------------------------------------


def test_service_refuses_adoption_naming_the_unconfirmed_unclear_rows(torsby, draft):
    row = _unclear(draft)
    with pytest.raises(UnclearRulesUnconfirmed) as refused:
        _service_adopt(torsby.archivist, draft)
    assert refused.value.code == "unclear_rules_unconfirmed"
    assert refused.value.detail == {"unclear_rules": [{"id": row.pk, "name": row.name}]}
    assert row.name in str(refused.value.message)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT and not UnclearRuleConfirmation.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_service_refuses_an_empty_reason(torsby, draft, reason):
    with pytest.raises(UnclearRulesUnconfirmed):
        _service_adopt(torsby.archivist, draft, unclear_confirmations={_unclear(draft).pk: reason})
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_service_refuses_a_confirmation_of_a_row_that_is_not_unclear(torsby, draft):
    other = draft.document_types.exclude(action="unclear").first()
    with pytest.raises(ValidationFailed) as refused:
        _service_adopt(
            torsby.archivist, draft, unclear_confirmations={_unclear(draft).pk: REASON, other.pk: "Annat skäl"}
        )
    assert refused.value.code == "not_unclear_rule"
    assert not UnclearRuleConfirmation.objects.exists()


def test_service_adopts_with_reasons_stores_and_audits_them(torsby, draft):
    row = _unclear(draft)
    _service_adopt(torsby.archivist, draft, unclear_confirmations={row.pk: f"  {REASON} "})
    _assert_confirmed(draft, row, torsby.archivist)


def test_confirmations_are_frozen_with_the_adopted_plan(torsby, draft):
    row = _unclear(draft)
    _service_adopt(torsby.archivist, draft, unclear_confirmations={row.pk: REASON})
    with pytest.raises(IntegrityError), transaction.atomic():
        UnclearRuleConfirmation.objects.filter(document_type=row).update(reason="Ändrat i efterhand")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnclearRuleConfirmation.objects.filter(document_type=row).delete()


# --- the admin ---------------------------------------------------------------------------------------

FORM = {"adopted_by": "Kommunstyrelsen", "adopted_on": "2026-11-16", "paragraph": "§ 150", "version": "1.1"}


def test_admin_adopt_form_lists_each_unclear_row_with_a_reason_field(client, torsby, draft):
    row = _unclear(draft)
    client.force_login(torsby.archivist)
    response = client.get(f"/admin/records/plan/{draft.pk}/adopt/")
    assert response.status_code == 200
    assert f'name="unclear_{row.pk}"' in response.text and row.name in response.text


def test_admin_adopt_is_refused_without_a_reason(client, torsby, draft):
    row = _unclear(draft)
    client.force_login(torsby.archivist)
    response = client.post(f"/admin/records/plan/{draft.pk}/adopt/", FORM)
    assert response.status_code == 200
    form = response.context["form"]
    assert row.name in str(form.non_field_errors()) and form.errors[f"unclear_{row.pk}"]
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_admin_adopt_with_reasons_stores_and_audits_them(client, torsby, draft):
    row = _unclear(draft)
    client.force_login(torsby.archivist)
    response = client.post(f"/admin/records/plan/{draft.pk}/adopt/", {**FORM, f"unclear_{row.pk}": REASON})
    assert response.status_code == 302
    _assert_confirmed(draft, row, torsby.archivist)


# --- the API -----------------------------------------------------------------------------------------


def _api_adopt(client, user, plan, **extra):
    body = {"adopted_by": "Kommunstyrelsen", "adopted_on": "2026-11-16", "version": "1.1", **extra}
    return client.post(
        f"/api/v1/records/plans/{plan.pk}/adopt",
        data=json.dumps(body),
        content_type="application/json",
        **bearer(user),
    )


def test_api_adopt_is_refused_without_confirmations(client, torsby, draft):
    row = _unclear(draft)
    response = _api_adopt(client, torsby.archivist, draft)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unclear_rules_unconfirmed"
    assert body["detail"] == {"unclear_rules": [{"id": row.pk, "name": row.name}]}
    empty = _api_adopt(client, torsby.archivist, draft, unclear_confirmations={str(row.pk): ""})
    assert empty.status_code == 400 and empty.json()["code"] == "unclear_rules_unconfirmed"
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_api_adopt_with_confirmations_stores_and_audits_them(client, torsby, draft):
    row = _unclear(draft)
    response = _api_adopt(client, torsby.archivist, draft, unclear_confirmations={str(row.pk): REASON})
    assert response.status_code == 200, response.content
    _assert_confirmed(draft, row, torsby.archivist)


# --- the CLI -----------------------------------------------------------------------------------------


def _cli_adopt(user, plan, *extra):
    args = ["adopt", str(plan.pk), "--adopted-by", "KS", "--adopted-on", "2026-11-16", "--version", "1.1"]
    call_command("records", *args, *extra, "--user", user.username, stdout=StringIO())


def test_cli_adopt_is_refused_without_confirmations(torsby, draft):
    row = _unclear(draft)
    with pytest.raises(CommandError, match="unclear_rules_unconfirmed") as refused:
        _cli_adopt(torsby.archivist, draft)
    assert row.name in str(refused.value)
    with pytest.raises(CommandError, match="ID=REASON"):
        _cli_adopt(torsby.archivist, draft, "--confirm-unclear", "Se anmärkning")
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_cli_adopt_with_confirm_unclear_stores_and_audits_it(torsby, draft):
    row = _unclear(draft)
    _cli_adopt(torsby.archivist, draft, "--confirm-unclear", f"{row.pk}={REASON}")
    _assert_confirmed(draft, row, torsby.archivist)
