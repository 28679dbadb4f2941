"""Demo: the self-check (自查) of the demo campaign and the city's inspection (检查验收), idempotent.

The 创建办 has scored most lines (a few left for the clerk to try the screen), recorded findings on the weaker
lines and assigned three of them for 整改: two already closed (销号) with closing evidence, one still open for
民一庭. The inspection has the demo evaluator 孙测评 on its team and is in progress, a few lines scored.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from wenming.assessments import scoring, selectors, services
from wenming.assessments.models import Assessment
from wenming.campaigns.demo import demo_campaign
from wenming.campaigns.models import Campaign
from wenming.evidence import services as evidence_services
from wenming.evidence.models import Evidence
from wenming.org.models import Department, User
from wenming.standards.models import Kind

LEFT_TO_SCORE = (21, 34, 47)
# (line index among the scored lines, finding, severity, department name, closed?)
FINDINGS = [
    (2, "领导班子专题研究精神文明建设的会议纪要仅有1份，少于“每年至少2次”的要求。", "major", "办公室", True),
    (6, "创建工作信息报送不连续，3月、5月未报送。", "minor", "研究室", True),
    (9, "本庭“法官进社区”活动照片未体现单位名称，活动说明不足200字。", "minor", "民一庭", False),
    (14, "志愿服务时长截图未从全国志愿服务信息系统导出，无法核实。", "minor", "机关党委", None),
]


def _points(index: int, line) -> dict:
    """A plausible score for the demo: most lines full or nearly, every seventh a little short."""
    if line.kind == Kind.VETO:
        return {"triggered": False}
    if line.kind == Kind.DEDUCTION:
        return {"missing": index % 3}
    if line.kind == Kind.BONUS:
        return {"missing": 1} if line.per_item else {"points": line.points}
    points = Decimal(line.points or 0)
    if index % 7 == 2:
        return {"points": scoring.tenth(points / 2)}
    if index % 5 == 1:
        return {"grade": "B"}
    return {"points": points}


def _closing_evidence(campaign: Campaign, department: Department, office: User) -> Evidence:
    found = (Evidence.objects.alive().filter(campaign=campaign, department=department, status="approved").first()
             or Evidence.objects.alive().filter(campaign=campaign, status="approved").first())
    if found is not None:
        return found
    evidence = evidence_services.evidence_create(
        actor=office, campaign=campaign, title=f"{department.name}整改情况说明", kind="link",
        occurred_on=timezone.localdate(), department=department, task=None, criteria=[],
        description="整改完成情况及佐证。", link="https://www.court.example.gov.cn/wmcj/zhenggai/", files=[])
    return evidence_services.evidence_review(actor=office, evidence=evidence, approve=True)


def load(*, year=None) -> list:
    demo = demo_campaign(year)
    if demo is None or demo.campaign.standard_id is None or Assessment.objects.filter(campaign=demo.campaign).exists():
        return []
    court, office, campaign, today, year = demo
    nodes = selectors.nodes_in_order(campaign.standard_id)
    sheet = scoring.sheet_from_nodes(nodes)
    by_id = {node.pk: node for node in nodes}
    lines = [by_id[line.key] for line in sheet.lines]

    own = services.assessment_create(actor=office, campaign=campaign, kind=Assessment.Kind.SELF_CHECK,
                                     title=f"{year}年度创建工作自查", team=[office],
                                     starts_on=max(campaign.starts_on, today - timedelta(days=20)),
                                     ends_on=today + timedelta(days=10))
    services.assessment_transition(actor=office, assessment=own, to=Assessment.Status.IN_PROGRESS)
    for index, line in enumerate(lines):
        if index in LEFT_TO_SCORE:
            continue  # a few lines left for the clerk to try the screen
        values = _points(index, line)
        if any(index == spot for spot, *_rest in FINDINGS):
            values = {"points": scoring.tenth(Decimal(line.points or 0) / 2)} if line.kind == Kind.SCORED else values
        services.score_save(actor=office, assessment=own, criterion=line, values={
            **values, "note": "材料齐全" if index % 4 == 0 else ""})

    departments = {d.name: d for d in Department.objects.filter(unit=court)}
    for spot, text, severity, department_name, closed in FINDINGS:
        line = lines[min(spot, len(lines) - 1)]
        finding = services.finding_create(actor=office, assessment=own, criterion=line, description=text,
                                          severity=severity)
        department = departments.get(department_name)
        if closed is None or department is None:
            continue
        item = services.rectification_assign(actor=office, finding=finding, department=department,
                                             due_on=today + timedelta(days=7 if not closed else -3),
                                             requirement=f"对照测评细则补齐材料：{text}")
        if closed:
            liaison = (User.objects.filter(department=department, role_assignments__role="liaison").first()
                       or office)
            evidence = _closing_evidence(campaign, department, office)
            item = services.rectification_respond(actor=liaison, rectification=item, evidence=[evidence],
                                                  measures="已补齐相关材料并报送，建立月度提醒机制，防止再次遗漏。")
            services.rectification_verify(actor=office, rectification=item, close=True, reason="材料已核实。")

    evaluator = User.objects.filter(username="evaluator").first()
    if evaluator is not None:
        inspection = services.assessment_create(
            actor=office, campaign=campaign, kind=Assessment.Kind.INSPECTION, title=f"{year}年度市文明办检查验收",
            team=[evaluator], starts_on=today, ends_on=today + timedelta(days=3))
        services.assessment_transition(actor=office, assessment=inspection, to=Assessment.Status.IN_PROGRESS)
        for index, line in enumerate(lines[:8]):
            values = _points(index + 1, line)
            services.score_save(actor=evaluator, assessment=inspection, criterion=line, values=values)
    return []

