"""Reads of publicity. Each selector owns its query shape, so pages run a constant number of queries."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from wenming.campaigns.models import Campaign
from wenming.publicity.models import Level, Practice, PublicityItem, PublicityTarget, SuperiorReport
from wenming.standards.models import Criterion


@dataclass
class ItemFilters:
    channel: str = ""
    level: str = ""
    department: int | None = None
    month: str = ""  # "YYYY-MM"
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.channel or self.level or self.department or self.month or self.q)


def _month_bounds(month: str) -> tuple[date, date] | None:
    try:
        year, number = (int(part) for part in month.split("-"))
        start = date(year, number, 1)
    except (ValueError, TypeError):
        return None
    end = date(year + (number == 12), number % 12 + 1, 1)
    return start, end


def item_list(*, user, campaign: Campaign, filters: ItemFilters | None = None):
    filters = filters or ItemFilters()
    items = (PublicityItem.objects.visible_to(user).filter(campaign=campaign)
             .select_related("department", "created_by", "evidence")
             .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.only("id", "code", "title"))))
    if filters.channel:
        items = items.filter(channel=filters.channel)
    if filters.level:
        items = items.filter(level=filters.level)
    if filters.department:
        items = items.filter(department_id=filters.department)
    bounds = _month_bounds(filters.month) if filters.month else None
    if bounds:
        items = items.filter(published_on__gte=bounds[0], published_on__lt=bounds[1])
    if filters.q:
        items = items.filter(Q(title__icontains=filters.q) | Q(outlet__icontains=filters.q)
                             | Q(author__icontains=filters.q))
    return items.order_by("-published_on", "-id")


# ---------------------------------------------------------------------------------------------- monthly table
@dataclass
class Cell:
    month: date
    count: int
    state: str = ""  # "short" (below target, month over), "open" (below target, month running), "met", "future"
    target: int | None = None


@dataclass
class MonthRow:
    label: str
    cells: list[Cell]
    total: int
    target: PublicityTarget | None = None

    @property
    def short_months(self) -> int:
        return sum(1 for cell in self.cells if cell.state == "short")


@dataclass
class MonthlyTable:
    months: list[date]
    level_rows: list[MonthRow] = field(default_factory=list)
    total_row: MonthRow | None = None
    target_rows: list[MonthRow] = field(default_factory=list)

    @property
    def short_count(self) -> int:
        return sum(row.short_months for row in self.target_rows)


def campaign_months(campaign: Campaign) -> list[date]:
    """The first day of each month the campaign spans (at most 36)."""
    months, day = [], date(campaign.starts_on.year, campaign.starts_on.month, 1)
    while day <= campaign.ends_on and len(months) < 36:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


def monthly_table(*, user, campaign: Campaign, today: date | None = None) -> MonthlyTable:
    """Counts per month and level, and per month against each target: two queries whatever the data size.

    A month below its target is `short` (red) once it is over, `open` while it runs; later months are `future`.
    """
    today = today or timezone.localdate()
    this_month = date(today.year, today.month, 1)
    months = campaign_months(campaign)
    counts: Counter = Counter()
    rows = (PublicityItem.objects.visible_to(user).filter(campaign=campaign)
            .annotate(y=ExtractYear("published_on"), m=ExtractMonth("published_on"))
            .values("y", "m", "channel", "level").annotate(n=Count("id")).order_by())
    for row in rows:
        counts[(date(row["y"], row["m"], 1), row["channel"], row["level"])] += row["n"]

    def count(month, *, channel="", level=""):
        return sum(n for (m, c, lv), n in counts.items()
                   if m == month and (not channel or c == channel) and (not level or lv == level))

    table = MonthlyTable(months=months)
    for value, label in Level.choices:
        cells = [Cell(m, count(m, level=value)) for m in months]
        table.level_rows.append(MonthRow(label=str(label), cells=cells, total=sum(c.count for c in cells)))
    cells = [Cell(m, count(m)) for m in months]
    table.total_row = MonthRow(label="", cells=cells, total=sum(c.count for c in cells))
    for target in PublicityTarget.objects.filter(campaign=campaign).order_by("channel", "level", "id"):
        cells = []
        for m in months:
            n = count(m, channel=target.channel, level=target.level)
            if m > this_month:
                state = "future"
            elif n >= target.per_month:
                state = "met"
            else:
                state = "open" if m == this_month else "short"
            cells.append(Cell(m, n, state, target.per_month))
        table.target_rows.append(MonthRow(label=target.label, cells=cells, total=sum(c.count for c in cells),
                                          target=target))
    return table


# ---------------------------------------------------------------------------------------------- reports
@dataclass
class ReportFilters:
    recipient: str = ""
    level: str = ""
    adopted: str = ""  # "yes" / "no"
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.recipient or self.level or self.adopted or self.q)


def report_list(*, user, campaign: Campaign, filters: ReportFilters | None = None):
    filters = filters or ReportFilters()
    items = (SuperiorReport.objects.visible_to(user).filter(campaign=campaign)
             .select_related("department", "created_by"))
    if filters.recipient:
        items = items.filter(recipient=filters.recipient)
    if filters.level:
        items = items.filter(level=filters.level)
    if filters.adopted in ("yes", "no"):
        items = items.filter(adopted=filters.adopted == "yes")
    if filters.q:
        items = items.filter(Q(title__icontains=filters.q) | Q(adopted_note__icontains=filters.q))
    return items.order_by("-reported_on", "-id")


def report_counts(*, user, campaign: Campaign) -> dict:
    found = SuperiorReport.objects.visible_to(user).filter(campaign=campaign).aggregate(
        total=Count("id"), adopted=Count("id", filter=Q(adopted=True)))
    return found


@dataclass
class ReportMonth:
    month: date
    total: int
    adopted: int
    future: bool


def report_months(*, user, campaign: Campaign, today: date | None = None) -> list[ReportMonth]:
    """Reports sent and adopted per month of the campaign: one query."""
    today = today or timezone.localdate()
    this_month = date(today.year, today.month, 1)
    counts = {(row["y"], row["m"]): (row["n"], row["a"]) for row in
              SuperiorReport.objects.visible_to(user).filter(campaign=campaign)
              .annotate(y=ExtractYear("reported_on"), m=ExtractMonth("reported_on")).values("y", "m")
              .annotate(n=Count("id"), a=Count("id", filter=Q(adopted=True))).order_by()}
    return [ReportMonth(m, *counts.get((m.year, m.month), (0, 0)), future=m > this_month)
            for m in campaign_months(campaign)]


def recipients(*, user, campaign: Campaign) -> list[str]:
    return list(SuperiorReport.objects.visible_to(user).filter(campaign=campaign).order_by("recipient")
                .values_list("recipient", flat=True).distinct())


# ---------------------------------------------------------------------------------------------- practices
def practice_list(*, user, tag: str = "", q: str = ""):
    items = Practice.objects.visible_to(user).select_related("added_by")
    if tag:
        items = items.tagged(tag)
    if q:
        items = items.filter(Q(title__icontains=q) | Q(summary__icontains=q) | Q(source_unit__icontains=q)
                             | Q(tags__icontains=q))
    return items.order_by("-created_at", "-id")


def practice_tags(*, user) -> list[tuple[str, int]]:
    """Every tag in the unit's library with how many practices carry it, most used first: one query."""
    counter: Counter = Counter()
    for tags in Practice.objects.visible_to(user).values_list("tags", flat=True):
        counter.update(tag for tag in tags.split(",") if tag)
    return sorted(counter.items(), key=lambda pair: (-pair[1], pair[0]))
