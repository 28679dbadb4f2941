"""到期提醒 — what is due, for whom, worded: open tasks (and unfinished rounds of recurring tasks) due within the
unit's days or overdue, for their owners; 节点 not yet done, for the unit's 创建办. The reminders live with the
tasks; the notifications app delivers them (`wenming.notifications.services.reminders_send`: once per item, person
and day, through the person's channels)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.campaigns.models import Campaign, Milestone, Task, TaskOccurrence
from wenming.org.models import User
from wenming.org.roles import Role

DEFAULT_DAYS = 3


@dataclass(frozen=True)
class Reminder:
    recipient: User
    item: str  # "task:12", "occurrence:3", "milestone:7": once per item, person and day
    verb: str
    title: str
    body: str
    url: str


def due_reminders(today: date, days_by_unit: dict[int, int]) -> list[Reminder]:
    """Every reminder due today; `days_by_unit`: how many days ahead each unit is reminded (else 3)."""
    longest = max([DEFAULT_DAYS, *days_by_unit.values()])
    return _task_reminders(today, days_by_unit, longest) + _milestone_reminders(today, days_by_unit, longest)


def _task_reminders(today: date, days_by_unit: dict, longest: int) -> list[Reminder]:
    tasks = (Task.objects.alive().filter(status__in=Task.OPEN_STATUSES, owner__isnull=False,
                                         due_on__isnull=False, due_on__lte=today + timedelta(days=longest),
                                         campaign__status=Campaign.Status.ACTIVE)
             .select_related("campaign", "owner"))
    items = [(f"task:{task.pk}", task, task.due_on) for task in tasks]
    rounds = (TaskOccurrence.objects.filter(done_at__isnull=True, task__deleted_at__isnull=True,
                                            task__owner__isnull=False, due_on__lte=today + timedelta(days=longest),
                                            task__status__in=Task.OPEN_STATUSES,
                                            task__campaign__status=Campaign.Status.ACTIVE)
              .select_related("task__campaign", "task__owner"))
    items += [(f"occurrence:{row.pk}", row.task, row.due_on) for row in rounds]
    found = []
    for key, task, due_on in items:
        left = (due_on - today).days
        if left > days_by_unit.get(task.campaign.unit_id, DEFAULT_DAYS):
            continue
        if left < 0:
            verb, title = "notifications.reminder_overdue", _("任务已逾期 %(n)d 天：%(title)s") % {
                "n": -left, "title": task.title[:150]}
        else:
            verb, title = "notifications.reminder_due", (
                _("任务今天到期：%(title)s") % {"title": task.title[:150]} if left == 0 else
                _("任务还有 %(n)d 天到期：%(title)s") % {"n": left, "title": task.title[:150]})
        found.append(Reminder(recipient=task.owner, item=key, verb=verb, title=title,
                              body=_("完成时限：%(due)s") % {"due": due_on.isoformat()},
                              url=reverse("campaigns:task", args=[task.pk])))
    return found


def _milestone_reminders(today: date, days_by_unit: dict, longest: int) -> list[Reminder]:
    """节点 (the mobilisation meeting, the self-check, the inspection) not yet marked done, within the unit's days
    or past: the unit's 创建办."""
    milestones = list(Milestone.objects.filter(done=False, due_on__lte=today + timedelta(days=longest),
                                               campaign__status=Campaign.Status.ACTIVE)
                      .select_related("campaign").order_by("due_on", "id"))
    if not milestones:
        return []
    offices: dict[int, list[User]] = {}
    for person in (User.objects.filter(is_active=True, role_assignments__role=Role.OFFICE,
                                       unit_id__in={m.campaign.unit_id for m in milestones}).distinct()):
        offices.setdefault(person.unit_id, []).append(person)
    found = []
    for milestone in milestones:
        left = (milestone.due_on - today).days
        if left > days_by_unit.get(milestone.campaign.unit_id, DEFAULT_DAYS):
            continue
        if left < 0:
            verb, title = "notifications.milestone_overdue", _("节点已过 %(n)d 天仍未完成：%(title)s") % {
                "n": -left, "title": milestone.title[:150]}
        else:
            verb, title = "notifications.milestone_due", (
                _("节点就在今天：%(title)s") % {"title": milestone.title[:150]} if left == 0 else
                _("节点还有 %(n)d 天：%(title)s") % {"n": left, "title": milestone.title[:150]})
        body = _("%(campaign)s，日期 %(due)s。完成后请在创建活动首页把这个节点标记为已完成。") % {
            "campaign": milestone.campaign.title, "due": milestone.due_on.isoformat()}
        url = reverse("campaigns:home", args=[milestone.campaign_id])
        found += [Reminder(recipient=person, item=f"milestone:{milestone.pk}", verb=verb, title=title, body=body,
                           url=url) for person in offices.get(milestone.campaign.unit_id, [])]
    return found
