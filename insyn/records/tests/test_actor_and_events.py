"""Issue 9 for records: the CLI names its actor, reads go through access helpers, adoption is announced after commit."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from insyn.core.exceptions import NotFoundError
from insyn.core.models import AuditEntry
from insyn.core.permissions import SYSTEM
from insyn.records import selectors
from insyn.records.models import Activity, DocumentType, PlanStatus, RetentionPattern, RetentionPlan
from insyn.records.services import plan_adopt, plan_new_version, retention_pattern_create
from insyn.records.signals import plan_adopted
from insyn.records.tasks import render_plan_pdfs
from insyn.records.tests.factories import make_plan_data

DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
ADOPTION = {"adopted_by": "Kommunstyrelsen", "adopted_on": dt.date(2026, 11, 16), "paragraph": "§ 9", "version": "2.0"}


@pytest.fixture
def draft(torsby: Any) -> RetentionPlan:
    return plan_new_version(actor=torsby.archivist, plan=torsby.plan)


def _confirmations(plan: RetentionPlan) -> dict[int, str]:
    return {row.pk: "Hanteras manuellt" for row in plan.document_types.filter(action="unclear")}


@pytest.fixture
def received() -> Any:
    calls: list[dict[str, Any]] = []

    def listener(sender: Any, **kwargs: Any) -> None:
        calls.append({"sender": sender, **kwargs})

    plan_adopted.connect(listener, dispatch_uid="test-listener")
    yield calls
    plan_adopted.disconnect(dispatch_uid="test-listener")


def _state() -> tuple[int, int, int, list[str]]:
    statuses = list(RetentionPlan.objects.order_by("pk").values_list("status", flat=True))
    return RetentionPlan.objects.count(), DocumentType.objects.count(), AuditEntry.objects.count(), statuses


# -- plan_adopted, after commit ---------------------------------------------------------------------------


def test_plan_adopted_is_sent_once_after_commit(
    torsby: Any, draft: RetentionPlan, received: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        plan_adopt(actor=torsby.archivist, plan=draft, unclear_confirmations=_confirmations(draft), **ADOPTION)
        assert received == []  # not before the commit
    assert received == [
        {
            "sender": RetentionPlan,
            "signal": plan_adopted,
            "plan_id": draft.pk,
            "organisation_id": torsby.board.pk,
            "actor": torsby.archivist,
        }
    ]


def test_plan_adopted_is_not_sent_when_the_adoption_rolls_back(
    torsby: Any, draft: RetentionPlan, received: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        plan_adopt(actor=torsby.archivist, plan=draft, unclear_confirmations=_confirmations(draft), **ADOPTION)
        raise RuntimeError("the caller's transaction fails after the adoption")
    assert callbacks == [] and received == []
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_a_refused_adoption_sends_nothing(
    torsby: Any, pitea: Any, draft: RetentionPlan, received: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from insyn.core.exceptions import PermissionDeniedError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDeniedError):
        plan_adopt(actor=pitea.archivist, plan=draft, unclear_confirmations=_confirmations(draft), **ADOPTION)
    assert received == []


@override_settings(TASKS=DUMMY_TASKS)
def test_records_renders_the_pdfs_of_an_adopted_plan_after_commit(
    torsby: Any, draft: RetentionPlan, django_capture_on_commit_callbacks: Any
) -> None:
    backend: Any = render_plan_pdfs.get_backend()

    def queued() -> list[Any]:
        return [r.kwargs for r in backend.results if r.kwargs.get("plan_id") == draft.pk]

    with django_capture_on_commit_callbacks(execute=True):
        plan_adopt(actor=torsby.archivist, plan=draft, unclear_confirmations=_confirmations(draft), **ADOPTION)
        assert queued() == []
    assert queued() == [{"plan_id": draft.pk}]


# -- the CLI names its actor ------------------------------------------------------------------------------


def _adopt_args(plan: RetentionPlan) -> list[str]:
    args = ["adopt", str(plan.pk), "--adopted-by", "KS", "--adopted-on", "2026-11-16", "--version", "2.0"]
    for pk in _confirmations(plan):
        args += ["--confirm-unclear", f"{pk}=Hanteras manuellt"]
    return args


@pytest.mark.parametrize("subcommand", ["import", "import --dry-run", "adopt", "new-version"])
def test_every_data_changing_subcommand_refuses_to_run_without_user(
    subcommand: str, torsby: Any, draft: RetentionPlan, tmp_path: Any
) -> None:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(make_plan_data(title="Ny plan").to_dict(), ensure_ascii=False), encoding="utf-8")
    args = {
        "import": ["import", str(path), "--organisation", str(torsby.board.pk)],
        "import --dry-run": ["import", str(path), "--organisation", str(torsby.board.pk), "--dry-run"],
        "adopt": _adopt_args(draft),
        "new-version": ["new-version", str(torsby.plan.pk)],
    }[subcommand]
    before = _state()
    with pytest.raises(CommandError, match="--user"):
        call_command("records", *args, stdout=StringIO(), stderr=StringIO())
    assert _state() == before


def test_cli_adopt_as_another_municipalitys_archivist_is_refused(torsby: Any, pitea: Any, draft: RetentionPlan) -> None:
    before = _state()
    with pytest.raises(CommandError, match=r"not_found|permission_denied"):
        call_command("records", *_adopt_args(draft), "--user", pitea.archivist.username, stdout=StringIO())
    assert _state() == before
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def test_cli_adopt_as_the_municipalitys_archivist_adopts(torsby: Any, draft: RetentionPlan) -> None:
    out = StringIO()
    call_command("records", *_adopt_args(draft), "--user", torsby.archivist.username, stdout=out)
    assert json.loads(out.getvalue()) == {"plan": draft.pk, "status": "adopted"}


def test_cli_system_actor_is_named_explicitly(torsby: Any, draft: RetentionPlan) -> None:
    out = StringIO()
    call_command("records", *_adopt_args(draft), "--user", "system", stdout=out)
    assert json.loads(out.getvalue())["status"] == "adopted"
    entry = AuditEntry.objects.filter(object_type="records.retentionplan", object_id=str(draft.pk)).latest("pk")
    assert entry.actor_label == "system"


def test_cli_unknown_user_is_a_clear_error(torsby: Any, draft: RetentionPlan) -> None:
    with pytest.raises(CommandError, match="No active user named 'nobody'"):
        call_command("records", *_adopt_args(draft), "--user", "nobody", stdout=StringIO())


def test_cli_list_without_user_reads_as_a_visitor(torsby: Any, draft: RetentionPlan) -> None:
    out = StringIO()
    call_command("records", "list", stdout=out)
    assert [p["id"] for p in json.loads(out.getvalue())] == [torsby.plan.pk]
    out = StringIO()
    call_command("records", "list", "--user", torsby.archivist.username, stdout=out)
    assert {p["id"] for p in json.loads(out.getvalue())} == {torsby.plan.pk, draft.pk}


# -- access helpers: one error for "missing" and "not yours" ------------------------------------------


def _refusal(access: Any, **kwargs: Any) -> tuple[str, str, int]:
    with translation.override("en"), pytest.raises(NotFoundError) as caught:
        access(**kwargs)
    return caught.value.code, str(caught.value.message), caught.value.status_code


def test_access_plan_says_the_same_for_missing_and_not_yours(torsby: Any, pitea: Any, draft: RetentionPlan) -> None:
    missing = _refusal(selectors.access_plan, actor=pitea.archivist, pk=10**9)
    assert missing == ("not_found", "No such retention plan.", 404)
    assert _refusal(selectors.access_plan, actor=pitea.archivist, pk=draft.pk) == missing
    assert _refusal(selectors.access_plan, actor=pitea.archivist, pk="x") == missing
    # Another municipality's adopted plan is public, but not the actor's to work with.
    assert selectors.access_plan(actor=pitea.archivist, pk=torsby.plan.pk) == torsby.plan
    assert _refusal(selectors.access_plan, actor=pitea.archivist, pk=torsby.plan.pk, work_with=True) == missing
    assert selectors.access_plan(actor=torsby.archivist, pk=draft.pk, work_with=True) == draft


def test_access_document_type_and_activity_say_the_same_for_missing_and_not_yours(
    torsby: Any, pitea: Any, draft: RetentionPlan
) -> None:
    row = draft.document_types.first()
    assert row is not None
    missing = _refusal(selectors.access_document_type, actor=pitea.archivist, pk=10**9)
    assert _refusal(selectors.access_document_type, actor=pitea.archivist, pk=row.pk) == missing
    assert selectors.access_document_type(actor=torsby.archivist, pk=row.pk) == row

    activity = Activity.objects.filter(plan=draft).first()
    assert activity is not None
    missing = _refusal(selectors.access_activity, actor=pitea.archivist, pk=10**9)
    assert _refusal(selectors.access_activity, actor=pitea.archivist, pk=activity.pk) == missing
    # An adopted plan's activity takes no new document type: it is not offered.
    adopted = Activity.objects.filter(plan=torsby.plan).first()
    assert adopted is not None
    assert _refusal(selectors.access_activity, actor=torsby.archivist, pk=adopted.pk) == missing
    assert selectors.access_activity(actor=torsby.archivist, pk=activity.pk) == activity


def test_access_retention_pattern_says_the_same_for_missing_and_not_yours(torsby: Any, pitea: Any) -> None:
    rule = retention_pattern_create(
        actor=SYSTEM, municipality=torsby.municipality, name="Torsbys", pattern="makuleras", action="dispose"
    )
    missing = _refusal(selectors.access_retention_pattern, actor=pitea.archivist, pk=10**9)
    assert _refusal(selectors.access_retention_pattern, actor=pitea.archivist, pk=rule.pk) == missing
    assert selectors.access_retention_pattern(actor=torsby.archivist, pk=rule.pk) == rule


def test_an_archivists_rule_without_municipality_is_their_own(torsby: Any) -> None:
    rule = retention_pattern_create(actor=torsby.archivist, name="Egen", pattern="makuleras", action="dispose")
    assert rule.municipality == torsby.municipality


def test_admin_edits_a_grammar_rule(client: Any, torsby: Any) -> None:
    rule = retention_pattern_create(
        actor=torsby.archivist, name="Gammal", pattern="makuleras", action="dispose", trigger="created"
    )
    client.force_login(torsby.archivist)
    data = {"name": "Ny", "pattern": "kasseras", "lang": "sv", "action": "dispose", "trigger": "created"}
    response = client.post(
        f"/admin/records/retention-patterns/edit/{rule.pk}/", {**data, "align": "none", "priority": 150}
    )
    assert response.status_code == 302, response.context["form"].errors
    rule.refresh_from_db()
    assert (rule.name, rule.pattern) == ("Ny", "kasseras")
    assert RetentionPattern.objects.count() == 1


# -- the archivist's guide names only pages an archivist can reach -------------------------------------


def _menu(items: list[Any], path: tuple[str, ...] = ()) -> dict[tuple[str, ...], str]:
    found: dict[tuple[str, ...], str] = {}
    for item in items:
        kind, args = item["_type"], item["_args"]
        here = (*path, args[0]["label"])
        if kind == "wagtail.sidebar.SubMenuItem":
            found.update(_menu(args[1], here))
        elif kind == "wagtail.sidebar.LinkMenuItem":
            found[here] = args[0]["url"]
    return found


def test_every_menu_path_in_the_archivists_guide_is_in_the_archivists_menu(client: Any, torsby: Any) -> None:
    import re
    from pathlib import Path

    from django.conf import settings

    guide = (Path(settings.BASE_DIR) / "docs" / "user-guide" / "archivist.md").read_text(encoding="utf-8")
    bold = [" ".join(text.split()) for text in re.findall(r"\*\*(.+?)\*\*", guide, re.S)]
    paths = {tuple(p.strip() for p in text.split("→")) for text in bold if "→" in text}
    paths |= {("Import a retention plan",)}
    assert ("Records management", "Retention plans") in paths

    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(torsby.archivist)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(torsby.archivist)
    page = client.get("/admin/").content.decode()
    props = json.loads(re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', page, re.S).group(1))
    main = next(m for m in props["modules"] if m["_type"] == "wagtail.sidebar.MainMenuModule")
    menu = _menu(main["_args"][0])
    for path in paths:
        menu_path = path[:-1] if path[-1] == "Add" else path  # "Add": the button on the list page
        assert menu_path in menu, f"{' → '.join(path)} is not in the archivist's menu: {sorted(menu)}"
        assert client.get(menu[menu_path]).status_code == 200
