"""Reminders before and after the due date: the daily job, safe to run twice."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from insyn.core.models import RoleAssignment
from insyn.loans.models import Loan, LoanStatus, Reminder

logger = logging.getLogger(__name__)
REMINDER_STEPS = ((-7, "before_7"), (0, "due"), (7, "after_7"), (30, "after_30"))


def _secretaries(loan: Loan) -> list[str]:
    """Committee secretaries whose role covers an organ the borrower sits in."""
    assignments = RoleAssignment.objects.filter(role__name="Committee secretary").select_related("user", "organisation")
    emails = set()
    organs = list(loan.person.memberships.select_related("organisation").values_list("organisation__path", flat=True))
    for assignment in assignments.filter(organisation__municipality_id=loan.kit.municipality_id):
        if any(path.startswith(assignment.organisation.path) for path in organs) and assignment.user.email:
            emails.add(assignment.user.email)
    return sorted(emails)


def loans_send_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Daily job: e-mail the official and the committee secretary before and after the due date (once per step)."""
    today = today or timezone.localdate()
    sent = 0
    loans = Loan.objects.filter(status=LoanStatus.ACTIVE, due_date__isnull=False).select_related("person", "kit")
    for loan in loans:
        assert loan.due_date is not None
        days_past = (today - loan.due_date).days
        due_steps = [name for offset, name in REMINDER_STEPS if days_past >= offset]
        if not due_steps:
            continue
        step = due_steps[-1]  # only the latest step reached: no burst of old reminders
        recipients = [e for e in [loan.person.email, *_secretaries(loan)] if e]
        if not recipients:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(loan=loan, due_date=loan.due_date, step=step, sent_to=recipients)
                context = {"loan": loan, "step": step, "days_past": days_past}
                subject = render_to_string("loans/email/reminder_subject.txt", context).strip()
                body = render_to_string("loans/email/reminder_body.txt", context)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        except IntegrityError:
            continue
        sent += 1
    logger.info("loan reminders: %s sent", sent)
    return {"sent": sent}
