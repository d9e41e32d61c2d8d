"""Item 7 / acceptance 3: concurrent checkouts of one kit leave exactly one loan.

Two guards, each proved here: row locks (`select_for_update` on the kit and its devices) make a second checkout
wait and then find the kit lent; the partial unique constraint `loan_one_active_per_kit` refuses a second active
loan even when the locks are bypassed.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from insyn.loans.models import Device, DeviceStatus, Loan, LoanStatus
from insyn.loans.services import DeviceUnavailable, loan_checkout
from insyn.loans.tests.conftest import HANDOVER, ON, build_pitea, make_kit, make_official

THREADS = 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_checkouts_of_one_kit_leave_exactly_one_loan(monkeypatch: pytest.MonkeyPatch) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent connections need PostgreSQL (SQLite serialises every writer)")
    pitea = build_pitea()
    kit = make_kit(pitea.municipality, pitea.it)
    people = [
        make_official(pitea.municipality, [(pitea.bun, "ledamot")], given_name=f"Person{i}") for i in range(THREADS)
    ]
    barrier = threading.Barrier(THREADS, timeout=30)
    outcomes: list[Any] = [None] * THREADS
    # With the row locks, the losers wait for the winner and then see the loan: only one INSERT is ever tried.
    # (Without them the constraint still saves the day, but only after several INSERTs; that is the test below.)
    inserts: list[int] = []
    counting = threading.Lock()
    create = Loan.objects.create

    def counted_create(**kwargs: Any) -> Loan:
        with counting:
            inserts.append(kwargs["person"].pk)
        return create(**kwargs)

    monkeypatch.setattr(Loan.objects, "create", counted_create)

    def borrow(index: int) -> None:
        try:
            barrier.wait()
            outcomes[index] = loan_checkout(actor=pitea.it, kit=kit, person=people[index], handover=HANDOVER, on=ON)
        except Exception as exc:  # noqa: BLE001 - every outcome is inspected below
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=borrow, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a checkout hung (deadlock?)"

    loans = [o for o in outcomes if isinstance(o, Loan)]
    refused = [o for o in outcomes if isinstance(o, DeviceUnavailable)]
    assert len(loans) == 1, outcomes
    assert len(refused) == THREADS - 1, outcomes  # not IntegrityError, not a deadlock error
    assert list(Loan.objects.filter(kit=kit).values_list("pk", flat=True)) == [loans[0].pk]
    assert Loan.objects.get(kit=kit).person_id == loans[0].person_id
    assert set(Device.objects.filter(kit=kit).values_list("status", flat=True)) == {DeviceStatus.ON_LOAN}
    assert loans[0].receipts.count() == 1
    assert inserts == [loans[0].person_id], "the row locks should have kept the losers from trying to insert"


@pytest.mark.django_db
def test_database_refuses_a_second_active_loan_of_one_kit() -> None:
    pitea = build_pitea()
    kit = make_kit(pitea.municipality, pitea.it)
    first, second = (make_official(pitea.municipality, [(pitea.bun, "ledamot")]) for _ in range(2))
    row = {"kit": kit, "rule_set": pitea.rule_set, "checked_out_at": timezone.now(), "checked_out_by": pitea.it}
    Loan.objects.create(person=first, **row)

    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(person=second, **row)

    # The constraint is partial: returned and lost loans of the same kit do not count.
    Loan.objects.filter(kit=kit).update(status=LoanStatus.RETURNED, returned_at=timezone.now())
    Loan.objects.create(person=second, **row)
    Loan.objects.filter(kit=kit, person=second).update(status=LoanStatus.LOST)
    Loan.objects.create(person=first, **row)
    assert Loan.objects.filter(kit=kit).count() == 3
    assert Loan.objects.filter(kit=kit, status=LoanStatus.ACTIVE).count() == 1


@pytest.mark.django_db
def test_returned_loan_needs_a_return_time() -> None:
    pitea = build_pitea()
    kit = make_kit(pitea.municipality, pitea.it)
    person = make_official(pitea.municipality, [(pitea.bun, "ledamot")])

    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.create(
            kit=kit,
            person=person,
            rule_set=pitea.rule_set,
            checked_out_at=timezone.now(),
            checked_out_by=pitea.it,
            status=LoanStatus.RETURNED,
        )
