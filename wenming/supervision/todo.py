"""The 工作台's to-do lines about 督办 and the lights (see `wenming.core.todo`)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.campaigns.querysets import CAMPAIGN_ROLES
from wenming.campaigns.selectors import current_campaign
from wenming.core.todo import Todo
from wenming.org.roles import Role
from wenming.supervision import selectors
from wenming.supervision.models import SupervisionOrder


def items(*, user) -> list[Todo]:
    if not user.has_role(*CAMPAIGN_ROLES):
        return []
    result = []
    orders = SupervisionOrder.objects.visible_to(user)
    if user.has_role(Role.OFFICE):
        answered = orders.filter(status=SupervisionOrder.Status.ANSWERED).count()
        result.append(Todo(_("督办单已答复，待确认办结"), reverse("supervision:orders") + "?status=answered", answered,
                           "siren", 30))
    elif user.has_role(Role.LIAISON) and user.department_id:
        waiting = orders.filter(department_id=user.department_id,
                                status__in=(SupervisionOrder.Status.ISSUED, SupervisionOrder.Status.RETURNED)).count()
        result.append(Todo(_("本部门待答复的督办单"), reverse("supervision:orders") + "?status=open", waiting, "siren",
                           15, urgent=True))
    if user.has_role(Role.LEADER):
        campaign = current_campaign(user=user)
        if campaign is not None:
            red = selectors.light_counts(user=user, campaign=campaign).get("red", 0)
            result.append(Todo(_("亮红灯的任务"), reverse("supervision:index") + "?light=red", red, "triangle-alert", 5,
                               urgent=True))
        result.append(Todo(_("领导驾驶舱：得分预测、各部门进度"), reverse("supervision:dashboard"), None, "chart-column", 90))
    return result
