"""The one access path for organisation data: `visible_to(user)` and `editable_by(user)`."""

from django.contrib.auth.models import AnonymousUser
from django.db import models

from wenming.org.roles import SEPARATED_ROLES, Role


def _unit_id(user) -> int | None:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return None
    return user.unit_id


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = _unit_id(user)
        return self.filter(pk=unit_id) if unit_id else self.none()


class DepartmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everyone in a unit sees its department tree (it is how work is addressed)."""
        unit_id = _unit_id(user)
        return self.filter(unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        if not _unit_id(user) or not user.has_role(Role.ADMIN):
            return self.none()
        return self.visible_to(user)

    def ownable_by(self, user):
        """The departments a person may file work under (an activity, evidence, a publicity item): every department
        of the unit for the 创建办, otherwise the person's own department only."""
        unit_id = _unit_id(user)
        if not unit_id:
            return self.none()
        if user.has_role(Role.OFFICE):
            return self.filter(unit_id=unit_id)
        return self.filter(unit_id=unit_id, pk=user.department_id) if user.department_id else self.none()


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The unit's directory: colleagues of the same unit, nobody else's."""
        unit_id = _unit_id(user)
        return self.filter(unit_id=unit_id) if unit_id else self.none()

    def business_people(self):
        """Who may be given business work — task owners and leaders, activity organisers, the sign-in roster, team
        members, 督办 and notice recipients: active accounts holding none of the 三员 roles (系统管理员, 安全管理员,
        审计管理员 hold no business role, 三员分立). Every business picker starts here."""
        return self.filter(is_active=True).exclude(
            pk__in=self.model.objects.filter(role_assignments__role__in=SEPARATED_ROLES).values("pk"))

    def editable_by(self, user):
        """Accounts are kept by the unit's system administrator (系统管理员)."""
        if not _unit_id(user) or not user.has_role(Role.ADMIN):
            return self.none()
        return self.visible_to(user)

    def roles_editable_by(self, user):
        """Role assignments are kept by the security administrator (安全管理员)."""
        if not _unit_id(user) or not user.has_role(Role.SECURITY):
            return self.none()
        return self.visible_to(user)
