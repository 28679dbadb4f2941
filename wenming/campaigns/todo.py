"""The 工作台's to-do lines about tasks (see `wenming.core.todo`): one COUNT query per line."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.campaigns import selectors
from wenming.campaigns.models import Task
from wenming.campaigns.querysets import CAMPAIGN_ROLES
from wenming.core.todo import Todo
from wenming.org.roles import Role


def items(*, user) -> list[Todo]:
    if not user.has_role(*CAMPAIGN_ROLES):
        return []
    campaign = selectors.current_campaign(user=user)  # read once per data revision; the header shares it
    if campaign is None:
        return []
    day = selectors.today()
    week_end = day + timedelta(days=6 - day.weekday())
    tasks = selectors._with_due(Task.objects.visible_to(user).filter(campaign=campaign), day).exclude(
        status=Task.Status.DONE)
    result = []
    if user.has_role(Role.LIAISON, Role.STAFF) and not user.has_role(Role.OFFICE, Role.LEADER):
        responsible = Q(owner_id=user.pk)
        if user.has_role(Role.LIAISON) and user.department_id:
            responsible |= Q(lead_department_id=user.department_id)
        due = tasks.filter(responsible, next_due__lte=week_end).exclude(status=Task.Status.IN_REVIEW).count()
        result.append(Todo(_("本周到期和已逾期的任务"), reverse("campaigns:my_work") + "#due-soon", due,
                           "calendar-days", 10, urgent=True))
    if user.has_role(Role.OFFICE):
        late = tasks.filter(selectors._overdue_q(day)).count()
        result.append(Todo(_("逾期任务"), reverse("campaigns:tasks", args=[campaign.pk]) + "?overdue=1", late,
                           "timer", 20, urgent=True))
    if user.has_role(Role.OFFICE, Role.LEADER):
        review = tasks.filter(status=Task.Status.IN_REVIEW)
        if not user.has_role(Role.OFFICE):
            review = review.filter(Q(supervisor_id=user.pk) | Q(supervisor__isnull=True))
        result.append(Todo(_("待我审核的任务"), reverse("campaigns:my_work") + "#to-review", review.count(),
                           "clipboard-check", 15))
    return result
