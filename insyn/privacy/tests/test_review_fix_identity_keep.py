"""Review findings 3 (hidden rule), 5 and 10(c): what must stay hidden or kept.

- A protected-identity request's contact fields are hidden from a DPO who may search but may not open it.
- The daily disposal keeps requests with an unlifted restriction and those of a plan that retains them,
  audits every child row it deletes, and removes extract files only after the commit.
- Erasing an official needs `privacy.erase_subject_data`, not the right to edit officials.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.utils import timezone

from insyn.core.exceptions import PermissionDeniedError
from insyn.core.models import Organisation
from insyn.core.models.audit import AuditEntry
from insyn.core.permissions import SYSTEM
from insyn.core.personal_data import hidden_fields
from insyn.core.tests.factories import make_user_with_role
from insyn.loans.tests.conftest import build_pitea, make_official
from insyn.officials.services import person_erase
from insyn.privacy.models import (
    ErasureItem,
    ProcessingActivity,
    ProcessingRestriction,
    Register,
    SubjectExtract,
    SubjectRequest,
)
from insyn.privacy.services.request_deadlines import REQUEST_ACTIVITY_NAME, requests_dispose_due
from insyn.privacy.services.requests import request_submit_public
from insyn.privacy.subject_search import SubjectQuery, subject_search
from insyn.privacy.tests.test_erasure import _plan

TODAY = dt.date(2026, 6, 1)
HIDDEN = {"postal_address", "email", "phone", "other_names", "description"}


@pytest.fixture
def pitea(db: Any, settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    pitea = build_pitea()
    Organisation.objects.filter(pk__in=[pitea.ks.pk, pitea.bun.pk]).update(is_controller=True)
    pitea.ks.refresh_from_db()
    pitea.bun.refresh_from_db()
    return pitea


def test_protected_request_fields_are_hidden_from_a_dpo_who_may_not_open_it(pitea) -> None:
    request, _key = request_submit_public(
        actor=AnonymousUser(),
        controller=pitea.ks,
        kind="access",
        name="Skyddad Person",
        email="skyddad@example.org",
        phone="070-333 33 33",
        postal_address="Hemlig väg 1, 941 00 Piteå",
        description="Jag har skyddad identitet.",
        protected_identity=True,
    )
    # A DPO of the school board may search the municipality but may not handle Kommunstyrelsen's cases.
    board_dpo = make_user_with_role(pitea.bun, "dpo", username="dpo.bun")
    head_dpo = make_user_with_role(pitea.municipality, "dpo", username="dpo.pitea")
    assert hidden_fields(board_dpo, request) >= HIDDEN
    assert not hidden_fields(head_dpo, request) & HIDDEN

    result = subject_search(
        actor=board_dpo,
        municipality_id=pitea.municipality.pk,
        query=SubjectQuery(emails=("skyddad@example.org",)),
        audit=False,
    )
    [hit] = [h for h in result.hits if h.model_label == "privacy.subjectrequest"]
    assert "Hemlig" not in str(hit.fields) and "070-333" not in str(hit.fields)
    assert "skyddad@example.org" not in str(hit.fields)


def _closed(pitea: Any, reference: str, **kwargs: Any) -> SubjectRequest:
    return SubjectRequest.objects.create(
        controller=pitea.ks,
        reference=reference,
        kind="erasure",
        channel="staff",
        received_at=timezone.now() - dt.timedelta(days=800),
        due_on=TODAY - dt.timedelta(days=700),
        name="Anna",
        status="completed",
        dispose_after=TODAY - dt.timedelta(days=1),
        **kwargs,
    )


def _restriction(request: SubjectRequest, lifted: bool) -> ProcessingRestriction:
    return ProcessingRestriction.objects.create(
        request=request,
        model_label="officials.person",
        object_id="1",
        object_label="Anna",
        lifted_at=timezone.now() if lifted else None,
    )


def test_disposal_keeps_unlifted_restrictions_and_audits_each_child_row(
    pitea, django_capture_on_commit_callbacks
) -> None:
    restricted = _closed(pitea, "DSR-R-1")
    _restriction(restricted, lifted=False)
    done = _closed(pitea, "DSR-D-1")
    lifted = _restriction(done, lifted=True)
    item = ErasureItem.objects.create(
        request=done, model_label="officials.person", object_id="1", object_label="Anna", outcome="erased"
    )
    extract = SubjectExtract(request=done, controller=pitea.ks, format="json")
    extract.file.save("extract.json", ContentFile(b"{}"), save=True)
    storage, name = extract.file.storage, extract.file.name

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert requests_dispose_due(actor=SYSTEM, today=TODAY) == 1
    assert storage.exists(name)  # not before the commit: a rollback would leave an extract without its file
    for callback in callbacks:
        callback()
    assert not storage.exists(name)

    assert SubjectRequest.objects.filter(pk=restricted.pk).exists()
    assert restricted.restrictions.filter(lifted_at__isnull=True).exists()
    assert not SubjectRequest.objects.filter(pk=done.pk).exists()
    deleted = set(AuditEntry.objects.filter(action="delete").values_list("object_type", "object_id"))
    assert {
        ("privacy.subjectrequest", str(done.pk)),
        ("privacy.erasureitem", str(item.pk)),
        ("privacy.processingrestriction", str(lifted.pk)),
        ("privacy.subjectextract", str(extract.pk)),
    } <= deleted


def test_disposal_keeps_requests_when_the_plan_row_retains_them(pitea) -> None:
    rows = _plan(pitea.ks)  # "Protokoll" retained, "Kvittenser" disposed of after P2Y
    register = Register.objects.create(controller=pitea.ks, title="Registerförteckning Kommunstyrelsen")
    activity = ProcessingActivity.objects.create(register=register, name=REQUEST_ACTIVITY_NAME, purposes=["Svara"])
    activity.document_types.set([rows["Protokoll"], rows["Kvittenser utlämnad utrustning"]])
    request = _closed(pitea, "DSR-K-1")
    assert requests_dispose_due(actor=SYSTEM, today=TODAY) == 0
    assert SubjectRequest.objects.filter(pk=request.pk).exists()


def test_person_erase_needs_the_erase_permission_not_the_officials_edit_right(pitea) -> None:
    person = make_official(pitea.municipality, given_name="Maria")
    secretary = make_user_with_role(pitea.municipality, "secretary", username="sekreterare")
    # The secretary role may edit officials (officials.change_person) but not erase subject data.
    with pytest.raises(PermissionDeniedError):
        person_erase(actor=secretary, person=person, fields=["email"])
    person.refresh_from_db()
    assert person.email
    assert person_erase(actor=SYSTEM, person=person, fields=["email"]) == ["email"]
