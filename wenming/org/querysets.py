"""The access policy of organisation data: the unit, its department tree and its people.

Everyone attached to a unit sees the unit, its departments and its people (it is how work is addressed). The
system administrator (系统管理员) keeps departments and accounts; the security administrator (安全管理员) keeps
role assignments.
"""

from wenming.org.policy import Grant, Policy, RestrictedQuerySet, own_department
from wenming.org.roles import SEPARATED_ROLES, Role


class UnitQuerySet(RestrictedQuerySet):
    policy = Policy(unit="pk", actions={"view": Grant()})


class DepartmentQuerySet(RestrictedQuerySet):
    """view · change (the 系统管理员) · own (the departments a person may file work under — an activity, evidence,
    a publicity item: every department of the unit for the 创建办, otherwise the person's own department only)."""

    policy = Policy(unit="unit_id", actions={
        "view": Grant(),
        "change": Grant((Role.ADMIN,)),
        "own": Grant(wide=(Role.OFFICE,), narrow=own_department("pk")),
    })

    def ownable_by(self, user):
        return self.restrict(user, "own")


class UserQuerySet(RestrictedQuerySet):
    """view (the unit's directory) · change (accounts: the 系统管理员) · roles (assignments: the 安全管理员)."""

    policy = Policy(unit="unit_id", actions={
        "view": Grant(),
        "change": Grant((Role.ADMIN,)),
        "roles": Grant((Role.SECURITY,)),
    })

    def roles_editable_by(self, user):
        return self.restrict(user, "roles")

    def business_people(self):
        """Who may be given business work — task owners and leaders, activity organisers, the sign-in roster, team
        members, 督办 and notice recipients: active accounts holding none of the 三员 roles (系统管理员, 安全管理员,
        审计管理员 hold no business role, 三员分立). Every business picker starts here."""
        return self.filter(is_active=True).exclude(
            pk__in=self.model.objects.filter(role_assignments__role__in=SEPARATED_ROLES).values("pk"))
