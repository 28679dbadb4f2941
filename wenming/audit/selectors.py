from datetime import datetime, time

from django.db.models import Q
from django.utils import timezone

from wenming.audit.models import AuditEvent


def _day(value: str, end: bool = False):
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def audit_event_list(*, user, q: str = "", verb: str = "", date_from: str = "", date_to: str = ""):
    events = AuditEvent.objects.visible_to(user).order_by("-created_at", "-id")
    if q:
        events = events.filter(
            Q(actor_name__icontains=q) | Q(object_repr__icontains=q) | Q(ip__icontains=q) | Q(request_id=q)
        )
    if verb:
        events = events.filter(verb=verb)
    if start := _day(date_from):
        events = events.filter(created_at__gte=start)
    if end := _day(date_to, end=True):
        events = events.filter(created_at__lte=end)
    return events
