"""Reads of campaign data. Each selector owns its query shape: lists run a constant number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, Subquery, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from wenming.audit.models import AuditEvent
from wenming.campaigns.models import (
    Campaign,
    CampaignChoice,
    Milestone,
    Phase,
    RosterEntry,
    Task,
    TaskComment,
    TaskOccurrence,
)
from wenming.core.api import as_id
from wenming.org.models import Department
from wenming.org.roles import Role
from wenming.standards.models import Criterion

DUE_SOON_DAYS = 14


def today() -> date:
    return timezone.localdate()


def campaign_list(*, user):
    return Campaign.objects.visible_to(user).select_related("standard").annotate(task_count=Count("tasks", filter=Q(tasks__deleted_at__isnull=True)))


def campaign_asked_for(*, user, pk) -> Campaign | None:
    """The campaign a page shows: the one named by `?campaign=` (404 when the person may not see it), else the
    person's current campaign."""
    if pk:
        found = Campaign.objects.visible_to(user).filter(pk=pk).first()
        if found is None:
            raise Http404
        return found
    return current_campaign(user=user)


def current_campaign(*, user, day: date | None = None) -> Campaign | None:
    """The campaign the person chose in the header (if they still see it), else the unit's campaign running today,
    else the latest, with today's phase name: one query, read once per data revision (every page's header shows it;
    `wenming.core.memo`). Treat the result as read-only."""
    return _header_campaigns(user, day)[0]


def campaign_choices(*, user) -> list[tuple[int, str, str]]:
    """(pk, title, status) of every campaign the person sees, newest first, for the header's switcher — read by the
    same query as `current_campaign`. Closed campaigns stay in the list: their archive and report remain reachable."""
    return _header_campaigns(user, None)[1]


def _header_campaigns(user, day: date | None) -> tuple[Campaign | None, list]:
    if day is None:
        from wenming.core.memo import memoized

        day = today()
        return memoized("current_campaign", (user.pk, day), lambda: _read_header_campaigns(user, day))
    return _read_header_campaigns(user, day)


def _read_header_campaigns(user, day: date) -> tuple[Campaign | None, list]:
    # a unit keeps a campaign a year: reading them all is as cheap as reading the first
    phase = Phase.objects.filter(campaign=OuterRef("pk"), starts_on__lte=day, ends_on__gte=day).order_by("order")
    running = Q(starts_on__lte=day, ends_on__gte=day)
    chosen = Q(pk__in=CampaignChoice.objects.filter(user_id=user.pk).values("campaign_id"))
    campaigns = list(
        Campaign.objects.visible_to(user)
        .annotate(today_phase=Subquery(phase.values("name")[:1]), today_phase_ends=Subquery(phase.values("ends_on")[:1]))
        .order_by(Case(When(chosen, then=0), When(running, then=1), default=2), "-year", "-id")
    )
    choices = [(c.pk, c.title, c.status) for c in sorted(campaigns, key=lambda c: (-c.year, -c.pk))]
    return (campaigns[0] if campaigns else None), choices


def open_campaigns(*, user) -> list[Campaign]:
    """The campaigns not yet closed (筹备中, 进行中) that the person sees, the chosen one first (My work)."""
    chosen = Q(pk__in=CampaignChoice.objects.filter(user_id=user.pk).values("campaign_id"))
    return list(Campaign.objects.visible_to(user).exclude(status=Campaign.Status.CLOSED)
                .order_by(Case(When(chosen, then=0), default=1), "-year", "-id"))


@dataclass
class TimelinePhase:
    phase: Phase
    percent_start: int
    percent_width: int
    is_current: bool
    milestones: list = field(default_factory=list)


@dataclass
class Timeline:
    phases: list[TimelinePhase]
    today: date
    today_percent: int | None  # None when today is outside the campaign
    current: Phase | None
    marks: list = field(default_factory=list)  # (milestone, position) along the bar
    loose: list = field(default_factory=list)  # milestones outside every phase


def _percent(day: date, start: date, end: date) -> int:
    span = max((end - start).days, 1)
    return max(0, min(100, round((day - start).days * 100 / span)))


def campaign_timeline(campaign: Campaign, *, day: date | None = None) -> Timeline:
    """Phases laid out along the campaign's dates, today's position, milestones under their phase: two queries."""
    day = day or today()
    phases = list(campaign.phases.all())
    milestones = list(campaign.milestones.all())
    rows, current = [], None
    for phase in phases:
        left = _step(_percent(phase.starts_on, campaign.starts_on, campaign.ends_on))
        right = _step(_percent(phase.ends_on, campaign.starts_on, campaign.ends_on))
        is_current = phase.starts_on <= day <= phase.ends_on
        current = phase if is_current and current is None else current
        rows.append(TimelinePhase(phase, left, max(right - left, 2), is_current,
                                  [m for m in milestones if m.phase_id == phase.pk]))
    inside = campaign.starts_on <= day <= campaign.ends_on
    marks = [(m, _step(_percent(m.due_on, campaign.starts_on, campaign.ends_on))) for m in milestones]
    placed = {m.pk for row in rows for m in row.milestones}
    return Timeline(rows, day, _step(_percent(day, campaign.starts_on, campaign.ends_on)) if inside else None, current,
                    marks, [m for m in milestones if m.pk not in placed])


def campaign_milestones(campaign: Campaign) -> list[Milestone]:
    return list(campaign.milestones.select_related("phase"))


def status_counts(tasks) -> dict[str, int]:
    counts = dict.fromkeys(Task.Status.values, 0)
    for row in tasks.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    counts["total"] = sum(counts.values())
    return counts


def overdue_count(tasks, *, day: date | None = None) -> int:
    return _with_due(tasks, day or today()).filter(_overdue_q(day or today())).count()


def roster_of(campaign: Campaign) -> list[RosterEntry]:
    return list(campaign.roster.select_related("person", "person__department", "department")
                .order_by("order", "id"))


# ---------------------------------------------------------------------------------------------- tasks
def _with_due(tasks, day: date):
    """`next_due`: the next open round of a recurring task, else its due date; `late_occurrences`: rounds missed."""
    open_rounds = TaskOccurrence.objects.filter(task=OuterRef("pk"), done_at__isnull=True).order_by("due_on")
    return tasks.annotate(
        next_due=Coalesce(Subquery(open_rounds.values("due_on")[:1]), F("due_on")),
        late_occurrences=Exists(open_rounds.filter(due_on__lt=day)),
    )


def _overdue_q(day: date) -> Q:
    return ~Q(status=Task.Status.DONE) & (Q(due_on__lt=day) | Q(late_occurrences=True))


@dataclass
class TaskFilters:
    department: int | None = None
    phase: int | None = None
    status: str = ""
    criterion: int | None = None
    overdue: bool = False
    owner: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, params) -> "TaskFilters":
        def number(name):
            return as_id(params.get(name))

        status = params.get("status", "")
        return cls(
            department=number("department"), phase=number("phase"),
            status=status if status in Task.Status.values else "", criterion=number("criterion"),
            overdue=params.get("overdue") in ("1", "true", "on"), owner=number("owner"),
            q=(params.get("q") or "").strip()[:100],
        )

    def active(self) -> bool:
        return any([self.department, self.phase, self.status, self.criterion, self.overdue, self.owner, self.q])


def task_list(*, user, campaign: Campaign | list, filters: TaskFilters | None = None, day: date | None = None,
              lists: bool = False):
    """The campaign's tasks this person may see, filtered, with everything a row shows: 3 queries
    (tasks, co-departments, criteria) however many tasks there are.

    `lists`: the co-departments and criteria as plain lists `co_department_list` / `criteria_list` instead of
    the related managers — what pages use: Django builds a queryset per task and relation to hold a prefetched
    manager, which cost the task list ~0.3 ms a row at city scale."""
    filters = filters or TaskFilters()
    day = day or today()
    scope = {"campaign__in": campaign} if isinstance(campaign, list | tuple) else {"campaign": campaign}
    tasks = _with_due(Task.objects.visible_to(user).filter(**scope), day)
    if filters.department:
        co_tasks = Task.co_departments.through.objects.filter(department_id=filters.department)
        tasks = tasks.filter(Q(lead_department_id=filters.department) | Q(pk__in=co_tasks.values("task_id")))
    if filters.phase:
        tasks = tasks.filter(phase_id=filters.phase)
    if filters.status:
        tasks = tasks.filter(status=filters.status)
    if filters.criterion:
        # a category or an indicator stands for the lines under it
        linked = Task.criteria.through.objects.filter(
            Q(criterion_id=filters.criterion) | Q(criterion__parent_id=filters.criterion)
            | Q(criterion__parent__parent_id=filters.criterion))
        tasks = tasks.filter(pk__in=linked.values("task_id"))
    if filters.overdue:
        tasks = tasks.filter(_overdue_q(day))
    if filters.owner:
        tasks = tasks.filter(owner_id=filters.owner)
    if filters.q:
        tasks = tasks.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    return tasks.select_related("campaign", "lead_department", "owner", "supervisor", "phase").prefetch_related(
        Prefetch("co_departments", queryset=Department.objects.order_by("order", "id"),
                 to_attr="co_department_list" if lists else None),
        Prefetch("criteria", queryset=Criterion.objects.only("id", "code", "title", "standard_id").order_by("order", "id"),
                 to_attr="criteria_list" if lists else None),
    ).order_by("number", "id")


def task_detail(*, user, pk):
    """One task with its criteria, rounds, comments (with mentions) — the base queryset for `get_for_user`."""
    return _with_due(Task.objects.visible_to(user), today()).select_related(
        "campaign", "campaign__unit", "lead_department", "owner", "supervisor", "phase",
    ).prefetch_related(
        "co_departments",
        Prefetch("criteria", queryset=Criterion.objects.select_related("parent").order_by("order", "id")),
        "occurrences",
        Prefetch("comments", queryset=TaskComment.objects.select_related("author").prefetch_related("mentions")),
    )


def task_history(task: Task) -> list[AuditEvent]:
    """The task's audit rows, newest first. The caller has already checked the task is visible."""
    return list(AuditEvent.objects.filter(object_type=Task._meta.label_lower, object_id=str(task.pk))
                .order_by("-created_at", "-id")[:100])


# ---------------------------------------------------------------------------------------------- my work
@dataclass
class MyWork:
    mine: list
    due_soon: list
    returned: list
    mentions: list
    to_review: list
    day: date


def my_work(*, user, campaign: Campaign | list, day: date | None = None) -> MyWork:
    """What this person does next, in one campaign or several (every open one): the tasks they own (a liaison: also
    their department's as lead), those due in the next two weeks or late, those returned to them, comments that
    mention them, and (approvers) tasks waiting for review. A constant number of queries."""
    day = day or today()
    responsible = Q(owner_id=user.pk)
    if user.has_role(Role.LIAISON) and user.department_id:
        responsible |= Q(lead_department_id=user.department_id)
    base = task_list(user=user, campaign=campaign, day=day, lists=True)
    mine = list(base.filter(responsible).exclude(status=Task.Status.DONE))
    due_soon = [t for t in mine if t.next_due and t.next_due <= day + timedelta(days=DUE_SOON_DAYS)
                and t.status != Task.Status.IN_REVIEW]
    due_soon.sort(key=lambda t: t.next_due)
    returned = [t for t in mine if t.status == Task.Status.RETURNED]
    mentions = list(
        TaskComment.objects.filter(mentions=user, task__in=Task.objects.visible_to(user).filter(
            **({"campaign__in": campaign} if isinstance(campaign, list | tuple) else {"campaign": campaign})))
        .select_related("author", "task").order_by("-created_at")[:10]
    )
    to_review = []
    if user.has_role(Role.OFFICE, Role.LEADER):
        reviewing = base.filter(status=Task.Status.IN_REVIEW)
        if not user.has_role(Role.OFFICE):
            reviewing = reviewing.filter(Q(supervisor_id=user.pk) | Q(supervisor__isnull=True))
        to_review = list(reviewing[:50])
    return MyWork(mine, due_soon, returned, mentions, to_review, day)


# ---------------------------------------------------------------------------------------------- board, gantt
@dataclass
class BoardRow:
    department: Department
    counts: dict
    total: int
    overdue: int
    done_percent: int


def department_board(*, user, campaign: Campaign, day: date | None = None) -> list[BoardRow]:
    """Per department (as 牵头部门): tasks by status and overdue: two queries."""
    day = day or today()
    tasks = _with_due(Task.objects.visible_to(user).filter(campaign=campaign), day)
    grouped = {}
    for row in tasks.order_by().values("lead_department_id", "status").annotate(n=Count("pk")):
        grouped.setdefault(row["lead_department_id"], {})[row["status"]] = row["n"]
    late = dict(tasks.filter(_overdue_q(day)).order_by().values_list("lead_department_id").annotate(n=Count("pk")))
    rows = []
    for department in Department.objects.visible_to(user).filter(is_active=True).order_by("order", "id"):
        counts = {status: grouped.get(department.pk, {}).get(status, 0) for status in Task.Status.values}
        total = sum(counts.values())
        rows.append(BoardRow(department, counts, total, late.get(department.pk, 0),
                             round(counts[Task.Status.DONE] * 100 / total) if total else 0))
    return rows


@dataclass
class GanttBar:
    task: Task
    start: int  # percent of the campaign's span, rounded to 2 % steps for CSS classes
    width: int
    overdue: bool


@dataclass
class GanttGroup:
    phase: Phase | None
    start: int
    width: int
    bars: list


def _step(percent: float) -> int:
    return max(0, min(100, int(round(percent / 2.0) * 2)))


def gantt(*, user, campaign: Campaign, filters: TaskFilters | None = None, day: date | None = None):
    """Tasks by phase as bars along the campaign's dates (positions in 2 % steps, drawn with CSS classes)."""
    day = day or today()
    span = max((campaign.ends_on - campaign.starts_on).days, 1)

    def pos(value: date) -> float:
        return (min(max(value, campaign.starts_on), campaign.ends_on) - campaign.starts_on).days * 100 / span

    phases = list(campaign.phases.all())
    groups = {phase.pk: GanttGroup(phase, _step(pos(phase.starts_on)),
                                   max(_step(pos(phase.ends_on)) - _step(pos(phase.starts_on)), 2), [])
              for phase in phases}
    loose = GanttGroup(None, 0, 100, [])
    for task in task_list(user=user, campaign=campaign, filters=filters, day=day, lists=True):
        phase = groups.get(task.phase_id)
        if task.recurrence in (Task.Recurrence.ONCE,) and task.due_on:
            begin = task.starts_on or (phase.phase.starts_on if phase else campaign.starts_on)
            end = task.due_on
        else:  # recurring or ongoing: across its phase, or the whole campaign
            begin = task.starts_on or (phase.phase.starts_on if phase else campaign.starts_on)
            end = task.due_on or (phase.phase.ends_on if phase else campaign.ends_on)
        start = _step(pos(min(begin, end)))
        width = max(_step(pos(end)) - start, 2)
        (phase or loose).bars.append(GanttBar(task, start, min(width, 100 - start) or 2, task.is_overdue(day)))
    ordered = [groups[p.pk] for p in phases]
    if loose.bars:
        ordered.append(loose)
    today_pos = _step(pos(day)) if campaign.starts_on <= day <= campaign.ends_on else None
    months = []
    cursor = date(campaign.starts_on.year, campaign.starts_on.month, 1)
    while cursor <= campaign.ends_on:
        months.append((cursor, _step(pos(max(cursor, campaign.starts_on)))))
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    return ordered, today_pos, months
