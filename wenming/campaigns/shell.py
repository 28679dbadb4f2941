"""What the page header shows: the unit's current campaign and today's phase."""


def header_context(request) -> dict:
    return {"current_campaign": None, "current_phase": None}
