"""Review finding 9: breach references were numbered per country and year across all municipalities (each saw
the others' counts), and two reports at once took the same number (a unique-constraint 500)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from django.db import connection, connections, transaction

from insyn.core.actor import SYSTEM
from insyn.core.tests.factories import make_municipality, make_organ
from insyn.privacy.models import Breach
from insyn.privacy.services.breaches import breach_report

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _locmem_mail(settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _report(controller: Any, title: str) -> Breach:
    return breach_report(actor=SYSTEM, controller=controller, title=title, discovered_at=T0, description="Lost USB.")


@pytest.mark.django_db
def test_a_municipalitys_references_do_not_count_another_municipalitys_breaches() -> None:
    habo = make_municipality("Habo kommun")
    haabo = make_municipality("Håbo kommun")
    habo_ks, haabo_ks = make_organ(habo), make_organ(haabo)
    first, second = _report(habo_ks, "Lost USB stick"), _report(habo_ks, "E-mail to the wrong person")
    other = _report(haabo_ks, "Stolen laptop")
    assert (first.reference, second.reference) == (f"PUI-{habo.pk}-2026-0001", f"PUI-{habo.pk}-2026-0002")
    # Håbo's first breach is its 0001, whatever Habo has had, and is still a unique reference.
    assert other.reference == f"PUI-{haabo.pk}-2026-0001"
    assert Breach.objects.filter(reference__endswith="-2026-0001").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_reports_at_the_same_time_get_two_numbers() -> None:
    # SQLite (the test default) takes a write lock at BEGIN (transaction_mode IMMEDIATE): reports cannot
    # overlap there. The race needs a database with row-level concurrency; run with a PostgreSQL DATABASE_URL.
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so two reports cannot race")
    municipality = make_municipality("Piteå kommun")
    ks = make_organ(municipality)
    outcome: dict[str, Any] = {}

    def second_report() -> None:
        try:
            outcome["breach"] = _report(ks, "Second report")
        except Exception as error:  # noqa: BLE001 (the test reports what the other request would have got)
            outcome["error"] = error
        finally:
            connections.close_all()

    with transaction.atomic():
        first = _report(ks, "First report")  # uncommitted: 0001 is not visible to the other report
        other = threading.Thread(target=second_report)
        other.start()
        time.sleep(1.5)  # the other report reads no 0001, takes it, and waits on the unique index for this one
    other.join(timeout=30)
    assert "error" not in outcome, outcome.get("error")
    assert first.reference == f"PUI-{municipality.pk}-2026-0001"
    assert outcome["breach"].reference == f"PUI-{municipality.pk}-2026-0002"
