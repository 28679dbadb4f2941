"""The 工作台's to-do lines about 整改 and inspections (see `wenming.core.todo`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.assessments.models import Assessment, Rectification
from wenming.campaigns.querysets import CAMPAIGN_ROLES
from wenming.campaigns.selectors import current_campaign
from wenming.core.todo import Todo
from wenming.org.roles import Role


def items(*, user) -> list[Todo]:
    result = []
    if user.has_role(Role.EVALUATOR):
        # each assigned inspection still being scored, with its deadline: one query
        for assessment in (Assessment.objects.visible_to(user).filter(kind=Assessment.Kind.INSPECTION,
                                                                     status=Assessment.Status.IN_PROGRESS)
                           .select_related("campaign__unit").order_by("ends_on", "id")[:20]):
            note = _("截止 %(day)s") % {"day": f"{assessment.ends_on:%Y-%m-%d}"} if assessment.ends_on else ""
            result.append(Todo(_("检查验收评分：%(unit)s · %(title)s") % {
                "unit": assessment.campaign.unit.name, "title": assessment.title},
                reverse("assessments:detail", args=[assessment.pk]), None, "clipboard-pen-line", 10, note=note))
        if not result:
            result.append(Todo(_("分配给我的检查验收"), reverse("assessments:index"), 0, "clipboard-pen-line", 10,
                               note=_("暂无分派给您的测评任务。创建办分派后，这里会列出被测单位和截止日期，并通知您。")))
        return result
    campaign = current_campaign(user=user) if user.has_role(*CAMPAIGN_ROLES) else None
    if campaign is None:
        return result
    rectifications = Rectification.objects.visible_to(user).filter(campaign=campaign)
    ledger = reverse("assessments:ledger", args=[campaign.pk])
    if user.has_role(Role.LIAISON, Role.STAFF) and not user.has_role(Role.OFFICE, Role.LEADER) and user.department_id:
        count = rectifications.filter(department_id=user.department_id).exclude(
            status=Rectification.Status.CLOSED).count()
        result.append(Todo(_("本部门未销号的整改"), f"{ledger}?department={user.department_id}", count, "clipboard-list", 20,
                           urgent=True))
    if user.has_role(Role.OFFICE):
        count = rectifications.filter(status=Rectification.Status.SUBMITTED).count()
        result.append(Todo(_("待核验销号的整改"), f"{ledger}?status=submitted", count,
                           "stamp", 25))
    return result
