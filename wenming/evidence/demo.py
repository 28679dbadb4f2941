"""Demo: 创建材料 for the demo campaign of 某某市人民法院 (idempotent).

About twenty-five items over a dozen departments and their tasks, in every state the office meets: approved,
waiting for review, returned with a reason, and returned then resubmitted. Each is uploaded through the services by
a person of the department that did the work (民一庭's 张联络 and 赵干警, 民二庭's 陈联络, a 干警 elsewhere) with
small generated files — photos with a caption burned in (when a CJK font is installed) and one-page-per-section
PDFs — so the gap view, the task pages and the archive look like a real court's.
"""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.campaigns.demo import demo_campaign
from wenming.campaigns.models import Task
from wenming.core import fonts
from wenming.evidence import services
from wenming.evidence.models import Evidence, EvidenceFile
from wenming.org.models import Unit, User

PALETTE = [(176, 38, 44), (32, 94, 160), (46, 125, 80), (190, 120, 30), (92, 70, 150), (40, 120, 130)]

# (task title contains, title, kind, uploader username or "" for the lead department's 干警, (month, day),
#  files: ("photo", n) / ("pdf", pages) / ("link", url), state, return reason)
ITEMS = [
    ("工作实施方案", "关于成立创建市级文明单位工作领导小组的通知", "file", "", (1, 12), [("pdf", 2)], "approved", ""),
    ("工作实施方案", "创建市级文明单位工作实施方案（正式印发稿）", "file", "", (1, 20), [("pdf", 4)], "approved", ""),
    ("党组会议专题研究", "党组会议研究精神文明建设工作会议记录", "minutes", "", (1, 15), [("pdf", 2)], "approved", ""),
    ("年度创建工作计划", "年度精神文明创建工作计划", "file", "", (2, 8), [("pdf", 3)], "approved", ""),
    ("全院干警动员大会", "全院干警动员大会现场照片", "photo", "", (2, 20), [("photo", 3)], "fixed",
     "照片未体现会标，请补充带有会标的主席台照片。"),
    ("全院干警动员大会", "各部门创建目标责任书", "file", "", (2, 24), [("pdf", 3)], "returned",
     "仅有8个部门的责任书，请补齐全部15个部门后重新提交。"),
    ("理论学习中心组", "党组理论学习中心组集体学习记录（第一季度）", "minutes", "", (3, 28), [("pdf", 2)], "pending", ""),
    ("三会一课", "机关第一党支部“三会一课”台账", "ledger", "", (3, 30), [("pdf", 2)], "pending", ""),
    ("道德讲堂", "道德讲堂活动照片", "photo", "", (3, 5), [("photo", 3)], "resubmitted",
     "照片未体现单位名称，请补充带有会标的现场照片。"),
    ("我们的节日", "“我们的节日·端午”包粽子活动", "photo", "", (6, 9), [("photo", 2)], "approved", ""),
    ("志愿服务队", "干警志愿者注册情况台账", "ledger", "", (4, 22), [("pdf", 2)], "approved", ""),
    ("结对社区", "结对社区志愿服务活动照片", "photo", "", (5, 12), [("photo", 2)], "pending", ""),
    ("志愿服务岗", "诉讼服务中心志愿服务岗照片", "photo", "", (4, 8), [("photo", 2)], "approved", ""),
    ("运动会", "干警趣味运动会照片", "photo", "", (9, 18), [("photo", 3)], "pending", ""),
    ("审判质效指标", "审判质效指标月度通报", "file", "", (4, 6), [("pdf", 2)], "approved", ""),
    ("诉讼服务中心设施", "诉讼服务中心导诉标识和无障碍设施照片", "photo", "", (5, 26), [("photo", 2)], "returned",
     "照片模糊，看不清导诉标识，请重新拍摄并补充无障碍通道照片。"),
    ("裁判文书依法及时上网", "裁判文书上网情况统计表", "ledger", "", (4, 30), [("pdf", 1)], "pending", ""),
    ("党风廉政建设责任书", "党风廉政建设责任书签订情况", "file", "", (3, 18), [("pdf", 3)], "approved", ""),
    ("创建专栏", "微信公众号“文明创建”专栏截图", "screenshot", "",
     (5, 16), [("photo", 2), ("link", "https://www.court.example.gov.cn/wmcj/")], "approved", ""),
    ("每月报送创建工作信息", "向市文明办报送的创建工作信息", "link", "",
     (4, 3), [("link", "https://wmb.example.gov.cn/xxbs/2021/0403.html")], "approved", ""),
    ("法官进社区", "“法官进社区”家事纠纷调解活动照片", "photo", "staff_a", (7, 9), [("photo", 3)], "approved", ""),
    ("法官进社区", "法官进社区普法宣传活动简报", "file", "liaison_a", (7, 16), [("pdf", 1)], "returned",
     "简报缺少活动时间、地点和参加人数，请补充后重新提交。"),
    ("家事审判以案释法", "家事审判以案释法典型案例（初稿）", "file", "staff_a", (5, 20), [("pdf", 2)], "pending", ""),
    ("金融、商事纠纷巡回审判", "金融纠纷巡回审判现场照片", "photo", "liaison_b", (7, 21), [("photo", 2)], "pending", ""),
    ("金融、商事纠纷巡回审判", "企业法治讲座通知及签到表", "file", "liaison_b", (7, 22), [("pdf", 2)], "approved", ""),
    ("开展廉政警示教育", "廉政警示教育大会照片", "photo", "", (4, 15), [("photo", 2)], "approved", ""),
]
RESUBMIT_NOTE = "已按要求补充带有会标的照片。"


def demo_font(size: int):
    return fonts.pillow_font(size)


def demo_photo(caption: str, when: date, number: int, fonts: dict) -> bytes:
    """A 800×600 JPEG: a coloured scene with the caption and date burned in, EXIF time set."""
    from PIL import Image, ImageDraw

    color = PALETTE[(number + len(caption)) % len(PALETTE)]
    image = Image.new("RGB", (800, 600), color)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 70, 740, 150), fill=(250, 245, 235))  # the banner (会标)
    for row in range(4):  # rows of people
        for column in range(9):
            x, y = 90 + column * 72, 250 + row * 70
            draw.ellipse((x, y, x + 34, y + 34), fill=(240, 220, 200))
            draw.rectangle((x - 4, y + 36, x + 38, y + 64), fill=(40, 50, 70))
    if fonts.get("big"):
        draw.text((400, 110), "某某市人民法院", fill=color, font=fonts["big"], anchor="mm")
        draw.rectangle((0, 530, 800, 600), fill=(0, 0, 0))
        draw.text((20, 565), f"{caption}（{number}）", fill=(255, 255, 255), font=fonts["small"], anchor="lm")
        draw.text((780, 565), f"{when:%Y-%m-%d}", fill=(230, 230, 230), font=fonts["small"], anchor="rm")
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = f"{when:%Y:%m:%d} {9 + number % 6:02d}:{(number * 7) % 60:02d}:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=72, exif=exif)
    return buffer.getvalue()


def demo_pdf(title: str, when: date, pages: int, fonts: dict) -> bytes:
    """A small PDF of A4 pages (rendered by Pillow), the title and date on the first."""
    from PIL import Image, ImageDraw

    sheets = []
    for page in range(pages):
        sheet = Image.new("L", (595, 842), 255)
        draw = ImageDraw.Draw(sheet)
        if page == 0:
            draw.line((60, 120, 535, 120), fill=0, width=2)
        if fonts.get("small"):
            if page == 0:
                draw.text((297, 80), "某某市人民法院", fill=0, font=fonts["big"], anchor="mm")
                draw.text((297, 170), title[:24], fill=0, font=fonts["small"], anchor="mm")
                draw.text((297, 205), f"{when:%Y年%-m月%-d日}", fill=90, font=fonts["small"], anchor="mm")
            draw.text((297, 800), f"第 {page + 1} 页 共 {pages} 页", fill=120, font=fonts["tiny"], anchor="mm")
        for line in range(14 if page else 10):  # body text as grey lines
            top = (260 if page == 0 else 90) + line * 36
            draw.rectangle((70, top, 525 - (line % 4) * 40, top + 10), fill=200)
        sheets.append(sheet)
    buffer = io.BytesIO()
    sheets[0].save(buffer, "PDF", save_all=True, append_images=sheets[1:], resolution=72)
    return buffer.getvalue()


def _files(spec, title: str, when: date, fonts: dict) -> tuple[list, str]:
    uploads, link = [], ""
    for kind, value in spec:
        if kind == "photo":
            uploads += [SimpleUploadedFile(f"{title[:20]}-{i + 1}.jpg", demo_photo(title[:18], when, i + 1, fonts))
                        for i in range(value)]
        elif kind == "pdf":
            uploads.append(SimpleUploadedFile(f"{title[:30]}.pdf", demo_pdf(title, when, value, fonts)))
        else:
            link = value
    return uploads, link


def _uploader(task: Task | None, username: str, court: Unit, office: User) -> User:
    if username:
        return User.objects.filter(unit=court, username=username).first() or office
    if task is not None and task.lead_department_id:
        person = (User.objects.filter(unit=court, department_id=task.lead_department_id, is_active=True,
                                      username__startswith="demo").order_by("username").first())
        if person is not None:
            return person
        if task.owner_id:
            return task.owner
    return office


def load(*, year=None) -> list:
    demo = demo_campaign(year)
    if demo is None or Evidence.objects.filter(campaign=demo.campaign).exists():  # binned items count too
        return []
    court, office, campaign, today, year = demo
    tasks = list(Task.objects.filter(campaign=campaign).select_related("lead_department", "owner")
                 .prefetch_related("criteria").order_by("number"))
    fonts = {}
    big, small, tiny = demo_font(40), demo_font(22), demo_font(14)
    if big and small and tiny:
        fonts = {"big": big, "small": small, "tiny": tiny}
    start = max(campaign.starts_on or date(year, 1, 1), date(year, 1, 1))
    made: list[Evidence] = []
    for needle, title, kind, username, (month, day), spec, state, reason in ITEMS:
        task = next((t for t in tasks if needle in t.title), None)
        when = max(start, min(date(year, month, day), today))
        uploader = _uploader(task, username, court, office)
        uploads, link = _files(spec, title, when, fonts)
        criteria = list(task.criteria.all()) if task else []
        evidence = services.evidence_create(
            actor=uploader, campaign=campaign, title=title, kind=kind, occurred_on=when,
            department=uploader.department or (task.lead_department if task else None), task=task, criteria=criteria,
            description=_description(title, when, task), link=link, files=uploads)
        if state in ("approved",):
            services.evidence_review(actor=office, evidence=evidence, approve=True)
        elif state in ("returned", "resubmitted", "fixed"):
            services.evidence_review(actor=office, evidence=evidence, approve=False, reason=reason)
            if state in ("resubmitted", "fixed"):
                extra = [SimpleUploadedFile(f"{title[:20]}-会标.jpg", demo_photo(f"{title[:14]}（会标）", when, 9, fonts))]
                evidence = services.evidence_update(
                    actor=uploader, evidence=evidence, add_files=extra,
                    values={"description": f"{evidence.description}\n{RESUBMIT_NOTE}"})
                if state == "fixed":
                    services.evidence_review(actor=office, evidence=evidence, approve=True)
        made.append(evidence)
    # Thumbnails now, so the demo shows them without a worker running (the queued tasks then find nothing to do).
    services.thumbnails_make(EvidenceFile.objects.filter(evidence__in=made, file_type="jpg")
                             .values_list("pk", flat=True))
    return []


def _description(title: str, when: date, task: Task | None) -> str:
    place = "院机关五楼会议室" if "会" in title else "诉讼服务中心" if "诉讼" in title else "院机关"
    text = f"{when:%Y年%-m月%-d日}，在{place}开展“{title}”相关工作，"
    if task is not None:
        text += f"落实工作分解表第{task.number}项“{task.title}”。"
    text += "材料由承办部门整理上报，原件存部门备查。"
    # Some criteria ask for “200字说明”: the longer descriptions pass that hint, the short ones show it.
    if len(title) % 2 == 0:
        text += ("活动前制定方案、发布通知，明确责任人和时间节点；活动中组织干警积极参与，邀请群众代表现场监督，"
                 "做好签到、拍照和记录；活动后及时总结经验、查找不足，形成简报在内网发布，并将相关照片、签到表、"
                 "会议记录等资料按测评指标归档，确保迎检材料齐全规范、真实可查。下一步将持续巩固创建成果，"
                 "把文明创建与审判执行工作深度融合，以创建促工作、以工作检验创建成效。")
    return text
