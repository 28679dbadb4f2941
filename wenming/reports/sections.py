"""The report's sections, each assembled from the campaign's data by one small function.

A section is a title, paragraphs and an optional table; the template places it with a marker line such as
`[[任务完成情况]]`. A phase summary narrows every section to the phase: its tasks, and what happened between its
dates. Sections over apps that may not be installed or may hold no data yet (自查测评, 活动, 经费, 宣传) say so in
one sentence instead of failing. Each runs a fixed number of queries.
"""

import logging
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db import DatabaseError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from wenming.campaigns.models import Campaign, Phase, RosterEntry, Task

logger = logging.getLogger(__name__)


@dataclass
class Table:
    headers: list[str]
    rows: list[list]
    caption: str = ""


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    table: Table | None = None


@dataclass
class Scope:
    """What a report covers: the whole campaign, or one phase of it (a 阶段总结)."""

    campaign: Campaign
    phase: Phase | None = None
    today: date = field(default_factory=timezone.localdate)

    @property
    def starts_on(self) -> date:
        return self.phase.starts_on if self.phase else self.campaign.starts_on

    @property
    def ends_on(self) -> date:
        return self.phase.ends_on if self.phase else self.campaign.ends_on

    @property
    def label(self) -> str:
        return self.phase.name if self.phase else _("全年")

    def tasks(self):
        tasks = Task.objects.alive().filter(campaign=self.campaign)
        return tasks.filter(phase=self.phase) if self.phase else tasks

    def in_dates(self, lookup: str) -> Q:
        return Q(**{f"{lookup}__gte": self.starts_on, f"{lookup}__lte": self.ends_on})


def _model(label: str):
    """A model of an app that may not exist yet (built by another team): None when it is missing."""
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _has(model, *names: str) -> bool:
    fields = {f.name for f in model._meta.get_fields()}
    return all(name in fields for name in names)


def percent(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else "—"


def _date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _names(entries) -> str:
    return "、".join(e.person.real_name or e.person.username for e in entries)


# ---------------------------------------------------------------------------------------------- 组织领导
def organisation(scope: Scope) -> Section:
    campaign = scope.campaign
    roster = list(campaign.roster.select_related("person", "department").order_by("order", "id"))
    by_role = defaultdict(list)
    for entry in roster:
        by_role[entry.role].append(entry)
    section = Section("组织领导", _("组织领导"))
    if not roster:
        section.paragraphs.append(_("领导小组和创建办公室名单尚未录入。"))
        return section
    parts = []
    for role, label in ((RosterEntry.Role.HEAD, _("组长")), (RosterEntry.Role.DEPUTY_HEAD, _("副组长"))):
        if by_role[role]:
            people = "、".join(f"{e.title}{e.person.real_name}" if e.title else e.person.real_name for e in by_role[role])
            parts.append(_("%(people)s任%(role)s") % {"people": people, "role": label})
    members = by_role[RosterEntry.Role.MEMBER]
    if members:
        parts.append(_("%(n)d名部门负责人为成员") % {"n": len(members)})
    document = ""
    if campaign.document_title:
        number = f"（{campaign.document_number}）" if campaign.document_number else ""
        document = _("印发《%(title)s》%(number)s，") % {"title": campaign.document_title.strip("《》"), "number": number}
    section.paragraphs.append(
        _("%(document)s成立创建%(level)s文明单位工作领导小组，%(parts)s。") % {
            "document": document, "level": campaign.get_level_display(), "parts": "，".join(parts)}
        if parts else _("%(document)s成立创建工作领导小组。") % {"document": document})
    office = []
    for role, label in ((RosterEntry.Role.OFFICE_DIRECTOR, _("主任")), (RosterEntry.Role.OFFICE_DEPUTY, _("副主任"))):
        if by_role[role]:
            office.append(_("%(people)s任%(role)s") % {"people": _names(by_role[role]), "role": label})
    liaisons = by_role[RosterEntry.Role.LIAISON]
    sentence = _("领导小组下设创建办公室，%(office)s，具体负责创建工作的组织、指导、督办、考核。") % {
        "office": "，".join(office) or _("负责日常工作")}
    if liaisons:
        sentence += _("各部门明确%(n)d名联络员，形成了“一把手”负总责、分管领导具体抓、各部门协同落实的工作格局。") % {
            "n": len(liaisons)}
    section.paragraphs.append(sentence)
    return section


# ---------------------------------------------------------------------------------------------- 阶段
def phases(scope: Scope) -> Section:
    campaign = scope.campaign
    phase_rows = list(campaign.phases.all()) if scope.phase is None else [scope.phase]
    counts = {row["phase"]: row for row in Task.objects.alive().filter(campaign=campaign).values("phase").annotate(
        total=Count("id"), done=Count("id", filter=Q(status=Task.Status.DONE))).order_by()}
    milestones = defaultdict(list)
    for milestone in campaign.milestones.all():
        milestones[milestone.phase_id].append(milestone)
    section = Section("工作阶段", _("工作阶段"))
    rows = []
    for phase in phase_rows:
        row = counts.get(phase.pk, {"total": 0, "done": 0})
        done_marks = [m.title for m in milestones[phase.pk] if m.done]
        text = _("%(name)s阶段（%(start)s至%(end)s）：") % {"name": phase.name, "start": _date(phase.starts_on),
                                                        "end": _date(phase.ends_on)}
        text += (phase.summary.rstrip("。") + "。") if phase.summary else ""
        if done_marks:
            text += _("完成%(marks)s等工作节点。") % {"marks": "、".join(done_marks[:4])}
        if row["total"] and scope.phase is None:  # a phase summary counts its tasks in its own words
            text += _("本阶段安排任务%(total)d项，已完成%(done)d项。") % row
        elif not phase.summary and not done_marks and not row["total"]:
            text += _("本阶段尚未开始。") if phase.starts_on > scope.today else _("本阶段未单独安排任务。")
        section.paragraphs.append(text)
        rows.append([phase.name, f"{phase.starts_on.month}.{phase.starts_on.day}—{phase.ends_on.month}."
                                 f"{phase.ends_on.day}", row["total"], row["done"], percent(row["done"], row["total"])])
    if not phase_rows:
        section.paragraphs.append(_("尚未划分工作阶段。"))
    elif scope.phase is None:
        section.table = Table([_("阶段"), _("起止时间"), _("任务数"), _("已完成"), _("完成率")], rows,
                              _("各阶段任务完成情况"))
    return section


# ---------------------------------------------------------------------------------------------- 任务
@dataclass
class TaskFacts:
    total: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    on_time: int = 0
    done_with_due: int = 0

    @property
    def rate(self) -> str:
        return percent(self.done, self.total)

    @property
    def on_time_rate(self) -> str:
        return percent(self.on_time, self.done_with_due)


def task_facts(scope: Scope) -> tuple[TaskFacts, list[tuple[str, TaskFacts]]]:
    """Totals and per lead department (one query: the fields a count needs, counted here)."""
    rows = scope.tasks().values_list("lead_department__name", "lead_department__order", "status", "due_on",
                                     "completed_at")
    total, per_department = TaskFacts(), defaultdict(TaskFacts)
    order = {}
    for name, position, status, due_on, completed_at in rows:
        name = name or _("未指定部门")
        order[name] = position if position is not None else 10**6
        for facts in (total, per_department[name]):
            facts.total += 1
            if status == Task.Status.DONE:
                facts.done += 1
                if due_on is not None:
                    facts.done_with_due += 1
                    finished = timezone.localdate(completed_at) if completed_at else None
                    facts.on_time += bool(finished and finished <= due_on)
            else:
                facts.in_progress += status != Task.Status.NOT_STARTED
                facts.overdue += bool(due_on and due_on < scope.today)
    departments = sorted(per_department.items(), key=lambda item: (order[item[0]], item[0]))
    return total, departments


def tasks(scope: Scope) -> Section:
    total, departments = task_facts(scope)
    section = Section("任务完成情况", _("任务完成情况"))
    if not total.total:
        section.paragraphs.append(_("本阶段暂无工作任务。") if scope.phase else _("尚未分解工作任务。"))
        return section
    section.paragraphs.append(_(
        "对照测评细则，将创建工作分解为%(total)d项具体任务，落实到%(departments)d个牵头部门。截至%(today)s，已完成"
        "%(done)d项，完成率%(rate)s；正在推进%(progress)d项；已完成任务中按期完成率%(on_time)s。") % {
        "total": total.total, "departments": len(departments), "today": _date(scope.today), "done": total.done,
        "rate": total.rate, "progress": total.in_progress, "on_time": total.on_time_rate})
    if total.overdue:
        section.paragraphs.append(_("仍有%(n)d项任务超过完成时限尚未完成，已列入督办。") % {"n": total.overdue})
    section.table = Table(
        [_("牵头部门"), _("任务数"), _("已完成"), _("完成率"), _("按期完成率"), _("逾期未完成")],
        [[name, f.total, f.done, f.rate, f.on_time_rate, f.overdue] for name, f in departments],
        _("各部门任务完成情况"))
    return section


# ---------------------------------------------------------------------------------------------- 材料
def evidence(scope: Scope) -> Section:
    from wenming.evidence.models import Evidence
    from wenming.evidence.selectors import criteria_in_order

    section = Section("材料收集情况", _("材料收集情况"))
    items = Evidence.objects.alive().filter(campaign=scope.campaign)
    if scope.phase:
        items = items.filter(scope.in_dates("occurred_on"))
    statuses = Counter(dict(items.values_list("status").annotate(n=Count("id")).order_by()))
    count = sum(statuses.values())
    if not count:
        section.paragraphs.append(_("本阶段暂无创建材料。") if scope.phase else _("尚未收集创建材料。"))
        return section
    kinds = dict(Evidence.Kind.choices)
    by_kind = items.values_list("kind").annotate(n=Count("id")).order_by("-n")
    section.paragraphs.append(_(
        "按照“边创建、边收集、边整理”的要求，共收集创建材料%(count)d份（%(kinds)s），经创建办审核通过%(approved)d份，"
        "待审核%(pending)d份，退回补充%(returned)d份。") % {
        "count": count, "kinds": "、".join(f"{kinds.get(k, k)}{n}份" for k, n in by_kind),
        "approved": statuses[Evidence.Status.APPROVED], "pending": statuses[Evidence.Status.PENDING],
        "returned": statuses[Evidence.Status.RETURNED]})
    # By 测评项目 (the top level of the standard): an item serving two criteria counts under each of their heads.
    nodes = criteria_in_order(scope.campaign.standard_id)
    parent = {node.pk: node.parent_id for node in nodes}
    titles = {node.pk: node.title for node in nodes}

    def root(pk):
        while parent.get(pk):
            pk = parent[pk]
        return pk

    through = Evidence.criteria.through.objects.filter(evidence__in=items).values_list(
        "evidence_id", "criterion_id", "evidence__status")
    per_root: dict[int, dict[int, str]] = defaultdict(dict)
    for evidence_id, criterion_id, status in through:
        if criterion_id in parent:
            per_root[root(criterion_id)][evidence_id] = status
    rows = []
    for node in nodes:
        if node.parent_id is None:
            seen = Counter(per_root.get(node.pk, {}).values())
            rows.append([titles[node.pk][:30], sum(seen.values()), seen[Evidence.Status.APPROVED],
                         seen[Evidence.Status.PENDING], seen[Evidence.Status.RETURNED]])
    if rows:
        section.table = Table([_("测评项目"), _("材料数"), _("已通过"), _("待审核"), _("已退回")], rows,
                              _("创建材料收集情况"))
    return section


# ---------------------------------------------------------------------------------------------- 自查测评
def _alive(model):
    rows = model.objects.all()
    return rows.filter(deleted_at__isnull=True) if _has(model, "deleted_at") else rows


def assessment_total(assessment, campaign: Campaign):
    """The assessment's total by the assessments app's own rules (`scoring`): (total, passed) or None."""
    try:
        from wenming.assessments import scoring
        from wenming.assessments.models import Score
        from wenming.standards.models import Criterion
    except ImportError:
        return None
    try:
        nodes = Criterion.objects.filter(standard_id=campaign.standard_id).order_by("depth", "order", "id")
        sheet = scoring.sheet_from_nodes(nodes, pass_score=campaign.pass_score,
                                         scale=scoring.GradeScale.from_mapping(assessment.grade_scale),
                                         allow_not_applicable=assessment.allow_not_applicable)
        entries = {row.criterion_id: scoring.Entry(points=row.points, grade=row.grade, count=row.missing,
                                                   triggered=row.triggered, not_applicable=row.not_applicable)
                   for row in Score.objects.filter(assessment=assessment)}
        result = scoring.compute(sheet, entries)
    except (AttributeError, TypeError, ValueError):  # the scoring rules changed shape: leave the total out
        return None
    return result.total, result.passed


def self_check(scope: Scope) -> Section:
    section = Section("自查测评情况", _("自查测评情况"))
    model = _model("assessments.Assessment")
    if model is None:
        section.paragraphs.append(_("本阶段暂无自查测评记录。"))
        return section
    found = model.objects.filter(campaign=scope.campaign, kind="self_check")
    if scope.phase:
        found = found.filter(Q(starts_on__isnull=True) | scope.in_dates("starts_on"))
    rows = list(found.order_by("starts_on", "pk"))
    if not rows:
        section.paragraphs.append(_("本阶段暂无自查测评记录。"))
        return section
    finding = _model("assessments.Finding")
    findings = _alive(finding).filter(assessment__in=rows).count() if finding else 0
    text = _("领导小组对照测评细则组织开展自查测评%(n)d次") % {"n": len(rows)}
    result = assessment_total(rows[-1], scope.campaign)
    if result is not None:
        total, passed = result
        text += _("，最近一次自查得分%(total)s分") % {"total": total}
        if scope.campaign.pass_score:
            text += _("（达标分数%(pass)s分，%(verdict)s）") % {
                "pass": scope.campaign.pass_score, "verdict": _("已达标") if passed else _("尚未达标")}
    text += _("，共查找问题%(n)d个，逐项建立整改台账。") % {"n": findings} if findings else _("。")
    section.paragraphs.append(text)
    return section


def rectification(scope: Scope) -> Section:
    section = Section("整改情况", _("整改情况"))
    model = _model("assessments.Rectification")
    items = _alive(model).filter(campaign=scope.campaign) if model else None
    if items is not None and scope.phase:
        items = items.filter(scope.in_dates("created_at__date"))
    counts = Counter(dict(items.values_list("status").annotate(n=Count("pk")).order_by())) if items is not None \
        else Counter()
    total = sum(counts.values())
    if not total:
        section.paragraphs.append(_("本阶段暂无整改记录。"))
        return section
    overdue = items.exclude(status="closed").filter(due_on__lt=scope.today).count()
    text = _("针对自查发现的问题，明确责任部门和整改时限，共交办整改事项%(total)d项，已整改销号%(closed)d项，已反馈待核验"
             "%(submitted)d项，正在整改%(open)d项，整改完成率%(rate)s") % {
        "total": total, "closed": counts["closed"], "submitted": counts["submitted"], "open": counts["open"],
        "rate": percent(counts["closed"], total)}
    if overdue:
        text += _("；其中%(n)d项已超过整改时限，已列入督办") % {"n": overdue}
    section.paragraphs.append(text + "。")
    return section


# ---------------------------------------------------------------------------------------------- 活动、经费、宣传
def activities(scope: Scope) -> Section:
    section = Section("活动开展情况", _("活动开展情况"))
    model = _model("activities.Activity")
    rows = None
    if model is not None:
        rows = _alive(model).filter(campaign=scope.campaign, starts_at__date__lte=scope.today).exclude(
            status="cancelled")
        if scope.phase:
            rows = rows.filter(scope.in_dates("starts_at__date"))
    by_kind = list(rows.values_list("kind__name").annotate(n=Count("pk")).order_by("-n", "kind__name")) \
        if rows is not None else []
    total = sum(n for _name, n in by_kind)
    if not total:
        section.paragraphs.append(_("本阶段暂无创建活动记录。"))
        return section
    section.paragraphs.append(_("广泛开展群众性精神文明创建活动，共组织各类活动和会议%(n)d场，其中%(kinds)s。") % {
        "n": total, "kinds": "、".join(f"{name}{n}场" for name, n in by_kind)})
    if len(by_kind) > 1:
        section.table = Table([_("活动类型"), _("场次")], [[name, n] for name, n in by_kind], _("创建活动开展情况"))
    return section


def _yuan(value) -> str:
    return f"{(value or Decimal(0)):,.2f}"


def funding(scope: Scope) -> Section:
    section = Section("经费使用情况", _("经费使用情况"))
    budget_model, expense_model = _model("funding.BudgetLine"), _model("funding.Expense")
    budget = spent = None
    if budget_model is not None and expense_model is not None:
        budget = _alive(budget_model).filter(campaign=scope.campaign).aggregate(s=Sum("amount"))["s"]
        expenses = _alive(expense_model).filter(budget_line__campaign=scope.campaign,
                                                budget_line__deleted_at__isnull=True)
        if scope.phase:
            expenses = expenses.filter(scope.in_dates("spent_on"))
        spent = expenses.aggregate(s=Sum("amount"))["s"]
    if not budget and not spent:
        section.paragraphs.append(_("本阶段暂无经费使用记录。"))
        return section
    text = _("院里安排创建工作专项经费%(budget)s元，实行专账管理、专款专用，%(when)s支出%(spent)s元") % {
        "budget": _yuan(budget), "when": _("本阶段") if scope.phase else _("累计"), "spent": _yuan(spent)}
    if budget:
        text += _("，预算执行率%(rate)s") % {"rate": f"{(spent or 0) * 100 / budget:.1f}%"}
    section.paragraphs.append(text + _("，做到人、财、物均有保障。"))
    return section


def publicity(scope: Scope) -> Section:
    section = Section("宣传报道情况", _("宣传报道情况"))
    model, reports = _model("publicity.PublicityItem"), _model("publicity.SuperiorReport")
    by_channel, reported = [], 0
    if model is not None:
        rows = _alive(model).filter(campaign=scope.campaign)
        if scope.phase:
            rows = rows.filter(scope.in_dates("published_on"))
        labels = dict(model._meta.get_field("channel").choices or [])
        by_channel = [(labels.get(c, c), n) for c, n in
                      rows.values_list("channel").annotate(n=Count("pk")).order_by("-n", "channel")]
    if reports is not None:
        sent = _alive(reports).filter(campaign=scope.campaign)
        reported = (sent.filter(scope.in_dates("reported_on")) if scope.phase else sent).count()
    total = sum(n for _label, n in by_channel)
    if not total and not reported:
        section.paragraphs.append(_("本阶段暂无宣传报道记录。"))
        return section
    parts = []
    if total:
        parts.append(_("充分利用微信、内外网等载体宣传创建工作，共刊发宣传报道%(n)d篇（%(channels)s）") % {
            "n": total, "channels": "、".join(f"{label}{n}篇" for label, n in by_channel)})
    if reported:
        parts.append(_("向上级报送创建工作信息%(n)d篇") % {"n": reported})
    section.paragraphs.append("；".join(parts) + _("，营造了良好的创建氛围。"))
    return section


# Marker → (function, what it writes), in the order the cheat-sheet lists them.
SECTIONS: dict[str, tuple[Callable[[Scope], Section], str]] = {
    "组织领导": (organisation, "领导小组、创建办公室的组成和正式文件"),
    "工作阶段": (phases, "各阶段的起止时间、主要工作、完成的节点和任务（附表）"),
    "任务完成情况": (tasks, "任务总数、完成率、按期完成率和各部门完成情况（附表）"),
    "材料收集情况": (evidence, "创建材料数量、审核情况和按测评项目的分布（附表）"),
    "自查测评情况": (self_check, "自查测评次数、得分和查找的问题"),
    "整改情况": (rectification, "整改事项数量和整改完成率"),
    "活动开展情况": (activities, "各类创建活动的场次"),
    "经费使用情况": (funding, "专项经费预算和支出"),
    "宣传报道情况": (publicity, "各渠道的宣传报道篇数"),
}

# Sections over apps built beside this one: while such an app is not migrated yet, its section says “暂无”.
OPTIONAL = {"自查测评情况", "整改情况", "活动开展情况", "经费使用情况", "宣传报道情况"}


def build_section(name: str, scope: Scope) -> Section:
    function, _description = SECTIONS[name]
    if name not in OPTIONAL:
        return function(scope)
    try:
        with transaction.atomic():  # a savepoint, so PostgreSQL's transaction survives a missing table
            return function(scope)
    except DatabaseError:
        logger.warning("report section %s skipped: its app's tables are missing", name, exc_info=True)
        return Section(name, name, [_("本阶段暂无%(name)s记录。") % {"name": name.removesuffix("情况")}])
