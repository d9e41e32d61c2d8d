"""The breach register (personuppgiftsincidenter): report, assess, notify, decide, close. Never delete.

Art. 33(1): the supervisory authority (IMY in Sweden, UODO in Poland) within 72 hours of discovery, or the
reasons for the delay; Art. 34: the data subjects, or the reasons for not telling them; Art. 33(5): every
breach documented. The DPO is e-mailed at discovery and again at 48 hours (`breach_reminders`, hourly).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.audit import audit_change, snapshot
from insyn.core.exceptions import ValidationFailed
from insyn.core.models import Organisation
from insyn.core.permissions import require_org_perm
from insyn.core.services import UNCHANGED, Unchanged, changed_fields
from insyn.core.services.organisations import full_clean_or_raise
from insyn.privacy.exceptions import RequestStateError
from insyn.privacy.models import Breach, BreachRisk, BreachStatus, SubjectNotification
from insyn.privacy.selectors.breaches import AUTHORITY_BY_COUNTRY, REMINDER_AFTER, clock, dpo_recipients

ADD = "privacy.add_breach"
CHANGE = "privacy.change_breach"
_REFERENCE_PREFIX = {"SE": "PUI", "PL": "NODO"}
_TEXT_LIMIT = 20_000


def _text(value: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > _TEXT_LIMIT:
        raise ValidationFailed(
            _("%(field)s is too long (at most %(limit)s characters).") % {"field": label, "limit": _TEXT_LIMIT},
            detail={label: ["too_long"]},
        )
    return value


def _lock(breach: Breach) -> Breach:
    return Breach.objects.select_for_update().select_related("controller").get(pk=breach.pk)


def _require_open(breach: Breach) -> None:
    if breach.status == BreachStatus.CLOSED:
        raise RequestStateError(_("This breach is closed; its record stays as it is."))


def _save(actor: Actor, breach: Breach, before: Any, reason: str = "") -> Breach:
    full_clean_or_raise(breach, exclude=["controller", "created_by"])
    breach.save()
    audit_change(actor=actor, instance=breach, before=before, organisation=breach.controller, reason=reason)
    return breach


# --- E-mail to the DPO --------------------------------------------------------------------------------


def _mail(breach: Breach, kind: str, now: dt.datetime) -> int:
    recipients = dpo_recipients(breach.controller)
    if not recipients:
        return 0
    state = clock(breach, now)
    words = {
        "reference": breach.reference,
        "title": breach.title,
        "controller": breach.controller.name,
        "authority": breach.authority,
        "deadline": timezone.localtime(state.deadline).strftime("%Y-%m-%d %H:%M"),
        "hours": max(int(state.remaining.total_seconds() // 3600), 0),
    }
    if kind == "discovery":
        subject = _("Personal data breach %(reference)s reported: %(title)s") % words
        body = _(
            "A personal data breach was reported for %(controller)s: %(title)s (%(reference)s).\n\n"
            "Notify %(authority)s by %(deadline)s (72 hours from discovery), or record why not."
        )
    else:
        subject = _("48 hours gone: breach %(reference)s is not yet notified to %(authority)s") % words
        body = _(
            "Breach %(reference)s (%(title)s) of %(controller)s was discovered 48 hours ago and %(authority)s "
            "has not been notified. %(hours)s hours remain until %(deadline)s."
        )
    send_mail(subject, body % words, settings.DEFAULT_FROM_EMAIL, recipients)
    return 1


def _claim(breach_id: int, field: str, now: dt.datetime) -> Breach | None:
    """Mark the mail as sent before sending it, in one conditional UPDATE: two runs never both send."""
    claimed = Breach.objects.filter(pk=breach_id, **{f"{field}__isnull": True}).update(**{field: now})
    if not claimed:
        return None
    return Breach.objects.select_related("controller").get(pk=breach_id)


def _send_discovery_mail(breach_id: int) -> int:
    now = timezone.now()
    breach = _claim(breach_id, "discovery_mail_sent_at", now)
    return _mail(breach, "discovery", now) if breach is not None else 0


def breach_reminders(*, actor: Actor, now: dt.datetime) -> int:
    """The hourly run: the discovery mail where it was not sent, the 48-hour mail where the authority is not
    yet notified. Returns the number of e-mails sent; each is sent once, however often this runs."""
    del actor  # the system's run: it reads every controller's open breaches
    sent = 0
    for breach_id in Breach.objects.filter(status=BreachStatus.OPEN, discovery_mail_sent_at__isnull=True).values_list(
        "pk", flat=True
    ):
        sent += _send_discovery_mail(breach_id)
    due = Breach.objects.filter(
        status=BreachStatus.OPEN,
        reminder_48h_sent_at__isnull=True,
        authority_notified_at__isnull=True,
        authority_not_notified_reason="",
        discovered_at__lte=now - REMINDER_AFTER,
    ).values_list("pk", flat=True)
    for breach_id in due:
        breach = _claim(breach_id, "reminder_48h_sent_at", now)
        if breach is not None:
            sent += _mail(breach, "reminder", now)
    return sent


# --- The breach -------------------------------------------------------------------------------------


_REFERENCE_ATTEMPTS = 5


def _next_reference(controller: Organisation, year: int) -> str:
    """PUI-<municipality>-<year>-<number>: numbered per municipality, so that no municipality learns how many
    breaches another has had (the references are global, unique, and shown in mails and the API)."""
    municipality = controller.municipality or controller
    prefix = f"{_REFERENCE_PREFIX.get(municipality.country, 'PUI')}-{municipality.pk}-{year}-"
    taken = Breach.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [int(ref.rsplit("-", 1)[1]) for ref in taken if ref.rsplit("-", 1)[1].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _save_numbered(actor: Actor, breach: Breach, year: int) -> None:
    """Save a new breach under the next free reference. Two reports at once read the same highest number
    (a lock on rows that do not exist yet locks nothing): the loser's insert fails on the unique reference,
    its savepoint is rolled back, and it takes the next number."""
    for attempt in range(_REFERENCE_ATTEMPTS):
        breach.reference = _next_reference(breach.controller, year)
        try:
            with transaction.atomic():
                _save(actor, breach, None)
            return
        except (IntegrityError, ValidationFailed):
            # Seen as a unique-constraint error on insert, or by full_clean when the other report committed first.
            taken = Breach.objects.filter(reference=breach.reference).exists()
            if not taken or attempt == _REFERENCE_ATTEMPTS - 1:
                raise
            breach.pk = None  # the insert was rolled back with its savepoint


@transaction.atomic
def breach_report(
    *,
    actor: Actor,
    controller: Organisation,
    title: str,
    discovered_at: dt.datetime,
    description: str,
    occurred_at: dt.datetime | None = None,
    reported_by: str = "",
) -> Breach:
    """Record a breach as soon as it is known; the DPO is e-mailed once the record is committed."""
    require_org_perm(actor, ADD, controller)
    if discovered_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed(_("A breach cannot be discovered in the future."), detail={"discovered_at": ["future"]})
    if occurred_at is not None and occurred_at > discovered_at:
        raise ValidationFailed(
            _("A breach cannot have happened after it was discovered."), detail={"occurred_at": ["after_discovery"]}
        )
    municipality = controller.municipality or controller
    breach = Breach(
        controller=controller,
        title=_text(title, "title"),
        discovered_at=discovered_at,
        occurred_at=occurred_at,
        reported_by=_text(reported_by, "reported_by"),
        description=_text(description, "description"),
        authority=AUTHORITY_BY_COUNTRY.get(municipality.country, AUTHORITY_BY_COUNTRY["SE"]),
        created_by=actor if isinstance(actor, User) and actor.is_authenticated else None,
    )
    _save_numbered(actor, breach, timezone.localtime(discovered_at).year)
    breach_id = breach.pk
    transaction.on_commit(lambda: _send_discovery_mail(breach_id), robust=True)
    return breach


@transaction.atomic
def breach_update(
    *,
    actor: Actor,
    breach: Breach,
    title: str | Unchanged = UNCHANGED,
    description: str | Unchanged = UNCHANGED,
    occurred_at: dt.datetime | Unchanged | None = UNCHANGED,
    reported_by: str | Unchanged = UNCHANGED,
    subjects_count: int | Unchanged | None = UNCHANGED,
    records_count: int | Unchanged | None = UNCHANGED,
    data_categories: Iterable[Any] | Unchanged = UNCHANGED,
    subject_categories: Iterable[Any] | Unchanged = UNCHANGED,
    activities: Iterable[Any] | Unchanged = UNCHANGED,
) -> Breach:
    """What happened, and the data and the subjects affected. The discovery time never changes: the clock
    runs from it."""
    locked = _lock(breach)
    require_org_perm(actor, CHANGE, locked.controller)
    _require_open(locked)
    changes = changed_fields(
        title=title,
        description=description,
        occurred_at=occurred_at,
        reported_by=reported_by,
        subjects_count=subjects_count,
        records_count=records_count,
    )
    before = snapshot(locked)
    for name, value in changes.items():
        setattr(locked, name, _text(value, name) if isinstance(value, str) else value)
    if locked.occurred_at is not None and locked.occurred_at > locked.discovered_at:
        raise ValidationFailed(
            _("A breach cannot have happened after it was discovered."), detail={"occurred_at": ["after_discovery"]}
        )
    _save(actor, locked, before)
    municipality_id = locked.controller.municipality_id or locked.controller_id
    for name, values in (
        ("data_categories", data_categories),
        ("subject_categories", subject_categories),
        ("activities", activities),
    ):
        if isinstance(values, Unchanged):
            continue
        chosen = list(values)
        for obj in chosen:
            if _municipality_of(obj) not in (None, municipality_id):
                raise ValidationFailed(_("Choose from this municipality's register."), detail={name: ["invalid"]})
        getattr(locked, name).set(chosen)
    return locked


def _municipality_of(obj: Any) -> int | None:
    """The municipality of a taxonomy term (None when shared by all) or of a register activity."""
    register = getattr(obj, "register", None)
    if register is not None:
        return int(register.controller.municipality_id or register.controller_id)
    owner = getattr(obj, "municipality_id", None)
    return int(owner) if owner is not None else None


@transaction.atomic
def breach_assess(
    *, actor: Actor, breach: Breach, risk: str, risk_assessment: str, consequences: str = "", measures: str = ""
) -> Breach:
    """The risk to the subjects' rights and freedoms, the likely consequences and the measures."""
    locked = _lock(breach)
    require_org_perm(actor, CHANGE, locked.controller)
    _require_open(locked)
    if risk not in BreachRisk.values or risk == BreachRisk.NOT_ASSESSED:
        raise ValidationFailed(_("Choose the level of risk."), detail={"risk": ["required"]})
    if not (risk_assessment or "").strip():
        raise ValidationFailed(_("Write the risk assessment."), detail={"risk_assessment": ["required"]})
    before = snapshot(locked)
    locked.risk = risk
    locked.risk_assessment = _text(risk_assessment, "risk_assessment")
    locked.consequences = _text(consequences, "consequences")
    locked.measures = _text(measures, "measures")
    return _save(actor, locked, before)


@transaction.atomic
def breach_notify_authority(
    *,
    actor: Actor,
    breach: Breach,
    notified_at: dt.datetime | None = None,
    authority_reference: str = "",
    late_reason: str = "",
    not_notified_reason: str = "",
) -> Breach:
    """Record the notification to IMY/UODO (a reason is required after 72 hours), or, with
    `not_notified_reason` and no `notified_at`, the decision that the breach is unlikely to be a risk."""
    locked = _lock(breach)
    require_org_perm(actor, CHANGE, locked.controller)
    _require_open(locked)
    if locked.authority_notified_at is not None:
        raise RequestStateError(_("The authority has already been notified of this breach."))
    before = snapshot(locked)
    if notified_at is None:
        if not not_notified_reason.strip():
            raise ValidationFailed(
                _("Give the date of the notification, or the reasons for not notifying the authority."),
                detail={"authority_not_notified_reason": ["required"]},
            )
        if locked.risk not in (BreachRisk.UNLIKELY,):
            raise ValidationFailed(
                _("Only a breach assessed as unlikely to result in a risk may go unreported to the authority."),
                detail={"risk": ["not_unlikely"]},
            )
        locked.authority_not_notified_reason = _text(not_notified_reason, "authority_not_notified_reason")
        return _save(actor, locked, before)
    if notified_at < locked.discovered_at:
        raise ValidationFailed(
            _("The authority cannot be notified before the breach was discovered."),
            detail={"notified_at": ["before_discovery"]},
        )
    if notified_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationFailed(_("The notification cannot be in the future."), detail={"notified_at": ["future"]})
    if notified_at > clock(locked, notified_at).deadline and not late_reason.strip():
        raise ValidationFailed(
            _("The notification is later than 72 hours after discovery: give the reasons for the delay."),
            detail={"late_reason": ["required"]},
        )
    locked.authority_notified_at = notified_at
    locked.authority_reference = _text(authority_reference, "authority_reference")[:100]
    locked.late_reason = _text(late_reason, "late_reason")
    locked.authority_not_notified_reason = ""
    return _save(actor, locked, before)


@transaction.atomic
def breach_decide_subjects(
    *, actor: Actor, breach: Breach, notify: bool, reason: str = "", notified_at: dt.datetime | None = None
) -> Breach:
    """Art. 34: the subjects were told (when), or the decision not to tell them, with its reasons."""
    locked = _lock(breach)
    require_org_perm(actor, CHANGE, locked.controller)
    _require_open(locked)
    before = snapshot(locked)
    if notify:
        locked.subject_notification = SubjectNotification.NOTIFIED
        locked.subjects_notified_at = notified_at or timezone.now()
    else:
        if not (reason or "").strip():
            raise ValidationFailed(
                _("Give the reasons for not notifying the data subjects."),
                detail={"subject_notification_reason": ["required"]},
            )
        locked.subject_notification = SubjectNotification.NOT_NOTIFIED
        locked.subjects_notified_at = None
    locked.subject_notification_reason = _text(reason, "subject_notification_reason")
    return _save(actor, locked, before)


@transaction.atomic
def breach_close(*, actor: Actor, breach: Breach) -> Breach:
    """Close a breach once it is assessed and both notifications are decided; the record stays for ever."""
    locked = _lock(breach)
    require_org_perm(actor, CHANGE, locked.controller)
    _require_open(locked)
    missing = []
    if not locked.risk:
        missing.append("risk")
    if locked.authority_notified_at is None and not locked.authority_not_notified_reason:
        missing.append("authority")
    if not locked.subject_notification:
        missing.append("subject_notification")
    if missing:
        raise ValidationFailed(
            _("Assess the risk and decide both notifications before closing the breach."), detail={"missing": missing}
        )
    before = snapshot(locked)
    locked.status = BreachStatus.CLOSED
    return _save(actor, locked, before)
