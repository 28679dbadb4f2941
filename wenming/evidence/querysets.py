"""The one access path for evidence: `visible_to(user)`, `editable_by(user)` and `reviewable_by(user)`.

Visibility follows the tasks' (DESIGN.md §5): the 创建办 and leaders see all of their unit's campaign evidence;
liaisons see the unit's and change their own department's; staff see their department's and their own uploads
and change their own uploads (and those on tasks they own). The 创建办 reviews. Evaluators will see approved
material of their assigned campaigns (a later issue); for now they and the 三员 see nothing. Binned items
(回收站) are left out everywhere.
"""

from django.db import models
from django.db.models import Q

from wenming.campaigns.querysets import WIDE_ROLES, unit_for
from wenming.core.recycle import RecyclableQuerySet
from wenming.org.roles import Role


class EvidenceQuerySet(RecyclableQuerySet):
    def _in_unit(self, user, roles=None):
        unit_id = unit_for(user) if roles is None else unit_for(user, roles)
        if not unit_id:
            return None
        return self.alive().filter(campaign__unit_id=unit_id)

    def visible_to(self, user):
        items = self._in_unit(user)
        if items is None:
            return self.none()
        if user.has_role(*WIDE_ROLES):
            return items
        mine = Q(uploader_id=user.pk) | Q(task__owner_id=user.pk)
        if user.department_id:
            mine |= Q(department_id=user.department_id)
        return items.filter(mine)

    def editable_by(self, user):
        """Who may change an item, add or take out files and resubmit it."""
        items = self._in_unit(user)
        if items is None:
            return self.none()
        if user.has_role(Role.OFFICE):
            return items
        allowed = Q(uploader_id=user.pk) | Q(task__owner_id=user.pk)
        if user.has_role(Role.LIAISON) and user.department_id:
            allowed |= Q(department_id=user.department_id)
        return items.filter(allowed)

    def reviewable_by(self, user):
        """The 创建办 approves or returns."""
        items = self._in_unit(user, (Role.OFFICE,))
        return self.none() if items is None else items


class EvidenceFileQuerySet(models.QuerySet):
    def visible_to(self, user):
        from wenming.evidence.models import Evidence

        return self.filter(evidence__in=Evidence.objects.visible_to(user))

    def editable_by(self, user):
        from wenming.evidence.models import Evidence

        return self.filter(evidence__in=Evidence.objects.editable_by(user))


class ArchiveJobQuerySet(models.QuerySet):
    """The compiled archive: the 创建办 builds it; leaders read and download it."""

    def visible_to(self, user):
        unit_id = unit_for(user, (Role.OFFICE, Role.LEADER))
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()
