"""One registry of fields that hold personal data, by data category.

Data-subject search, masking, erasure and the audit trail's masking all
read this registry, so a new personal-data field must be declared here (or
by the app that owns it, in its AppConfig.ready).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

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


# model label -> fn(actor, instance) -> names of fields whose values the actor may not see on that instance.
# The owning app registers its rule (officials: a protected identity shows only the name), so that every
# view of past values (History, the audit trail) hides what the object's own pages hide.
_hidden_rules: dict[str, Callable[[Any, Any], set[str]]] = {}


def register_hidden_fields(model_label: str, rule: Callable[[Any, Any], set[str]]) -> None:
    _hidden_rules[model_label.lower()] = rule


def has_hidden_rule(model_label: str) -> bool:
    return model_label.lower() in _hidden_rules


def hidden_fields(actor: Any, instance: models.Model | None) -> frozenset[str]:
    if instance is None:
        return frozenset()
    rule = _hidden_rules.get(instance._meta.label_lower)
    return frozenset(rule(actor, instance)) if rule is not None else frozenset()


def hidden_fields_of_gone(model_label: str) -> frozenset[str]:
    """An object with a rule that no longer exists: its rule cannot be asked, so every personal-data field
    but the name is hidden."""
    if not has_hidden_rule(model_label):
        return frozenset()
    label = model_label.lower()
    return frozenset(
        f.field_name for (m, _), f in _registry.items() if m == label and f.category != DataCategory.IDENTITY
    )


def register_core_fields() -> None:
    register("auth.user", "username", DataCategory.ACCOUNT)
    register("auth.user", "first_name", DataCategory.IDENTITY)
    register("auth.user", "last_name", DataCategory.IDENTITY)
    register("auth.user", "email", DataCategory.CONTACT)
    register("core.auditentry", "actor_label", DataCategory.ACCOUNT)
    register("core.governingdocument", "owner", DataCategory.IDENTITY)
    register("wagtailcore.apitoken", "user", DataCategory.ACCOUNT)
