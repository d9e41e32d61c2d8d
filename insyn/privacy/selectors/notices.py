"""Reads of privacy notices: the public's (published versions only) and the staff's (scoped by organisation)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.text import slugify
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.exceptions import NotFoundError
from insyn.core.models import Organisation
from insyn.core.permissions import has_org_perm, organisation_q
from insyn.privacy.models import (
    Notice,
    NoticeStatus,
    NoticeVersion,
    ProcessingActivity,
    Register,
    RegisterKind,
    TaxonomyTerm,
    TermKind,
)

VIEW = "privacy.view_notice"
PUBLISH = "privacy.publish_notice"


def _not_found() -> NotFoundError:
    return NotFoundError(_("No such privacy notice."))


# --- Staff ---------------------------------------------------------------------------------------------


def notice_list(*, actor: Actor) -> QuerySet[Notice]:
    return (
        Notice.objects.filter(organisation_q(actor, VIEW, prefix="controller__"))
        .select_related("controller", "controller__municipality", "subject_category")
        .order_by("controller__path", "slug")
    )


def access_notice(*, actor: Actor, pk: Any) -> Notice:
    try:
        return notice_list(actor=actor).get(pk=int(pk))
    except (Notice.DoesNotExist, TypeError, ValueError):
        raise _not_found() from None


def access_notice_version(*, actor: Actor, pk: Any) -> NoticeVersion:
    try:
        return (
            NoticeVersion.objects.filter(organisation_q(actor, VIEW, prefix="notice__controller__"))
            .select_related("notice", "notice__controller", "notice__subject_category")
            .get(pk=int(pk))
        )
    except (NoticeVersion.DoesNotExist, TypeError, ValueError):
        raise _not_found() from None


def notice_versions(*, actor: Actor, notice: Notice) -> QuerySet[NoticeVersion]:
    access_notice(actor=actor, pk=notice.pk)
    return notice.versions.order_by("-number")


def can_publish(*, actor: Actor, notice: Notice) -> bool:
    return has_org_perm(actor, PUBLISH, notice.controller)


def previous_version(version: NoticeVersion) -> NoticeVersion | None:
    """The version a diff compares with: the last one published before it (or the published one, for a draft)."""
    return (
        version.notice.versions.filter(number__lt=version.number)
        .filter(Q(status=NoticeStatus.PUBLISHED) | Q(status=NoticeStatus.SUPERSEDED))
        .order_by("-number")
        .first()
    )


# --- What generation reads (the services call these with their actor) ------------------------------------


def controller_register(*, controller_id: int) -> Register | None:
    return Register.objects.filter(controller_id=controller_id, kind=RegisterKind.CONTROLLER).first()


def notice_activities(*, controller_id: int, subject_category_id: int) -> list[ProcessingActivity]:
    """The controller's activities about the category, once each, in register order."""
    return list(
        ProcessingActivity.objects.filter(
            register__controller_id=controller_id,
            register__kind=RegisterKind.CONTROLLER,
            subjects__category_id=subject_category_id,
        )
        .distinct()
        .order_by("position", "pk")
        .prefetch_related(
            "legal_bases",
            "subjects__category",
            "data__category",
            "data__subject__category",
            "recipients",
            "processors",
            "transfers",
            "systems",
        )
    )


def controller_subject_categories(*, controller_id: int) -> list[TaxonomyTerm]:
    """Every category the controller's register names, and those it has notices for (an emptied one is redone)."""
    named = TaxonomyTerm.objects.filter(
        Q(
            pk__in=ProcessingActivity.objects.filter(
                register__controller_id=controller_id, register__kind=RegisterKind.CONTROLLER
            ).values("subjects__category")
        )
        | Q(pk__in=Notice.objects.filter(controller_id=controller_id).values("subject_category")),
        kind=TermKind.SUBJECT_CATEGORY,
    )
    return list(named.order_by("position", "key"))


def controllers_linked_to_plan(*, plan_id: int, organisation_id: int | None) -> list[int]:
    """Controllers whose activities link rows of the plan, of its predecessor or of the organisation's plans."""
    plans = Q(document_types__plan_id=plan_id) | Q(document_types__plan__next_versions__pk=plan_id)
    if organisation_id:
        plans |= Q(document_types__plan__organisation_id=organisation_id)
    return sorted(
        set(ProcessingActivity.objects.filter(plans).values_list("register__controller_id", flat=True).distinct())
    )


def find_controller(*, actor: Actor, spec: str) -> Organisation:
    """ "Piteå kommun/Kommunstyrelsen" → the organ, if the actor may see its notices."""
    municipality, _sep, organ = (spec or "").partition("/")
    candidates = Organisation.objects.filter(
        organisation_q(actor, VIEW, prefix=""),
        name__iexact=organ.strip(),
        municipality__name__iexact=municipality.strip(),
    )
    found = candidates.first()
    if found is None:
        raise NotFoundError(_("No controller “%(spec)s” that you may see.") % {"spec": spec})
    return found


def find_subject_category(*, controller: Organisation, label: str) -> TaxonomyTerm:
    """A data-subject category by key or by its label in any language (built-in or the municipality's own)."""
    text = (label or "").strip()
    terms = TaxonomyTerm.objects.filter(kind=TermKind.SUBJECT_CATEGORY).filter(
        Q(municipality__isnull=True) | Q(municipality_id=controller.municipality_id)
    )
    term = terms.filter(
        Q(key__iexact=text) | Q(label_sv__iexact=text) | Q(label_pl__iexact=text) | Q(label_en__iexact=text)
    ).first()
    if term is None:
        raise NotFoundError(_("No data-subject category “%(label)s”.") % {"label": label})
    return term


# --- The public ------------------------------------------------------------------------------------------


def published_versions() -> QuerySet[NoticeVersion]:
    return (
        NoticeVersion.objects.filter(status=NoticeStatus.PUBLISHED)
        .select_related("notice", "notice__controller", "notice__controller__municipality", "notice__subject_category")
        .order_by("notice__controller__municipality__name", "notice__controller__name", "notice__slug")
    )


def _slug_table(peers: Iterable[tuple[int, str]]) -> dict[int, str]:
    """pk → address part among organisations at the same level (Habo kommun and Håbo kommun both slugify to
    "habo-kommun"): the oldest (lowest pk) keeps the plain slug, so no existing address changes when a namesake
    is added; each later one gets "--<pk>", which slugify never makes ("--" collapses), so the result is unique."""
    table: dict[int, str] = {}
    taken: set[str] = set()
    for pk, name in sorted(peers):
        base = slugify(name)
        if base and base not in taken:
            taken.add(base)
            table[pk] = base
        else:
            table[pk] = f"{base or 'org'}--{pk}"
    return table


def _municipality_slugs() -> dict[int, str]:
    return _slug_table(Organisation.objects.filter(parent__isnull=True).values_list("pk", "name"))


def _controller_slugs(municipality_id: int) -> dict[int, str]:
    peers = Organisation.objects.filter(Q(municipality_id=municipality_id) | Q(pk=municipality_id))
    return _slug_table(peers.values_list("pk", "name"))


def _root_id(controller: Organisation) -> int:
    return controller.municipality_id or controller.pk


def public_addresses(notices: Iterable[Notice]) -> dict[int, tuple[str, str, str]]:
    """notice pk → (municipality, controller, notice) parts of its public address, for many notices at once."""
    notices = list(notices)
    roots = _municipality_slugs()
    by_root: dict[int, dict[int, str]] = {}
    addresses = {}
    for notice in notices:
        root = _root_id(notice.controller)
        if root not in by_root:
            by_root[root] = _controller_slugs(root)
        municipality = roots.get(root) or f"org--{root}"
        controller = by_root[root].get(notice.controller_id) or f"org--{notice.controller_id}"
        addresses[notice.pk] = (municipality, controller, notice.slug)
    return addresses


def slugs_of(notice: Notice) -> tuple[str, str, str]:
    # A notice `public_notice` found by its address carries it: the page's links (one per version on the
    # history page) then need no slug tables read again.
    known: tuple[str, str, str] | None = getattr(notice, "public_address", None)
    return known if known is not None else public_addresses([notice])[notice.pk]


def _pk_of(table: dict[int, str], slug: str) -> int | None:
    return next((pk for pk, value in table.items() if value == slug), None)


def public_notice(*, municipality: str, controller: str, notice: str) -> Notice:
    """A notice that has a published version, by the slugs of its address; NotFoundError otherwise."""
    root = _pk_of(_municipality_slugs(), municipality)
    organ = _pk_of(_controller_slugs(root), controller) if root is not None else None
    if organ is None:
        raise _not_found()
    for version in published_versions().filter(notice__slug=notice, notice__controller_id=organ):
        if _root_id(version.notice.controller) == root:
            found = version.notice
            found.public_address = (municipality, controller, notice)  # type: ignore[attr-defined]
            return found
    raise _not_found()


def public_version(*, notice: Notice, number: int | None = None) -> NoticeVersion:
    """The published version, or an earlier published one by number: drafts and discarded ones never."""
    versions = notice.versions.filter(status__in=[NoticeStatus.PUBLISHED, NoticeStatus.SUPERSEDED])
    found = versions.filter(number=number).first() if number else versions.filter(status="published").first()
    if found is None:
        raise _not_found()
    return found


def public_history(*, notice: Notice) -> list[NoticeVersion]:
    return list(
        notice.versions.filter(status__in=[NoticeStatus.PUBLISHED, NoticeStatus.SUPERSEDED]).order_by("-number")
    )


def notice_preview(*, actor: Actor, controller: Organisation, subject_category: TaxonomyTerm) -> dict[str, Any]:
    """The notice as the register would make it now, per language, without writing anything (CLI, admin)."""
    from insyn.privacy import notice_builder

    if not Organisation.objects.filter(organisation_q(actor, VIEW, prefix=""), pk=controller.pk).exists():
        raise _not_found()
    notice = Notice.objects.filter(controller=controller, subject_category=subject_category).first()
    if notice is None:
        notice = Notice(controller=controller, subject_category=subject_category, slug="")
    activities = notice_activities(controller_id=controller.pk, subject_category_id=subject_category.pk)
    register = controller_register(controller_id=controller.pk)
    return notice_builder.build_all(notice=notice, activities=activities, register=register)


def access_version_by_number(*, actor: Actor, notice_pk: Any, number: Any) -> NoticeVersion:
    notice = access_notice(actor=actor, pk=notice_pk)
    found = notice.versions.filter(number=number).first()
    if found is None:
        raise _not_found()
    return found


def access_controller(*, actor: Actor, pk: Any) -> Organisation:
    """An organ whose notices the actor may see; the same error for missing and not theirs."""
    try:
        return Organisation.objects.filter(organisation_q(actor, VIEW, prefix="")).get(pk=int(pk))
    except (Organisation.DoesNotExist, TypeError, ValueError):
        raise NotFoundError(_("No such controller.")) from None


def access_subject_category(*, controller: Organisation, key: str) -> TaxonomyTerm:
    return find_subject_category(controller=controller, label=key)
