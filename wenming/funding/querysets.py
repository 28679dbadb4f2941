"""The one access path for funding: only the 创建办 and leaders see the money; only the 创建办 changes it.

Liaisons and staff hold no view of it (403 at the door); another unit's people find none of it (404).
Binned budget lines and expenses (回收站) are left out everywhere.
"""

from django.db import models

from wenming.campaigns.querysets import unit_for
from wenming.core.recycle import RecyclableQuerySet
from wenming.org.roles import Role

READERS = (Role.OFFICE, Role.LEADER)
WRITERS = (Role.OFFICE,)


class BudgetLineQuerySet(RecyclableQuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user, READERS)
        return self.alive().filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, WRITERS)
        return self.alive().filter(campaign__unit_id=unit_id) if unit_id else self.none()


class ExpenseQuerySet(RecyclableQuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user, READERS)
        if not unit_id:
            return self.none()
        return self.alive().filter(budget_line__campaign__unit_id=unit_id, budget_line__deleted_at__isnull=True)

    def editable_by(self, user):
        unit_id = unit_for(user, WRITERS)
        if not unit_id:
            return self.none()
        return self.alive().filter(budget_line__campaign__unit_id=unit_id, budget_line__deleted_at__isnull=True)


class ReceiptQuerySet(models.QuerySet):
    def visible_to(self, user):
        from wenming.funding.models import Expense

        return self.filter(expense__in=Expense.objects.visible_to(user))
