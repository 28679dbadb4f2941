"""Reads of funding. Each selector owns its query shape, so pages run a constant number of queries."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, DecimalField, Prefetch, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from wenming.activities.models import Activity
from wenming.campaigns.models import Campaign, Phase
from wenming.funding.models import BudgetLine, Expense, Receipt

ZERO = Decimal("0.00")
WARN_PERCENT = 90


@dataclass
class Usage:
    """Budget against spending for a line, a phase or the whole campaign."""

    budget: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent

    @property
    def percent(self) -> int:
        if not self.budget:
            return 100 if self.spent else 0
        return int(self.spent * 100 / self.budget)

    @property
    def over(self) -> bool:
        return self.spent > self.budget

    @property
    def state(self) -> str:
        """over (red), near (yellow, at 90% or more) or ok."""
        if self.over:
            return "over"
        return "near" if self.budget and self.percent >= WARN_PERCENT else "ok"

    @property
    def bar_width(self) -> int:
        """The progress bar's width in steps of 5 (a CSS class; no inline styles under our CSP)."""
        return min(100, self.percent // 5 * 5)


@dataclass
class LineUsage(Usage):
    line: BudgetLine | None = None
    expense_count: int = 0


@dataclass
class PhaseUsage(Usage):
    name: str = ""
    phase: Phase | None = None


@dataclass
class BudgetSummary:
    lines: list[LineUsage] = field(default_factory=list)
    phases: list[PhaseUsage] = field(default_factory=list)
    total: Usage = field(default_factory=Usage)

    @property
    def over_lines(self) -> list[LineUsage]:
        return [usage for usage in self.lines if usage.over]


def _money_sum(expression, **filters):
    return Coalesce(Sum(expression, **filters), Value(ZERO), output_field=DecimalField(max_digits=14, decimal_places=2))


def budget_lines(*, user, campaign: Campaign | None = None):
    """Budget lines with what has been spent on each (binned expenses left out): one query."""
    alive = Q(expenses__deleted_at__isnull=True)
    lines = BudgetLine.objects.visible_to(user)
    if campaign is not None:
        lines = lines.filter(campaign=campaign)
    return (lines.select_related("phase")
            .annotate(spent=_money_sum("expenses__amount", filter=alive),
                      expense_count=Count("expenses", filter=alive))
            .order_by("phase__order", "phase__starts_on", "category", "id"))


def budget_summary(*, user, campaign: Campaign) -> BudgetSummary:
    """Budget vs spent per line, per phase (lines without a phase under 不分阶段) and in total: two queries."""
    summary = BudgetSummary()
    phases = list(Phase.objects.filter(campaign=campaign).order_by("order", "starts_on", "id"))
    by_phase: dict[int | None, PhaseUsage] = {p.pk: PhaseUsage(name=p.name, phase=p) for p in phases}
    for line in budget_lines(user=user, campaign=campaign):
        usage = LineUsage(budget=line.amount, spent=line.spent, line=line, expense_count=line.expense_count)
        summary.lines.append(usage)
        group = by_phase.get(line.phase_id)
        if group is None:
            group = by_phase.setdefault(None, PhaseUsage(name=_("不分阶段")))
        group.budget += line.amount
        group.spent += line.spent
        summary.total.budget += line.amount
        summary.total.spent += line.spent
    summary.phases = [usage for usage in by_phase.values() if usage.budget or usage.spent]
    return summary


@dataclass
class ExpenseFilters:
    budget_line: int | None = None
    category: str = ""
    phase: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.budget_line or self.category or self.phase or self.date_from or self.date_to or self.q)


def expense_list(*, user, campaign: Campaign, filters: ExpenseFilters | None = None):
    filters = filters or ExpenseFilters()
    items = (Expense.objects.visible_to(user).filter(budget_line__campaign=campaign)
             .select_related("budget_line__phase", "created_by", "activity")
             .prefetch_related(Prefetch("receipts", queryset=Receipt.objects.order_by("id"))))
    if filters.budget_line:
        items = items.filter(budget_line_id=filters.budget_line)
    if filters.category:
        items = items.filter(budget_line__category=filters.category)
    if filters.phase:
        items = items.filter(budget_line__phase_id=filters.phase)
    if filters.date_from:
        items = items.filter(spent_on__gte=filters.date_from)
    if filters.date_to:
        items = items.filter(spent_on__lte=filters.date_to)
    if filters.q:
        items = items.filter(Q(payee__icontains=filters.q) | Q(purpose__icontains=filters.q)
                             | Q(note__icontains=filters.q))
    return items.order_by("-spent_on", "-id")


def expense_total(items) -> Decimal:
    return items.order_by().aggregate(total=_money_sum("amount"))["total"]


def activity_choices(*, campaign: Campaign) -> list[tuple[int, str]]:
    """The campaign's activities (not in the recycle bin), newest first, for 关联活动."""
    return [(a.pk, f"{a.starts_at:%Y-%m-%d} {a.title}") for a in
            Activity.objects.alive().filter(campaign=campaign).only("id", "title", "starts_at").order_by("-starts_at")[:300]]


def activity_of(*, campaign: Campaign, pk: int | None) -> Activity | None:
    """The activity picked in a form or an API call, re-read within the campaign."""
    if pk is None:
        return None
    found = Activity.objects.alive().filter(campaign=campaign, pk=pk).first()
    if found is None:
        raise ValidationError({"activity": _("所选活动不存在或不属于这个创建活动。")})
    return found
