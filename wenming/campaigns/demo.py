"""Demo: the seed's campaign “YYYY年创建市级文明单位” of 某某市人民法院 (idempotent).

Four phases with the seed's dates, the leadership group and creation office of §三, milestones, and a
decomposition of 46 tasks over all fifteen departments in states that fit today's date. The default year is
this year, so today falls inside the plan; `wenming demo --year 2021` gives the seed's own dates.
"""

from datetime import date, timedelta
from typing import NamedTuple

from django.utils import timezone

from wenming.campaigns import services
from wenming.campaigns.models import Campaign, RosterEntry, Task
from wenming.campaigns.timelimits import UnreadableTimeLimit, parse_time_limit
from wenming.org.demo import COURT
from wenming.org.models import Department, Unit, User
from wenming.org.roles import Role
from wenming.standards.models import Criterion, Standard

PHASE_SUMMARIES = [
    "召开院党组会议研究部署；通过中心组会议、全院干警大会、部门会议广泛宣传发动。",
    "领导小组及各工作小组组织全院开展一系列创建活动，使各个环节经得起检查验收。",
    "领导小组对创建工作自查自纠、查缺补漏，迎接验收。",
    "以新形象、新面貌迎接上级检查验收；完善迎检档案资料及创建工作报告。",
]
MILESTONES = [
    ((1, 15), "党组会议研究部署创建工作"),
    ((2, 20), "召开全院干警动员大会，签订目标责任书"),
    ((6, 30), "动员部署阶段小结"),
    ((7, 10), "创建工作推进会"),
    ((9, 30), "各部门完成自查自纠"),
    ((10, 31), "迎检档案资料整理完毕"),
    ((11, 20), "迎接市文明办检查验收"),
    ((12, 20), "报送年度创建工作报告"),
]
# (工作任务, criterion codes, 牵头部门, 配合部门, 完成时限 as the annex writes it, supervising leader: "head"/"deputy")
TASKS = [
    ("印发创建市级文明单位工作实施方案，成立领导小组和创建办公室", ["1", "2"], "政治部", "办公室、机关党委", "1月底前", "head"),
    ("召开党组会议专题研究精神文明建设工作", ["3"], "办公室", "", "每半年", "head"),
    ("制定年度创建工作计划并以正式文件印发", ["4"], "机关党委", "", "2月上旬", "deputy"),
    ("召开全院干警动员大会，院领导与各部门负责人签订目标责任书", ["5"], "政治部", "各庭室处队", "2月底前", "head"),
    ("将创建工作经费列入年度预算并建立支出台账", ["6"], "行装科", "办公室", "3月底前", "deputy"),
    ("建立创建工作督查通报制度，每月通报进展", ["7"], "机关党委", "审判管理办公室", "每月", "deputy"),
    ("起草年度创建工作总结（不少于1500字）", ["8"], "机关党委", "研究室", "12月10日前", "head"),
    ("组织党组理论学习中心组集体学习", ["9"], "机关党委", "", "每月", "head"),
    ("开展全员政治轮训和业务培训", ["10"], "政治部", "各庭室处队", "9月1日-10月31日", "deputy"),
    ("各党支部按期开展“三会一课”", ["11"], "机关党委", "各庭室处队", "每季度", "deputy"),
    ("每半年研判一次意识形态形势", ["13"], "机关党委", "研究室", "每半年", "head"),
    ("加强网站、微信公众号管理，落实“三审三校”", ["15"], "研究室", "", "长期坚持", "deputy"),
    ("在诉讼服务中心和办公区设置核心价值观公益广告、文化墙", ["16", "29"], "办公室", "行装科", "5月底前", "deputy"),
    ("发布以案释法典型案例", ["17"], "研究室", "民一庭、民二庭、刑事审判庭、行政审判庭", "每季度", "deputy"),
    ("开展宪法宣传周、民法典宣传等普法活动", ["18"], "立案庭", "民一庭、民二庭", "第四季度", "deputy"),
    ("举办道德讲堂", ["19"], "机关党委", "政治部、工会", "每季度", "deputy"),
    ("开展“我们的节日”主题活动", ["20"], "工会", "机关党委", "长期坚持", "deputy"),
    ("推选“最美法院人”并开展宣传", ["21"], "政治部", "研究室", "第三季度", "head"),
    ("组建志愿服务队，干警在全国志愿服务信息系统注册", ["23", "24"], "机关党委", "各庭室处队", "4月底前", "deputy"),
    ("与结对社区开展志愿服务和帮扶活动", ["27"], "执行局", "机关党委", "每季度", "deputy"),
    ("在诉讼服务中心设立志愿服务岗，提供导诉、咨询服务", ["28"], "立案庭", "", "常态化", "deputy"),
    ("建设职工书屋、活动室并保持开放", ["30"], "行装科", "工会", "6月30日", "deputy"),
    ("组织干警运动会等群众性文体活动", ["31"], "工会", "行装科", "9.30", "deputy"),
    ("开展谈心谈话、困难帮扶和心理健康服务", ["32"], "政治部", "工会", "长期坚持", "head"),
    ("按月分析审判质效指标并通报", ["33"], "审判管理办公室", "", "每月", "head"),
    ("开展执行攻坚，提高执行到位率", ["34"], "执行局", "司法警察支队", "第三季度", "deputy"),
    ("开展案件质量评查", ["35"], "审判管理办公室", "民一庭、民二庭、刑事审判庭、行政审判庭", "11月15日", "head"),
    ("完善一站式诉讼服务中心设施和标识", ["36"], "立案庭", "行装科", "6月底前", "deputy"),
    ("开展窗口服务规范和文明用语培训", ["37"], "立案庭", "政治部", "3月中旬", "deputy"),
    ("开展诉讼服务满意度问卷调查", ["38"], "立案庭", "审判管理办公室", "10月底前", "deputy"),
    ("督促裁判文书依法及时上网公开", ["39"], "审判管理办公室", "民一庭、民二庭、刑事审判庭、行政审判庭", "每月", "head"),
    ("开展庭审直播和公众开放日活动", ["40"], "研究室", "刑事审判庭", "每季度", "deputy"),
    ("落实院务公开制度", ["41"], "办公室", "", "长期坚持", "head"),
    ("召开干警代表大会，听取意见建议", ["42", "43"], "工会", "政治部", "4月", "head"),
    ("签订党风廉政建设责任书", ["44"], "纪检监察组", "各庭室处队", "3月底前", "head"),
    ("开展廉政警示教育", ["45"], "纪检监察组", "政治部", "每半年", "head"),
    ("落实包保路段、包保社区任务，开展环境整治", ["46"], "司法警察支队", "行装科", "每月", "deputy"),
    ("落实门前三包，保持周边环境整洁", ["47"], "行装科", "司法警察支队", "长期坚持", "deputy"),
    ("整改创城督查反馈问题", ["48"], "办公室", "行装科、司法警察支队", "10月31日前", "deputy"),
    ("开展安全生产和消防演练", ["52"], "司法警察支队", "行装科", "第二季度", "deputy"),
    ("在门户网站、微信公众号开设创建专栏并持续更新", ["53"], "研究室", "", "长期坚持", "deputy"),
    ("每月报送创建工作信息", ["54"], "研究室", "各庭室处队", "每月", "deputy"),
    ("开展“法官进社区”家事纠纷调解和普法", ["18", "22"], "民一庭", "立案庭", "7月1日-8月31日", "deputy"),
    ("开展金融、商事纠纷巡回审判和企业法治讲座", ["17"], "民二庭", "研究室", "第三季度", "deputy"),
    ("组织刑事案件庭审观摩和以案说法进校园", ["17", "40"], "刑事审判庭", "研究室", "5月", "deputy"),
    ("推动行政机关负责人出庭应诉并发布行政审判白皮书", ["17"], "行政审判庭", "研究室", "11月底前", "head"),
    ("整理迎检档案资料，按指标编制目录", ["8"], "机关党委", "各庭室处队", "10月31日", "head"),
]
MEMBER_TITLES = ("庭长", "主任", "支队长", "组长", "科长", "局长")
LIAISON_PREFERENCE = ("liaison_a", "liaison_b")


def _people(court: Unit) -> dict:
    """The people the roster names (the org demo creates them, the 副院长 included)."""
    return {
        "head": User.objects.filter(username="leader", unit=court).first(),
        "deputy": User.objects.filter(username="deputy", unit=court).first(),
        "office": User.objects.filter(username="office", unit=court).first(),
        "politics": User.objects.filter(unit=court, department__name="政治部", job_title="主任").first(),
    }


def _department_people(court: Unit) -> dict[int, list[User]]:
    """Per department, the people who can carry a task (not the 三员, not the leaders)."""
    people: dict[int, list[User]] = {}
    excluded = {Role.ADMIN, Role.SECURITY, Role.AUDITOR, Role.LEADER}
    for person in User.objects.filter(unit=court, is_active=True).prefetch_related("role_assignments").order_by("id"):
        if person.department_id and not person.role_set & excluded:
            people.setdefault(person.department_id, []).append(person)
    for members in people.values():  # the liaison first: they answer for the department
        members.sort(key=lambda p: (not p.has_role(Role.LIAISON), p.has_role(Role.OFFICE), p.pk))
    return people


def _roster(campaign: Campaign, court: Unit, people: dict, staff: dict[int, list[User]]) -> None:
    actor = people["office"]
    add = services.roster_add
    add(actor=actor, campaign=campaign, person=people["head"], role=RosterEntry.Role.HEAD, title="党组书记、院长")
    add(actor=actor, campaign=campaign, person=people["deputy"], role=RosterEntry.Role.DEPUTY_HEAD)
    director = people["politics"]
    for person in User.objects.filter(unit=court, is_active=True).select_related("department").order_by(
            "department__order", "id"):
        if person.job_title.endswith(MEMBER_TITLES) and (director is None or person.pk != director.pk):
            add(actor=actor, campaign=campaign, person=person, role=RosterEntry.Role.MEMBER,
                title=f"{person.department.name}{person.job_title}" if person.department else person.job_title)
    if people["politics"]:
        add(actor=actor, campaign=campaign, person=people["politics"], role=RosterEntry.Role.OFFICE_DIRECTOR,
            title="党组成员、政治部主任")
    add(actor=actor, campaign=campaign, person=people["office"], role=RosterEntry.Role.OFFICE_DEPUTY,
        title="机关党委专职副书记")
    for department in Department.objects.filter(unit=court, is_active=True).order_by("order"):
        members = staff.get(department.pk) or []
        if members:
            add(actor=actor, campaign=campaign, person=members[0], role=RosterEntry.Role.LIAISON, department=department)


def _state(index: int, task: Task, today: date) -> tuple[str, int]:
    """A plausible status for a task given its dates and today's date (deterministic by position)."""
    due = task.due_on
    if task.recurrence != Task.Recurrence.ONCE:
        return ("in_progress", 30 + (index * 7) % 50) if task.campaign.starts_on < today else ("not_started", 0)
    if due is None:
        return "not_started", 0
    if due < today:
        return (("done", 100), ("done", 100), ("in_review", 90), ("done", 100), ("returned", 80),
                ("in_progress", 60), ("done", 100))[index % 7]
    begins = task.starts_on or (task.phase.starts_on if task.phase else task.campaign.starts_on)
    if begins <= today:
        return (("in_progress", 40), ("in_progress", 20), ("not_started", 0), ("in_review", 90))[index % 4]
    return "not_started", 0


RETURN_REASONS = ["照片未体现单位名称，请补充带有会标的现场照片。", "缺少签到表和会议记录，请补齐后重新提交。",
                  "总结字数不足，请补充具体做法和成效。"]


def _advance(task: Task, status: str, progress: int, actors: dict, index: int, today: date) -> None:
    office, owner = actors["office"], task.owner or actors["office"]
    approver = task.supervisor or actors["head"]
    if status == "not_started":
        return
    services.task_transition(actor=owner, task=task, action="start")
    if status == "in_progress":
        services.task_report_progress(actor=owner, task=task, progress=progress)
    elif status in ("in_review", "done", "returned"):
        services.task_transition(actor=owner, task=task, action="submit")
        if status == "done":
            services.task_transition(actor=approver if index % 2 else office, task=task, action="approve")
        elif status == "returned":
            services.task_transition(actor=office, task=task, action="return",
                                     reason=RETURN_REASONS[index % len(RETURN_REASONS)])
    for occurrence in task.occurrences.filter(due_on__lt=today):
        if (occurrence.pk + index) % 6:  # most past rounds reported, the odd one missed
            services.occurrence_set_done(actor=owner, occurrence=occurrence, done=True)


def _near_today(campaign, departments, people, office, today, criteria, *, start: int) -> None:
    """When the plan runs through today, 民一庭 has work due next week and work returned to it, so a liaison's
    My work is never empty in the demo."""
    if not campaign.starts_on <= today <= campaign.ends_on - timedelta(days=21):
        return
    liaison = User.objects.filter(username="liaison_a").first()
    staff = User.objects.filter(username="staff_a").first()
    lead = departments["民一庭"]
    due_soon = services.task_create(
        actor=office, campaign=campaign, number=start, title="报送本庭本月创建工作信息和活动照片", lead_department=lead,
        owner=liaison, supervisor=people["deputy"], due_on=today + timedelta(days=7),
        criteria=[criteria[c] for c in ("54",) if c in criteria],
        due_text=f"{(today + timedelta(days=7)):%Y年%-m月%-d日}前")
    services.task_transition(actor=liaison, task=due_soon, action="start")
    returned = services.task_create(
        actor=office, campaign=campaign, number=start + 1, title="汇编家事审判以案释法典型案例", lead_department=lead,
        co_departments=[departments["研究室"]], owner=staff, supervisor=people["deputy"],
        criteria=[criteria[c] for c in ("17",) if c in criteria],
        due_on=today + timedelta(days=20), due_text=f"{(today + timedelta(days=20)):%Y年%-m月%-d日}")
    services.task_transition(actor=staff, task=returned, action="submit")
    services.task_transition(actor=office, task=returned, action="return", reason="案例只有2件，至少需要4件，并附裁判文书链接。")



class DemoCampaign(NamedTuple):
    court: Unit
    office: User
    campaign: Campaign
    today: date
    year: int


def demo_campaign(year=None) -> DemoCampaign | None:
    """What every app's demo loader starts from: the demo court, its 创建办 account and the year's demo campaign
    (this year's unless given) — or None while any of them is missing."""
    court = Unit.objects.filter(name=COURT).first()
    office = User.objects.filter(username="office", unit=court).first() if court else None
    if court is None or office is None:
        return None
    today = timezone.localdate()
    year = year or today.year
    campaign = Campaign.objects.filter(unit=court, title=f"{year}年创建市级文明单位").first()
    return DemoCampaign(court, office, campaign, today, year) if campaign is not None else None


def load(*, year=None) -> list:
    court = Unit.objects.filter(name=COURT).first()
    office = User.objects.filter(username="office", unit=court).first() if court else None
    if court is None or office is None:
        return []
    today = timezone.localdate()
    year = year or today.year
    title = f"{year}年创建市级文明单位"
    if Campaign.objects.filter(unit=court, title=title).exists():
        return []
    standard = Standard.objects.filter(unit=court, status="published").order_by("-revision").first()
    people = _people(court)
    campaign = services.campaign_create(actor=office, unit=court, title=title, year=year, standard=standard)
    Campaign.objects.filter(pk=campaign.pk).update(
        document_title=f"关于成立{year}年创建市级文明单位工作领导小组的通知", document_number=f"某法党〔{year}〕3号")
    for phase, summary in zip(campaign.phases.order_by("order"), PHASE_SUMMARIES, strict=True):
        phase.summary = summary
        phase.save(update_fields=["summary"])
    for (month, day), milestone in MILESTONES:
        created = services.milestone_create(actor=office, campaign=campaign, title=milestone, due_on=date(year, month, day))
        if date(year, month, day) < today:
            services.milestone_set_done(actor=office, milestone=created, done=True)
    staff = _department_people(court)
    _roster(campaign, court, people, staff)

    departments = {d.name: d for d in Department.objects.filter(unit=court)}
    criteria = {c.code: c for c in Criterion.objects.filter(standard=standard)} if standard else {}
    tasks = []
    for index, (task_title, codes, lead_name, co_names, due_text, leader) in enumerate(TASKS, start=1):
        lead = departments[lead_name]
        co = list(departments.values()) if co_names == "各庭室处队" else [
            departments[name] for name in co_names.split("、") if name]
        try:
            limit = parse_time_limit(due_text, year=year)
        except UnreadableTimeLimit:
            continue
        owners = staff.get(lead.pk) or [office]
        task = services.task_create(
            actor=office, campaign=campaign, number=index, title=task_title, lead_department=lead,
            co_departments=[d for d in co if d.is_active], criteria=[criteria[c] for c in codes if c in criteria],
            owner=owners[index % len(owners)] if len(owners) > 1 and index % 3 == 0 else owners[0],
            supervisor=people[leader], starts_on=limit.starts_on, due_on=limit.due_on, recurrence=limit.recurrence,
            due_text=due_text,
        )
        tasks.append(task)
    actors = {"office": office, "head": people["head"]}
    for index, task in enumerate(tasks):
        status, progress = _state(index, task, today)
        _advance(task, status, progress, actors, index, today)

    _near_today(campaign, departments, people, office, today, criteria, start=len(TASKS) + 1)

    # A few remarks with @mentions, so My work and the task page show them.
    liaison = User.objects.filter(username="liaison_a").first()
    own = Task.objects.filter(campaign=campaign, lead_department__name="民一庭").order_by("-number").first()
    if own and liaison:
        services.task_comment(actor=office, task=own, body=f"@{liaison.real_name} 请补充活动照片（须体现单位名称），月底前上传。")
        services.task_comment(actor=liaison, task=own, body=f"@{office.real_name} 收到，本周内补齐。")
    Campaign.objects.filter(pk=campaign.pk).update(status=Campaign.Status.ACTIVE)
    return []
