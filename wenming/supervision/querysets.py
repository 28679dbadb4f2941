"""The one access path for supervision data.

督办单: the 创建办 and leaders see every order of their unit and issue, close or send back; a liaison sees the
orders addressed to their department and answers them; staff, the 三员 and evaluators see none.
Settings: the 创建办 changes them; leaders read them.
"""

from django.db import models

from wenming.campaigns.querysets import unit_for
from wenming.org.roles import Role

ISSUER_ROLES = (Role.OFFICE, Role.LEADER)
ORDER_ROLES = (Role.OFFICE, Role.LEADER, Role.LIAISON)


class OrderQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user, ORDER_ROLES)
        if not unit_id:
            return self.none()
        orders = self.filter(unit_id=unit_id)
        if user.has_role(*ISSUER_ROLES):
            return orders
        if not user.department_id:
            return self.none()
        return orders.filter(department_id=user.department_id)

    def editable_by(self, user):
        """Who may close an order or send it back: the 创建办 and the unit's leaders."""
        unit_id = unit_for(user, ISSUER_ROLES)
        return self.filter(unit_id=unit_id) if unit_id else self.none()

    def answerable_by(self, user):
        """Who may answer: the liaison of the department the order is addressed to."""
        unit_id = unit_for(user, (Role.LIAISON,))
        if not unit_id or not user.department_id:
            return self.none()
        return self.filter(unit_id=unit_id, department_id=user.department_id)


class SettingsQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user, ISSUER_ROLES)
        return self.filter(unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.filter(unit_id=unit_id) if unit_id else self.none()
