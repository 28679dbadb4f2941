"""Reads of evidence. Each selector owns its query shape, so pages run a constant number of queries."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from django.db import connections
from django.db.models import Aggregate, Count, Prefetch, Q, TextField

from wenming.campaigns.models import Campaign, Task
from wenming.evidence.checks import hints_for
from wenming.evidence.models import ArchiveJob, Evidence, EvidenceFile
from wenming.org.roles import Role
from wenming.standards.models import Criterion, Kind
from wenming.standards.tree import tree_order

GAP_STATUSES = ("missing", "returned", "pending", "approved")


@dataclass
class EvidenceFilters:
    status: str = ""
    department: int | None = None
    criterion: int | None = None
    kind: str = ""
    q: str = ""
    returned_to_me: bool = False

    @property
    def active(self) -> bool:
        return bool(self.status or self.department or self.criterion or self.kind or self.q or self.returned_to_me)


def _current_files():
    return Prefetch("files", queryset=EvidenceFile.objects.filter(retired_in__isnull=True).order_by("id"),
                    to_attr="current_files")


def evidence_list(*, user, campaign: Campaign, filters: EvidenceFilters | None = None):
    filters = filters or EvidenceFilters()
    items = (Evidence.objects.visible_to(user).filter(campaign=campaign)
             .select_related("department", "uploader", "task")
             .prefetch_related(Prefetch("criteria", queryset=Criterion.objects.only("id", "code", "title")),
                               _current_files()))
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.department:
        items = items.filter(department_id=filters.department)
    if filters.criterion:
        items = items.filter(criteria__id=filters.criterion)
    if filters.kind:
        items = items.filter(kind=filters.kind)
    if filters.q:
        items = items.filter(Q(title__icontains=filters.q) | Q(description__icontains=filters.q))
    if filters.returned_to_me:
        items = items.filter(status=Evidence.Status.RETURNED, uploader=user)
    return items.order_by("-occurred_on", "-id")


def task_evidence(*, user, task: Task) -> list[Evidence]:
    """The evidence filed for a task that the person may see, newest first, with uploader and current files
    (for thumbnails) — two queries whatever the number of items."""
    return list(Evidence.objects.visible_to(user).filter(task=task)
                .select_related("uploader", "department")
                .prefetch_related(_current_files())
                .order_by("-occurred_on", "-id"))


def returned_to_me_count(*, user, campaign: Campaign) -> int:
    return Evidence.objects.visible_to(user).filter(campaign=campaign, status=Evidence.Status.RETURNED,
                                                    uploader=user).count()


def returned_evidence(*, user, campaigns, limit: int = 20) -> list[Evidence]:
    """Evidence returned for rework that this person should fix (My work): what they uploaded, and for a liaison
    also their department's; newest return first, with campaign and reviewer — one query."""
    mine = Q(uploader_id=user.pk)
    if user.has_role(Role.LIAISON) and user.department_id:
        mine |= Q(department_id=user.department_id)
    return list(Evidence.objects.visible_to(user).filter(mine, campaign__in=campaigns, status=Evidence.Status.RETURNED)
                .select_related("campaign", "reviewed_by", "department").order_by("-reviewed_at", "-id")[:limit])


def evidence_detail(*, user, pk):
    """The item with everything its page shows, fetched in a fixed number of queries."""
    return (Evidence.objects.visible_to(user)
            .select_related("campaign__unit", "campaign__standard", "department", "uploader", "task", "reviewed_by")
            .prefetch_related(
                Prefetch("criteria", queryset=Criterion.objects.order_by("depth", "order", "id")),
                Prefetch("files", queryset=EvidenceFile.objects.select_related("uploaded_by").order_by("id")),
                Prefetch("reviews", queryset=evidence_reviews_queryset()),
            ))


def evidence_reviews_queryset():
    from wenming.evidence.models import Review

    return Review.objects.select_related("actor").order_by("created_at", "id")


def evidence_hints(evidence: Evidence):
    current = [f for f in evidence.files.all() if f.retired_in is None]
    photos = sum(1 for f in current if f.is_raster)
    return hints_for(criteria=evidence.criteria.all(), photo_count=photos, description=evidence.description)


def task_choices(*, user, campaign: Campaign):
    return list(Task.objects.visible_to(user).filter(campaign=campaign).select_related("lead_department")
                .only("id", "number", "title", "lead_department__name").order_by("number", "id"))


def criteria_in_order(standard_id: int | None) -> list[Criterion]:
    """Every node of the standard in tree order (one query, once per data revision: `wenming.core.memo`). The list
    is the caller's; the nodes are shared, read them only."""
    from wenming.core.memo import memoized

    if not standard_id:
        return []
    return list(memoized("criteria_in_order", standard_id, lambda: _criteria_in_order(standard_id)))


def _criteria_in_order(standard_id: int) -> list[Criterion]:
    nodes = list(Criterion.objects.filter(standard_id=standard_id)
                 .only("id", "parent_id", "code", "title", "depth", "order", "kind", "materials", "department")
                 .order_by("order", "id"))
    ordered, children = tree_order(nodes)
    for node in ordered:
        node.child_count = len(children.get(node.pk, []))
    return ordered


# ---------------------------------------------------------------------------------------------- gap view
@dataclass
class GapRow:
    criterion: Criterion
    category: Criterion | None
    indicator: Criterion | None
    status: str
    counts: dict
    departments: list[str]


@dataclass
class GapFilters:
    status: str = ""
    category: int | None = None
    department: str = ""
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.status or self.category or self.department or self.q)


@dataclass
class Gap:
    rows: list[GapRow]
    total: int
    totals: dict
    by_category: list = field(default_factory=list)  # (category, counts)
    by_department: list = field(default_factory=list)  # (name, counts)
    categories: list = field(default_factory=list)
    departments: list = field(default_factory=list)


def _status_of(counts: Counter) -> str:
    for status in ("approved", "pending", "returned"):
        if counts.get(status):
            return status
    return "missing"


def gap_matrix(*, user, campaign: Campaign, filters: GapFilters | None = None) -> Gap:
    """查漏补缺: every scored line of the campaign's standard with the state of its evidence — three queries
    whatever the size of the standard or the amount of evidence, once per data revision (`wenming.core.memo`: the
    leaders' dashboard and the gap view read it far more often than evidence changes); filtering is in memory.
    The rows are shared between requests: read them, do not change them."""
    from wenming.core.memo import memoized

    filters = filters or GapFilters()
    gap = memoized("gap_matrix", (user.pk, campaign.pk), lambda: _gap_matrix(user, campaign))
    if not filters.active:
        return gap
    shown = gap.rows
    if filters.status:
        shown = [r for r in shown if r.status == filters.status]
    if filters.category:
        shown = [r for r in shown if r.category is not None and r.category.pk == filters.category]
    if filters.department:
        shown = [r for r in shown if filters.department in r.departments]
    if filters.q:
        shown = [r for r in shown if filters.q in r.criterion.title or filters.q in r.criterion.code]
    return replace(gap, rows=shown)


def _gap_matrix(user, campaign: Campaign) -> Gap:
    nodes = criteria_in_order(campaign.standard_id)
    by_id = {node.pk: node for node in nodes}
    # one join read off the (campaign, deleted_at, status) index, not an IN (subquery) over the campaign
    counts = _evidence_counts(Evidence.objects.visible_to(user).filter(campaign=campaign, criteria__isnull=False))
    departments: dict[int, set] = defaultdict(set)
    for row in (Task.criteria.through.objects.filter(task__campaign=campaign, task__lead_department__isnull=False)
                .values_list("criterion_id", "task__lead_department__name")):
        departments[row[0]].add(row[1])

    rows: list[GapRow] = []
    top: dict = {}  # each node's root, in one walk: the nodes come in tree order, parents first
    for node in nodes:
        parent = by_id.get(node.parent_id)
        top[node.pk] = top[parent.pk] if parent is not None else node
        if node.child_count or node.kind == Kind.VETO:
            continue
        category = top[node.pk] if parent is not None else None
        indicator = parent if parent is not None and parent.parent_id in by_id else None
        names = sorted(departments.get(node.pk, ())) or ([node.department] if node.department else [])
        rows.append(GapRow(criterion=node, category=category, indicator=indicator, status=_status_of(counts[node.pk]),
                           counts=dict(counts[node.pk]), departments=names))

    # every tally in one pass over the rows (was one pass per category and per department)
    totals = dict.fromkeys(GAP_STATUSES, 0)
    per_category: dict[int, dict] = {}
    per_department: dict[str, dict] = {}
    for row in rows:
        totals[row.status] += 1
        if row.category is not None:
            per_category.setdefault(row.category.pk, dict.fromkeys(GAP_STATUSES, 0))[row.status] += 1
        for name in row.departments:
            per_department.setdefault(name, dict.fromkeys(GAP_STATUSES, 0))[row.status] += 1

    categories = [node for node in nodes if node.parent_id is None and node.child_count]
    by_category = [(cat, per_category[cat.pk]) for cat in categories if cat.pk in per_category]
    department_names = sorted(per_department)
    by_department = [(name, per_department[name]) for name in department_names]
    return Gap(rows=rows, total=len(rows), totals=totals, by_category=by_category, by_department=by_department,
               categories=categories, departments=department_names)


class _IdList(Aggregate):
    """The group's values as one comma-separated text (SQLite's GROUP_CONCAT)."""

    function = "GROUP_CONCAT"
    output_field = TextField()


def _evidence_counts(visible) -> dict[int, Counter]:
    """criterion id → Counter(status → evidence), one query. SQLite groups by sorting: grouping the 46,000
    evidence × criterion links of a city campaign by (criterion, status) sorted them all in a temporary B-tree, two
    thirds of the query (issue 17). Grouped by status alone the rows arrive in the index's order, no sort, and Python
    counts each status's criterion ids. Elsewhere (PostgreSQL hashes) the database counts the pairs."""
    counts: dict[int, Counter] = defaultdict(Counter)
    if connections[visible.db].vendor != "sqlite":
        for criterion_id, status, n in visible.values_list("criteria", "status").annotate(n=Count("id")).order_by():
            counts[criterion_id][status] += n
        return counts
    for status, ids in visible.values("status").annotate(ids=_IdList("criteria")).order_by().values_list("status",
                                                                                                            "ids"):
        for criterion_id, n in Counter(ids.split(",") if ids else ()).items():
            counts[int(criterion_id)][status] += n
    return counts


def archive_jobs(*, user, campaign: Campaign):
    return ArchiveJob.objects.visible_to(user).filter(campaign=campaign).select_related("requested_by")[:10]


@dataclass
class LastBinder:
    job: ArchiveJob
    approved_since: int  # items approved (or approved again) after it was built: what it does not hold yet


def last_binder(*, user, campaign: Campaign) -> LastBinder | None:
    """The latest finished PDF binder, with how many items were approved since (two queries)."""
    job = (ArchiveJob.objects.visible_to(user).filter(campaign=campaign, kind=ArchiveJob.Kind.BINDER,
                                                       status=ArchiveJob.Status.DONE).order_by("-finished_at").first())
    if job is None:
        return None
    since = (Evidence.objects.visible_to(user).filter(campaign=campaign, status=Evidence.Status.APPROVED,
                                                      reviewed_at__gt=job.started_at or job.finished_at).count())
    return LastBinder(job=job, approved_since=since)


def campaign_evidence_counts(*, user, campaign: Campaign) -> dict:
    rows = (Evidence.objects.visible_to(user).filter(campaign=campaign).values("status")
            .annotate(n=Count("id")))
    return {row["status"]: row["n"] for row in rows}
