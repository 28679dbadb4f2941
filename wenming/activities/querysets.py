"""The one access path for activities: `visible_to(user)` and `editable_by(user)`.

Activities are the unit's shared events: every campaign member of the unit (创建办, leaders, liaisons, staff)
sees them and may sign in to them. The 创建办 changes all of them; a liaison changes their department's; the
organiser and whoever registered an activity change it too. Volunteer hours are seen whole by the 创建办,
leaders and liaisons, and by staff for themselves; the 创建办 imports them. Evaluators, the 三员 and other
units see nothing. Binned activities (回收站) are left out everywhere.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from wenming.campaigns.querysets import WIDE_ROLES, unit_for
from wenming.core.recycle import RecyclableQuerySet
from wenming.org.roles import Role


class ActivityKindQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user)
        return self.filter(unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.filter(unit_id=unit_id) if unit_id else self.none()


class ActivityQuerySet(RecyclableQuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user)
        return self.alive().filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        """Who may change an activity, add its documents and manage its attendance."""
        unit_id = unit_for(user)
        if not unit_id:
            return self.none()
        items = self.alive().filter(campaign__unit_id=unit_id)
        if user.has_role(Role.OFFICE):
            return items
        allowed = Q(organiser_id=user.pk) | Q(created_by_id=user.pk)
        if user.has_role(Role.LIAISON) and user.department_id:
            allowed |= Q(department_id=user.department_id)
        return items.filter(allowed)


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        from wenming.activities.models import Activity

        return self.filter(activity__in=Activity.objects.visible_to(user))


class VolunteerRecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user)
        if not unit_id:
            return self.none()
        records = self.filter(campaign__unit_id=unit_id)
        return records if user.has_role(*WIDE_ROLES) else records.filter(person_id=user.pk)

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()


class VolunteerDraftQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A draft is seen only by the 创建办 member who uploaded it, while it has not expired."""
        unit_id = unit_for(user, (Role.OFFICE,))
        if not unit_id:
            return self.none()
        return self.filter(owner_id=user.pk, campaign__unit_id=unit_id, expires_at__gt=timezone.now())
