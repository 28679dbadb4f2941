from django import template

from wenming.assessments.scoring import plain
from wenming.assessments.selectors import inspections_to_score, open_rectifications_for

register = template.Library()


@register.inclusion_tag("assessments/partials/evidence_strip.html")
def evidence_strip(assessment, items, total: int | None = None, limit: int = 4):
    """A line's evidence as thumbnails that open in place; files are served through the assessment, so an evaluator
    reaches only the approved material of the campaign assigned to them. `total`: how many the line has (the
    scoring sheet loads only the newest few)."""
    items = list(items)
    total = len(items) if total is None else total
    return {"assessment": assessment, "items": items[:limit], "more": max(total - min(len(items), limit), 0)}


@register.inclusion_tag("assessments/partials/my_rectifications.html")
def my_rectifications(user, limit: int = 10):
    """整改 waiting for this person (My work page): `{% load assessments_tags %}{% my_rectifications user %}`."""
    from django.utils import timezone

    from wenming.core.memo import memoized

    return {"items": memoized("my_rectifications", (user.pk, limit, timezone.localdate()),
                              lambda: list(open_rectifications_for(user, limit=limit)))}


@register.filter
def points(value) -> str:
    """A stored score as people write it (3.50 → 3.5, 3.75 → 3.75); empty for none."""
    return plain(value) if value not in (None, "") else ""


@register.inclusion_tag("assessments/partials/my_inspections.html")
def my_inspections(user):
    """An evaluator's to-do: the inspections assigned to them, with their deadlines (`{% my_inspections user %}`)."""
    return {"items": inspections_to_score(user)}
