"""Role changes made by exchange (a settings-only conference import, an account
anonymised at its owner's request), logged like every other: through
`haet.services.set_role`, one "role.granted" / "role.revoked" entry each.

The export names roles by their group ("chairs"); a group that is no role of
haet's (made by hand in the admin) is granted and revoked the same way, with the
same entry under its group name."""

from django.contrib.auth.models import Group

from haet import audit
from haet.models import User
from haet.services import ROLE_GROUPS, set_role

ROLE_OF_GROUP = {group: role for role, group in ROLE_GROUPS.items()}


def grant_group(user: User, name: str) -> None:
    """Give `user` the role the group `name` stands for (nothing when held)."""
    if name in ROLE_OF_GROUP:
        set_role(user, ROLE_OF_GROUP[name], granted=True)
        return
    group, _ = Group.objects.get_or_create(name=name)
    if not user.groups.filter(pk=group.pk).exists():
        user.groups.add(group)
        audit.record("role.granted", user, before={"role": None}, after={"role": name})


def revoke_all(user: User) -> list[str]:
    """Take every role `user` holds; return the group names, in order."""
    names = sorted(user.groups.values_list("name", flat=True))
    for name in names:
        if name in ROLE_OF_GROUP:
            set_role(user, ROLE_OF_GROUP[name], granted=False)
            continue
        user.groups.remove(Group.objects.get(name=name))
        audit.record("role.revoked", user, before={"role": name}, after={"role": None})
    return names
