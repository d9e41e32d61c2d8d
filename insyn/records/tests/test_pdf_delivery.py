"""No request renders a plan's PDF (issue 8, item 6): stored → 200, else 202 + Retry-After, one render queued."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from insyn.core.tests.factories import make_municipality, make_user_with_role
from insyn.records import export
from insyn.records.services import plan_new_version
from insyn.records.tasks import render_plan_pdfs

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def _own_media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path  # no PDF stored by another test


def _queued(plan_id: int) -> list[Any]:
    backend: Any = render_plan_pdfs.get_backend()
    return [result for result in backend.results if result.kwargs.get("plan_id") == plan_id]


def _public(plan_id: int) -> str:
    return f"/plans/{plan_id}/pdf/"


def _api(plan_id: int) -> str:
    return f"/api/v1/records/plans/{plan_id}/export?format=pdf"


def _admin(plan_id: int) -> str:
    return f"/admin/records/plan/{plan_id}/export/pdf/"


@override_settings(TASKS=DUMMY)
def test_public_pdf_not_rendered_yet_answers_202_with_retry_after_and_queues_one_render(
    client: Any, torsby: Any
) -> None:
    response = client.get(_public(torsby.plan.pk))

    assert response.status_code == 202
    assert response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html")
    assert "no-store" in response["Cache-Control"]
    assert torsby.plan.title in response.text
    assert not export.stored_pdf(torsby.plan, "sv")
    [queued] = _queued(torsby.plan.pk)
    assert queued.kwargs == {"plan_id": torsby.plan.pk, "language": "sv"}

    # Asked again while the render waits for the worker: still 202, no second render queued.
    assert client.get(_public(torsby.plan.pk)).status_code == 202
    assert len(_queued(torsby.plan.pk)) == 1


@override_settings(TASKS=DUMMY)
def test_pending_page_is_in_the_users_language(client: Any, torsby: Any) -> None:
    english = client.get(_public(torsby.plan.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 202
    assert "The PDF is being prepared" in english.text
    # Each language is a file of its own: a second render is queued for it.
    assert [result.kwargs["language"] for result in _queued(torsby.plan.pk)] == ["en"]
    swedish = client.get(_public(torsby.plan.pk), HTTP_ACCEPT_LANGUAGE="sv")
    assert "PDF-filen håller på att tas fram" in swedish.text
    polish = client.get(_api(torsby.plan.pk), HTTP_ACCEPT_LANGUAGE="pl")
    assert polish.json()["message"].startswith("Plik PDF jest przygotowywany")


@override_settings(TASKS=DUMMY)
def test_stored_pdf_is_served_as_application_pdf_by_every_door(client: Any, torsby: Any) -> None:
    assert render_plan_pdfs.call(torsby.plan.pk, "sv") == 1

    public = client.get(_public(torsby.plan.pk))
    assert public.status_code == 200
    assert public["Content-Type"] == "application/pdf"
    assert public["Content-Disposition"].startswith("inline;")
    assert public.content.startswith(b"%PDF-")

    api = client.get(_api(torsby.plan.pk))
    assert api.status_code == 200
    assert api["Content-Type"] == "application/pdf"
    assert api.content == public.content

    client.force_login(torsby.archivist)
    admin = client.get(_admin(torsby.plan.pk))
    assert admin.status_code == 200
    assert admin["Content-Disposition"].startswith("attachment;")
    assert admin.content == public.content
    assert _queued(torsby.plan.pk) == []


@override_settings(TASKS=DUMMY)
def test_api_answers_202_with_its_error_shape_and_retry_after(client: Any, torsby: Any) -> None:
    response = client.get(_api(torsby.plan.pk), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 202
    assert response["Retry-After"] == "30"
    body = response.json()
    assert body["code"] == "pdf_pending"
    assert body["detail"] == {"retry_after": 30}
    assert "being prepared" in body["message"]
    assert len(_queued(torsby.plan.pk)) == 1


@override_settings(TASKS=DUMMY)
def test_admin_export_of_a_draft_is_rendered_in_the_background_too(client: Any, torsby: Any) -> None:
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    client.force_login(torsby.archivist)

    pending = client.get(_admin(draft.pk))
    assert pending.status_code == 202
    assert pending["Retry-After"] == "30"
    [queued] = _queued(draft.pk)

    assert render_plan_pdfs.call(**queued.kwargs) == 1
    served = client.get(_admin(draft.pk))
    assert served.status_code == 200
    assert served.content.startswith(b"%PDF-")


def test_a_changed_draft_gets_a_pdf_of_its_own(torsby: Any) -> None:
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)
    render_plan_pdfs.call(draft.pk, "sv")
    assert export.stored_pdf(draft, "sv") is not None

    row = draft.document_types.order_by("pk")[0]
    row.name = "Ändrad handlingstyp"
    row.save()
    assert export.stored_pdf(draft, "sv") is None


@override_settings(TASKS=DUMMY)
def test_drafts_and_other_municipalities_plans_are_refused_as_before(client: Any, torsby: Any) -> None:
    draft = plan_new_version(actor=torsby.archivist, plan=torsby.plan)

    assert client.get(_public(draft.pk)).status_code == 404
    assert client.get(_api(draft.pk)).status_code == 404
    assert client.get(_admin(torsby.plan.pk)).status_code in (302, 403)  # anonymous: to the login page

    stranger = make_user_with_role(make_municipality("Piteå kommun"), "archivist", username="pitea.arkivarie")
    client.force_login(stranger)
    assert client.get(_admin(draft.pk)).status_code == 404
    assert _queued(draft.pk) == []


@override_settings(TASKS=DATABASE)
def test_database_backend_queues_one_render_and_requeues_one_whose_worker_died(client: Any, torsby: Any) -> None:
    def renders() -> Any:
        return DBTaskResult.objects.filter(task_path=render_plan_pdfs.module_path)

    assert client.get(_public(torsby.plan.pk)).status_code == 202
    assert client.get(_public(torsby.plan.pk)).status_code == 202
    [row] = renders()
    assert row.status == TaskResultStatus.READY
    assert row.args_kwargs["kwargs"] == {"plan_id": torsby.plan.pk, "language": "sv"}

    # Picked up by a worker that is still working: nothing new.
    renders().update(status=TaskResultStatus.RUNNING, started_at=timezone.now())
    assert client.get(_public(torsby.plan.pk)).status_code == 202
    assert renders().count() == 1

    # Running for longer than a render can take: its worker was killed, so the render is queued again.
    renders().update(started_at=timezone.now() - export.RENDER_STALE_AFTER - dt.timedelta(minutes=1))
    assert client.get(_public(torsby.plan.pk)).status_code == 202
    assert renders().filter(status=TaskResultStatus.READY).count() == 1


def test_with_the_immediate_backend_the_first_request_gets_the_file(client: Any, torsby: Any) -> None:
    # Tests and a worker-less installation run tasks when queued: the render has happened by the answer.
    response = client.get(_public(torsby.plan.pk))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
