"""Demo: Piteå kommun's elected officials and the equipment lent to them under 22KS572 (seed 002).

About 40 officials, with the cases the instruction distinguishes: valnämnd-only
members, external members of a samverkansråd, chairs, a person with protected
identity and a term that ended last month; 30 tablets, 3 computers, kits and
loans in every state. The people and numbers are invented (valid test
personnummer are computed), the rules are the instruction's.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from insyn.core.actor import Actor
from insyn.core.models import GoverningDocument, Organisation
from insyn.loans.eligibility import PITEA_22KS572_V1
from insyn.loans.models import Device, Kit, Loan, LoanRuleSet, LoanStatus
from insyn.loans.services import (
    broadband_request,
    device_create,
    incident_report,
    kit_create,
    loan_checkout,
    loan_request_return,
    loan_return,
)
from insyn.officials.models import Person
from insyn.officials.services import membership_create, person_create

GIVEN = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Johan",
    "Eva",
    "Anders",
    "Sara",
    "Per",
    "Lena",
    "Mikael",
    "Emma",
    "Nils",
    "Ingrid",
    "Olof",
    "Elin",
    "Gustav",
    "Frida",
    "Henrik",
]
FAMILY = [
    "Lindberg",
    "Nilsson",
    "Öberg",
    "Lundström",
    "Holmgren",
    "Åström",
    "Burman",
    "Sandström",
    "Wikström",
    "Nordlund",
    "Bergqvist",
    "Granström",
]
PARTIES = ["S", "M", "C", "V", "KD", "L", "SD", "MP", "SPI"]


def _luhn(digits: str) -> int:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return (10 - total % 10) % 10


def fake_personnummer(rng: random.Random) -> str:
    year = rng.randint(1950, 2000)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    serial = rng.randint(100, 999)
    short = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
    return f"{year}{month:02d}{day:02d}-{serial:03d}{_luhn(short)}"


def load_demo(*, actor: Actor) -> dict[str, Any]:
    pitea = Organisation.objects.filter(parent=None, name="Piteå kommun").first()
    if pitea is None or Person.objects.filter(municipality=pitea).exists():
        return {}
    today = timezone.localdate()
    rng = random.Random(22572)  # noqa: S311 - invented demo data, reproducible on purpose
    organs = {o.name: o for o in Organisation.objects.filter(municipality=pitea, kind="organ")}
    instruction = GoverningDocument.objects.get(organisation__municipality=pitea, registration_number="22KS572")
    LoanRuleSet.objects.get_or_create(
        document=instruction,
        version="1",
        defaults={"valid_from": dt.date(2022, 9, 30), "valid_until": dt.date(2026, 12, 31), "rules": PITEA_22KS572_V1},
    )
    term_start = dt.date(2023, 1, 1)
    people: list[Person] = []

    def person(**extra: Any) -> Person:
        index = len(people)
        created = person_create(
            actor=actor,
            municipality=pitea,
            external_id=f"pitea-{index + 1:03d}",
            given_name=GIVEN[index % len(GIVEN)],
            family_name=FAMILY[(index * 7) % len(FAMILY)],
            national_id=fake_personnummer(rng),
            email=f"politiker{index + 1}@example.org",
            party=PARTIES[index % len(PARTIES)],
            **extra,
        )
        people.append(created)
        return created

    seats = [
        ("Kommunfullmäktige", "ordforande"),
        ("Kommunstyrelsen", "ordforande"),
        ("Barn- och utbildningsnämnden", "ordforande"),
        ("Socialnämnden", "ordforande"),
        ("Piteå kommunföretag AB", "ordforande"),
    ]
    for organ, role in seats:
        membership_create(
            actor=actor, person=person(title="Ordförande"), organisation=organs[organ], role=role, start_date=term_start
        )
    for organ in ("Kommunfullmäktige", "Kommunstyrelsen", "Barn- och utbildningsnämnden", "Socialnämnden"):
        for role in ("ledamot", "ledamot", "ledamot", "ersattare", "ersattare"):
            membership_create(
                actor=actor, person=person(), organisation=organs[organ], role=role, start_date=term_start
            )
    for role in ("ledamot", "ersattare", "ledamot"):  # valnämnd only: no right to borrow
        membership_create(
            actor=actor, person=person(), organisation=organs["Valnämnden"], role=role, start_date=term_start
        )
    both = person()  # valnämnd and a substitute in a nämnd: eligible through the nämnd
    membership_create(
        actor=actor, person=both, organisation=organs["Valnämnden"], role="ledamot", start_date=term_start
    )
    membership_create(
        actor=actor, person=both, organisation=organs["Socialnämnden"], role="ersattare", start_date=term_start
    )
    for organ in ("Kommunala pensionärsrådet", "Brukarrådet för funktionshinderfrågor"):  # external members
        for _ in range(2):
            membership_create(
                actor=actor,
                person=person(),
                organisation=organs[organ],
                role="ledamot",
                start_date=term_start,
                is_external=True,
            )
    protected = person(protected_identity=True)
    membership_create(
        actor=actor, person=protected, organisation=organs["Kommunfullmäktige"], role="ersattare", start_date=term_start
    )
    ended = person()
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    membership_create(
        actor=actor,
        person=ended,
        organisation=organs["Barn- och utbildningsnämnden"],
        role="ledamot",
        start_date=term_start,
        end_date=last_month_end,
    )
    for _ in range(3):
        membership_create(
            actor=actor,
            person=person(),
            organisation=organs["Piteå kommunföretag AB"],
            role="ledamot",
            start_date=term_start,
        )

    # The demo user "pitea.elected_official" is the first nämnd member, for the self-service pages.
    official_user = get_user_model().objects.filter(username="pitea.elected_official").first()
    if official_user is not None:
        Person.objects.filter(pk=people[5].pk).update(user=official_user, email=official_user.email)

    kits: list[Kit] = []
    for number in range(1, 31):
        tablet = device_create(
            actor=actor,
            municipality=pitea,
            device_type="tablet",
            make="Apple",
            model="iPad 10.9",
            serial_number=f"DMPT{number:05d}",
            imei=f"35{number:013d}",
            mdm_id=f"mdm-{number:04d}",
            purchase_date=dt.date(2023, 1, 10),
        )
        case = device_create(
            actor=actor,
            municipality=pitea,
            device_type="case",
            make="Logitech",
            model="Slim Folio",
            serial_number=f"CASE{number:05d}",
        )
        charger = device_create(
            actor=actor,
            municipality=pitea,
            device_type="charger",
            make="Apple",
            model="20 W USB-C",
            serial_number=f"CHG{number:05d}",
        )
        kits.append(
            kit_create(
                actor=actor,
                municipality=pitea,
                label=f"Surfplatta {number:02d}",
                kind="tablet",
                devices=[tablet, case, charger],
            )
        )
    for number in range(1, 4):
        laptop = device_create(
            actor=actor,
            municipality=pitea,
            device_type="computer",
            make="Lenovo",
            model="ThinkPad T14",
            serial_number=f"PF{number:06d}",
            purchase_date=dt.date(2023, 2, 1),
        )
        charger = device_create(
            actor=actor,
            municipality=pitea,
            device_type="charger",
            make="Lenovo",
            model="65 W",
            serial_number=f"LCHG{number:04d}",
        )
        kits.append(
            kit_create(
                actor=actor, municipality=pitea, label=f"Dator {number}", kind="computer", devices=[laptop, charger]
            )
        )

    staff = get_user_model().objects.filter(username="pitea.it").first()
    if staff is None:
        return {"officials": len(people)}
    handover = {"user_id": "", "email": "", "meeting_app_login": True}
    tablets = iter(k for k in kits if k.kind == "tablet")
    loans: list[Loan] = []
    for borrower in people[5:25]:  # nämnd and council members
        if not borrower.protected_identity:
            loans.append(
                loan_checkout(
                    actor=staff,
                    kit=next(tablets),
                    person=borrower,
                    handover={**handover, "user_id": borrower.external_id, "email": borrower.email},
                )
            )
    loan_checkout(actor=staff, kit=kits[30], person=people[1], handover=handover)  # a chair with a computer
    loan_checkout(actor=staff, kit=next(tablets), person=both, handover=handover)
    # A loan whose right ended last month: checked out while the term ran, due 14 days after it ended.
    late = loan_checkout(
        actor=staff, kit=next(tablets), person=ended, handover=handover, on=last_month_end - dt.timedelta(days=30)
    )
    Loan.objects.filter(pk=late.pk).update(due_date=last_month_end + dt.timedelta(days=14))
    loan_request_return(actor=staff, loan=loans[0], requested_on=today - dt.timedelta(days=3))
    loan_return(
        actor=staff,
        loan=loans[1],
        checklist={
            "activation_lock_off": True,
            "logged_out": True,
            "all_accessories": True,
            "condition": "Repor på skalet",
        },
    )
    for loan, kind in ((loans[2], "lost"), (loans[3], "stolen")):
        main = Device.objects.get(kit=loan.kit, device_type="tablet")
        incident_report(
            actor=staff,
            loan=loan,
            device=main,
            kind=kind,
            occurred_at=timezone.now() - dt.timedelta(days=5),
            place="Tåget Luleå–Piteå" if kind == "stolen" else "",
            police_report_number="5000-K123456-26" if kind == "stolen" else "",
        )
    broadband_request(actor=staff, loan=loans[4], reason="travel", motivation="Reser till regionens möten")
    return {
        "officials": len(people),
        "kits": len(kits),
        "loans": Loan.objects.filter(kit__municipality=pitea).count(),
        "active_loans": Loan.objects.filter(kit__municipality=pitea, status=LoanStatus.ACTIVE).count(),
    }
