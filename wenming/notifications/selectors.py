"""Reads for notifications; each owns its query shape so lists cost a fixed number of queries."""

from collections import OrderedDict
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Prefetch, Value, When

from wenming.notifications.models import Announcement, Delivery, Notification, ReadReceipt
from wenming.org.models import Department


def notification_list(*, user, unread_only: bool = False):
    """Mine, unread first, newest first."""
    items = Notification.objects.visible_to(user).select_related("actor")
    if unread_only:
        items = items.unread()
    return items.annotate(
        unread_first=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("unread_first", "-created_at", "-id")


def unread_count(*, user) -> int:
    return Notification.objects.visible_to(user).unread().count()


def delivery_list(*, user, status: str = "", channel: str = ""):
    items = Delivery.objects.visible_to(user).select_related("recipient", "endpoint")
    if status:
        items = items.filter(status=status)
    if channel:
        items = items.filter(channel=channel)
    return items


def announcement_list(*, user):
    """The announcements the person may read, each marked read or unread for them."""
    return (Announcement.objects.visible_to(user)
            .select_related("author")
            .prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("order", "id")))
            .annotate(is_read=Exists(ReadReceipt.objects.filter(announcement_id=OuterRef("pk"), user_id=user.pk)),
                      attachment_count=Count("attachments", distinct=True))
            .order_by("-published_at", "-id"))


def announcement_detail(*, user):
    return (Announcement.objects.visible_to(user).select_related("author")
            .prefetch_related("attachments",
                              Prefetch("departments", queryset=Department.objects.order_by("order", "id"))))


@dataclass
class DepartmentReceipts:
    name: str
    read: list = field(default_factory=list)
    unread: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.read) + len(self.unread)


def announcement_receipts(announcement: Announcement) -> tuple[list[DepartmentReceipts], int, int]:
    """Who of the audience has read it, by department: ([department rows], read count, unread count)."""
    from wenming.notifications.services import announcement_audience

    read_at = dict(ReadReceipt.objects.filter(announcement=announcement).values_list("user_id", "read_at"))
    people = announcement_audience(announcement).select_related("department").order_by(
        "department__order", "department_id", "id")
    groups: OrderedDict[int | None, DepartmentReceipts] = OrderedDict()
    for person in people:
        key = person.department_id
        if key not in groups:
            groups[key] = DepartmentReceipts(name=person.department.name if person.department else "—")
        person.read_at = read_at.get(person.pk)
        (groups[key].read if person.read_at else groups[key].unread).append(person)
    rows = list(groups.values())
    read = sum(len(row.read) for row in rows)
    unread = sum(len(row.unread) for row in rows)
    return rows, read, unread
