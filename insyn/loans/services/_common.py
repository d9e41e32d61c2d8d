"""Helpers the loan services share: who the borrower is, the login an action is recorded against."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from insyn.core.actor import Actor
from insyn.core.exceptions import PermissionDeniedError
from insyn.core.permissions import has_org_perm
from insyn.loans.models import Loan


def is_borrower(actor: Actor, loan: Loan) -> bool:
    # Both sides must be a real login: a borrower without one (user_id None) is not "the same" as an anonymous actor.
    actor_pk = getattr(actor, "pk", None)
    return actor_pk is not None and loan.person.user_id == actor_pk


def may_act_for_loan(actor: Actor, loan: Loan, perm: str) -> bool:
    """The borrower, or staff with `perm` in the loan's municipality."""
    return is_borrower(actor, loan) or has_org_perm(actor, perm, loan.kit.municipality)


def login_of(actor: Actor) -> User | None:
    """The login a record names (checked out by, returned to …); the system actor has none."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def required_login(actor: Actor) -> User:
    """The login of an action that must name a person (a checkout, a loss report)."""
    user = login_of(actor)
    if user is None:
        raise PermissionDeniedError(_("This action is recorded in a person's name: log in to do it."))
    return user
