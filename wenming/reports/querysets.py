"""The one access path for reports: the 创建办 edits templates and generates reports; leaders read and download.
Everyone else of the unit gets no report content (403 from the role check); other units see nothing (404)."""

from django.db import models

from wenming.campaigns.querysets import unit_for
from wenming.core.recycle import RecyclableQuerySet
from wenming.org.roles import Role

READERS = (Role.OFFICE, Role.LEADER)


class ReportTemplateQuerySet(RecyclableQuerySet):
    """Templates in the recycle bin are left out everywhere."""

    def visible_to(self, user):
        unit_id = unit_for(user, READERS)
        return self.alive().filter(unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.alive().filter(unit_id=unit_id) if unit_id else self.none()


class ReportJobQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user, READERS)
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()
