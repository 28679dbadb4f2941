"""The one access path for notifications.

A notification is its recipient's alone. Group robots, unit settings and the delivery log belong to the 创建办
(and the system administrator) of the unit. An announcement is seen by everyone it was sent to — the whole unit,
or the chosen departments — and by the 创建办 and leaders of the unit; only the 创建办 posts and follows receipts.
"""

from django.db.models import Exists, OuterRef, Q

from wenming.core.recycle import RecyclableQuerySet
from wenming.org.policy import Grant, Policy, RestrictedQuerySet, acting_unit, signed_in
from wenming.org.roles import Role

MANAGER_ROLES = (Role.OFFICE, Role.ADMIN)  # run the unit's notification settings
WIDE_ROLES = (Role.OFFICE, Role.LEADER)  # see every announcement of the unit


def managed_unit(user) -> int | None:
    return acting_unit(user, MANAGER_ROLES)


def _own(rows, user):
    """A notification is its recipient's alone."""
    return rows.filter(recipient_id=user.pk) if signed_in(user) else rows.none()


class NotificationQuerySet(RestrictedQuerySet):
    policy = Policy(unit="recipient__unit_id", actions={"view": _own, "change": _own})

    def unread(self):
        return self.filter(read_at__isnull=True)


class UnitScopedQuerySet(RestrictedQuerySet):
    """Webhook endpoints and unit settings: the unit's 创建办 and administrator only."""

    policy = Policy(unit="unit_id", actions={"view": Grant(MANAGER_ROLES), "change": Grant(MANAGER_ROLES)})


class DeliveryQuerySet(UnitScopedQuerySet):
    def due(self, now):
        return self.filter(status="pending").filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def _addressed_to_me(user, rows):
    return rows.addressed_to_q(user)


class AnnouncementQuerySet(RecyclableQuerySet, RestrictedQuerySet):
    """view: everyone it was sent to, and the unit's 创建办 and leaders · change (post, follow receipts): 创建办."""

    policy = Policy(unit="unit_id", recyclable=True, actions={
        "view": Grant(wide=WIDE_ROLES, narrow=_addressed_to_me),
        "change": Grant((Role.OFFICE,)),
    })

    def addressed_to_q(self, user) -> Q:
        """Sent to the whole unit (no departments) or to the person's department."""
        through = self.model.departments.through
        anyone = ~Exists(through.objects.filter(announcement_id=OuterRef("pk")))
        if not user.department_id:
            return anyone
        return anyone | Exists(through.objects.filter(announcement_id=OuterRef("pk"),
                                                      department_id=user.department_id))
