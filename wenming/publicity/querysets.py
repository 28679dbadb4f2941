"""The one access path for publicity.

Everyone of the unit holding a campaign role reads the ledgers and the practice library. The 创建办 changes
everything; a department's liaison registers and changes publicity items of their own department and may add
practices (and change those they added); leaders and staff read. Binned rows (回收站) are left out everywhere.
"""

from django.db import models
from django.db.models import Q

from wenming.campaigns.querysets import CAMPAIGN_ROLES, unit_for
from wenming.core.recycle import RecyclableQuerySet
from wenming.org.roles import Role


class PublicityItemQuerySet(RecyclableQuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user, CAMPAIGN_ROLES)
        return self.alive().filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE, Role.LIAISON))
        if not unit_id:
            return self.none()
        items = self.alive().filter(campaign__unit_id=unit_id)
        if user.has_role(Role.OFFICE):
            return items
        return items.filter(department_id=user.department_id) if user.department_id else self.none()


class PublicityTargetQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user, CAMPAIGN_ROLES)
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()


class SuperiorReportQuerySet(RecyclableQuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user, CAMPAIGN_ROLES)
        return self.alive().filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.alive().filter(campaign__unit_id=unit_id) if unit_id else self.none()


class PracticeQuerySet(RecyclableQuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user, CAMPAIGN_ROLES)
        return self.alive().filter(unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE, Role.LIAISON))
        if not unit_id:
            return self.none()
        items = self.alive().filter(unit_id=unit_id)
        return items if user.has_role(Role.OFFICE) else items.filter(added_by_id=user.pk)

    def tagged(self, tag: str):
        """Rows whose comma-separated tags include `tag` exactly (portable: no database-specific arrays)."""
        return self.filter(Q(tags=tag) | Q(tags__startswith=f"{tag},") | Q(tags__endswith=f",{tag}")
                           | Q(tags__contains=f",{tag},"))
