"""Small builders that keep the demo registers readable as data (each returns the `ActivityData` shape)."""

from __future__ import annotations

from typing import Any, Literal

from insyn.privacy.activity_data import (
    LegalBasisData,
    PersonalDataCategoryData,
    RecipientData,
    SubjectCategoryData,
)


def basis(article: str, reference: str = "", withdrawal_route: str = "") -> LegalBasisData:
    item: LegalBasisData = {"article": article, "reference": reference}
    if withdrawal_route:
        item["withdrawal_route"] = withdrawal_route
    return item


def subjects(*keys: str) -> list[SubjectCategoryData]:
    return [{"key": key} for key in keys]


def data(key: str, **details: Any) -> PersonalDataCategoryData:
    item: dict[str, Any] = {"key": key, **details}
    return item  # type: ignore[return-value]


def _recipient(kind: Literal["category", "named"], name: str, country: str) -> RecipientData:
    item: RecipientData = {"kind": kind, "name": name}
    if country:
        item["country"] = country
    return item


def named(*names: str, country: str = "") -> list[RecipientData]:
    return [_recipient("named", name, country) for name in names]


def categories(*names: str, country: str = "") -> list[RecipientData]:
    return [_recipient("category", name, country) for name in names]
