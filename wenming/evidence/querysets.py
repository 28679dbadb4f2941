"""The access policy of evidence (DESIGN.md §5), declared in `wenming.org.policy` terms.

Visibility follows the tasks': the 创建办 and leaders see all of their unit's campaign evidence; liaisons see the
unit's and change their own department's; staff see their department's and their own uploads and change their own
uploads (and those on tasks they own). The 创建办 reviews. Binned items (回收站) are left out everywhere.
"""

from wenming.core.recycle import RecyclableQuerySet
from wenming.org.policy import (
    CAMPAIGN_ROLES,
    WIDE_ROLES,
    Grant,
    Policy,
    RestrictedQuerySet,
    Via,
    by_person,
    either,
    if_role,
    own_department,
)
from wenming.org.roles import Role

OFFICE = (Role.OFFICE,)


class EvidenceQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    """view · change (the item, its files, resubmission) · review (approve or return: the 创建办)."""

    policy = Policy(unit="campaign__unit_id", recyclable=True, actions={
        "view": Grant(CAMPAIGN_ROLES, wide=WIDE_ROLES, narrow=either(
            by_person("uploader_id", "task__owner_id"), own_department("department_id"))),
        "change": Grant(CAMPAIGN_ROLES, wide=OFFICE, narrow=either(
            by_person("uploader_id", "task__owner_id"), if_role((Role.LIAISON,), own_department("department_id")))),
        "review": Grant(OFFICE),
    })

    def reviewable_by(self, user):
        return self.restrict(user, "review")


class EvidenceFileQuerySet(RestrictedQuerySet):
    policy = Policy(unit="evidence__campaign__unit_id", actions={
        "view": Via("evidence", "view"),
        "change": Via("evidence", "change"),
    })


class ArchiveJobQuerySet(RestrictedQuerySet):
    """The compiled archive: the 创建办 builds it; leaders read and download it."""

    policy = Policy(unit="campaign__unit_id", actions={
        "view": Grant((Role.OFFICE, Role.LEADER)),
        "change": Grant(OFFICE),
    })
