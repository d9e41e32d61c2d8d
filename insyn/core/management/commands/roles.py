from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from insyn.core import selectors
from insyn.core.exceptions import DomainError
from insyn.core.management.commands._base import ActorCommand
from insyn.core.roles import ROLES
from insyn.core.services.organisations import role_assign, role_revoke


class Command(ActorCommand):
    help = "List, assign or revoke roles within organisations, acting as --user."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        p_list = sub.add_parser("list", help="role assignments the user administers")
        self.add_actor_argument(p_list)
        p_assign = sub.add_parser("assign", help="give a user a role in an organisation and everything below it")
        self.add_actor_argument(p_assign)
        p_assign.add_argument("--to", required=True, help="user name of the user who gets the role")
        p_assign.add_argument("--organisation", type=int, required=True)
        p_assign.add_argument("--role", required=True, choices=[r.code for r in ROLES])
        p_revoke = sub.add_parser("revoke", help="remove a role assignment")
        self.add_actor_argument(p_revoke)
        p_revoke.add_argument("assignment", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.get_actor(options["user"])
        try:
            if options["action"] == "list":
                self.emit(
                    [
                        {"id": a.pk, "user": a.user.username, "role": a.role.name, "organisation": a.organisation.name}
                        for a in selectors.role_assignment_list(actor=actor)
                    ]
                )
            elif options["action"] == "assign":
                try:
                    user = selectors.assignable_users(actor=actor).get(username=options["to"])
                except get_user_model().DoesNotExist:
                    raise CommandError(f"No user {options['to']!r} that you may give a role.") from None
                organisation = selectors.access_organisation(actor=actor, pk=options["organisation"])
                assignment = role_assign(actor=actor, user=user, organisation=organisation, role_code=options["role"])
                self.emit({"id": assignment.pk})
            else:
                assignment = selectors.access_role_assignment(actor=actor, pk=options["assignment"])
                role_revoke(actor=actor, assignment=assignment)
                self.emit({"revoked": options["assignment"]})
        except DomainError as exc:
            raise self.fail(exc) from exc
