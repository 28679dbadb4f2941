"""Reads of activities, attendance and volunteer hours. Each selector owns its query shape."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from wenming.activities.models import Activity, ActivityDocument, ActivityKind, Attendance, VolunteerRecord
from wenming.campaigns.models import Campaign
from wenming.evidence.models import EvidenceFile
from wenming.org.models import Department, RoleAssignment, User
from wenming.standards.models import Criterion


@dataclass
class ActivityFilters:
    kind: int | None = None
    status: str = ""
    department: int | None = None
    month: str = ""  # "2021-03"
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.kind or self.status or self.department or self.month or self.q)

    def month_range(self) -> tuple[datetime, datetime] | None:
        try:
            year, month = (int(part) for part in self.month.split("-"))
            return month_bounds(year, month)
        except (ValueError, TypeError):
            return None


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = datetime(year, month, 1, tzinfo=tz)
    end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, end


def kinds(*, user, keep: int | None = None) -> list[ActivityKind]:
    """The kinds offered for an activity: those in use (and `keep`, the kind an edited activity already has)."""
    wanted = Q(is_active=True) | Q(pk=keep) if keep else Q(is_active=True)
    return list(ActivityKind.objects.restrict(user).filter(wanted).order_by("order", "id"))


def activity_list(*, user, campaign: Campaign, filters: ActivityFilters | None = None):
    filters = filters or ActivityFilters()
    items = (Activity.objects.visible_to(user).filter(campaign=campaign)
             .select_related("kind", "department", "organiser")
             .annotate(attendance_count=Count("attendance", distinct=True),
                       document_count=Count("documents", distinct=True)))
    if filters.kind:
        items = items.filter(kind_id=filters.kind)
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.department:
        items = items.filter(department_id=filters.department)
    bounds = filters.month_range()
    if bounds:
        items = items.filter(starts_at__lt=bounds[1], ends_at__gte=bounds[0])
    if filters.q:
        items = items.filter(Q(title__icontains=filters.q) | Q(place__icontains=filters.q))
    return items.order_by("-starts_at", "-id")


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    activities: list = field(default_factory=list)


@dataclass
class MonthCalendar:
    year: int
    month: int
    weeks: list[list[CalendarDay]]

    @property
    def previous(self) -> tuple[int, int]:
        return (self.year - 1, 12) if self.month == 1 else (self.year, self.month - 1)

    @property
    def next(self) -> tuple[int, int]:
        return (self.year + 1, 1) if self.month == 12 else (self.year, self.month + 1)


def activity_calendar(*, user, campaign: Campaign, year: int, month: int) -> MonthCalendar:
    """A Monday-first grid of the month; each activity shows on every day it spans. One query."""
    start, end = month_bounds(year, month)
    items = list(Activity.objects.visible_to(user).filter(campaign=campaign, starts_at__lt=end, ends_at__gte=start)
                 .select_related("kind").order_by("starts_at", "id"))
    by_day = defaultdict(list)
    for item in items:
        first = timezone.localtime(item.starts_at).date()
        last = timezone.localtime(item.ends_at).date()
        day = max(first, start.date())
        while day <= last and day < end.date():
            by_day[day].append(item)
            day += timedelta(days=1)
    today = timezone.localdate()
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([CalendarDay(day=d, in_month=d.month == month, is_today=d == today, activities=by_day.get(d, []))
                      for d in week])
    return MonthCalendar(year=year, month=month, weeks=weeks)


def activity_detail(*, user):
    """The queryset for one activity's page, with everything it shows."""
    return (Activity.objects.visible_to(user)
            .select_related("campaign__standard", "kind", "department", "organiser", "created_by")
            .prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("depth", "order", "id")),
                "tasks",
                Prefetch("documents", queryset=ActivityDocument.objects.select_related("evidence").order_by("id")),
                _current_files_of_documents(),
            ))


def _current_files_of_documents():
    return Prefetch("documents__evidence__files",
                    queryset=EvidenceFile.objects.filter(retired_in__isnull=True).order_by("id"),
                    to_attr="current_files")


def steps_of(activity: Activity) -> list[dict]:
    """The five steps in order, each with its documents (from the prefetch)."""
    documents = list(activity.documents.all())
    return [{"value": value, "label": label, "documents": [d for d in documents if d.step == value]}
            for value, label in ActivityDocument.Step.choices]


def attendance_list(*, activity: Activity) -> list[Attendance]:
    return list(Attendance.objects.filter(activity=activity)
                .select_related("person__department", "recorded_by").order_by("signed_at", "id"))


def unit_people(*, user):
    """Everyone active in the person's unit, by department: the roster the organiser ticks and the base of the
    rates."""
    return (User.objects.restrict(user).business_people().select_related("department")
            .order_by("department__order", "department_id", "id"))


def staff_people(*, unit_id: int):
    """The unit's 干警 for the rates: active people holding a campaign role (the 三员 accounts alone do not count)."""
    from wenming.campaigns.querysets import CAMPAIGN_ROLES

    holders = RoleAssignment.objects.filter(role__in=CAMPAIGN_ROLES).values("user_id")
    # the rate's base, not an access decision: every 干警 of the campaign's unit counts, whoever reads the rate
    return (User.objects.filter(unit_id=unit_id, pk__in=holders).business_people().select_related("department")
            .order_by("department__order", "department_id", "id"))


def roster(*, user, activity: Activity) -> list[tuple[User, Attendance | None]]:
    signed = {row.person_id: row for row in Attendance.objects.filter(activity=activity)}
    return [(person, signed.get(person.pk)) for person in unit_people(user=user)]


# ---------------------------------------------------------------------------------------------- volunteers
def volunteer_records(*, user, campaign: Campaign):
    return (VolunteerRecord.objects.visible_to(user).filter(campaign=campaign)
            .select_related("person__department").order_by("-served_on", "id"))


@dataclass
class PersonHours:
    person: User
    hours: Decimal
    times: int


@dataclass
class DepartmentHours:
    name: str
    staff: int
    registered: int
    hours: Decimal

    @property
    def rate(self) -> float:
        return self.registered * 100 / self.staff if self.staff else 0.0

    @property
    def per_head(self) -> Decimal:
        return (self.hours / self.staff).quantize(Decimal("0.1")) if self.staff else Decimal(0)

    @property
    def per_volunteer(self) -> Decimal:
        """注册志愿者人均时长: hours over the people who served at all."""
        return (self.hours / self.registered).quantize(Decimal("0.1")) if self.registered else Decimal(0)


@dataclass
class VolunteerSummary:
    people: list[PersonHours]
    departments: list[DepartmentHours]
    total: DepartmentHours


def volunteer_summary(*, campaign: Campaign) -> VolunteerSummary:
    """注册率 (staff with any hours / staff) and hours per head, for the unit and each department. Three queries."""
    totals = {row["person_id"]: row for row in VolunteerRecord.objects.filter(campaign=campaign)
              .values("person_id").annotate(hours=Sum("hours"), times=Count("id"))}
    people = list(staff_people(unit_id=campaign.unit_id))
    departments = {d.pk: d.name for d in Department.objects.filter(unit_id=campaign.unit_id).order_by("order", "id")}
    rows: dict = {pk: DepartmentHours(name=name, staff=0, registered=0, hours=Decimal(0))
                  for pk, name in departments.items()}
    rows[None] = DepartmentHours(name="（未分配部门）", staff=0, registered=0, hours=Decimal(0))
    total = DepartmentHours(name="合计", staff=0, registered=0, hours=Decimal(0))
    person_rows = []
    for person in people:
        found = totals.get(person.pk)
        hours = found["hours"] if found else Decimal(0)
        for row in (rows.get(person.department_id, rows[None]), total):
            row.staff += 1
            row.registered += 1 if found else 0
            row.hours += hours
        if found:
            person_rows.append(PersonHours(person=person, hours=hours, times=found["times"]))
    person_rows.sort(key=lambda r: (-r.hours, r.person.pk))
    return VolunteerSummary(people=person_rows, departments=[r for r in rows.values() if r.staff], total=total)


def volunteer_criteria(*, campaign: Campaign) -> list[Criterion]:
    """The campaign's criteria about volunteering (志愿), which the summary's figures answer."""
    if not campaign.standard_id:
        return []
    return list(Criterion.objects.filter(standard_id=campaign.standard_id, title__contains="志愿", children__isnull=True)
                .order_by("depth", "order", "id")[:8])
