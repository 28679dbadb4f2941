"""The one access path for notifications.

A notification is its recipient's alone. Group robots, unit settings and the delivery log belong to the 创建办
(and the system administrator) of the unit. An announcement is seen by everyone it was sent to — the whole unit,
or the chosen departments — and by the 创建办 and leaders of the unit; only the 创建办 posts and follows receipts.
"""

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Exists, OuterRef, Q

from wenming.core.recycle import RecyclableQuerySet
from wenming.org.roles import Role

MANAGER_ROLES = (Role.OFFICE, Role.ADMIN)  # run the unit's notification settings
WIDE_ROLES = (Role.OFFICE, Role.LEADER)  # see every announcement of the unit


def signed_in(user) -> bool:
    return user is not None and not isinstance(user, AnonymousUser) and user.is_authenticated and user.is_active


def managed_unit(user) -> int | None:
    if not signed_in(user) or not user.unit_id or not user.has_role(*MANAGER_ROLES):
        return None
    return user.unit_id


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(recipient_id=user.pk) if signed_in(user) else self.none()

    editable_by = visible_to

    def unread(self):
        return self.filter(read_at__isnull=True)


class UnitScopedQuerySet(models.QuerySet):
    """Webhook endpoints and unit settings: the unit's 创建办 and administrator only."""

    def visible_to(self, user):
        unit_id = managed_unit(user)
        return self.filter(unit_id=unit_id) if unit_id else self.none()

    editable_by = visible_to


class DeliveryQuerySet(UnitScopedQuerySet):
    def due(self, now):
        return self.filter(status="pending").filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


class AnnouncementQuerySet(RecyclableQuerySet):
    def visible_to(self, user):
        if not signed_in(user) or not user.unit_id:
            return self.none()
        items = self.alive().filter(unit_id=user.unit_id)
        if user.has_role(*WIDE_ROLES):
            return items
        return items.filter(self.addressed_to_q(user))

    def addressed_to_q(self, user) -> Q:
        """Sent to the whole unit (no departments) or to the person's department."""
        through = self.model.departments.through
        anyone = ~Exists(through.objects.filter(announcement_id=OuterRef("pk")))
        if not user.department_id:
            return anyone
        return anyone | Exists(through.objects.filter(announcement_id=OuterRef("pk"),
                                                      department_id=user.department_id))

    def editable_by(self, user):
        if not signed_in(user) or not user.unit_id or not user.has_role(Role.OFFICE):
            return self.none()
        return self.alive().filter(unit_id=user.unit_id)
