"""The one access path for campaign data: `visible_to(user)`, `editable_by(user)` and the task's narrower
`progress_editable_by(user)` (who may report progress) and `approvable_by(user)` (who may approve or return).

DESIGN.md §5: the 创建办 sees and changes everything in its unit's campaigns; leaders see everything and approve;
liaisons see the unit's campaign and change their own department's tasks; staff see their department's tasks
(lead or co-department) and tasks they own, and report progress on tasks they own. The 三员 without a campaign
role see nothing; evaluators see only the campaigns whose opened inspection (assessments) they are assigned to.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils import timezone

from wenming.core.recycle import RecyclableQuerySet
from wenming.org.roles import Role

CAMPAIGN_ROLES = (Role.OFFICE, Role.LEADER, Role.LIAISON, Role.STAFF)
WIDE_ROLES = (Role.OFFICE, Role.LEADER, Role.LIAISON)  # see every task of the unit's campaigns
APPROVER_ROLES = (Role.OFFICE, Role.LEADER)


def unit_for(user, roles=CAMPAIGN_ROLES) -> int | None:
    """The person's unit if they are signed in, active and hold one of `roles`; otherwise None."""
    if user is None or isinstance(user, AnonymousUser) or not user.is_authenticated or not user.is_active:
        return None
    if not user.unit_id or not user.has_role(*roles):
        return None
    return user.unit_id


class CampaignQuerySet(models.QuerySet):
    def visible_to(self, user):
        unit_id = unit_for(user)
        if unit_id:
            return self.filter(unit_id=unit_id)
        from wenming.assessments.querysets import is_evaluator

        if is_evaluator(user):  # an evaluator sees the campaigns whose opened inspection it is assigned to
            return self.filter(pk__in=self.model.objects.filter(
                assessments__kind="inspection", assessments__team=user,
                assessments__status__in=("in_progress", "submitted", "locked")).values("pk"))
        return self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.filter(unit_id=unit_id) if unit_id else self.none()


class CampaignPartQuerySet(models.QuerySet):
    """Phases, milestones and roster entries: read with the campaign, changed by the 创建办."""

    def visible_to(self, user):
        unit_id = unit_for(user)
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def editable_by(self, user):
        unit_id = unit_for(user, (Role.OFFICE,))
        return self.filter(campaign__unit_id=unit_id) if unit_id else self.none()


class TaskQuerySet(RecyclableQuerySet):
    """Every access path leaves out tasks in the recycle bin; the bin reads them with `in_bin()`."""

    def visible_to(self, user):
        unit_id = unit_for(user)
        if not unit_id:
            return self.none()
        tasks = self.alive().filter(campaign__unit_id=unit_id)
        if user.has_role(*WIDE_ROLES):
            return tasks
        return tasks.filter(self._mine(user))

    def _mine(self, user) -> Q:
        """Tasks of the person's department (lead or co-department) and tasks they own."""
        mine = Q(owner_id=user.pk)
        if user.department_id:
            co_tasks = self.model.co_departments.through.objects.filter(department_id=user.department_id)
            mine |= Q(lead_department_id=user.department_id) | Q(pk__in=co_tasks.values("task_id"))
        return mine

    def editable_by(self, user):
        """Who may change the task itself (title, departments, dates, people)."""
        unit_id = unit_for(user, (Role.OFFICE, Role.LIAISON))
        if not unit_id:
            return self.none()
        tasks = self.alive().filter(campaign__unit_id=unit_id)
        if user.has_role(Role.OFFICE):
            return tasks
        if not user.department_id:
            return self.none()
        return tasks.filter(lead_department_id=user.department_id)

    def progress_editable_by(self, user):
        """Who may report progress, start, submit for review and tick off rounds: editors and the owner."""
        unit_id = unit_for(user)
        if not unit_id:
            return self.none()
        tasks = self.alive().filter(campaign__unit_id=unit_id)
        if user.has_role(Role.OFFICE):
            return tasks
        allowed = Q(owner_id=user.pk)
        if user.has_role(Role.LIAISON) and user.department_id:
            allowed |= Q(lead_department_id=user.department_id)
        return tasks.filter(allowed)

    def approvable_by(self, user):
        """Who may approve (待审核 → 已完成) or return a task: the 创建办 and the leaders."""
        unit_id = unit_for(user, APPROVER_ROLES)
        return self.alive().filter(campaign__unit_id=unit_id) if unit_id else self.none()

    def commentable_by(self, user):
        return self.visible_to(user)


class ImportDraftQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An upload is seen only by the 创建办 member who uploaded it, while it has not expired."""
        unit_id = unit_for(user, (Role.OFFICE,))
        if not unit_id:
            return self.none()
        return self.filter(owner_id=user.pk, campaign__unit_id=unit_id, expires_at__gt=timezone.now())

    def editable_by(self, user):
        return self.visible_to(user)
