"""What the page header shows: the unit's current campaign and today's phase.

One query per data revision (`wenming.core.memo`), and only when a page actually draws the header (htmx fragments
do not): the values are lazy.
"""

from django.utils.functional import SimpleLazyObject

from wenming.campaigns.querysets import unit_for


def header_context(request) -> dict:
    user = getattr(request, "user", None)
    if unit_for(user) is None:  # the 三员, evaluators and visitors have no campaign here
        return {"current_campaign": None, "current_phase": None}
    from wenming.campaigns.selectors import current_campaign

    campaign = SimpleLazyObject(lambda: current_campaign(user=user))
    phase = SimpleLazyObject(lambda: getattr(campaign, "today_phase", None))
    return {"current_campaign": campaign, "current_phase": phase}
