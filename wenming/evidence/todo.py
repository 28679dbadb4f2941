"""The 工作台's to-do lines about evidence (see `wenming.core.todo`): a COUNT per line; the gaps come from the gap
view's own read (kept per data revision)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from wenming.campaigns.querysets import CAMPAIGN_ROLES
from wenming.campaigns.selectors import current_campaign
from wenming.core.todo import Todo
from wenming.evidence import selectors
from wenming.evidence.models import Evidence
from wenming.org.roles import Role


def items(*, user) -> list[Todo]:
    if not user.has_role(*CAMPAIGN_ROLES):
        return []
    campaign = current_campaign(user=user)
    if campaign is None:
        return []
    result = []
    visible = Evidence.objects.visible_to(user).filter(campaign=campaign)
    if not user.has_role(Role.OFFICE, Role.LEADER):
        mine = Q(uploader_id=user.pk)
        if user.has_role(Role.LIAISON) and user.department_id:
            mine |= Q(department_id=user.department_id)
        returned = visible.filter(mine, status=Evidence.Status.RETURNED).count()
        result.append(Todo(_("被退回的材料"), reverse("campaigns:my_work") + "#returned-evidence", returned,
                           "folder-open", 12, urgent=True))
    if user.has_role(Role.OFFICE):
        pending = visible.filter(status=Evidence.Status.PENDING).count()
        result.append(Todo(_("待审核的材料"), reverse("evidence:list", args=[campaign.pk]) + "?status=pending",
                           pending, "badge-check", 10))
        if campaign.standard_id:
            missing = selectors.gap_matrix(user=user, campaign=campaign).totals.get("missing", 0)
            result.append(Todo(_("还没有材料的测评内容"), reverse("evidence:gaps", args=[campaign.pk]) + "?status=missing",
                               missing, "circle-alert", 40))
    return result
