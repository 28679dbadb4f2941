"""What the page header shows: the person's current campaign (chosen in the header's switcher, else the running
one), today's phase, and the campaigns to switch to.

One query per data revision (`wenming.core.memo`), and only when a page actually draws the header (htmx fragments
do not): the values are lazy.
"""

from django.utils.functional import SimpleLazyObject

from wenming.campaigns.querysets import unit_for


def header_context(request) -> dict:
    user = getattr(request, "user", None)
    if unit_for(user) is None:  # the 三员, evaluators and visitors have no campaign here
        return {"current_campaign": None, "current_phase": None, "campaign_choices": ()}
    from wenming.campaigns.selectors import campaign_choices, current_campaign

    campaign = SimpleLazyObject(lambda: current_campaign(user=user))
    phase = SimpleLazyObject(lambda: getattr(campaign, "today_phase", None))
    choices = SimpleLazyObject(lambda: campaign_choices(user=user))
    return {"current_campaign": campaign, "current_phase": phase, "campaign_choices": choices}
