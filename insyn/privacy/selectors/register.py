"""Every read of the Art. 30 register a door shows: registers, activities, warnings, versions and their diff.

Reading is allowed across the actor's municipality (`organisation_q` on the controller); one access helper
per entity, with one `NotFoundError` for "no such id" and "not yours".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.exceptions import NotFoundError
from insyn.core.permissions import actor_scope, organisation_q
from insyn.privacy.models import ProcessingActivity, Register, RegisterVersion
from insyn.privacy.register_data import (
    ACTIVITY_PREFETCH,
    activity_as_data,
    diff_register_data,
    register_as_data,
    warning_counts,
    with_activity_data,
)

_BAD_ID = (ValueError, TypeError, OverflowError)
# The relations `with_activity_data` prefetches, by the name of their first step.
_PREFETCHED = tuple(getattr(item, "prefetch_to", item).split("__")[0] for item in ACTIVITY_PREFETCH)


def registers(*, actor: Actor) -> QuerySet[Register]:
    return Register.objects.filter(
        organisation_q(actor, "privacy.view_register", prefix="controller__")
    ).select_related("controller__municipality")


def access_register(*, actor: Actor, pk: Any) -> Register:
    try:
        return registers(actor=actor).get(pk=pk)
    except (Register.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such register.")) from None


def _activities(actor: Actor) -> QuerySet[ProcessingActivity]:
    return ProcessingActivity.objects.filter(
        organisation_q(actor, "privacy.view_processingactivity", prefix="register__controller__")
    )


def activities(*, actor: Actor, register: Register) -> QuerySet[ProcessingActivity]:
    """The register's activities with everything `activity_as_data` reads prefetched (a fixed number of queries)."""
    return with_activity_data(_activities(actor).filter(register=register))


def access_activity(*, actor: Actor, pk: Any) -> ProcessingActivity:
    try:
        return with_activity_data(_activities(actor)).get(pk=pk)
    except (ProcessingActivity.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such processing activity.")) from None


def register_data(*, actor: Actor, register: Register, lang: str | None = None) -> Any:
    """The register as data (`RegisterData`): what the export and the API's full view show."""
    access_register(actor=actor, pk=register.pk)
    return register_as_data(register, lang=lang)


def register_warnings(*, actor: Actor, register: Register, lang: str | None = None) -> dict[int | None, list[Any]]:
    """The open warnings by activity id (`WarningData` lists; every activity has a key, maybe with an empty
    list); the register-wide ones under the key None, when there are any."""
    data = register_data(actor=actor, register=register, lang=lang)
    warnings: dict[int | None, list[Any]] = {}
    if data["warnings"]:
        warnings[None] = list(data["warnings"])
    for activity in data["activities"]:
        warnings[activity.get("id")] = list(activity.get("warnings") or [])
    return warnings


def register_warning_counts(*, actor: Actor, page: list[Register], lang: str | None = None) -> dict[int, int]:
    """Register pk → the number of its open warnings (what `register_warnings` holds, counted), for a whole list
    page in a fixed number of queries. Registers the actor may not read are left out."""
    visible = set(registers(actor=actor).filter(pk__in=[r.pk for r in page]).values_list("pk", flat=True))
    return warning_counts([r for r in page if r.pk in visible], lang=lang)


def register_warning_list(*, actor: Actor, register: Register, lang: str | None = None) -> list[dict[str, Any]]:
    """The same warnings as one list, the register-wide ones first:
    {"activity_id", "activity", "code", "message", "field"}."""
    data = register_data(actor=actor, register=register, lang=lang)
    warnings: list[dict[str, Any]] = [{"activity_id": None, "activity": None, **w} for w in data["warnings"]]
    for activity in data["activities"]:
        warnings += [
            {"activity_id": activity.get("id"), "activity": activity["name"], **w}
            for w in activity.get("warnings") or []
        ]
    return warnings


def activities_data(*, actor: Actor, register: Register, lang: str | None = None) -> list[Any]:
    """Each of the register's activities as data (`ActivityData`), in the register's order."""
    return [activity_as_data(activity, lang=lang) for activity in activities(actor=actor, register=register)]


def _loaded_and_readable(actor: Actor, activity: ProcessingActivity) -> bool:
    """Whether `activity` came from `activities()`/`access_activity()` (its controller and rows loaded) and the
    actor may read it: `organisation_q`'s read rule (the controller's municipality) checked on the loaded row,
    so a list of activities is not fetched a second time, one by one."""
    cache = getattr(activity, "_prefetched_objects_cache", {})
    if not all(name in cache for name in _PREFETCHED) or not activity.__class__.register.is_cached(activity):
        return False
    scope = actor_scope(actor)
    if scope.is_superuser:
        return True
    controller = activity.register.controller
    return controller.municipality_id in scope.municipalities_with("privacy.view_processingactivity")


def activity_data(*, actor: Actor, activity: ProcessingActivity, lang: str | None = None) -> Any:
    if not _loaded_and_readable(actor, activity):
        activity = access_activity(actor=actor, pk=activity.pk)
    return activity_as_data(activity, lang=lang)


def register_versions(*, actor: Actor, register: Register) -> QuerySet[RegisterVersion]:
    access_register(actor=actor, pk=register.pk)
    return RegisterVersion.objects.filter(register=register).order_by("-number")


def access_register_version(*, actor: Actor, register: Register, number: Any) -> RegisterVersion:
    try:
        return register_versions(actor=actor, register=register).get(number=number)
    except (RegisterVersion.DoesNotExist, *_BAD_ID):
        raise NotFoundError(_("No such register version.")) from None


def version_diff(*, actor: Actor, register: Register, a: int, b: int) -> list[dict[str, Any]]:
    """The field diff from version `a` to version `b`; version 0 is the register as it stands now (the draft)."""

    def content(number: int) -> Any:
        if number == 0:
            # In the language approvals freeze their snapshots in, so labels do not show as changes.
            return register_data(actor=actor, register=register, lang=settings.LANGUAGE_CODE)
        return access_register_version(actor=actor, register=register, number=number).snapshot

    return diff_register_data(content(a), content(b))
