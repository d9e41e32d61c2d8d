"""The breach register (issue 10, item 11): the 72-hour clock, the DPO's e-mails, the reasons the law asks for,
the same 404 for another municipality, and no way to delete a breach."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from wagtail.models import APIToken

from insyn.core.exceptions import NotFoundError, PermissionDeniedError, ValidationFailed
from insyn.core.models.audit import AuditEntry
from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
from insyn.privacy.models import Breach, Register
from insyn.privacy.selectors import breaches as selectors
from insyn.privacy.services import breaches as services
from insyn.privacy.tasks import breach_clock_hourly

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _locmem_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    pitea = make_municipality("Piteå kommun")
    ks = make_organ(pitea)
    Register.objects.create(controller=ks, title="Registerförteckning", dpo_email="dataskydd@pitea.example")
    dpo = make_user_with_role(pitea, "dpo", username="dpo.pitea", email="dpo@pitea.example")
    contact = make_user_with_role(ks, "privacy_contact", username="kontakt.ks", email="kontakt@pitea.example")
    krakow = make_municipality("Kraków", country="PL")
    krakow_board = make_organ(krakow, "Rada Miasta", "kommunfullmaktige")
    krakow_dpo = make_user_with_role(krakow, "dpo", username="iod.krakow", email="iod@krakow.example")
    return {
        "pitea": pitea,
        "ks": ks,
        "dpo": dpo,
        "contact": contact,
        "krakow": krakow,
        "krakow_board": krakow_board,
        "krakow_dpo": krakow_dpo,
    }


def _report(world: dict[str, Any], capture: Any, **kwargs: Any) -> Breach:
    data = {
        "title": "Protokollsbilaga med personnummer publicerad",
        "discovered_at": T0,
        "description": "En bilaga med personnummer låg på webben i två dagar.",
        **kwargs,
    }
    with capture(execute=True):
        return services.breach_report(actor=world["contact"], controller=world["ks"], **data)


def test_clock_counts_72_hours_from_discovery(world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    breach = _report(world, django_capture_on_commit_callbacks)
    assert selectors.clock(breach, T0).deadline == T0 + dt.timedelta(hours=72)
    assert selectors.clock(breach, T0 + dt.timedelta(hours=10)).state == selectors.RUNNING
    assert selectors.clock(breach, T0 + dt.timedelta(hours=48)).state == selectors.DUE_SOON_STATE
    late = selectors.clock(breach, T0 + dt.timedelta(hours=73, minutes=30))
    assert late.state == selectors.OVERDUE and late.remaining_seconds == -90 * 60
    with translation.override("en"):
        assert late.label == "1 h 30 min overdue"
        assert selectors.clock(breach, T0 + dt.timedelta(hours=70)).label == "2 h 00 min left"


def test_authority_follows_the_controllers_country(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    swedish = _report(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        polish = services.breach_report(
            actor=world["krakow_dpo"],
            controller=world["krakow_board"],
            title="Utrata pendrive",
            discovered_at=T0,
            description="Zgubiony nośnik z listą mieszkańców.",
        )
    assert (swedish.authority, polish.authority) == ("IMY", "UODO")
    # Numbered per municipality (its pk in the reference): no municipality learns another's count.
    assert swedish.reference == f"PUI-{world['pitea'].pk}-2026-0001"
    assert polish.reference == f"NODO-{world['krakow'].pk}-2026-0001"


@pytest.mark.usefixtures("english")
def test_dpo_is_mailed_at_discovery_and_at_48_hours_exactly_once(
    world: dict[str, Any], mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    breach = _report(world, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    assert set(mailoutbox[0].to) == {"dataskydd@pitea.example", "dpo@pitea.example"}
    assert breach.reference in mailoutbox[0].subject

    assert services.breach_reminders(actor=world["dpo"], now=T0 + dt.timedelta(hours=47, minutes=59)) == 0
    assert services.breach_reminders(actor=world["dpo"], now=T0 + dt.timedelta(hours=48)) == 1
    assert services.breach_reminders(actor=world["dpo"], now=T0 + dt.timedelta(hours=49)) == 0
    assert len(mailoutbox) == 2
    assert "48" in mailoutbox[1].subject and "IMY" in mailoutbox[1].subject
    assert "24 hours remain" in mailoutbox[1].body


def test_no_48_hour_mail_once_the_authority_is_notified(
    world: dict[str, Any], mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    breach = _report(world, django_capture_on_commit_callbacks, discovered_at=timezone.now() - dt.timedelta(hours=30))
    services.breach_notify_authority(actor=world["dpo"], breach=breach, notified_at=timezone.now())
    assert services.breach_reminders(actor=world["dpo"], now=timezone.now() + dt.timedelta(hours=20)) == 0
    assert len(mailoutbox) == 1


def test_hourly_task_sends_a_missed_discovery_mail(world: dict[str, Any], mailoutbox: list[Any]) -> None:
    # Without running the after-commit callback the discovery mail is still owed: the hourly run sends it.
    services.breach_report(
        actor=world["contact"],
        controller=world["ks"],
        title="Fel mottagare",
        discovered_at=timezone.now(),
        description="E-post till fel nämnd.",
    )
    assert breach_clock_hourly.call() == 1
    assert breach_clock_hourly.call() == 0
    assert len(mailoutbox) == 1


def test_late_notification_needs_the_reasons(world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    breach = _report(world, django_capture_on_commit_callbacks)
    late = T0 + dt.timedelta(hours=80)
    with translation.override("en"), pytest.raises(ValidationFailed, match="later than 72 hours"):
        services.breach_notify_authority(actor=world["dpo"], breach=breach, notified_at=late)
    notified = services.breach_notify_authority(
        actor=world["dpo"], breach=breach, notified_at=late, late_reason="Upptäckt under helg; IT utredde omfattning."
    )
    assert notified.late_reason and selectors.clock(notified, late).state == selectors.NOTIFIED_LATE


def test_not_notifying_subjects_needs_reasons_in_service_and_database(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    breach = _report(world, django_capture_on_commit_callbacks)
    with translation.override("en"), pytest.raises(ValidationFailed, match="reasons for not notifying"):
        services.breach_decide_subjects(actor=world["dpo"], breach=breach, notify=False, reason="  ")
    decided = services.breach_decide_subjects(
        actor=world["dpo"], breach=breach, notify=False, reason="Uppgifterna var krypterade (art. 34.3 a)."
    )
    assert decided.subject_notification == "not_notified"
    with pytest.raises(IntegrityError), transaction.atomic():
        Breach.objects.filter(pk=breach.pk).update(subject_notification_reason="")


def test_close_needs_assessment_and_both_decisions(
    world: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    breach = _report(world, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationFailed) as refused:
        services.breach_close(actor=world["dpo"], breach=breach)
    assert set(refused.value.detail["missing"]) == {"risk", "authority", "subject_notification"}
    services.breach_assess(
        actor=world["dpo"], breach=breach, risk="unlikely", risk_assessment="Krypterat", measures="Ny rutin"
    )
    services.breach_notify_authority(actor=world["dpo"], breach=breach, not_notified_reason="Osannolik risk: krypterat")
    services.breach_decide_subjects(actor=world["dpo"], breach=breach, notify=False, reason="Krypterat")
    closed = services.breach_close(actor=world["dpo"], breach=breach)
    assert closed.status == "closed"
    assert AuditEntry.objects.filter(object_type="privacy.breach", object_id=str(breach.pk)).count() >= 5


def test_another_municipality_sees_a_404_everywhere(
    world: dict[str, Any], client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    breach = _report(world, django_capture_on_commit_callbacks)
    stranger = world["krakow_dpo"]
    with pytest.raises(NotFoundError):
        selectors.access_breach(actor=stranger, pk=breach.pk)
    with pytest.raises(PermissionDeniedError):
        services.breach_assess(actor=stranger, breach=breach, risk="high", risk_assessment="x")
    assert breach not in selectors.breaches(actor=stranger)

    client.force_login(stranger)
    assert client.get(reverse("privacy_breach_detail", args=[breach.pk])).status_code == 404
    assert client.get(reverse("privacy_breach_detail", args=[breach.pk + 999])).status_code == 404
    token = {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=stranger, name='t')[1]}"}
    assert client.get(f"/api/v1/privacy/breaches/{breach.pk}", **token).status_code == 404
    listed = client.get("/api/v1/privacy/breaches", **token)
    assert listed.status_code == 200 and breach.reference not in listed.content.decode()


def test_admin_page_shows_the_countdown_in_the_html(
    world: dict[str, Any], client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    breach = _report(world, django_capture_on_commit_callbacks, discovered_at=timezone.now() - dt.timedelta(hours=2))
    client.force_login(world["dpo"])
    with translation.override("en"):
        page = client.get(reverse("privacy_breach_detail", args=[breach.pk]), HTTP_ACCEPT_LANGUAGE="en")
        listing = client.get(reverse("privacy_breach_list"), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200 and 'role="timer"' in html
    assert "h " in html and ("69 h" in html or "70 h" in html)
    assert listing.status_code == 200 and breach.reference in listing.content.decode()


def test_breaches_are_never_deleted(
    world: dict[str, Any], client: Any, django_capture_on_commit_callbacks: Any
) -> None:
    breach = _report(world, django_capture_on_commit_callbacks)
    assert not [name for name in dir(services) if "delete" in name]
    with pytest.raises(NoReverseMatch):
        reverse("privacy_breach_delete", args=[breach.pk])
    token = {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=world['dpo'], name='t')[1]}"}
    assert client.delete(f"/api/v1/privacy/breaches/{breach.pk}", **token).status_code == 405
    assert Breach.objects.filter(pk=breach.pk).exists()


def test_api_reports_and_assesses(world: dict[str, Any], client: Any, mailoutbox: list[Any]) -> None:
    token = {"HTTP_AUTHORIZATION": f"Bearer {APIToken.create_token(user=world['dpo'], name='t')[1]}"}
    body = {
        "controller_id": world["ks"].pk,
        "title": "Stulen dator",
        "discovered_at": (timezone.now() - dt.timedelta(hours=1)).isoformat(),
        "description": "Dator med ärendelistor stulen ur bil.",
    }
    made = client.post("/api/v1/privacy/breaches", json.dumps(body), content_type="application/json", **token)
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["authority"] == "IMY" and data["clock"]["state"] == "running"
    assessed = client.post(
        f"/api/v1/privacy/breaches/{data['id']}/assess",
        json.dumps({"risk": "high", "risk_assessment": "Okrypterad disk"}),
        content_type="application/json",
        **token,
    )
    assert assessed.status_code == 200 and assessed.json()["risk"] == "high"


def test_cli_reports_lists_and_notifies(world: dict[str, Any], django_capture_on_commit_callbacks: Any) -> None:
    out = StringIO()
    discovered = (timezone.now() - dt.timedelta(hours=3)).replace(microsecond=0).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "privacy", "breaches", "report", "--controller", "Piteå kommun/Kommunstyrelsen",
            "--title", "Fel bilaga", "--discovered-at", discovered, "--description", "Bilaga till fel mottagare",
            "--user", world["contact"].username, stdout=out,
        )  # fmt: skip
    reported = json.loads(out.getvalue())
    assert reported["authority"] == "IMY" and reported["clock"] == "running"
    out = StringIO()
    call_command(
        "privacy", "breaches", "notify-authority", "--breach", reported["reference"],
        "--notified-at", timezone.now().replace(microsecond=0).isoformat(), "--user", world["dpo"].username, stdout=out,
    )  # fmt: skip
    assert json.loads(out.getvalue())["clock"] == "notified"
    out = StringIO()
    call_command("privacy", "breaches", "list", "--user", world["krakow_dpo"].username, stdout=out)
    assert json.loads(out.getvalue()) == []
