"""Pages every campaign screen shares: what a screen shows while the unit has no campaign yet, and the menu entry
that opens the screen for the campaign the person works on."""

from django.shortcuts import redirect, render

from wenming.campaigns.selectors import current_campaign


def no_campaign(request, title: str, hint: str, *, tabs: str = ""):
    """The screen `title` before the unit has a campaign: `hint` says what it will hold once there is one (`tabs`:
    the app's tab bar template, drawn with no tab chosen)."""
    return render(request, "campaigns/no_campaign.html", {"title": title, "hint": hint, "tabs": tabs})


def to_current_campaign(request, url_name: str, title: str, hint: str, *, tabs: str = ""):
    """A menu entry: the screen `url_name` of the campaign the person works on, or `no_campaign`."""
    campaign = current_campaign(user=request.user)
    if campaign is not None:
        return redirect(url_name, campaign.pk)
    return no_campaign(request, title, hint, tabs=tabs)
