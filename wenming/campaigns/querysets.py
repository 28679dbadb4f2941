"""The access policy of campaign data (DESIGN.md §5), declared in `wenming.org.policy` terms.

The 创建办 sees and changes everything in its unit's campaigns; leaders see everything and approve; liaisons see the
unit's campaign and change their own department's tasks; staff see their department's tasks (lead or
co-department) and tasks they own, and report progress on tasks they own. The 三员 without a campaign role see
nothing; evaluators see only the campaigns whose opened inspection they are assigned to.
"""

from django.db.models import Q

from wenming.core.recycle import RecyclableQuerySet
from wenming.org.policy import (
    APPROVER_ROLES,
    CAMPAIGN_ROLES,
    WIDE_ROLES,
    Grant,
    Policy,
    RestrictedQuerySet,
    acting_unit,
    by_person,
    either,
    evaluator_rule,
    if_role,
    own_department,
    own_unexpired_upload,
)
from wenming.org.roles import Role

__all__ = ["APPROVER_ROLES", "CAMPAIGN_ROLES", "WIDE_ROLES", "unit_for"]
OFFICE = (Role.OFFICE,)


def unit_for(user, roles=CAMPAIGN_ROLES) -> int | None:
    """The person's unit if they act for it with one of `roles` (by default a campaign role)."""
    return acting_unit(user, roles)


def _assigned_inspections(user, rows):
    """Campaigns whose opened inspection the evaluator is on the team of."""
    assigned = rows.model.objects.filter(assessments__kind="inspection", assessments__team=user,
                                         assessments__status__in=("in_progress", "submitted", "locked"))
    return Q(pk__in=assigned.values("pk"))


class CampaignQuerySet(RestrictedQuerySet):
    policy = Policy(unit="unit_id", actions={
        "view": Grant(CAMPAIGN_ROLES, outside=evaluator_rule(_assigned_inspections)),
        "change": Grant(OFFICE),
    })


class CampaignPartQuerySet(RestrictedQuerySet):
    """Phases, milestones and roster entries: read with the campaign, changed by the 创建办."""

    policy = Policy(unit="campaign__unit_id", actions={
        "view": Grant(CAMPAIGN_ROLES),
        "change": Grant(OFFICE),
    })


def _my_tasks(user, rows):
    """Tasks of the person's department (lead or co-department) and tasks they own."""
    mine = Q(owner_id=user.pk)
    if user.department_id:
        co_tasks = rows.model.co_departments.through.objects.filter(department_id=user.department_id)
        mine |= Q(lead_department_id=user.department_id) | Q(pk__in=co_tasks.values("task_id"))
    return mine


class TaskQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    """Every access path leaves out tasks in the recycle bin; the bin reads them with `in_bin()`.

    view: the unit's campaign members, staff their department's and their own · change (title, departments, dates,
    people): the 创建办, a liaison their department's · progress (report, start, submit, tick off rounds): the
    创建办, the owner and the lead department's liaison · approve (待审核 → 已完成, or return): 创建办 and leaders.
    """

    policy = Policy(unit="campaign__unit_id", recyclable=True, actions={
        "view": Grant(CAMPAIGN_ROLES, wide=WIDE_ROLES, narrow=_my_tasks),
        "change": Grant((Role.OFFICE, Role.LIAISON), wide=OFFICE, narrow=own_department("lead_department_id")),
        "progress": Grant(CAMPAIGN_ROLES, wide=OFFICE, narrow=either(
            by_person("owner_id"), if_role((Role.LIAISON,), own_department("lead_department_id")))),
        "approve": Grant(APPROVER_ROLES),
        "comment": Grant(CAMPAIGN_ROLES, wide=WIDE_ROLES, narrow=_my_tasks),
    })

    def progress_editable_by(self, user):
        return self.restrict(user, "progress")

    def approvable_by(self, user):
        return self.restrict(user, "approve")

    def commentable_by(self, user):
        return self.restrict(user, "comment")


class ImportDraftQuerySet(RestrictedQuerySet):
    policy = Policy(unit="campaign__unit_id", actions={"view": own_unexpired_upload(OFFICE),
                                                       "change": own_unexpired_upload(OFFICE)})
