"""One registry of fields that hold personal data, by data category.

Data-subject search, masking, erasure and the audit trail's masking all
read this registry, so a new personal-data field must be declared here (or
by the app that owns it, in its AppConfig.ready).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class DataCategory(StrEnum):
    IDENTITY = "identity"  # name
    CONTACT = "contact"  # e-mail, phone, address
    NATIONAL_ID = "national_id"  # personnummer, samordningsnummer, PESEL
    PROTECTED_IDENTITY = "protected_identity"  # skyddad identitet
    POLITICAL_OPINION = "political_opinion"  # party (Art. 9)
    ACCOUNT = "account"  # user names, login data
    OTHER = "other"


SENSITIVE_CATEGORIES = {DataCategory.NATIONAL_ID, DataCategory.PROTECTED_IDENTITY, DataCategory.POLITICAL_OPINION}


@dataclass(frozen=True)
class PersonalDataField:
    model_label: str
    field_name: str
    category: DataCategory

    @property
    def sensitive(self) -> bool:
        return self.category in SENSITIVE_CATEGORIES


_registry: dict[tuple[str, str], PersonalDataField] = {}


def register(model: type[models.Model] | str, field_name: str, category: DataCategory) -> None:
    label = model if isinstance(model, str) else model._meta.label_lower
    _registry[(label.lower(), field_name)] = PersonalDataField(label.lower(), field_name, category)


def fields_of(model: type[models.Model]) -> list[PersonalDataField]:
    label = model._meta.label_lower
    return [f for (m, _), f in _registry.items() if m == label]


def all_fields() -> list[PersonalDataField]:
    return sorted(_registry.values(), key=lambda f: (f.model_label, f.field_name))


def is_sensitive_field(model: type[models.Model], field_name: str) -> bool:
    entry = _registry.get((model._meta.label_lower, field_name))
    return entry is not None and entry.sensitive


def register_core_fields() -> None:
    register("auth.user", "username", DataCategory.ACCOUNT)
    register("auth.user", "first_name", DataCategory.IDENTITY)
    register("auth.user", "last_name", DataCategory.IDENTITY)
    register("auth.user", "email", DataCategory.CONTACT)
    register("core.auditentry", "actor_label", DataCategory.ACCOUNT)
    register("core.governingdocument", "owner", DataCategory.IDENTITY)
    register("wagtailcore.apitoken", "user", DataCategory.ACCOUNT)
