"""One object of every privacy kind for a tenant of `tests.security.tenants`, made through the privacy services.

Every name and label carries the municipality's name, so Piteå's carry the marker "Piteå". The notice has a
published version and, after a second activity was added, a draft that only the DPO may see; its draft-only
activity is named with `DRAFT_WORD` so that a public page showing the draft is caught.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from insyn.core.permissions import SYSTEM
from insyn.core.services.organisations import organisation_update
from insyn.loans.tests.conftest import Pitea
from insyn.officials.models import Person

DRAFT_WORD = "Utkastbehandling"  # only in the name of the activity that only the draft notice holds


def _activity(town: str, name: str, local_key: str) -> dict[str, Any]:
    return {
        "name": name,
        "description": f"Behandling i {town}",
        "purposes": [f"Skicka ut beslutsunderlag i {town}"],
        "legal_bases": [{"article": "6.1.e", "reference": "Kommunallagen (2017:725) 6 kap. 6 §"}],
        "data_subject_categories": [{"key": "se.fortroendevald"}],
        "personal_data_categories": [{"key": "user.name"}, {"key": local_key}],
        "sources": ["subject"],
        "recipients": [{"kind": "named", "name": f"Revisorerna i {town}"}],
        "retention": {"text": "Gallras efter 3 år"},
    }


def build_privacy(base: Pitea, name: str, users: dict[str, Any], person: Person) -> dict[type, list[Any]]:
    """A register with an approved activity, a published notice with a draft after it, a request, an extract,
    a breach and a local taxonomy term for the municipality's board (made a GDPR controller here)."""
    from insyn.privacy.models import (
        Breach,
        Notice,
        NoticeVersion,
        ProcessingActivity,
        Register,
        RegisterVersion,
        SubjectExtract,
        SubjectRequest,
        TaxonomyTerm,
    )
    from insyn.privacy.services.breaches import breach_report
    from insyn.privacy.services.notices import notice_generate, notice_publish, notice_set_texts
    from insyn.privacy.services.register import activity_save, register_approve, register_create
    from insyn.privacy.services.requests import request_register
    from insyn.privacy.services.taxonomy import term_create

    town = name.split()[0]
    dpo = users["dpo"]
    organisation_update(actor=SYSTEM, organisation=base.ks, is_controller=True)
    base.ks.refresh_from_db()
    term = term_create(
        actor=dpo,
        municipality=base.municipality,
        kind="data_category",
        key="local.kommunkort",
        label_sv=f"Kommunkort i {town}",
        label_en=f"Municipal card in {town}",
    )
    register = register_create(actor=dpo, controller=base.ks, title=f"Registerförteckning {town}")
    activity = activity_save(
        actor=dpo,
        register=register,
        data=_activity(town, f"Nämndadministration {town}", term.key),  # type: ignore[arg-type]
    )
    version = register_approve(actor=dpo, register=register, note=f"Godkänd i {town}")
    official = TaxonomyTerm.objects.get(kind="subject_category", key="se.fortroendevald", municipality=None)
    first = notice_generate(actor=dpo, controller=base.ks, subject_category=official)
    assert first is not None, "the register names Förtroendevald: a notice draft is made"
    notice_set_texts(
        actor=dpo,
        notice=first.notice,
        titles={"sv": f"Information till förtroendevalda i {town}"},
        intros={"sv": f"Så behandlar {town} dina uppgifter"},
    )
    first.refresh_from_db()
    published = notice_publish(actor=dpo, version=first)
    activity_save(
        actor=dpo,
        register=register,
        data=_activity(town, f"{DRAFT_WORD} {town}", term.key),  # type: ignore[arg-type]
    )
    draft = notice_generate(actor=dpo, controller=base.ks, subject_category=official)
    assert draft is not None and draft.pk != published.pk, "a change of the register makes a new draft"
    request = request_register(
        actor=dpo,
        controller=base.ks,
        kind="access",
        received_at=timezone.now() - dt.timedelta(days=2),
        name=person.name,
        email=f"anna@{town.lower()}.example",
        description=f"Begäran om registerutdrag i {town}",
    )
    breach = breach_report(
        actor=dpo,
        controller=base.ks,
        title=f"Borttappat USB-minne i {town}",
        discovered_at=timezone.now() - dt.timedelta(hours=1),
        description=f"Ett USB-minne med protokoll från {town} saknas",
    )
    objects: dict[type, list[Any]] = {
        TaxonomyTerm: [term],
        Register: [register],
        RegisterVersion: [version],
        ProcessingActivity: list(ProcessingActivity.objects.filter(register=register).order_by("pk")),
        Notice: [published.notice],
        NoticeVersion: [published, draft],
        SubjectRequest: [request],
        Breach: [breach],
        SubjectExtract: [],
    }
    assert objects[ProcessingActivity][0] == activity
    try:
        from insyn.privacy.services.extracts import extract_create
        from insyn.privacy.subject_search import SubjectQuery
    except ImportError:  # the subject search (P6) not there yet: the walks run without an extract
        return objects
    objects[SubjectExtract] = extract_create(
        actor=dpo,
        municipality_id=base.municipality.pk,
        query=SubjectQuery(names=(person.name,)),
        request=request,
        formats=("json",),
    )
    assert objects[SubjectExtract], "an extract was made"
    assert SubjectExtract.objects.filter(request=request).exists()
    return objects
