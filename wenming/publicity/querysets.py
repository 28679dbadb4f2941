"""The access policy of publicity.

Everyone of the unit holding a campaign role reads the ledgers and the practice library. The 创建办 changes
everything; a department's liaison registers and changes publicity items of their own department and may add
practices (and change those they added); leaders and staff read. Binned rows (回收站) are left out everywhere.
"""

from django.db.models import Q

from wenming.core.recycle import RecyclableQuerySet
from wenming.org.policy import CAMPAIGN_ROLES, Grant, Policy, RestrictedQuerySet, by_person, own_department
from wenming.org.roles import Role

OFFICE = (Role.OFFICE,)
CONTRIBUTORS = (Role.OFFICE, Role.LIAISON)


class PublicityItemQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    policy = Policy(unit="campaign__unit_id", recyclable=True, actions={
        "view": Grant(CAMPAIGN_ROLES),
        "change": Grant(CONTRIBUTORS, wide=OFFICE, narrow=own_department("department_id")),
    })


class PublicityTargetQuerySet(RestrictedQuerySet):
    policy = Policy(unit="campaign__unit_id", actions={"view": Grant(CAMPAIGN_ROLES), "change": Grant(OFFICE)})


class SuperiorReportQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    policy = Policy(unit="campaign__unit_id", recyclable=True,
                    actions={"view": Grant(CAMPAIGN_ROLES), "change": Grant(OFFICE)})


class PracticeQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    policy = Policy(unit="unit_id", recyclable=True, actions={
        "view": Grant(CAMPAIGN_ROLES),
        "change": Grant(CONTRIBUTORS, wide=OFFICE, narrow=by_person("added_by_id")),
    })

    def tagged(self, tag: str):
        """Rows whose comma-separated tags include `tag` exactly (portable: no database-specific arrays)."""
        return self.filter(Q(tags=tag) | Q(tags__startswith=f"{tag},") | Q(tags__endswith=f",{tag}")
                           | Q(tags__contains=f",{tag},"))
