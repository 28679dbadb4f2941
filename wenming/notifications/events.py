"""The events other apps report, worded once: each builds the Chinese message and calls `notify`.

Called inside the other app's service (same transaction), so a rolled-back action notifies nobody.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.notifications.models import Preference
from wenming.notifications.services import notify, reviewers_of


def task_assigned(*, task, actor) -> None:
    """任务分派: the new owner (责任人) of a task learns of it."""
    if task.owner_id is None:
        return
    due = _("完成时限 %(due)s。") % {"due": task.due_on.isoformat()} if task.due_on else ""
    notify(recipients=[task.owner], verb="campaigns.task_assigned", actor=actor,
           title=_("分派给您的任务：%(title)s") % {"title": task.title[:150]},
           body=(_("您是此任务的责任人。") + due),
           url=reverse("campaigns:task", args=[task.pk]))


def mentioned(*, comment, people, actor) -> None:
    """@提到: the colleagues named in a task comment."""
    notify(recipients=people, verb="campaigns.mentioned", actor=actor,
           title=_("%(actor)s 在任务留言中提到了您") % {"actor": actor},
           body=comment.body[:500], url=reverse("campaigns:task", args=[comment.task_id]))


def evidence_returned(*, evidence, actor) -> None:
    """材料退回: the uploader sees the reason and fixes it."""
    notify(recipients=[evidence.uploader_id], verb="evidence.returned", actor=actor,
           title=_("材料被退回：%(title)s") % {"title": evidence.title[:150]},
           body=_("退回原因：%(reason)s") % {"reason": evidence.return_reason},
           url=reverse("evidence:detail", args=[evidence.pk]))


def evidence_submitted(*, evidence, actor, resubmitted: bool = False) -> None:
    """材料提交审核: the 创建办 people who asked for it hear at once; the others read the daily summary
    (`review_summaries_send`)."""
    people = reviewers_of(evidence.campaign.unit_id, notice=Preference.ReviewNotice.IMMEDIATE)
    if not people:
        return
    title = (_("材料重新提交待审核：%(title)s") if resubmitted else _("新材料待审核：%(title)s")) % {
        "title": evidence.title[:150]}
    notify(recipients=people, verb="evidence.submitted", actor=actor, title=title,
           body=_("%(who)s 提交，部门：%(department)s。") % {
               "who": actor, "department": evidence.department.name if evidence.department_id else "—"},
           url=reverse("evidence:detail", args=[evidence.pk]))


def inspection_assigned(*, assessment, people, actor) -> None:
    """检查验收分派: the evaluators on an opened inspection's team learn of it, with its dates."""
    if assessment.ends_on:
        body = _("%(unit)s · %(campaign)s，请在 %(due)s 前完成评分并提交。") % {
            "unit": assessment.campaign.unit.name, "campaign": assessment.campaign.title,
            "due": assessment.ends_on.isoformat()}
    else:
        body = _("%(unit)s · %(campaign)s，评分完成后请提交。") % {
            "unit": assessment.campaign.unit.name, "campaign": assessment.campaign.title}
    notify(recipients=people, verb="assessments.inspection_assigned", actor=actor,
           title=_("分派给您的检查验收：%(title)s") % {"title": assessment.title[:150]}, body=body,
           url=reverse("assessments:detail", args=[assessment.pk]))
