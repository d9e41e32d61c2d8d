"""Create or update the permission group of every role (run after migrate, by `insyn demo` and `make run`)."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from insyn.core.roles import ROLES


def sync_roles(using: str = "default") -> dict[str, int]:
    counts = {}
    for role in ROLES:
        group, _ = Group.objects.using(using).get_or_create(name=role.group_name)
        perms = []
        for perm in role.permissions:
            app_label, codename = perm.split(".", 1)
            perms.append(Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(perms)
        counts[role.code] = len(perms)
    return counts
