"""What the page header shows: the person's current campaign (chosen in the header's switcher, else the running
one), today's phase, and the campaigns to switch to.

One query per data revision (`wenming.core.memo`), and only when a page actually draws the header (htmx fragments
do not): the values are lazy.
"""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from wenming.campaigns.models import Campaign
from wenming.campaigns.querysets import unit_for
from wenming.org.roles import Role


def header_context(request) -> dict:
    user = getattr(request, "user", None)
    if unit_for(user) is None:  # the 三员 and visitors have no campaign here
        if getattr(user, "is_authenticated", False) and user.has_role(Role.EVALUATOR):
            # an evaluator's campaign is the one of the inspection assigned to them (the newest, if several)
            assigned = SimpleLazyObject(lambda: Campaign.objects.visible_to(user).select_related("unit")
                                        .order_by("-year", "-id").first())
            return {"current_campaign": assigned, "current_phase": None, "campaign_choices": (),
                    "campaign_note": _("暂无分派给您的测评任务")}
        # the 三员 run the system, not a campaign: the header names their duty instead of a missing campaign
        note = _("系统管理账户，不参与创建业务") if getattr(user, "is_authenticated", False) else ""
        return {"current_campaign": None, "current_phase": None, "campaign_choices": (), "campaign_note": note}
    from wenming.campaigns.selectors import campaign_choices, current_campaign

    campaign = SimpleLazyObject(lambda: current_campaign(user=user))
    phase = SimpleLazyObject(lambda: getattr(campaign, "today_phase", None))
    choices = SimpleLazyObject(lambda: campaign_choices(user=user))
    return {"current_campaign": campaign, "current_phase": phase, "campaign_choices": choices,
            "campaign_note": _("尚未建立创建活动")}
