"""`insyn demo` for privacy: Södertälje KS's register of seed 003 and Piteå KS's four activities of seed 001.

The number of activities is counted from the seeds' own text (kept unchanged in fixtures/taxonomy), never from
the demo's data file, so a row left out of the data fails here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from insyn.core.actor import SYSTEM
from insyn.core.models import AuditEntry, Organisation
from insyn.privacy.demo import load_demo
from insyn.privacy.models import ProcessingActivity, Register
from insyn.privacy.register_data import activity_as_data
from insyn.privacy.rules import check_activity, missing_for_approval

FIXTURES = Path(__file__).parent / "fixtures" / "taxonomy"
# The register's five bases as the OCR prints them ("Allmént intresse", "Allméant intresse", "Rattslig
# forpliktelse", "Intresseav-vagning" …): one per activity row, in the Rättslig grund column.
BASIS_IN_OCR = re.compile(
    r"All\S{1,3}nt intresse|R\S{1,2}ttslig f\S{1,2}rpliktelse|\bAvtal\b|\bSamtycke\b|Intresseav-?v\S{1,2}gning"
)


def seed_003_activity_count() -> int:
    text = (FIXTURES / "seed_003_sodertalje_ks.txt").read_text(encoding="utf-8")
    by_basis = len(BASIS_IN_OCR.findall(text))
    # The last column, "Överföring till tredje land", ends each row: "Nej", or the transfer to the USA.
    by_last_column = sum(1 for line in text.splitlines() if re.search(r"\bNej\s*$|Overforing till USA", line))
    assert by_basis == by_last_column, "the two readings of the source disagree"
    return by_basis


def seed_001_activity_names() -> list[str]:
    """The heading above each table of the notice; the source prints "Hantera behörigheter till system" twice."""
    lines = (FIXTURES / "seed_001_pitea_notice.txt").read_text(encoding="utf-8").splitlines()
    headings = []
    for index, line in enumerate(lines):
        if line.startswith("| Område"):
            headings.append(next(lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()).strip())
    assert len(headings) == 5
    return list(dict.fromkeys(headings))


def _register(municipality: str) -> Register:
    board = Organisation.objects.get(parent__name=municipality, parent__parent=None, name="Kommunstyrelsen")
    return Register.objects.get(controller=board, kind="controller")


def _activity(register: Register, name: str) -> ProcessingActivity:
    return register.activities.get(name=name)


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    # After-commit work (the plan's PDFs, notice drafts) is other modules' and not what these tests prove.
    return load_demo(actor=SYSTEM)


def test_seed_003_register_has_every_activity_of_the_source(demo: Any) -> None:
    register = _register("Södertälje kommun")
    assert seed_003_activity_count() == 20
    assert register.activities.count() == seed_003_activity_count()
    assert register.controller.is_controller


def test_the_bildbank_row_is_two_activities_one_on_legitimate_interests_one_on_consent(demo: Any) -> None:
    register = _register("Södertälje kommun")
    bildbank = register.activities.filter(name__startswith="Bildbank").order_by("position")
    assert [list(a.legal_bases.values_list("article", flat=True)) for a in bildbank] == [["6.1.f"], ["6.1.a"]]


def test_transfer_to_the_usa_under_the_adequacy_decision(demo: Any) -> None:
    it = _activity(_register("Södertälje kommun"), "Förvalta IT och teknisk kommunikation")
    transfer = it.transfers.get()
    assert (transfer.country, transfer.mechanism) == ("US", "adequacy")
    assert "Data Privacy Framework" in transfer.mechanism_reference


def test_health_data_of_fardtjanst_is_art9_with_its_condition_and_dsl_reference(demo: Any) -> None:
    fardtjanst = _activity(_register("Södertälje kommun"), "Hantering av färdtjänst")
    health = fardtjanst.data.get(category__key="se.uppgift_om_halsa")
    assert health.category.special == "art9"
    assert (health.art9_condition, health.dsl_reference) == ("9.2.g", "DSL 3 kap. 3 § första stycket 2")
    assert health.secrecy == "OSL 26 kap. 1 §"


def test_trade_union_membership_and_protected_identity_under_it(demo: Any) -> None:
    it = _activity(_register("Södertälje kommun"), "Förvalta IT och teknisk kommunikation")
    union = it.data.get(category__key="se.facklig_tillhorighet")
    assert union.category.special == "art9" and union.art9_condition == "9.2.b"
    assert union.subject is not None and union.subject.category.key == "employee"
    assert it.data.get(category__key="se.skyddad_identitet").category.protected_identity


def test_access_badges_rest_on_contract(demo: Any) -> None:
    badges = _activity(_register("Södertälje kommun"), "Hantera tillgänglighet till kommunens lokaler")
    assert list(badges.legal_bases.values_list("article", flat=True)) == ["6.1.b"]


def test_checks_flag_the_legitimate_interests_activities_and_nothing_blocks_approval(demo: Any) -> None:
    register = _register("Södertälje kommun")
    flagged = []
    for activity in register.activities.all():
        data = activity_as_data(activity, lang="en")
        assert missing_for_approval(data) == [], activity.name
        if any(w["code"] == "art6f_public_authority" for w in check_activity(data, public_authority=True)):
            flagged.append(activity.name)
    assert flagged == ["Bildbank för kommunens kommunikationsmaterial – intranät"]
    assert register.status == "approved" and demo["privacy_sodertalje"]["status"] == "approved"


def test_every_column_is_structured_and_the_ocr_damage_is_gone(demo: Any) -> None:
    register = _register("Södertälje kommun")
    for activity in register.activities.all():
        assert activity.purposes and activity.subjects.exists() and activity.data.exists(), activity.name
        assert activity.legal_bases.exists() and activity.retention_text and activity.sources, activity.name
        for text in [activity.name, *activity.purposes, activity.retention_text, activity.recipients_text]:
            # OCR letters no Swedish text has ("é", "ô"), and the column rules it printed ("|", "[").
            assert not re.search(r"[éèôê|\[]|Allmant|drende|sjalv", text), text


def test_seed_001_four_activities_for_elected_officials(demo: Any) -> None:
    register = _register("Piteå kommun")
    names = seed_001_activity_names()
    assert len(names) == 4
    assert list(register.activities.order_by("position").values_list("name", flat=True)) == names
    for activity in register.activities.all():
        assert list(activity.subjects.values_list("category__key", flat=True)) == ["se.fortroendevald"]


def test_allmant_intresse_och_samtycke_is_two_bases(demo: Any) -> None:
    marketing = _activity(_register("Piteå kommun"), "Marknadsföra och informera")
    assert list(marketing.legal_bases.values_list("article", flat=True)) == ["6.1.e", "6.1.a"]


def test_lex_and_troman_are_two_it_systems_and_insyn_models_are_named(demo: Any) -> None:
    committee = _activity(_register("Piteå kommun"), "Hantera nämnd och styrelseadministration")
    assert sorted(committee.systems.values_list("name", flat=True)) == ["LEX", "Troman"]
    assert committee.system_models == ["officials.person", "officials.membership"]
    access = _activity(_register("Piteå kommun"), "Hantera behörigheter till system")
    assert access.system_models == ["auth.user", "core.auditentry"]
    tools = _activity(_register("Piteå kommun"), "Tillhandahålla och upprätta IT-stöd och arbetsverktyg")
    assert tools.system_models[0] == "loans.loan" and len(tools.system_models) == 5


def test_committee_administration_links_the_adopted_plans_rows(demo: Any) -> None:
    committee = _activity(_register("Piteå kommun"), "Hantera nämnd och styrelseadministration")
    rows = {row.name: row for row in committee.document_types.select_related("plan")}
    assert set(rows) == {"Protokoll", "Kallelser", "Underlag för utbetalning av sammanträdesarvoden"}
    assert rows["Protokoll"].action == "retain" and rows["Protokoll"].plan.status == "adopted"
    assert rows["Underlag för utbetalning av sammanträdesarvoden"].action == "dispose"
    assert rows["Underlag för utbetalning av sammanträdesarvoden"].period == "P2Y"


def test_running_the_demo_twice_changes_nothing(demo: Any) -> None:
    before = (ProcessingActivity.objects.count(), AuditEntry.objects.count(), Register.objects.count())
    again = load_demo(actor=SYSTEM)
    assert (ProcessingActivity.objects.count(), AuditEntry.objects.count(), Register.objects.count()) == before
    assert again["privacy_sodertalje"]["activities_created"] == 0 and again["privacy_pitea"]["activities_created"] == 0
