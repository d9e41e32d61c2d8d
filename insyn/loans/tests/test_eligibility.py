"""Item 4 of 22KS572: who may borrow a tablet, who may choose a computer, who may not, and why.

Three doors to the same rules: the pure `evaluate`, `person_eligibility` over the database, and the CLI
`loans eligibility --person ID --on DATE`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from insyn.core.models.organisations import OrganType
from insyn.core.permissions import SYSTEM
from insyn.loans.eligibility import PITEA_22KS572_V1, MembershipFacts, evaluate
from insyn.loans.models import LoanRuleSet
from insyn.loans.services import loan_checkout, person_eligibility
from insyn.loans.tests.conftest import HANDOVER, ON, TERM_START, make_kit
from insyn.officials.models import MembershipRole
from insyn.officials.services import membership_end

ENDED = ON - dt.timedelta(days=10)
FUTURE = ON + dt.timedelta(days=30)
ORGAN_NAMES = {
    "kommunfullmaktige": "Kommunfullmäktige",
    "kommunstyrelse": "Kommunstyrelsen",
    "namnd": "Barn- och utbildningsnämnden",
    "utskott": "Arbetsutskottet",
    "kommunalt_bolag": "Piteå kommunföretag AB",
    "valnamnd": "Valnämnden",
    "revision": "Revisionen",
    "samverkansrad": "Kommunala pensionärsrådet",
    "brukarrad": "Brukarrådet för funktionshinderfrågor",
    "other": "Krisledningsgruppen",
}
ROLE_SV = {
    "ordforande": "ordförande",
    "vice_ordforande": "vice ordförande",
    "ledamot": "ledamot",
    "ersattare": "ersättare",
}
LENDING_ORGANS = {"kommunfullmaktige", "kommunstyrelse", "namnd", "kommunalt_bolag"}


def expected_devices(organ_type: str, role: str, external: bool) -> list[str]:
    """Item 4, read straight from the instruction (independently of the rule set's JSON)."""
    if organ_type == "valnamnd":
        return []  # "dock inte … ledamöter och ersättare i valnämnd"
    if organ_type in {"samverkansrad", "brukarrad"} and external:
        return []  # "… eller externa ledamöter och ersättare i samverkans- eller brukarråd"
    if organ_type not in LENDING_ORGANS:
        return []  # the offer is to kommunfullmäktige, nämnd (kommunstyrelsen included) and kommunalt bolag
    if role == "ordforande":
        return ["tablet", "computer"]  # "Ordförande … erbjuds möjlighet att låna dator … istället för en surfplatta"
    return ["tablet"]


def facts(organ_type: str, role: str, *, external: bool = False, timing: str = "current") -> MembershipFacts:
    start, end = {
        "current": (TERM_START, None),
        "current_until": (TERM_START, dt.date(2026, 12, 31)),
        "ended": (TERM_START, ENDED),
        "future": (FUTURE, None),
    }[timing]
    return MembershipFacts(
        role=role,
        organ_type=organ_type,
        organ_name=ORGAN_NAMES[organ_type],
        is_external=external,
        start_date=start,
        end_date=end,
    )


def run(*memberships: MembershipFacts, on: dt.date = ON) -> Any:
    return evaluate(memberships, on=on, rules=PITEA_22KS572_V1)


# --- the pure rules: every organ type × role × external × time -------------------------------------------------


@pytest.mark.parametrize("timing", ["current", "current_until", "ended", "future"])
@pytest.mark.parametrize("external", [False, True], ids=["internal", "external"])
@pytest.mark.parametrize("role", MembershipRole.values)
@pytest.mark.parametrize("organ_type", list(OrganType.values))
def test_every_single_membership_case(organ_type: str, role: str, external: bool, timing: str) -> None:
    membership = facts(organ_type, role, external=external, timing=timing)
    granted = expected_devices(organ_type, role, external)
    result = run(membership)

    described = f"{'extern ' if external else ''}{ROLE_SV[role]} i {ORGAN_NAMES[organ_type]}"
    if timing.startswith("current"):
        assert result.eligible is bool(granted)
        assert result.devices == granted
        if granted:
            until = dt.date(2026, 12, 31) if timing == "current_until" else None
            assert result.qualifying_until == until
            assert result.return_due == (until + dt.timedelta(days=14) if until else None)
            label = "surfplatta eller dator" if granted == ["tablet", "computer"] else "surfplatta"
            suffix = " t.o.m. 2026-12-31" if until else ""
            assert result.reasons == [f"{described}{suffix} → {label}"]
        else:
            assert result.qualifying_until is None and result.return_due is None
            assert len(result.reasons) == 1
            assert result.reasons[0].startswith(f"{described} → inget lån (")
    elif timing == "ended":
        assert not result.eligible and result.devices == []
        if granted:
            # The right ended with the membership: the kit is due back 14 days later.
            assert result.qualifying_until == ENDED
            assert result.return_due == ENDED + dt.timedelta(days=14)
            assert result.reasons == [f"{described} upphörde {ENDED.isoformat()} → inget lån längre"]
        else:
            assert result.qualifying_until is None and result.return_due is None
            assert "inget lån" in result.reasons[0]
    else:  # a membership that has not started yet gives nothing today
        assert not result.eligible and result.devices == []
        assert result.qualifying_until is None and result.return_due is None
        assert result.reasons and all(reason.strip() for reason in result.reasons)


def test_valnamnd_member_who_is_also_substitute_in_a_namnd_may_borrow_a_tablet() -> None:
    result = run(facts("valnamnd", "ledamot"), facts("namnd", "ersattare"))

    assert result.eligible and result.devices == ["tablet"]
    assert "ersättare i Barn- och utbildningsnämnden → surfplatta" in result.reasons
    assert any(r.startswith("ledamot i Valnämnden → inget lån") for r in result.reasons)
    assert result.qualifying_until is None and result.return_due is None


def test_valnamnd_alone_gives_no_loan_and_says_why() -> None:
    result = run(facts("valnamnd", "ordforande"), facts("valnamnd", "ersattare"))

    assert not result.eligible and result.devices == []
    assert all("valnämnden lånar inte ut utrustning" in reason for reason in result.reasons)


@pytest.mark.parametrize("organ_type", ["brukarrad", "samverkansrad"])
@pytest.mark.parametrize("role", ["ledamot", "ersattare"])
def test_external_member_of_a_council_may_not_borrow(organ_type: str, role: str) -> None:
    result = run(facts(organ_type, role, external=True))

    assert not result.eligible
    assert result.reasons == [
        f"extern {ROLE_SV[role]} i {ORGAN_NAMES[organ_type]} → inget lån "
        "(externa ledamöter och ersättare i samverkans- eller brukarråd lånar inte)"
    ]


def test_politician_in_a_brukarrad_borrows_through_the_namnd_not_the_council() -> None:
    result = run(facts("brukarrad", "ledamot"), facts("namnd", "ledamot"))

    assert result.eligible and result.devices == ["tablet"]
    assert "ledamot i Barn- och utbildningsnämnden → surfplatta" in result.reasons


@pytest.mark.parametrize("organ_type", ["kommunalt_bolag", "kommunfullmaktige", "kommunstyrelse", "namnd"])
def test_chair_may_choose_tablet_or_computer(organ_type: str) -> None:
    result = run(facts(organ_type, "ordforande"))

    assert result.eligible and result.devices == ["tablet", "computer"]
    assert result.reasons == [f"ordförande i {ORGAN_NAMES[organ_type]} → surfplatta eller dator"]


def test_vice_chair_of_a_company_board_gets_a_tablet_only() -> None:
    assert run(facts("kommunalt_bolag", "vice_ordforande")).devices == ["tablet"]


def test_chair_of_valnamnd_gets_no_computer() -> None:
    result = run(facts("valnamnd", "ordforande"), facts("namnd", "ledamot"))

    assert result.devices == ["tablet"]


def test_ended_membership_means_not_eligible_and_return_due_fourteen_days_later() -> None:
    result = run(facts("namnd", "ledamot", timing="ended"))

    assert not result.eligible
    assert result.qualifying_until == ENDED
    assert result.return_due == ENDED + dt.timedelta(days=14)
    assert result.reasons == [f"ledamot i Barn- och utbildningsnämnden upphörde {ENDED.isoformat()} → inget lån längre"]


def test_membership_is_current_through_its_last_day() -> None:
    membership = facts("namnd", "ledamot", timing="ended")

    assert run(membership, on=ENDED).eligible
    assert not run(membership, on=ENDED + dt.timedelta(days=1)).eligible


def test_membership_is_current_from_its_first_day() -> None:
    membership = facts("namnd", "ledamot", timing="future")

    assert not run(membership, on=FUTURE - dt.timedelta(days=1)).eligible
    assert run(membership, on=FUTURE).eligible


def test_future_membership_is_named_in_the_reasons() -> None:
    result = run(facts("namnd", "ledamot", timing="future"))

    assert not result.eligible
    assert result.reasons == [
        f"ledamot i Barn- och utbildningsnämnden börjar {FUTURE.isoformat()} → inget lån ännu",
    ]


def test_one_qualifying_membership_is_enough_and_the_latest_end_counts() -> None:
    kf = MembershipFacts(
        "ledamot", "kommunfullmaktige", "Kommunfullmäktige", start_date=TERM_START, end_date=dt.date(2025, 6, 30)
    )
    bolag = MembershipFacts(
        "ersattare", "kommunalt_bolag", "Piteå kommunföretag AB", start_date=TERM_START, end_date=dt.date(2026, 4, 30)
    )
    ended = facts("namnd", "ordforande", timing="ended")
    result = run(kf, bolag, ended)

    assert result.eligible and result.devices == ["tablet"]  # the chair's computer ended with the chair
    assert result.qualifying_until == dt.date(2026, 4, 30)
    assert result.return_due == dt.date(2026, 5, 14)


def test_open_ended_qualifying_membership_means_no_qualifying_until() -> None:
    kf = MembershipFacts(
        "ledamot", "kommunfullmaktige", "Kommunfullmäktige", start_date=TERM_START, end_date=dt.date(2025, 6, 30)
    )
    result = run(kf, facts("namnd", "ersattare"))

    assert result.eligible
    assert result.qualifying_until is None and result.return_due is None


def test_two_ended_memberships_return_due_after_the_later_one() -> None:
    first = MembershipFacts(
        "ledamot", "namnd", "Barn- och utbildningsnämnden", start_date=TERM_START, end_date=dt.date(2024, 12, 31)
    )
    second = MembershipFacts(
        "ledamot", "kommunfullmaktige", "Kommunfullmäktige", start_date=TERM_START, end_date=dt.date(2025, 2, 1)
    )
    result = run(first, second, facts("valnamnd", "ledamot"))

    assert not result.eligible
    assert result.qualifying_until == dt.date(2025, 2, 1)
    assert result.return_due == dt.date(2025, 2, 15)


def test_no_memberships_is_not_eligible_with_a_reason() -> None:
    result = run()

    assert not result.eligible
    assert result.reasons == ["inga uppdrag registrerade"]
    assert result.to_dict() == {
        "eligible": False,
        "devices": [],
        "reasons": ["inga uppdrag registrerade"],
        "qualifying_until": None,
        "return_due": None,
    }


def test_return_days_come_from_the_rule_set() -> None:
    result = evaluate([facts("namnd", "ledamot", timing="ended")], on=ON, rules=PITEA_22KS572_V1, return_days=30)

    assert result.return_due == ENDED + dt.timedelta(days=30)


# --- through the database ------------------------------------------------------------------------------------


def test_person_eligibility_valnamnd_and_substitute_in_namnd(pitea: Any, official: Any) -> None:
    person = official((pitea.valnamnd, "ledamot"), (pitea.bun, "ersattare"))

    result, rule_set = person_eligibility(person=person, on=ON)

    assert rule_set == pitea.rule_set
    assert result.eligible and result.devices == ["tablet"]
    assert "ersättare i Barn- och utbildningsnämnden → surfplatta" in result.reasons


def test_person_eligibility_external_member_of_brukarrad(pitea: Any, official: Any) -> None:
    person = official((pitea.brukarrad, "ledamot", {"is_external": True}))

    result, _rule_set = person_eligibility(person=person, on=ON)

    assert not result.eligible
    assert result.reasons[0].startswith("extern ledamot i Brukarrådet för funktionshinderfrågor → inget lån")


def test_person_eligibility_chair_of_company_board(pitea: Any, official: Any) -> None:
    person = official((pitea.bolag, "ordforande"))

    result, _rule_set = person_eligibility(person=person, on=ON)

    assert result.devices == ["tablet", "computer"]
    assert result.reasons == ["ordförande i Piteå kommunföretag AB → surfplatta eller dator"]


def test_person_eligibility_after_membership_ended(pitea: Any, official: Any) -> None:
    person = official((pitea.kf, "ledamot"))
    membership_end(actor=SYSTEM, membership=person.memberships.get(), end_date=ENDED)

    result, _rule_set = person_eligibility(person=person, on=ON)

    assert not result.eligible
    assert result.qualifying_until == ENDED and result.return_due == ENDED + dt.timedelta(days=14)


def test_person_eligibility_without_an_instruction_in_force(pitea: Any, official: Any) -> None:
    person = official((pitea.kf, "ledamot"))

    result, rule_set = person_eligibility(person=person, on=dt.date(2022, 1, 1))

    assert rule_set is None and not result.eligible and result.reasons


def test_other_municipalitys_rule_set_does_not_apply(pitea: Any, official: Any) -> None:
    from insyn.loans.tests.conftest import build_pitea

    build_pitea("Torsby kommun")  # its own 22KS572 rule set
    person = official((pitea.kf, "ledamot"))

    _result, rule_set = person_eligibility(person=person, on=ON)

    assert rule_set == pitea.rule_set


# --- the CLI ----------------------------------------------------------------------------------------------------


def cli(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("loans", "eligibility", *args, stdout=out)
    text = out.getvalue().strip()
    assert text.count("\n") == 0, "exactly one JSON object on one line"
    data = json.loads(text)
    assert isinstance(data, dict)
    assert set(data) == {"eligible", "devices", "reasons", "qualifying_until", "return_due"}
    return data


def test_cli_valnamnd_and_substitute_in_namnd(pitea: Any, official: Any) -> None:
    person = official((pitea.valnamnd, "ledamot"), (pitea.bun, "ersattare"), external_id="popolo-42")

    data = cli("--person", "popolo-42", "--on", ON.isoformat())

    assert data["eligible"] is True
    assert data["devices"] == ["tablet"]
    assert "ersättare i Barn- och utbildningsnämnden → surfplatta" in data["reasons"]
    assert data["qualifying_until"] is None and data["return_due"] is None
    assert cli("--person", f"#{person.pk}", "--on", ON.isoformat()) == data


def test_cli_ended_membership_prints_return_due(pitea: Any, official: Any) -> None:
    person = official((pitea.bun, "ledamot", {"end_date": dt.date(2024, 12, 31)}), (pitea.valnamnd, "ersattare"))

    data = cli("--person", person.external_id, "--on", ON.isoformat())

    assert data == {
        "eligible": False,
        "devices": [],
        "reasons": [
            "ledamot i Barn- och utbildningsnämnden upphörde 2024-12-31 → inget lån längre",
            "ersättare i Valnämnden → inget lån (valnämnden lånar inte ut utrustning)",
        ],
        "qualifying_until": "2024-12-31",
        "return_due": "2025-01-14",
    }


def test_cli_qualifying_until_is_the_latest_end_of_the_qualifying_memberships(pitea: Any, official: Any) -> None:
    person = official(
        (pitea.kf, "ledamot", {"end_date": dt.date(2026, 12, 31)}),
        (pitea.bolag, "ordforande", {"end_date": dt.date(2025, 6, 30)}),
        (pitea.valnamnd, "ledamot", {"end_date": dt.date(2027, 12, 31)}),  # does not qualify: does not count
    )

    data = cli("--person", person.external_id, "--on", ON.isoformat())

    assert data["eligible"] and data["devices"] == ["tablet", "computer"]
    assert data["qualifying_until"] == "2026-12-31"
    assert data["return_due"] == "2027-01-14"


def test_cli_chair_of_company_board(pitea: Any, official: Any) -> None:
    person = official((pitea.bolag, "ordforande"))

    data = cli("--person", person.external_id, "--on", ON.isoformat())

    assert data["devices"] == ["tablet", "computer"]
    assert data["reasons"] == ["ordförande i Piteå kommunföretag AB → surfplatta eller dator"]


def test_cli_external_member_of_brukarrad(pitea: Any, official: Any) -> None:
    person = official((pitea.brukarrad, "ersattare", {"is_external": True}))

    data = cli("--person", person.external_id, "--on", ON.isoformat())

    assert data["eligible"] is False and data["devices"] == []


def test_cli_refuses_unknown_person_and_bad_date(pitea: Any) -> None:
    with pytest.raises(CommandError, match="No person"):
        call_command("loans", "eligibility", "--person", "nobody", "--on", ON.isoformat(), stdout=io.StringIO())
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("loans", "eligibility", "--person", "nobody", "--on", "3 mars", stdout=io.StringIO())


# --- rules are data ---------------------------------------------------------------------------------------------


def test_rule_set_version_2_changes_the_outcome_without_code(
    pitea: Any, official: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """A new version of the instruction, stored as JSON, decides from its first day; the loan records it."""
    person = official((pitea.valnamnd, "ledamot"))
    chair = official((pitea.bun, "ordforande"))
    version_2 = {
        "grants": [
            {
                "organ_types": ["kommunfullmaktige", "namnd", "valnamnd"],
                "roles": None,
                "external": None,
                "devices": ["tablet"],
            },
        ],
        "exclusions": [],
    }
    rule_set_2 = LoanRuleSet.objects.create(
        document=pitea.document, version="2", valid_from=dt.date(2025, 1, 1), return_days=30, rules=version_2
    )

    before, used_before = person_eligibility(person=person, on=dt.date(2024, 12, 31))
    after, used_after = person_eligibility(person=person, on=ON)
    chair_after, _ = person_eligibility(person=chair, on=ON)

    assert (used_before, before.eligible) == (pitea.rule_set, False)
    assert (used_after, after.eligible, after.devices) == (rule_set_2, True, ["tablet"])
    assert chair_after.devices == ["tablet"]  # version 2 no longer offers chairs a computer
    assert cli("--person", person.external_id, "--on", ON.isoformat())["eligible"] is True

    loan = loan_checkout(
        actor=pitea.it, kit=make_kit(pitea.municipality, pitea.it), person=person, handover=HANDOVER, on=ON
    )
    assert loan.rule_set == rule_set_2
    assert loan.eligibility_reasons == after.reasons

    with django_capture_on_commit_callbacks(execute=True):
        membership_end(actor=SYSTEM, membership=person.memberships.get(), end_date=dt.date(2025, 4, 1))
    loan.refresh_from_db()
    assert loan.due_date == dt.date(2025, 5, 1)  # version 2 gives 30 days to return
