"""The access policy of funding: only the 创建办 and leaders see the money; only the 创建办 changes it.

Liaisons and staff hold no view of it (403 at the door); another unit's people find none of it (404).
Binned budget lines and expenses (回收站) are left out everywhere.
"""

from django.db.models import Q

from wenming.core.recycle import RecyclableQuerySet
from wenming.org.policy import Grant, Policy, RestrictedQuerySet, Via
from wenming.org.roles import Role

READERS = (Role.OFFICE, Role.LEADER)
WRITERS = (Role.OFFICE,)


class BudgetLineQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    policy = Policy(unit="campaign__unit_id", recyclable=True,
                    actions={"view": Grant(READERS), "change": Grant(WRITERS)})


class ExpenseQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    """An expense goes with its budget line: binned with it."""

    policy = Policy(unit="budget_line__campaign__unit_id", recyclable=True, actions={
        "view": Grant(READERS, where=Q(budget_line__deleted_at__isnull=True)),
        "change": Grant(WRITERS, where=Q(budget_line__deleted_at__isnull=True)),
    })


class ReceiptQuerySet(RestrictedQuerySet):
    policy = Policy(unit="expense__budget_line__campaign__unit_id", actions={"view": Via("expense", "view")})
