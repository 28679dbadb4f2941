"""Demo: activities and meetings of the demo campaign of 某某市人民法院, and a year of volunteer hours (idempotent).

One activity of every kind the seed names (五(一) 党组会议、中心组学习、干警大会, 六(三) 文体活动, 道德讲堂, 我们的节日,
志愿服务, 帮扶共建, 部门会议, 理论学习), each with its people signed in, a small photo, a summary (and minutes for
meetings), linked to its criteria so the photos show as evidence there; two upcoming ones for the calendar; and
volunteer hours imported through the same preview-and-confirm path the 创建办 uses.
"""

import io
from datetime import date, datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenming.activities import services
from wenming.activities.models import Activity, ActivityKind, Attendance
from wenming.campaigns.demo import demo_campaign
from wenming.campaigns.models import Campaign
from wenming.org.models import Department, User
from wenming.standards.models import Criterion

# (kind, title, (month, day, hour), hours, place, department or "", organiser username, criterion codes,
#  attendees: "all" / "dept" / a number of people, summary, minutes, decisions)
ACTIVITIES = [
    ("党组会议", "党组会议专题研究精神文明建设工作", (1, 15, 9), 2, "院机关三楼党组会议室", "办公室", "office", ["3"],
     "leaders", "会议听取创建工作汇报，研究部署全年精神文明建设工作。",
     "传达学习市委关于精神文明建设工作的部署要求，听取创建办关于创建市级文明单位工作的汇报，逐项研究实施方案和工作分解表。",
     ["通过《创建市级文明单位工作实施方案》", "成立创建工作领导小组，院长任组长", "各部门3月底前报送创建工作计划"]),
    ("中心组学习", "党组理论学习中心组集体学习（第一季度）", (3, 28, 15), 2, "院机关三楼党组会议室", "机关党委", "office",
     ["9"], "leaders", "围绕“新时代文明实践”专题开展集体学习，4名党组成员作交流发言。",
     "党组理论学习中心组围绕新时代文明实践专题集体学习，书记领学，党组成员逐一交流发言，结合审判工作谈体会。",
     ["各党组成员结合分管工作撰写心得体会", "第二季度集体学习聚焦“诉源治理”"]),
    ("干警大会", "创建市级文明单位动员大会", (2, 20, 9), 2, "院机关五楼大会议室", "办公室", "office", ["5"], "all",
     "全院干警参加动员大会，院长作动员讲话，与各部门负责人签订目标责任书。",
     "院长作动员讲话，分管院领导解读实施方案，院领导与各部门负责人签订创建目标责任书。",
     ["各部门两周内完成本部门创建任务分解", "创建办每月通报一次进度"]),
    ("部门会议", "民一庭部门会议：传达创建工作部署", (2, 26, 16), 1, "民一庭会议室", "民一庭", "liaison_a", ["7"],
     "dept", "传达全院动员大会精神，明确本庭承担的创建任务和责任人。",
     "联络员传达动员大会精神，庭长逐项明确本庭牵头和配合的创建任务、责任人和时限。",
     ["本庭“法官进社区”活动每季度至少1次", "张联络负责收集本庭活动照片和材料"]),
    ("理论学习", "“学习强国”学习经验交流会", (4, 10, 15), 1.5, "院机关五楼大会议室", "机关党委", "office", ["12"], 12,
     "6名学习积极分子分享经验，通报第一季度干警参学率。", "", []),
    ("道德讲堂", "道德讲堂：身边好人故事会", (3, 5, 9), 2, "院机关五楼会议室", "民一庭", "liaison_a", ["19"], 20,
     "按“唱歌曲、学模范、诵经典、发善心、送吉祥”五个环节举办，3名干警讲述身边好人故事。", "", []),
    ("我们的节日", "“我们的节日·端午”包粽子活动", (6, 9, 15), 2, "院机关食堂", "工会", "office", ["20"], 18,
     "干警和家属一起包粽子、讲端午习俗，向结对社区老人赠送粽子。", "", []),
    ("文体活动", "干警趣味运动会", (9, 18, 14), 3, "院机关运动场", "工会", "office", ["31"], 25,
     "设拔河、跳绳、托球跑等8个项目，15个部门组队参加。", "", []),
    ("志愿服务", "文明交通志愿服务", (5, 12, 7), 2, "院门口十字路口", "民二庭", "liaison_b", ["26", "46"], 10,
     "10名干警志愿者在早高峰开展文明交通劝导，劝导行人闯红灯30余人次。", "", []),
    ("帮扶共建", "结对社区帮扶共建：法律咨询进社区", (7, 9, 9), 3, "幸福里社区", "民一庭", "liaison_a", ["27"], 8,
     "与幸福里社区开展帮扶共建，现场解答法律咨询25人次，调解家事纠纷2起。", "", []),
]
UPCOMING = [
    ("干警大会", "年度创建工作总结大会", 10, "院机关五楼大会议室", "办公室", "office", ["5"]),
    ("志愿服务", "诉讼服务中心导诉志愿服务", 3, "诉讼服务中心", "立案庭", "office", ["28"]),
]
VOLUNTEER_WORK = ["文明交通劝导", "诉讼服务中心导诉", "结对社区法律咨询", "敬老院慰问", "文明城市创建环境整治"]


def _criteria(campaign: Campaign, codes) -> list[Criterion]:
    return list(Criterion.objects.filter(standard_id=campaign.standard_id, code__in=codes))


def _attendees(kind, department, people: list[User], leaders: list[User], index: int) -> list[User]:
    if kind == "all":
        return people
    if kind == "leaders":
        return leaders
    if kind == "dept":
        return [p for p in people if department and p.department_id == department.pk]
    start = (index * 7) % max(len(people), 1)
    return (people[start:] + people[:start])[:kind]


def _when(year: int, month: int, day: int, hour: int, today: date) -> datetime:
    day_ = min(date(year, month, day), today - timedelta(days=1))
    return timezone.make_aware(datetime(day_.year, day_.month, day_.day, hour, 0))


def _volunteer_file(people: list[User], year: int, today: date) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["志愿汇 · 团体成员服务时长明细"])
    sheet.append(["序号", "姓名", "手机号码", "活动名称", "服务日期", "服务时长（小时）"])
    number = 0
    for index, person in enumerate(people):
        if index % 5 == 4:  # about one in five has not served yet: the rate is not 100%
            continue
        for round_ in range(1 + index % 4):
            served = min(date(year, 1 + (index + round_ * 3) % 11, 1 + (index * 3 + round_) % 27), today)
            number += 1
            sheet.append([number, person.real_name, person.phone, VOLUNTEER_WORK[(index + round_) % 5], served,
                          [2, 3, 4, 2.5][(index + round_) % 4]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def load(*, year=None) -> list:
    from wenming.evidence.demo import demo_font, demo_pdf, demo_photo
    from wenming.evidence.models import EvidenceFile
    from wenming.evidence.services import thumbnails_make

    demo = demo_campaign(year)
    if demo is None or Activity.objects.filter(campaign=demo.campaign).exists():  # binned ones count too
        return []
    court, office, campaign, today, year = demo
    services.kinds_ensure(unit=court)
    kinds = {k.name: k for k in ActivityKind.objects.filter(unit=court)}
    departments = {d.name: d for d in Department.objects.filter(unit=court)}
    people = list(User.objects.filter(unit=court, is_active=True).exclude(username__in=["admin", "security", "auditor"])
                  .select_related("department").order_by("id"))
    leaders = [p for p in people if p.username in ("leader", "deputy", "office")] or people[:3]
    by_name = {p.username: p for p in people}
    big, small, tiny = demo_font(40), demo_font(22), demo_font(14)
    fonts = {"big": big, "small": small, "tiny": tiny} if big and small and tiny else {}
    made = []
    for index, (kind, title, (month, day, hour), hours, place, dept, organiser, codes, who, summary, minutes,
                decisions) in enumerate(ACTIVITIES):
        starts = _when(year, month, day, hour, today)
        department = departments.get(dept)
        actor = by_name.get(organiser, office)
        activity = services.activity_create(
            actor=actor, campaign=campaign, kind=kinds[kind], title=title, starts_at=starts,
            ends_at=starts + timedelta(hours=hours), department=department, organiser=actor, place=place,
            description=f"{title}。地点：{place}。", criteria=_criteria(campaign, codes))
        for person in _attendees(who, department, people, leaders, index):
            services.attendance_sign_in(person=person, activity=activity, recorded_by=actor,
                                        method=Attendance.Method.ROSTER)
        when = timezone.localtime(starts).date()
        notice = f"关于举办{title}的通知" if not kinds[kind].is_meeting else f"关于召开{title}的通知"
        services.activity_document_add(actor=actor, activity=activity, step="notice", title=notice[:200], files=[
            SimpleUploadedFile(f"{notice[:30]}.pdf", demo_pdf(notice, when - timedelta(days=3), 1, fonts))])
        photos = [SimpleUploadedFile(f"{title[:16]}-{n}.jpg", demo_photo(title[:18], when, n, fonts)) for n in (1, 2)]
        made.append(services.activity_document_add(actor=actor, activity=activity, step="photos", files=photos))
        if minutes:
            services.activity_minutes_save(actor=actor, activity=activity, minutes=minutes, decisions=decisions)
        services.activity_update(actor=actor, activity=activity,
                                 values={"summary": summary, "status": Activity.Status.SUMMARISED})
    for kind, title, days, place, dept, organiser, codes in UPCOMING:
        starts = timezone.make_aware(datetime.combine(today + timedelta(days=days), datetime.min.time())
                                     .replace(hour=9))
        if timezone.localtime(starts).date() > campaign.ends_on:
            continue
        actor = by_name.get(organiser, office)
        services.activity_create(actor=actor, campaign=campaign, kind=kinds[kind], title=title, starts_at=starts,
                                 ends_at=starts + timedelta(hours=2), department=departments.get(dept),
                                 organiser=actor, place=place, criteria=_criteria(campaign, codes))
    thumbnails_make(EvidenceFile.objects.filter(evidence__activity_link__in=made).values_list("pk", flat=True))
    upload = SimpleUploadedFile("志愿汇导出-服务时长明细.xlsx", _volunteer_file(people, year, today))
    draft = services.volunteer_draft_create(actor=office, campaign=campaign, upload=upload)
    services.volunteer_import(actor=office, draft=draft)
    return []
