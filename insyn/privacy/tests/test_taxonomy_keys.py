"""The built-in taxonomy as data: fideslang's keys are real ones, every term speaks sv, pl and en, and the
flags that drive the register checks (Art. 9, Art. 10, personnummer, protected identity, children) are set."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from insyn.privacy.models import SpecialCategory, TermKind
from insyn.privacy.taxonomy_data import BUILTIN_TERMS

FIXTURES = Path(__file__).parent / "fixtures" / "taxonomy"


def _fideslang_keys() -> set[tuple[str, str]]:
    with (FIXTURES / "fideslang_3_1_keys.csv").open(encoding="utf-8") as handle:
        return {(row["kind"], row["fides_key"]) for row in csv.DictReader(handle)}


def _term(kind: str, key: str) -> dict[str, object]:
    return next(t for t in BUILTIN_TERMS if t["kind"] == kind and t["key"] == key)


def test_every_unprefixed_key_is_in_fideslangs_released_taxonomy() -> None:
    known = _fideslang_keys()
    unprefixed = [(t["kind"], t["key"]) for t in BUILTIN_TERMS if not str(t["key"]).startswith("se.")]
    assert unprefixed, "the taxonomy follows fideslang where it has a key"
    assert [pair for pair in unprefixed if pair not in known] == []


def test_keys_the_issue_names_are_fideslang_ones() -> None:
    known = _fideslang_keys()
    for pair in [
        ("data_category", "user.contact.email"),
        ("data_category", "user.name"),
        ("data_category", "user.government_id.national_identification_number"),
        ("data_category", "user.health_and_medical"),
        ("data_category", "user.demographic.political_opinion"),
        ("data_category", "user.criminal_history"),
        ("data_use", "essential.service"),
        ("data_use", "employment"),
        ("subject_category", "employee"),
        ("subject_category", "citizen_voter"),
        ("subject_category", "customer"),
    ]:
        assert pair in known and _term(*pair)["fideslang"] is True


def test_fideslang_has_no_trade_union_or_child_subject_so_they_are_swedish_additions() -> None:
    known = {key for _, key in _fideslang_keys()}
    assert "user.union_membership" not in known and "child" not in known
    assert _term("data_category", "se.facklig_tillhorighet")["special"] == SpecialCategory.ART9
    assert _term("subject_category", "se.elev")["children"] is True


def test_fideslang_flag_is_exactly_the_unprefixed_keys() -> None:
    assert all(t["fideslang"] is (not str(t["key"]).startswith("se.")) for t in BUILTIN_TERMS)


def test_every_term_has_a_swedish_polish_and_english_label() -> None:
    missing = [t["key"] for t in BUILTIN_TERMS if not (t["label_sv"] and t["label_pl"] and t["label_en"])]
    assert missing == []


def test_keys_are_unique_per_kind_and_kinds_are_the_models() -> None:
    counts = Counter((t["kind"], t["key"]) for t in BUILTIN_TERMS)
    assert [pair for pair, n in counts.items() if n > 1] == []
    assert {t["kind"] for t in BUILTIN_TERMS} == set(TermKind.values)


@pytest.mark.parametrize(
    ("key", "flag", "value"),
    [
        ("se.personnummer", "national_id", True),
        ("se.samordningsnummer", "national_id", True),
        ("user.government_id.national_identification_number", "national_id", True),
        ("se.skyddad_identitet", "protected_identity", True),
        ("se.facklig_tillhorighet", "special", "art9"),
        ("se.uppgift_om_halsa", "special", "art9"),
        ("user.health_and_medical", "special", "art9"),
        ("user.demographic.political_opinion", "special", "art9"),
        ("se.partibeteckning", "special", "art9"),
        ("se.elevhalsa", "special", "art9"),
        ("se.elevhalsa", "children", True),
        ("user.childrens", "children", True),
        ("user.criminal_history", "special", "art10"),
        ("user.name", "special", ""),
        ("se.personnummer", "special", ""),
    ],
)
def test_special_flags(key: Any, flag: Any, value: Any) -> None:
    assert _term("data_category", key)[flag] == value


def test_subject_categories_of_the_seeds_exist() -> None:
    keys = {t["key"] for t in BUILTIN_TERMS if t["kind"] == "subject_category"}
    assert {"se.fortroendevald", "citizen_voter", "se.vardnadshavare", "se.elev", "supplier_vendor"} <= keys


def test_only_data_categories_carry_special_flags() -> None:
    others = [t for t in BUILTIN_TERMS if t["kind"] != "data_category"]
    assert all(not t["special"] and not t["national_id"] and not t["protected_identity"] for t in others)
