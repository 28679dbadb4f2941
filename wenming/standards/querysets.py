"""The one access path for standards: `visible_to(user)` and `editable_by(user)`.

A standard belongs to a unit. People of the unit holding a campaign role read it (the 文明办's evaluators read
their own office's standards); the unit's 创建办 changes it. The 三员 without a campaign role see nothing.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils import timezone

from wenming.org.roles import Role

READER_ROLES = (Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF, Role.EVALUATOR)
EDITOR_ROLES = (Role.OFFICE,)


def _unit_id(user, roles) -> int | None:
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return None
    if not user.unit_id or not user.has_role(*roles):
        return None
    return user.unit_id


class StandardQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = _unit_id(user, READER_ROLES)
        return self.filter(unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = _unit_id(user, EDITOR_ROLES)
        return self.filter(unit_id=unit_id) if unit_id else self.none()


class CriterionQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = _unit_id(user, READER_ROLES)
        return self.filter(standard__unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = _unit_id(user, EDITOR_ROLES)
        return self.filter(standard__unit_id=unit_id) if unit_id else self.none()


class ImportDraftQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An upload is seen only by the person who uploaded it, while it has not expired."""
        if _unit_id(user, EDITOR_ROLES) is None:
            return self.none()
        return self.filter(owner_id=user.pk, unit_id=user.unit_id, expires_at__gt=timezone.now())

    def editable_by(self, user):
        return self.visible_to(user)


class ImportTemplateQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The unit's saved column mappings, used and kept by its 创建办."""
        unit_id = _unit_id(user, EDITOR_ROLES)
        return self.filter(unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        return self.visible_to(user)
