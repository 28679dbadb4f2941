"""The access policy of organisation data: the unit, its department tree and its people.

Everyone attached to a unit sees the unit, its departments and its people (it is how work is addressed). The
system administrator (系统管理员) keeps departments and accounts; the security administrator (安全管理员) keeps
role assignments.
"""

from wenming.org.policy import Grant, Policy, RestrictedQuerySet
from wenming.org.roles import Role


class UnitQuerySet(RestrictedQuerySet):
    policy = Policy(unit="pk", actions={"view": Grant()})


class DepartmentQuerySet(RestrictedQuerySet):
    policy = Policy(unit="unit_id", actions={"view": Grant(), "change": Grant((Role.ADMIN,))})


class UserQuerySet(RestrictedQuerySet):
    """view (the unit's directory) · change (accounts: the 系统管理员) · roles (assignments: the 安全管理员)."""

    policy = Policy(unit="unit_id", actions={
        "view": Grant(),
        "change": Grant((Role.ADMIN,)),
        "roles": Grant((Role.SECURITY,)),
    })

    def roles_editable_by(self, user):
        return self.restrict(user, "roles")


