"""The access policy of supervision data.

督办单: the 创建办 and leaders see every order of their unit and issue, close or send back; a liaison sees the
orders addressed to their department and answers them; staff, the 三员 and evaluators see none.
Settings: the 创建办 changes them; leaders read them.
"""

from wenming.org.policy import Grant, Policy, RestrictedQuerySet, own_department
from wenming.org.roles import Role

ISSUER_ROLES = (Role.OFFICE, Role.LEADER)
ORDER_ROLES = (Role.OFFICE, Role.LEADER, Role.LIAISON)


class OrderQuerySet(RestrictedQuerySet):
    """view · change (close or send back: the 创建办 and leaders) · answer (the addressed department's liaison)."""

    policy = Policy(unit="unit_id", actions={
        "view": Grant(ORDER_ROLES, wide=ISSUER_ROLES, narrow=own_department("department_id")),
        "change": Grant(ISSUER_ROLES),
        "answer": Grant((Role.LIAISON,), wide=(), narrow=own_department("department_id")),
    })

    def answerable_by(self, user):
        return self.restrict(user, "answer")


class SettingsQuerySet(RestrictedQuerySet):
    policy = Policy(unit="unit_id", actions={"view": Grant(ISSUER_ROLES), "change": Grant((Role.OFFICE,))})
