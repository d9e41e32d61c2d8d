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
    FREE_TEXT = "free_text"  # prose that may say anything about a person (motivations, descriptions)
    FILE = "file"  # an uploaded or generated file about a person (receipts, extracts)
    OTHER = "other"


SENSITIVE_CATEGORIES = {DataCategory.NATIONAL_ID, DataCategory.PROTECTED_IDENTITY, DataCategory.POLITICAL_OPINION}


@dataclass(frozen=True)
class PersonalDataField:
    model_label: str
    field_name: str
    category: DataCategory
    # Whose data it is: the Django lookup path from this model to a subject root (`register_subject_root`),
    # "" when the row is the root itself ("person" for loans.loan, "loan__person" for loans.receipt,
    # "user" for officials.person's login side). The subject search and erasure follow it.
    subject: str = ""

    @property
    def sensitive(self) -> bool:
        return self.category in SENSITIVE_CATEGORIES


_registry: dict[tuple[str, str], PersonalDataField] = {}


def register(model: type[models.Model] | str, field_name: str, category: DataCategory, *, subject: str = "") -> None:
    label = model if isinstance(model, str) else model._meta.label_lower
    _registry[(label.lower(), field_name)] = PersonalDataField(label.lower(), field_name, category, subject)


@dataclass(frozen=True)
class SubjectRoot:
    """A model whose row stands for one person (officials.person, auth.user, privacy.subjectrequest), and
    how a subject search recognises that person on it."""

    model_label: str
    national_id_fields: tuple[str, ...] = ()
    email_fields: tuple[str, ...] = ()
    name_fields: tuple[str, ...] = ()  # (given, family) or (full name,)
    address_fields: tuple[str, ...] = ()
    # Lookup path to another root that is the same person (officials.person "user" → auth.user).
    same_person: tuple[str, ...] = ()


_roots: dict[str, SubjectRoot] = {}


def register_subject_root(root: SubjectRoot) -> None:
    _roots[root.model_label.lower()] = root


def subject_roots() -> list[SubjectRoot]:
    return [_roots[k] for k in sorted(_roots)]


# Erasure hooks, registered by the app that owns the model, so privacy never guesses another module's rules.
# blocker(instance) -> (reason_code, reason text) | None: why this row may not be erased now (an open loan).
# eraser(actor, instance, field_names) -> None: blank these fields through the owning app's audited service.
_erasure_blockers: dict[str, Callable[[Any], tuple[str, str] | None]] = {}
_erasers: dict[str, Callable[..., None]] = {}


def register_erasure_blocker(model_label: str, blocker: Callable[[Any], tuple[str, str] | None]) -> None:
    _erasure_blockers[model_label.lower()] = blocker


def erasure_blocker(model_label: str) -> Callable[[Any], tuple[str, str] | None] | None:
    return _erasure_blockers.get(model_label.lower())


def register_eraser(model_label: str, eraser: Callable[..., None]) -> None:
    _erasers[model_label.lower()] = eraser


def eraser_for(model_label: str) -> Callable[..., None] | None:
    return _erasers.get(model_label.lower())


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
