"""Reads of assessments. Each selector owns its query shape: the scoring screen, the lists and the ledger run a
constant number of queries whatever the number of lines or items."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from wenming.assessments import scoring
from wenming.assessments.models import Assessment, Finding, Rectification, Score
from wenming.assessments.querysets import is_evaluator
from wenming.campaigns.models import Campaign
from wenming.evidence.models import Evidence, EvidenceFile
from wenming.org.roles import Role
from wenming.standards.models import Criterion, Kind
from wenming.standards.tree import tree_order

NODE_FIELDS = ("id", "parent_id", "code", "title", "scoring", "content", "materials", "methods", "points", "per_item",
               "kind", "bonus_cap", "depth", "order", "is_local", "standard_id")


def assessment_list(*, user, campaign: Campaign):
    """The campaign's assessments; `scored_lines` counts only what the person may read (an inspection's progress
    reaches the unit only once it is submitted: 0 before)."""
    readable = Assessment.objects.scores_visible_to(user).filter(campaign=campaign).values("pk")
    return (Assessment.objects.visible_to(user).filter(campaign=campaign)
            .select_related("created_by")
            .prefetch_related("team")
            .annotate(scored_lines=Count("scores", distinct=True, filter=Q(pk__in=readable)))
            .order_by("-created_at", "-id"))


def evidence_for(*, user, campaign: Campaign):
    """Evidence a person may open while scoring: the evidence policy's `inspect` (evaluators only approved items of
    their assigned campaign, the unit's people what they may view)."""
    return Evidence.objects.restrict(user, "inspect").filter(campaign=campaign)


def evidence_files_for(*, user, campaign: Campaign):
    """Files a person may open from the scoring sheet: the evidence policy's `inspect` on files — current files of
    the evidence `evidence_for` gives, never one retired by a later version."""
    return EvidenceFile.objects.restrict(user, "inspect").filter(evidence__campaign=campaign)


def nodes_in_order(standard_id: int | None) -> list[Criterion]:
    """Every node of the standard in tree order (one query, once per data revision: `wenming.core.memo`), each with
    `child_count`. The list is the caller's; the nodes are shared, read them only."""
    from wenming.core.memo import memoized

    if not standard_id:
        return []
    return list(memoized("nodes_in_order", standard_id, lambda: _nodes_in_order(standard_id)))


def _nodes_in_order(standard_id: int) -> list[Criterion]:
    nodes = list(Criterion.objects.filter(standard_id=standard_id).only(*NODE_FIELDS).order_by("order", "id"))
    ordered, children = tree_order(nodes)
    for node in ordered:
        node.child_count = len([c for c in children.get(node.pk, []) if not c.is_local])
    return ordered


def sheet_for(assessment: Assessment, nodes) -> scoring.Sheet:
    pass_score = assessment.campaign.pass_score
    if pass_score is None and assessment.campaign.standard_id:
        pass_score = assessment.campaign.standard.pass_score
    return scoring.sheet_from_nodes(nodes, pass_score=pass_score,
                                    scale=scoring.GradeScale.from_mapping(assessment.grade_scale),
                                    allow_not_applicable=assessment.allow_not_applicable)


def entry_of(score: Score | None) -> scoring.Entry:
    if score is None:
        return scoring.Entry()
    return scoring.Entry(points=score.points, grade=score.grade, count=score.missing, triggered=score.triggered,
                         not_applicable=score.not_applicable)


def result_for(assessment: Assessment, nodes, scores: dict[int, Score]) -> scoring.Result:
    sheet = sheet_for(assessment, nodes)
    return scoring.compute(sheet, {key: entry_of(score) for key, score in scores.items()})


@dataclass
class SheetLine:
    node: Criterion
    is_line: bool
    score: Score | None = None
    result: scoring.LineResult | None = None
    evidence: list = field(default_factory=list)
    evidence_count: int = 0
    findings: int = 0
    deduct_each: Decimal | None = None

    @property
    def version(self) -> int:
        return self.score.version if self.score else 0


@dataclass
class ScoringSheet:
    assessment: Assessment
    rows: list[SheetLine]
    result: scoring.Result
    scores_visible: bool
    grades: tuple[str, ...]
    step: Decimal = scoring.TENTH  # what a score may be typed to (the standard's step)


def assessment_detail(*, user, pk):
    return (Assessment.objects.visible_to(user)
            .select_related("campaign__unit", "campaign__standard", "created_by", "submitted_by")
            .prefetch_related("team"))


EVIDENCE_SHOWN = 4  # thumbnails per line; the rest is a count


def _scored(assessment: Assessment, scores_visible: bool):
    """(nodes, scores by criterion, result) — kept until the data changes (`wenming.core.memo`): computing 500
    lines takes longer than drawing a page, and the sheet is reloaded far more often than a line is saved."""
    from wenming.core.memo import memoized

    def compute():
        nodes = nodes_in_order(assessment.campaign.standard_id)
        scores = ({s.criterion_id: s for s in Score.objects.filter(assessment=assessment).select_related("scored_by")}
                  if scores_visible else {})
        return nodes, scores, result_for(assessment, nodes, scores)

    return memoized("scoring_sheet", (assessment.pk, scores_visible), compute)


def _line_evidence(*, user, assessment: Assessment, line_ids) -> tuple[dict, dict]:
    """The newest few evidence items of each line (with their current files) and how many each has: two queries
    for the links and one (plus files) for the items shown, whatever the amount of evidence."""
    links = list(Evidence.criteria.through.objects.filter(criterion_id__in=line_ids)
                 .values_list("criterion_id", "evidence_id"))
    # the links' evidence this person may open, newest first (two plain reads: a join sorted on the evidence was
    # ten times slower on SQLite at 30,000 items)
    newest = dict(evidence_for(user=user, campaign=assessment.campaign)
                  .filter(pk__in={evidence_id for _criterion_id, evidence_id in links})
                  .values_list("pk", "occurred_on"))
    links = sorted(((c, e) for c, e in links if e in newest), key=lambda link: (newest[link[1]], link[1]),
                   reverse=True)
    shown: dict[int, list[int]] = defaultdict(list)
    counts: dict[int, int] = defaultdict(int)
    for criterion_id, evidence_id in links:
        counts[criterion_id] += 1
        if len(shown[criterion_id]) < EVIDENCE_SHOWN:
            shown[criterion_id].append(evidence_id)
    wanted = {pk for pks in shown.values() for pk in pks}
    items = {item.pk: item for item in Evidence.objects.filter(pk__in=wanted).prefetch_related(
        Prefetch("files", queryset=EvidenceFile.objects.filter(retired_in__isnull=True).order_by("id"),
                 to_attr="current_files"))} if wanted else {}
    return {key: [items[pk] for pk in pks if pk in items] for key, pks in shown.items()}, counts


def scoring_sheet(*, user, assessment: Assessment, category: int | None = None, line: int | None = None,
                  outline: bool = False) -> ScoringSheet:
    """One row per node of the standard (categories as headings, leaves as lines), each line with its score, its
    newest evidence (thumbnails) and its findings count, plus the totals from the scoring module: a constant number
    of queries. `category`: only the rows under that category (a big standard's sheet loads them one category at
    a time); `line`: only that node (one line redrawn); `outline`: the category headings only, nothing per line."""
    from wenming.core.memo import memoized

    scores_visible = memoized("scores_visible", (user.pk, assessment.pk), lambda: Assessment.objects.scores_visible_to(
        user).filter(pk=assessment.pk).exists())
    nodes, scores, result = _scored(assessment, scores_visible)
    if outline:
        nodes = [node for node in nodes if node.parent_id is None]
    elif category is not None:
        nodes = _under(nodes, category)
    elif line is not None:
        nodes = [node for node in nodes if node.pk == line]
    line_ids = [node.pk for node in nodes if node.pk in result.lines]
    evidence, evidence_counts = (_line_evidence(user=user, assessment=assessment, line_ids=line_ids)
                                 if line_ids else ({}, {}))
    finding_counts = dict(Finding.objects.visible_to(user).filter(assessment=assessment, criterion_id__in=line_ids)
                          .values_list("criterion_id").annotate(n=Count("id")).values_list("criterion_id", "n")) \
        if scores_visible and line_ids else {}
    rows = []
    for node in nodes:
        is_line = node.pk in result.lines
        rows.append(SheetLine(
            node=node, is_line=is_line, score=scores.get(node.pk), result=result.lines.get(node.pk),
            evidence=evidence.get(node.pk, []), evidence_count=evidence_counts.get(node.pk, 0),
            findings=finding_counts.get(node.pk, 0),
            deduct_each=scoring.deduction_of(node) if node.kind == Kind.DEDUCTION else None,
        ))
    return ScoringSheet(assessment=assessment, rows=rows, result=result, scores_visible=scores_visible,
                        grades=scoring.GradeScale.from_mapping(assessment.grade_scale).grades,
                        step=scoring.step_of_nodes(nodes_in_order(assessment.campaign.standard_id)))


def _under(nodes: list[Criterion], category: int) -> list[Criterion]:
    """The nodes below one category, in tree order (`nodes` is in tree order: they follow it until the next
    top-level node)."""
    rows, inside = [], False
    for node in nodes:
        if node.parent_id is None:
            if inside:
                break
            inside = node.pk == category
            continue
        if inside:
            rows.append(node)
    return rows


def line_nodes(assessment: Assessment) -> list[Criterion]:
    """The scored lines of the assessment's standard, in tree order (no evidence, no findings: what a form needs)."""
    nodes, _scores, result = _scored(assessment, True)
    return [node for node in nodes if node.pk in result.lines]


def scored_totals(assessment: Assessment) -> scoring.Result:
    """The totals as the scoring screen shows them, shared with it until the data changes (`wenming.core.memo`):
    the dashboard's projected score reads the same computation instead of redoing it."""
    return _scored(assessment, True)[2]


def totals_for(assessment: Assessment) -> scoring.Result:
    """The totals after a line was saved (two queries)."""
    nodes = nodes_in_order(assessment.campaign.standard_id)
    scores = {s.criterion_id: s for s in Score.objects.filter(assessment=assessment)}
    return result_for(assessment, nodes, scores)


# ---------------------------------------------------------------------------------------------- compare
@dataclass
class CompareRow:
    node: Criterion
    is_line: bool
    own: scoring.LineResult | None
    inspection: scoring.LineResult | None

    @property
    def difference(self) -> Decimal | None:
        if not self.is_line or self.own is None or self.inspection is None:
            return None
        if self.own.earned is None or self.inspection.earned is None:
            return None
        return self.inspection.earned - self.own.earned

    @property
    def differs(self) -> bool:
        if not self.is_line or self.own is None or self.inspection is None:
            return False
        return (self.own.earned != self.inspection.earned or self.own.vetoed != self.inspection.vetoed
                or self.own.not_applicable != self.inspection.not_applicable)


@dataclass
class Comparison:
    own: Assessment | None
    inspection: Assessment | None
    rows: list[CompareRow]
    own_result: scoring.Result | None
    inspection_result: scoring.Result | None


def comparison(*, user, campaign: Campaign, own: Assessment | None = None,
               inspection: Assessment | None = None) -> Comparison:
    """自查 vs 检查验收, line by line: only assessments whose scores the person may read (an inspection reaches the
    unit only once submitted)."""
    readable = Assessment.objects.scores_visible_to(user).filter(campaign=campaign).select_related(
        "campaign__standard")
    if own is None:
        own = readable.exclude(kind=Assessment.Kind.INSPECTION).order_by("-created_at", "-id").first()
    if inspection is None:
        inspection = readable.filter(kind=Assessment.Kind.INSPECTION).order_by("-created_at", "-id").first()
    nodes = nodes_in_order(campaign.standard_id)
    wanted = [a.pk for a in (own, inspection) if a is not None]
    scores: dict[int, dict[int, Score]] = defaultdict(dict)
    for score in Score.objects.filter(assessment_id__in=wanted):
        scores[score.assessment_id][score.criterion_id] = score
    own_result = result_for(own, nodes, scores[own.pk]) if own else None
    inspection_result = result_for(inspection, nodes, scores[inspection.pk]) if inspection else None
    lines = (own_result or inspection_result).lines if (own_result or inspection_result) else {}
    rows = [CompareRow(node=node, is_line=node.pk in lines,
                       own=own_result.lines.get(node.pk) if own_result else None,
                       inspection=inspection_result.lines.get(node.pk) if inspection_result else None)
            for node in nodes]
    return Comparison(own=own, inspection=inspection, rows=rows, own_result=own_result,
                      inspection_result=inspection_result)


# ---------------------------------------------------------------------------------------------- 整改
@dataclass
class LedgerFilters:
    status: str = ""
    department: int | None = None
    overdue: bool = False
    q: str = ""

    @property
    def active(self) -> bool:
        return bool(self.status or self.department or self.overdue or self.q)


def today() -> date:
    return timezone.localdate()


def rectification_ledger(*, user, campaign: Campaign, filters: LedgerFilters | None = None):
    filters = filters or LedgerFilters()
    items = (Rectification.objects.visible_to(user).filter(campaign=campaign)
             .select_related("department", "finding__criterion", "finding__assessment", "verified_by",
                             "responded_by")
             .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.only("id", "title", "status")
                                        .order_by("id"))))
    if filters.status:
        items = items.filter(status=filters.status)
    if filters.department:
        items = items.filter(department_id=filters.department)
    if filters.overdue:
        items = items.exclude(status=Rectification.Status.CLOSED).filter(due_on__lt=today())
    if filters.q:
        items = items.filter(Q(requirement__icontains=filters.q) | Q(finding__description__icontains=filters.q)
                             | Q(measures__icontains=filters.q))
    return items.order_by("status", "due_on", "id")


def ledger_counts(*, user, campaign: Campaign) -> dict[str, int]:
    rows = (Rectification.objects.visible_to(user).filter(campaign=campaign).values_list("status")
            .annotate(n=Count("id")).values_list("status", "n"))
    counts = dict.fromkeys(Rectification.Status.values, 0)
    counts.update(dict(rows))
    return counts


def rectification_detail(*, user):
    return (Rectification.objects.visible_to(user)
            .select_related("campaign__unit", "department", "finding__criterion", "finding__assessment",
                            "verified_by", "responded_by", "created_by")
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("department")
                                       .prefetch_related(Prefetch("files", queryset=EvidenceFile.objects.filter(
                                           retired_in__isnull=True).order_by("id"), to_attr="current_files"))
                                       .order_by("id"))))


def open_rectifications_for(user, *, limit: int = 10) -> list[Rectification]:
    """整改 waiting for this person: for a liaison or staff, their department's open and returned items; for the
    创建办, items waiting for 核验. Nearest deadline first, each with `overdue` and `days_left`."""
    if not getattr(user, "is_authenticated", False):
        return []
    visible = Rectification.objects.visible_to(user).exclude(status=Rectification.Status.CLOSED)
    if user.has_role(Role.OFFICE):
        wanted = Q(status=Rectification.Status.SUBMITTED)
        if user.department_id:
            wanted |= Q(department_id=user.department_id)
        visible = visible.filter(wanted)
    elif user.department_id:
        visible = visible.filter(department_id=user.department_id)
    else:
        return []
    items = list(visible.select_related("department", "finding__criterion").order_by("due_on", "id")[:limit])
    day = today()
    for item in items:
        item.days_left = (item.due_on - day).days
        item.overdue = item.days_left < 0
        item.overdue_days = -item.days_left
        item.due_soon = 0 <= item.days_left <= 7
    return items


def findings_of(*, user, assessment: Assessment):
    return (Finding.objects.visible_to(user).filter(assessment=assessment)
            .select_related("criterion", "created_by")
            .prefetch_related(Prefetch("rectifications", queryset=Rectification.objects.alive()
                                       .select_related("department").order_by("id")))
            .order_by("id"))


def evidence_choices(*, user, campaign: Campaign, department_id: int | None = None):
    """Evidence a liaison may attach as closing evidence: what they may see in the campaign, newest first."""
    items = Evidence.objects.visible_to(user).filter(campaign=campaign)
    if department_id and not user.has_role(Role.OFFICE):
        items = items.filter(Q(department_id=department_id) | Q(uploader=user))
    return list(items.only("id", "title", "occurred_on", "status").order_by("-occurred_on", "-id")[:200])


def soon(days: int = 14) -> date:
    return today() + timedelta(days=days)


def inspections_to_score(user, *, limit: int = 10) -> list[Assessment]:
    """An evaluator's to-do: the opened inspections assigned to them that are still being scored, nearest end date
    first, each with `days_left` (None without an end date) and `overdue`."""
    if not is_evaluator(user):
        return []
    items = list(Assessment.objects.scorable_by(user).filter(kind=Assessment.Kind.INSPECTION)
                 .select_related("campaign__unit").order_by(F("ends_on").asc(nulls_last=True), "id")[:limit])
    day = today()
    for item in items:
        item.days_left = (item.ends_on - day).days if item.ends_on else None
        item.overdue = item.days_left is not None and item.days_left < 0
        item.overdue_days = -item.days_left if item.overdue else 0
    return items
