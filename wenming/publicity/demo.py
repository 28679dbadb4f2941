"""Demo: 宣传报道 for the demo campaign of 某某市人民法院 (idempotent).

Targets of at least one WeChat post and one piece overall a month; about fifteen published pieces over
the channels and levels, one post a month on the court's WeChat account except in April (the month the ledger
shows red), each filed as 创建材料 with a generated screenshot or its link; a few reports to superiors (some
adopted); and six good practices from other units with tags.
"""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.campaigns.demo import demo_campaign
from wenming.org.models import Department, User
from wenming.publicity import services
from wenming.publicity.models import Practice, PublicityItem, SuperiorReport
from wenming.standards.models import Criterion

WECHAT_TOPICS = [
    "我院召开创建市级文明单位动员大会", "道德讲堂：身边的好人好事", "“学雷锋”志愿服务走进社区", "",
    "“我们的节日·端午”包粽子活动", "法官进社区：家事纠纷调解面对面", "诉讼服务中心文明引导标识焕新",
    "“七一”主题党日活动", "干警趣味运动会圆满举行", "“我们的节日·中秋”座谈会", "文明创建自查自纠工作推进会",
    "迎接市文明办检查验收",
]
# (channel, level, (month, day), title, outlet, department, link or "")
OTHERS = [
    ("intranet", "unit", (3, 12), "民一庭开展“文明庭室”评比", "院内网", "民一庭", ""),
    ("press", "city", (5, 16), "某某市法院：以文明创建促审判质效提升", "某某日报", "办公室",
     "https://news.example.cn/2021/0516/court.html"),
    ("tv", "province", (6, 20), "法官进社区化解家事纠纷", "省广播电视台《法治时空》", "民一庭", ""),
    ("internet", "national", (8, 8), "某某市中院打造“一站式”诉讼服务", "人民法院报（网络版）", "立案庭",
     "https://rmfyb.example.cn/2021/0808/a1.html"),
    ("new_media", "city", (9, 25), "金融纠纷巡回审判进企业", "市政法委抖音号", "民二庭", ""),
]
REPORTS = [
    ("市文明办", (2, 25), "某某市人民法院创建市级文明单位工作动员部署情况", "city", True, "市文明办《创建简报》第3期采用"),
    ("上级法院", (4, 10), "我院扎实开展“学雷锋”志愿服务活动", "province", False, ""),
    ("市文明办", (6, 15), "法官进社区：家事审判延伸服务的做法", "city", True, "市文明办网站“创建动态”栏目采用"),
    ("市委政法委", (8, 30), "我院推进诉讼服务中心文明窗口建设", "city", False, ""),
    ("市文明办", (10, 20), "创建市级文明单位自查报告", "city", False, ""),
]
PRACTICES = [
    ("某某区人民法院", "“法官工作室”进网格，矛盾纠纷就地化解", "在社区设立法官工作室，每周固定时间坐班，联合网格员开展诉前调解和普法宣传，"
     "把文明创建延伸到群众身边。", "志愿服务,诉源治理,法官进社区"),
    ("某某市人民检察院", "道德讲堂“四个一”工作法", "每期讲堂做到唱一首歌曲、看一部短片、诵一段经典、讲一个身边好人故事，"
     "并形成简报在内网发布，全年不少于 6 期。", "道德讲堂,内网宣传"),
    ("某某市公安局", "“我们的节日”主题活动常态化", "按传统节日制定全年活动清单，每个节日确定牵头部门，活动后一周内在公众号发布图文。",
     "我们的节日,微信公众号"),
    ("某某县人民法院", "文明创建台账“一指标一档案”", "对照测评细则逐条建立材料档案，每月由创建办检查一次，缺项清单发到各部门联络员。",
     "台账管理,迎检"),
    ("某某市税务局", "志愿服务积分兑换", "干警志愿服务时长折算积分，年底可兑换荣誉证书和少量慰问品，志愿服务参与率提高到 95% 以上。",
     "志愿服务,激励"),
    ("某某市中级人民法院", "诉讼服务中心“文明窗口”星级评定", "每季度按服务态度、办事效率、环境卫生评定星级，结果在大厅公示，"
     "并作为年度评优的依据。", "文明窗口,诉讼服务"),
]


def _screenshot(title: str, when: date, channel: str) -> bytes:
    """A phone-sized PNG that looks like a published post (title written when a CJK font is at hand)."""
    from PIL import Image, ImageDraw

    from wenming.evidence.demo import demo_font

    image = Image.new("RGB", (390, 640), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 390, 56), fill=(7, 193, 96) if channel == "wechat" else (29, 95, 168))
    draw.rectangle((20, 190, 370, 380), fill=(215, 225, 235))
    for row in range(8):
        draw.rectangle((20, 400 + row * 26, 370 - (row % 3) * 50, 412 + row * 26), fill=(205, 210, 215))
    font, small = demo_font(20), demo_font(14)
    if font and small:
        draw.text((195, 28), "某某市人民法院", fill=(255, 255, 255), font=font, anchor="mm")
        draw.text((20, 80), title[:17], fill=(20, 20, 20), font=font)
        draw.text((20, 112), title[17:34], fill=(20, 20, 20), font=font)
        draw.text((20, 155), f"{when:%Y-%m-%d}  某某市人民法院", fill=(120, 120, 120), font=small)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _criteria(campaign, *needles: str) -> list:
    """Leaf criteria of the campaign's standard whose title mentions one of `needles` (none if it has none)."""
    if not campaign.standard_id:
        return []
    leaves = Criterion.objects.filter(standard_id=campaign.standard_id, children__isnull=True).order_by("order", "id")
    for needle in needles:
        found = leaves.filter(title__contains=needle).first()
        if found is not None:
            return [found]
    return []


def load(*, year=None) -> list:
    demo = demo_campaign(year)
    if demo is None:
        return []
    court, office, campaign, today, year = demo
    departments = {d.name: d for d in Department.objects.filter(unit=court)}
    if not PublicityItem.objects.filter(campaign=campaign).exists():  # binned items count too
        services.target_set(actor=office, campaign=campaign, channel="wechat", per_month=1,
                            note="测评细则：微信公众号每月至少更新 1 篇创建动态")
        services.target_set(actor=office, campaign=campaign, per_month=1, note="创建办要求：每月至少对外宣传 1 篇")
        _items(campaign, office, departments, today, year)
    if not SuperiorReport.objects.filter(campaign=campaign).exists():
        for recipient, (month, day), title, level, adopted, note in REPORTS:
            when = date(year, month, day)
            if when <= today:
                services.report_create(actor=office, campaign=campaign, recipient=recipient, title=title,
                                       reported_on=when, level=level, adopted=adopted, adopted_note=note)
    if not Practice.objects.filter(unit=court).exists():
        liaison = User.objects.filter(username="liaison_a", unit=court).first() or office
        for index, (source, title, summary, tags) in enumerate(PRACTICES):
            services.practice_create(actor=liaison if index % 3 == 0 else office, unit=court, source_unit=source,
                                     title=title, summary=summary, tags=tags)
    return []


def _items(campaign, office, departments, today, year):
    criteria = _criteria(campaign, "公众号", "专栏", "宣传")
    office_dept = departments.get("办公室")
    liaison_a = User.objects.filter(username="liaison_a", unit=campaign.unit).first()
    for month, topic in enumerate(WECHAT_TOPICS, start=1):
        when = date(year, month, min(8 + month, 28))
        if not topic or when > today or when < campaign.starts_on:
            continue
        services.item_create(
            actor=office, campaign=campaign, channel="wechat", level="unit", title=topic, published_on=when,
            outlet="某某市人民法院微信公众号", department=office_dept, author="院新闻中心", criteria=criteria,
            link=f"https://mp.example.cn/s/court-{year}{month:02d}",
            screenshot=SimpleUploadedFile(f"公众号截图-{month}月.png", _screenshot(topic, when, "wechat")))
    for channel, level, (month, day), title, outlet, department, link in OTHERS:
        when = date(year, month, day)
        if when > today or when < campaign.starts_on:
            continue
        actor = liaison_a if department == "民一庭" and liaison_a else office
        screenshot = None if link else SimpleUploadedFile(f"{title[:10]}.png", _screenshot(title, when, channel))
        services.item_create(actor=actor, campaign=campaign, channel=channel, level=level, title=title,
                             published_on=when, outlet=outlet, link=link, department=departments.get(department),
                             criteria=criteria, screenshot=screenshot)
