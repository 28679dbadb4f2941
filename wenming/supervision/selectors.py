"""Reads for supervision. Each selector owns its query shape: a constant number of queries whatever the number of
tasks, rectifications, orders or departments."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.apps import apps
from django.db.models import Count, F, Prefetch, Q, Sum, Value
from django.db.models.fields import DateField
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy

from wenming.assessments.projection import Projection, projected_score
from wenming.campaigns.models import Campaign, Phase, Task
from wenming.core.api import as_id
from wenming.evidence.models import Evidence, Review
from wenming.org.models import Department
from wenming.supervision import lights
from wenming.supervision.lights import Light
from wenming.supervision.models import OrderRound, SupervisionOrder, SupervisionSettings
from wenming.supervision.services import settings_for
from wenming.supervision.sqldates import DaysBetween, LocalDate


def today() -> date:
    return timezone.localdate()


def rectification_model():
    """assessments.Rectification when that app provides it (due_on, status, department, campaign), else None."""
    try:
        model = apps.get_model("assessments", "Rectification")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    return model if {"due_on", "status", "department", "campaign"} <= names else None


def _rectifications(user, campaign):
    model = rectification_model()
    if model is None:
        return None
    return model.objects.restrict(user).filter(campaign=campaign)


# ---------------------------------------------------------------------------------------------- warnings
@dataclass
class WarningItem:
    kind: str  # "task" | "rectification"
    obj: object
    title: str
    department: Department | None
    due: date | None
    light: str
    days: int  # days overdue (red) or days left (yellow)


@dataclass
class WarningFilters:
    department: int | None = None
    light: str = ""
    kind: str = ""

    @classmethod
    def from_query(cls, params) -> "WarningFilters":
        light = params.get("light", "")
        kind = params.get("kind", "")
        return cls(department=as_id(params.get("department")),
                   light=light if light in (Light.RED, Light.YELLOW) else "",
                   kind=kind if kind in ("task", "rectification") else "")

    @property
    def active(self) -> bool:
        return bool(self.department or self.light or self.kind)


@dataclass
class Warnings:
    items: list
    by_department: list  # (department or None, [items])
    counts: dict
    warn_days: int
    day: date


def warnings(*, user, campaign: Campaign, filters: WarningFilters | None = None, day: date | None = None,
             limit: int | None = None) -> Warnings:
    """Red and yellow tasks and rectifications, worst first, grouped by department: three or four queries."""
    filters = filters or WarningFilters()
    day = day or today()
    settings = settings_for(campaign.unit_id)
    lit = (Light.RED, Light.YELLOW) if not filters.light else (filters.light,)
    items: list[WarningItem] = []
    if filters.kind in ("", "task"):
        tasks = lights.tasks_with_light(Task.objects.visible_to(user).filter(campaign=campaign), today=day,
                                        warn_days=settings.warn_days).filter(light__in=lit)
        if filters.department:
            tasks = tasks.filter(lead_department_id=filters.department)
        tasks = tasks.select_related("lead_department").order_by("light_rank", "light_due", "number", "id")
        for task in tasks[:limit] if limit else tasks:
            items.append(WarningItem("task", task, task.title, task.lead_department, task.light_due, task.light,
                                     _days(task.light, task.light_due, day)))
    rects = _rectifications(user, campaign) if filters.kind in ("", "rectification") else None
    if rects is not None:
        rects = lights.rectifications_with_light(rects, today=day, warn_days=settings.warn_days).filter(light__in=lit)
        if filters.department:
            rects = rects.filter(department_id=filters.department)
        rects = rects.select_related("department", "finding").order_by("light_rank", "due_on", "id")
        for rect in rects[:limit] if limit else rects:
            items.append(WarningItem("rectification", rect, str(rect), rect.department, rect.due_on, rect.light,
                                     _days(rect.light, rect.due_on, day)))
    items.sort(key=lambda i: (lights.RANK[Light(i.light)], i.due or date.max))
    if limit:
        items = items[:limit]
    groups: dict = {}
    for item in items:
        groups.setdefault(item.department.pk if item.department else None, (item.department, []))[1].append(item)
    by_department = sorted(groups.values(), key=lambda g: (g[0] is None, getattr(g[0], "order", 0),
                                                           getattr(g[0], "pk", 0)))
    counts = {Light.RED: sum(1 for i in items if i.light == Light.RED),
              Light.YELLOW: sum(1 for i in items if i.light == Light.YELLOW)}
    return Warnings(items, by_department, counts, settings.warn_days, day)


def _days(light: str, due: date | None, day: date) -> int:
    if due is None:
        return 0
    return (day - due).days if light == Light.RED else (due - day).days


def light_counts(*, user, campaign: Campaign, day: date | None = None, warn_days: int | None = None) -> dict:
    """How many tasks show each light: one grouped query."""
    day = day or today()
    warn_days = settings_for(campaign.unit_id).warn_days if warn_days is None else warn_days
    tasks = lights.tasks_with_light(Task.objects.visible_to(user).filter(campaign=campaign), today=day,
                                    warn_days=warn_days)
    counts = dict.fromkeys(Light.values, 0)
    for row in tasks.order_by().values("light").annotate(n=Count("pk")):
        counts[row["light"]] = row["n"]
    return counts


# ---------------------------------------------------------------------------------------------- orders
@dataclass
class OrderFilters:
    status: str = ""
    department: int | None = None
    year: int | None = None
    q: str = ""

    @classmethod
    def from_query(cls, params) -> "OrderFilters":
        def number(name):
            return as_id(params.get(name))

        status = params.get("status", "")
        return cls(status=status if status in SupervisionOrder.Status.values or status == "open" else "",
                   department=number("department"), year=number("year"), q=(params.get("q") or "").strip()[:100])

    @property
    def active(self) -> bool:
        return bool(self.status or self.department or self.year or self.q)


def order_list(*, user, filters: OrderFilters | None = None, day: date | None = None):
    """The register (督办单登记簿): one query, lit by deadline."""
    filters = filters or OrderFilters()
    day = day or today()
    orders = SupervisionOrder.objects.visible_to(user)
    if filters.status == "open":
        orders = orders.filter(status__in=SupervisionOrder.OPEN_STATUSES)
    elif filters.status:
        orders = orders.filter(status=filters.status)
    if filters.department:
        orders = orders.filter(department_id=filters.department)
    if filters.year:
        orders = orders.filter(year=filters.year)
    if filters.q:
        orders = orders.filter(Q(request__icontains=filters.q) | Q(task__title__icontains=filters.q)
                               | Q(rectification__requirement__icontains=filters.q))
    warn_days = settings_for(user.unit_id).warn_days if user.unit_id else lights.DEFAULT_WARN_DAYS
    return lights.orders_with_light(orders, today=day, warn_days=warn_days).select_related(
        "department", "task", "rectification__finding", "issued_by", "campaign").order_by("-year", "-number")


def order_detail(*, user):
    """The base queryset for one order's page: rounds with their people and evidence, fixed query count."""
    return SupervisionOrder.objects.visible_to(user).select_related(
        "department", "task", "task__lead_department", "rectification__finding", "issued_by", "campaign", "unit",
    ).prefetch_related(Prefetch("rounds", queryset=OrderRound.objects.select_related("actor").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.only("id", "title", "status", "campaign_id")))))


def evidence_choices(*, user, order: SupervisionOrder) -> list[Evidence]:
    """Evidence of the order's campaign the person may link: their department's first, then the task's."""
    items = Evidence.objects.visible_to(user).filter(campaign_id=order.campaign_id)
    wanted = Q(department_id=order.department_id)
    if order.task_id:
        wanted |= Q(task_id=order.task_id)
    return list(items.filter(wanted).only("id", "title", "occurred_on", "status").order_by("-occurred_on", "-id")[:200])


def task_choices(*, user, campaign: Campaign, day: date | None = None) -> list[Task]:
    """Tasks an order can be issued on: not done, worst light first."""
    day = day or today()
    tasks = lights.tasks_with_light(Task.objects.visible_to(user).filter(campaign=campaign)
                                    .exclude(status=Task.Status.DONE), today=day,
                                    warn_days=settings_for(campaign.unit_id).warn_days)
    return list(tasks.select_related("lead_department").order_by("light_rank", "light_due", "number", "id"))


def rectification_choices(*, user, campaign: Campaign, day: date | None = None) -> list:
    """Rectifications an order can be issued on: not closed, worst light first (empty without assessments)."""
    rects = _rectifications(user, campaign)
    if rects is None:
        return []
    day = day or today()
    rects = lights.rectifications_with_light(rects.exclude(status="closed"), today=day,
                                             warn_days=settings_for(campaign.unit_id).warn_days)
    return list(rects.select_related("department", "finding").order_by("light_rank", "due_on", "id"))


# ---------------------------------------------------------------------------------------------- ranking
@dataclass
class RankRow:
    department: Department
    total: int = 0
    done: int = 0
    due: int = 0  # 应完成: done, or past the deadline
    on_time: int = 0
    overdue: int = 0
    overdue_days: int = 0
    returns: int = 0
    open_rectifications: int = 0
    score: Decimal = Decimal("0")
    rank: int | None = None

    @property
    def on_time_rate(self) -> Decimal:
        """按时完成 ÷ 应完成; nothing due yet counts as fully on time (nothing is late)."""
        if not self.due:
            return Decimal("100.0") if self.total else Decimal("0")
        return (Decimal(self.on_time) * 100 / self.due).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def done_rate(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0

    @property
    def counted(self) -> bool:
        return bool(self.total or self.returns or self.open_rectifications)


@dataclass
class Ranking:
    rows: list[RankRow]
    settings: SupervisionSettings
    day: date
    has_rectifications: bool = False


def ranking(*, user, campaign: Campaign, day: date | None = None) -> Ranking:
    """部门考核: per lead department — tasks done on time, evidence returns, days overdue, open rectifications —
    with the unit's weights. Five or six grouped queries, whatever the number of departments or tasks."""
    day = day or today()
    settings = settings_for(campaign.unit_id)
    tasks = lights.tasks_with_light(Task.objects.alive().filter(campaign=campaign, lead_department__isnull=False),
                                    today=day, warn_days=settings.warn_days)
    # the database's own date arithmetic, not a Python call per row on SQLite (sqldates, issue 17)
    late_span = DaysBetween(F("light_due"), Value(day, output_field=DateField()))
    red = lights.is_red(due_field="light_due", done_q=Q(status=Task.Status.DONE), today=day)  # light == red, cheaper
    on_time = Q(status=Task.Status.DONE) & (Q(due_on__isnull=True) | Q(completed_at__isnull=True)
                                            | Q(LessThanOrEqual(LocalDate("completed_at"), F("due_on"))))
    rows: dict[int, RankRow] = {}
    departments = list(Department.objects.filter(unit_id=campaign.unit_id, is_active=True).order_by("order", "id"))
    for department in departments:
        rows[department.pk] = RankRow(department)
    for agg in (tasks.order_by().values("lead_department_id").annotate(
            total=Count("pk"), done=Count("pk", filter=Q(status=Task.Status.DONE)), on_time=Count("pk", filter=on_time),
            due=Count("pk", filter=Q(status=Task.Status.DONE) | red),
            overdue=Count("pk", filter=red),
            overdue_span=Sum(late_span, filter=red))):
        row = rows.get(agg["lead_department_id"])
        if row is None:
            continue
        row.total, row.done, row.on_time, row.overdue = agg["total"], agg["done"], agg["on_time"], agg["overdue"]
        row.due = agg["due"]
        span = agg["overdue_span"]
        row.overdue_days = span.days if isinstance(span, timedelta) else int(span or 0)
    # walked from the returns (index evidence_review_action), never from the campaign's evidence: "+ 0" keeps the
    # planner (SQLite has no statistics) from probing all 30,000 evidence rows for reviews (issue 17)
    returned = (Review.objects.filter(action=Review.Action.RETURNED, evidence__deleted_at__isnull=True)
                .annotate(in_campaign=F("evidence__campaign_id") + 0).filter(in_campaign=campaign.pk)
                .order_by().values("evidence__department_id").annotate(n=Count("pk")))
    for agg in returned:
        if agg["evidence__department_id"] in rows:
            rows[agg["evidence__department_id"]].returns = agg["n"]
    model = rectification_model()
    if model is not None:
        open_rects = (model.objects.filter(campaign=campaign, deleted_at__isnull=True).exclude(status="closed").order_by()
                      .values("department_id").annotate(n=Count("pk")))
        for agg in open_rects:
            if agg["department_id"] in rows:
                rows[agg["department_id"]].open_rectifications = agg["n"]
    for row in rows.values():
        row.score = (row.on_time_rate * settings.weight_on_time - row.returns * settings.weight_returns
                     - row.overdue_days * settings.weight_overdue_days
                     - row.open_rectifications * settings.weight_open_rectifications).quantize(Decimal("0.1"),
                                                                                                ROUND_HALF_UP)
    counted = sorted((r for r in rows.values() if r.counted), key=lambda r: (-r.score, r.department.order,
                                                                              r.department.pk))
    previous, rank = None, 0
    for position, row in enumerate(counted, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        row.rank = rank
    idle = [r for r in rows.values() if not r.counted]
    return Ranking(counted + idle, settings, day, model is not None)


# ---------------------------------------------------------------------------------------------- dashboard
@dataclass
class Bar:
    label: str
    total: int
    done: int

    @property
    def percent(self) -> int:
        return round(self.done * 100 / self.total) if self.total else 0


@dataclass
class Dashboard:
    campaign: Campaign
    day: date
    phase_name: str | None
    phase_days_left: int | None
    campaign_days_left: int
    totals: dict
    lights: dict
    by_phase: list
    by_category: list
    by_department: list
    gap: dict
    projected: Projection | None
    warnings: Warnings
    open_orders: list
    open_order_count: int
    answered_order_count: int
    ranking: Ranking = field(default=None)


def dashboard(*, user, campaign: Campaign, day: date | None = None) -> Dashboard:
    """领导驾驶舱: a constant number of grouped queries (pinned in a test at two data sizes)."""
    from wenming.evidence.selectors import criteria_in_order, gap_matrix

    day = day or today()
    visible = Task.objects.visible_to(user).filter(campaign=campaign)
    phase = (Phase.objects.filter(campaign=campaign, starts_on__lte=day, ends_on__gte=day).order_by("order").first())
    phases = list(Phase.objects.filter(campaign=campaign).order_by("order", "starts_on", "id"))
    per_phase = {row["phase_id"]: row for row in visible.order_by().values("phase_id").annotate(
        total=Count("pk"), done=Count("pk", filter=Q(status=Task.Status.DONE)))}
    by_phase = [Bar(p.name, per_phase.get(p.pk, {}).get("total", 0), per_phase.get(p.pk, {}).get("done", 0))
                for p in phases]
    if None in per_phase:
        by_phase.append(Bar(gettext_lazy("未分阶段"), per_phase[None]["total"], per_phase[None]["done"]))
    totals = {"total": sum(b.total for b in by_phase), "done": sum(b.done for b in by_phase)}

    nodes = criteria_in_order(campaign.standard_id)
    top: dict = {}  # each node's category (its root), in one walk: the nodes come in tree order, parents first
    for node in nodes:
        top[node.pk] = top.get(node.parent_id, node)

    category_counts: dict = {}
    links = (Task.criteria.through.objects.filter(task__in=visible).order_by()
             .values("criterion_id", "task__status").annotate(n=Count("task_id", distinct=True)))
    for row in links:
        root = top.get(row["criterion_id"])
        if root is None:
            continue
        bar = category_counts.setdefault(root.pk, [root, 0, 0])
        bar[1] += row["n"]
        if row["task__status"] == Task.Status.DONE:
            bar[2] += row["n"]
    by_category = [Bar(f"{n.code} {n.title}".strip(), c[1], c[2]) for n in nodes if (c := category_counts.get(n.pk))]

    rank = ranking(user=user, campaign=campaign, day=day)
    by_department = sorted((Bar(r.department.name, r.total, r.done) for r in rank.rows if r.total),
                           key=lambda bar: (-bar.percent, -bar.total))
    gap = gap_matrix(user=user, campaign=campaign).totals if campaign.standard_id else {}
    orders = order_list(user=user, filters=OrderFilters(status="open"), day=day).filter(campaign=campaign)
    open_orders = list(orders[:8])
    order_counts = {row["status"]: row["n"] for row in SupervisionOrder.objects.visible_to(user).filter(
        campaign=campaign, status__in=SupervisionOrder.OPEN_STATUSES).order_by().values("status").annotate(
        n=Count("pk"))}
    return Dashboard(
        campaign=campaign, day=day, phase_name=phase.name if phase else None,
        phase_days_left=(phase.ends_on - day).days if phase else None,
        campaign_days_left=max((campaign.ends_on - day).days, 0), totals=totals,
        lights=light_counts(user=user, campaign=campaign, day=day, warn_days=rank.settings.warn_days),
        by_phase=by_phase, by_category=by_category, by_department=by_department, gap=gap,
        projected=projected_score(user=user, campaign=campaign),
        warnings=warnings(user=user, campaign=campaign, filters=WarningFilters(light=Light.RED), day=day, limit=8),
        open_orders=open_orders, open_order_count=sum(order_counts.values()),
        answered_order_count=order_counts.get(SupervisionOrder.Status.ANSWERED, 0), ranking=rank,
    )
