"""The 工作台's to-do line about meetings (see `wenming.core.todo`): one query."""

from datetime import datetime, time, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.activities.models import Activity
from wenming.campaigns.querysets import CAMPAIGN_ROLES
from wenming.campaigns.selectors import current_campaign
from wenming.core.todo import Todo
from wenming.org.roles import Role

SOON_DAYS = 7


def items(*, user) -> list[Todo]:
    if not user.has_role(*CAMPAIGN_ROLES) or user.has_role(Role.OFFICE, Role.LEADER):
        return []
    campaign = current_campaign(user=user)
    if campaign is None:
        return []
    start = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    meetings = list(Activity.objects.visible_to(user).filter(
        campaign=campaign, kind__is_meeting=True, starts_at__gte=start, starts_at__lt=start + timedelta(days=SOON_DAYS),
    ).exclude(status=Activity.Status.CANCELLED).exclude(attendance__person=user).order_by("starts_at", "id")
        .values_list("pk", "starts_at")[:20])
    url = reverse("activities:detail", args=[meetings[0][0]]) if len(meetings) == 1 else reverse("activities:calendar")
    note = _("最近一场 %(when)s") % {"when": f"{timezone.localtime(meetings[0][1]):%m-%d %H:%M}"} if meetings else ""
    return [Todo(_("近7天要参加签到的会议"), url, len(meetings), "calendar-check", 30, note=note)]
