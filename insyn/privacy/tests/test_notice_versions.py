"""Notice versions: drafts from the register, the DPO's approval, kept versions with a diff, and the receivers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from insyn.core.actor import SYSTEM
from insyn.core.events import send_after_commit
from insyn.core.exceptions import PermissionDeniedError
from insyn.core.models import AuditEntry
from insyn.core.tests.factories import make_user_with_role
from insyn.privacy import signals
from insyn.privacy.exceptions import ApprovalRefused
from insyn.privacy.models import Notice, NoticeStatus, NoticeVersion
from insyn.privacy.notice_builder import content_diff
from insyn.privacy.services.notices import notice_discard, notice_generate, notice_publish, notice_set_texts
from insyn.privacy.tests.test_notice_pitea import NOTICE_TITLE, Pitea, make_pitea_register
from insyn.records.retention_display import retention_words
from insyn.records.services.document_types import document_type_update
from insyn.records.services.plans import plan_adopt, plan_new_version


@pytest.fixture
def pitea(db: Any) -> Pitea:
    return make_pitea_register()


def _draft(pitea: Pitea) -> NoticeVersion:
    version = notice_generate(actor=SYSTEM, controller=pitea.board, subject_category=pitea.official)
    assert version is not None
    return version


def test_regeneration_from_an_unchanged_register_is_a_no_op(pitea: Pitea) -> None:
    draft = _draft(pitea)
    assert notice_generate(actor=SYSTEM, controller=pitea.board, subject_category=pitea.official) is None
    notice_publish(actor=pitea.dpo, version=draft)
    assert notice_generate(actor=SYSTEM, controller=pitea.board, subject_category=pitea.official) is None
    assert NoticeVersion.objects.filter(notice=draft.notice).count() == 1


def test_a_register_change_makes_a_new_draft_and_the_published_version_is_kept_with_a_diff(pitea: Pitea) -> None:
    first = notice_publish(actor=pitea.dpo, version=_draft(pitea))
    activity = pitea.activities[2]
    activity.purposes = [*activity.purposes, "Logga inloggningar"]
    activity.save()
    second = _draft(pitea)
    assert (second.number, second.status) == (2, NoticeStatus.DRAFT)
    first.refresh_from_db()
    assert first.status == NoticeStatus.PUBLISHED  # the public still sees v1 until the DPO approves v2
    changes = content_diff(first.content["sv"], second.content["sv"])
    assert changes == [
        {
            "section": "Hantera behörigheter till system",
            "row": "Ändamål",
            "before": "Tilldela och hantera behörigheter till system\nSpåra användaraktiviteter i system",
            "after": "Tilldela och hantera behörigheter till system\nSpåra användaraktiviteter i system\n"
            "Logga inloggningar",
        }
    ]
    notice_publish(actor=pitea.dpo, version=second)
    first.refresh_from_db()
    assert first.status == NoticeStatus.SUPERSEDED and first.content["sv"]["sections"]  # kept, unchanged


def test_only_the_dpo_publishes_and_only_a_draft(pitea: Pitea) -> None:
    draft = _draft(pitea)
    contact = make_user_with_role(pitea.board, "privacy_contact", username="kontakt.pitea")
    with pytest.raises(PermissionDeniedError):
        notice_publish(actor=contact, version=draft)
    published = notice_publish(actor=pitea.dpo, version=draft)
    assert published.approved_by == pitea.dpo and published.published_at is not None
    with translation.override("en"), pytest.raises(ApprovalRefused, match="Only a draft can be published"):
        notice_publish(actor=pitea.dpo, version=published)
    assert AuditEntry.objects.filter(object_type="privacy.noticeversion", changes__status=["draft", "published"])


def test_another_municipalitys_dpo_cannot_publish(pitea: Pitea) -> None:
    other = make_pitea_register("Luleå kommun")
    with pytest.raises(PermissionDeniedError):
        notice_publish(actor=other.dpo, version=_draft(pitea))


def test_a_discarded_draft_is_made_again_by_the_next_change(pitea: Pitea) -> None:
    draft = notice_discard(actor=pitea.dpo, version=_draft(pitea))
    assert draft.status == NoticeStatus.DISCARDED
    pitea.activities[0].purposes = ["Skriva protokoll"]
    pitea.activities[0].save()
    assert _draft(pitea).number == 2


def test_the_dpos_title_goes_into_the_draft(pitea: Pitea) -> None:
    notice = _draft(pitea).notice
    draft = notice_set_texts(actor=pitea.dpo, notice=notice, titles={"sv": NOTICE_TITLE}, intros={})
    assert draft is not None and draft.number == 1
    assert draft.content["sv"]["title"] == NOTICE_TITLE
    assert draft.content["en"]["title"] == "Information to elected official about the processing of personal data"


def test_register_changed_makes_a_draft_after_commit(pitea: Pitea, django_capture_on_commit_callbacks: Any) -> None:
    notice_publish(actor=pitea.dpo, version=_draft(pitea))
    pitea.activities[1].legal_basis_text = "Samtycke."
    pitea.activities[1].save()
    with django_capture_on_commit_callbacks(execute=True):
        send_after_commit(
            signals.register_changed,
            sender=None,
            register_id=pitea.register.pk,
            controller_id=pitea.board.pk,
            actor=None,
        )
    notice = Notice.objects.get(controller=pitea.board)
    assert list(notice.versions.values_list("number", "status")) == [(2, "draft"), (1, "published")]


def test_an_adopted_plan_version_remakes_the_notices_that_link_its_rows(
    pitea: Pitea, django_capture_on_commit_callbacks: Any
) -> None:
    notice_publish(actor=pitea.dpo, version=_draft(pitea))
    linked = pitea.plan_rows[0]
    archivist = make_user_with_role(pitea.municipality, "archivist", username="arkivarie.pitea")
    with django_capture_on_commit_callbacks(execute=True):
        draft_plan = plan_new_version(actor=archivist, plan=linked.plan)
        copy = draft_plan.document_types.get(name=linked.name)
        document_type_update(actor=archivist, document_type=copy, action="dispose", period="P10Y", trigger="created")
        plan_adopt(
            actor=archivist,
            plan=draft_plan,
            adopted_by="Kommunstyrelsen",
            adopted_on=dt.date(2025, 3, 3),
            paragraph="§ 41",
            version="2.0",
            unclear_confirmations={
                row.pk: "Se anmärkning" for row in draft_plan.document_types.filter(action="unclear")
            },
        )
    notice = Notice.objects.get(controller=pitea.board)
    draft = notice.versions.get(status="draft")
    gallras = {r["seed_label"]: r for r in draft.content["sv"]["sections"][0]["rows"]}["Gallras"]
    copy.refresh_from_db()
    with translation.override("sv"):
        assert gallras["items"][0].startswith(f"{linked.name}: {retention_words(copy)} (")
    assert "2025-03-03 § 41" in gallras["items"][0]
    assert notice.versions.get(status="published").number == 1  # the public reads v1 until the DPO approves
