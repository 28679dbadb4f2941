"""Demo: 工作经费 for the demo campaign of 某某市人民法院 (idempotent).

Budget lines in every category over the phases, and expenses entered by the 创建办 against them — one line
spent past its budget, so the budget screen shows its red warning — some with a scanned receipt, and some linked
to the demo's activities when the activities app has created them (looked up by title; skipped if absent).
"""

import io
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.campaigns.demo import demo_campaign
from wenming.funding import services
from wenming.funding.models import BudgetLine

# (category, title, amount, phase order (0-based) or None, note)
LINES = [
    ("publicity", "创建宣传展板、横幅制作", "18000.00", 0, "院内外宣传展板 20 块、横幅 10 条"),
    ("publicity", "文明创建宣传册印制", "6000.00", 1, ""),
    ("culture", "干警趣味运动会", "12000.00", 1, "奖品、场地、饮用水"),
    ("culture", "道德讲堂、“我们的节日”系列活动", "8000.00", None, "全年"),
    ("volunteer", "志愿服务物资（马甲、帽子、便民箱）", "5000.00", 0, ""),
    ("facilities", "诉讼服务中心文明引导标识改造", "30000.00", 1, "含无障碍标识"),
    ("training", "创建工作业务培训", "4000.00", 2, "邀请市文明办专家授课"),
]
# (line title starts with, (month, day), amount, payee, purpose, activity title contains or "", receipt?)
EXPENSES = [
    ("创建宣传展板", (2, 18), "9600.00", "某某广告制作有限公司", "动员大会主题展板 12 块", "动员", True),
    ("创建宣传展板", (3, 2), "7800.00", "某某广告制作有限公司", "院内文明创建横幅 10 条", "", True),
    ("创建宣传展板", (5, 20), "2350.00", "某某图文快印店", "诉讼服务中心宣传海报", "", False),
    ("文明创建宣传册", (7, 12), "4200.00", "某某印务有限公司", "《文明创建工作手册》印制 1500 册", "", True),
    ("干警趣味运动会", (9, 18), "8650.00", "某某体育用品商店", "运动会奖品及器材", "运动会", True),
    ("道德讲堂", (3, 5), "1200.00", "某某图文快印店", "道德讲堂背景板和资料", "道德讲堂", False),
    ("道德讲堂", (6, 9), "1860.00", "某某超市", "端午节包粽子活动材料", "端午", False),
    ("志愿服务物资", (4, 20), "3100.00", "某某服装有限公司", "志愿者马甲 60 件、帽子 60 顶", "志愿", True),
    ("诉讼服务中心文明引导", (7, 28), "21500.00", "某某标识工程有限公司", "导诉标识、无障碍标识改造", "", True),
]


def _receipt(title: str, amount: str, when: date) -> bytes:
    """A small receipt image (a generated JPEG; the amount and date written if a CJK font is at hand)."""
    from PIL import Image, ImageDraw

    from wenming.evidence.demo import demo_font

    image = Image.new("RGB", (600, 360), (250, 248, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 590, 350), outline=(180, 60, 60), width=3)
    font = demo_font(22)
    if font:
        draw.text((300, 50), "某某省增值税普通发票", fill=(180, 60, 60), font=font, anchor="mm")
        draw.text((40, 130), f"项目：{title[:18]}", fill=(40, 40, 40), font=font)
        draw.text((40, 180), f"金额：¥{amount}", fill=(40, 40, 40), font=font)
        draw.text((40, 230), f"开票日期：{when:%Y-%m-%d}", fill=(40, 40, 40), font=font)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _activity(campaign, needle: str):
    if not needle:
        return None
    try:
        from wenming.activities.models import Activity
    except ImportError:
        return None
    return Activity.objects.filter(campaign=campaign, title__contains=needle, deleted_at__isnull=True).first()


def load(*, year=None) -> list:
    demo = demo_campaign(year)
    if demo is None or BudgetLine.objects.filter(campaign=demo.campaign).exists():  # binned lines count too
        return []
    court, office, campaign, today, year = demo
    phases = list(campaign.phases.order_by("order", "starts_on"))
    lines = {}
    for category, title, amount, phase_index, note in LINES:
        phase = phases[phase_index] if phase_index is not None and phase_index < len(phases) else None
        lines[title] = services.budget_line_create(actor=office, campaign=campaign, category=category, title=title,
                                                   amount=Decimal(amount), phase=phase, note=note)
    for prefix, (month, day), amount, payee, purpose, activity, with_receipt in EXPENSES:
        when = date(year, month, day)
        if when > today:
            continue
        line = next(line for title, line in lines.items() if title.startswith(prefix))
        receipts = [SimpleUploadedFile(f"发票-{purpose[:12]}.jpg", _receipt(purpose, amount, when))] \
            if with_receipt else []
        services.expense_create(actor=office, budget_line=line, spent_on=when, amount=Decimal(amount), payee=payee,
                                purpose=purpose, activity=_activity(campaign, activity), receipts=receipts)
    return []
