"""The DPO dashboard: activities per legal basis, open warnings, requests by deadline state, breaches by the
72-hour clock; counted within the actor's municipality only, and shown only to those with privacy rights."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from insyn.core.tests.factories import make_municipality, make_organ, make_user_with_role
from insyn.privacy.models import Breach, SubjectRequest
from insyn.privacy.selectors.dashboard import (
    breaches_by_clock,
    dashboard,
    open_warnings,
    requests_by_deadline,
    requests_by_month,
)
from insyn.privacy.services.register import activity_save
from insyn.privacy.tests.test_register_services import Sodertalje, activity, build

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)
NOW = timezone.make_aware(dt.datetime(2026, 3, 10, 12, 0))


@pytest.fixture
def s(db: Any) -> Sodertalje:
    return build()


def _request(controller: Any, reference: str, due_on: dt.date, **fields: Any) -> SubjectRequest:
    defaults: dict[str, Any] = {
        "kind": "access",
        "channel": "staff",
        "received_at": timezone.make_aware(dt.datetime.combine(due_on - dt.timedelta(days=30), dt.time(9))),
        "name": "Anna Andersson",
    }
    return SubjectRequest.objects.create(
        controller=controller, reference=reference, due_on=due_on, **{**defaults, **fields}
    )


def _breach(controller: Any, reference: str, hours_ago: float, now: dt.datetime = NOW, **fields: Any) -> Breach:
    return Breach.objects.create(
        controller=controller,
        reference=reference,
        title=f"Incident {reference}",
        description="Ett e-postmeddelande med personuppgifter skickades till fel mottagare.",
        discovered_at=now - dt.timedelta(hours=hours_ago),
        **fields,
    )


def _by_key(bars: list[Any]) -> dict[str, int]:
    return {bar.key: bar.count for bar in bars}


def test_requests_by_deadline_state_use_the_extended_date_and_skip_closed_ones(s: Sodertalje) -> None:
    _request(s.ks, "R-1", TODAY - dt.timedelta(days=1))  # overdue
    _request(s.ks, "R-2", TODAY)  # due today: due soon
    _request(s.ks, "R-3", TODAY + dt.timedelta(days=7))  # the last day of "due soon"
    _request(s.ks, "R-4", TODAY + dt.timedelta(days=8))  # on time
    # Overdue by its first date, but extended with a reason: counted by the extended date.
    _request(
        s.ks,
        "R-5",
        TODAY - dt.timedelta(days=3),
        extended_due_on=TODAY + dt.timedelta(days=40),
        extension_reason="Komplex begäran",
        extension_notified_on=TODAY - dt.timedelta(days=10),
    )
    _request(s.ks, "R-6", TODAY - dt.timedelta(days=20), status="completed")
    elsewhere = make_organ(make_municipality("Torsby kommun"), "Kommunstyrelsen")
    _request(elsewhere, "R-7", TODAY - dt.timedelta(days=1))
    assert _by_key(requests_by_deadline(actor=s.dpo, today=TODAY)) == {"on_time": 2, "due_soon": 2, "overdue": 1}


def test_requests_per_month_cover_twelve_months_with_empty_ones(s: Sodertalje) -> None:
    _request(s.ks, "R-1", TODAY, received_at=timezone.make_aware(dt.datetime(2026, 3, 2, 10)))
    _request(s.ks, "R-2", TODAY, received_at=timezone.make_aware(dt.datetime(2026, 3, 9, 10)))
    _request(s.ks, "R-3", TODAY, received_at=timezone.make_aware(dt.datetime(2025, 4, 30, 10)))
    _request(s.ks, "R-4", TODAY, received_at=timezone.make_aware(dt.datetime(2025, 3, 31, 10)))  # 13 months ago
    bars = requests_by_month(actor=s.dpo, today=TODAY)
    assert (bars[0].key, bars[-1].key) == ("2025-04", "2026-03")
    assert len(bars) == 12
    counts = _by_key(bars)
    assert counts["2026-03"] == 2 and counts["2025-04"] == 1 and counts["2025-12"] == 0


def test_breaches_by_the_72_hour_clock(s: Sodertalje) -> None:
    _breach(s.ks, "B-1", 10)  # running
    _breach(s.ks, "B-2", 80)  # 72 hours passed, not notified
    _breach(s.ks, "B-3", 100, authority_notified_at=NOW - dt.timedelta(hours=40))  # after 60 h: in time
    _breach(s.ks, "B-4", 100, authority_notified_at=NOW - dt.timedelta(hours=10))  # after 90 h: late
    _breach(s.ks, "B-5", 100, authority_not_notified_reason="Krypterad bärbar dator, ingen risk")
    _breach(s.ks, "B-6", 10, status="closed")
    _breach(make_organ(make_municipality("Torsby kommun"), "Kommunstyrelsen"), "B-7", 10)
    total, bars, running = breaches_by_clock(actor=s.dpo, now=NOW)
    assert total == 5
    assert _by_key(bars) == {"running": 1, "clock_overdue": 1, "in_time": 1, "late": 1, "not_notifiable": 1}
    assert [(row["breach"].reference, row["hours_left"]) for row in running] == [("B-1", 62)]


def test_activities_per_legal_basis_and_open_warnings(s: Sodertalje) -> None:
    activity_save(actor=s.contact, register=s.register, data=activity())
    activity_save(
        actor=s.contact,
        register=s.register,
        data=activity(
            name="Passerkort",
            legal_bases=[{"article": "6.1.b", "reference": ""}, {"article": "6.1.f", "reference": ""}],
        ),
    )
    data = dashboard(actor=s.dpo, today=TODAY, now=NOW)
    bases = _by_key(data.legal_bases)
    assert data.activities == 2
    assert (bases["6.1.e"], bases["6.1.b"], bases["6.1.f"], bases["6.1.a"]) == (1, 1, 1, 0)
    warnings = _by_key(open_warnings(actor=s.dpo))
    assert warnings["art6f_public_authority"] == 1


def test_panel_shows_the_figures_as_text_and_a_table(s: Sodertalje) -> None:
    activity_save(actor=s.contact, register=s.register, data=activity())
    _request(s.ks, "R-1", timezone.localdate() - dt.timedelta(days=2))
    _breach(s.ks, "B-1", 1, now=timezone.now())
    client = Client()
    client.force_login(s.dpo)
    with translation.override("en"):
        body = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for section in ("privacy-legal-bases", "privacy-warnings", "privacy-requests", "privacy-breaches"):
        assert f'id="{section}"' in body, section
    legal_bases = body.split('id="privacy-legal-bases"')[1].split("</section>")[0]
    assert "<caption>" in legal_bases and '<th scope="row">' in legal_bases
    assert "B-1" in body  # the running clock is listed with its time left


def test_panel_is_only_for_privacy_roles_and_counts_only_their_municipality(s: Sodertalje) -> None:
    archivist = make_user_with_role(s.municipality, "archivist")
    client = Client()
    client.force_login(archivist)
    assert 'id="privacy-legal-bases"' not in client.get("/admin/").content.decode()
    client.force_login(s.contact)  # a controller contact holds the privacy read rights
    assert 'id="privacy-legal-bases"' in client.get("/admin/").content.decode()
    torsby = make_municipality("Torsby kommun")
    outsider = make_user_with_role(torsby, "dpo")
    _request(s.ks, "R-1", TODAY - dt.timedelta(days=2))
    activity_save(actor=s.contact, register=s.register, data=activity())
    data = dashboard(actor=outsider, today=TODAY, now=NOW)
    assert data.activities == 0 and sum(bar.count for bar in data.requests) == 0
    assert open_warnings(actor=outsider) == []
