"""Demo: notifications for the demo accounts, an inactive group robot and two 通知公告 (idempotent).

The earlier demos already notify through the services (tasks assigned, @mentions, evidence returned). Here: a few
more for 创建办, 张联络 (liaison_a) and the 院领导 (leader), one 钉钉 robot pointing to 127.0.0.1 and switched off so
nothing leaves the intranet, and two announcements — one to the whole court, one to three departments with some of
their people having read it, so the receipts screen has something to show.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from wenming.notifications import services
from wenming.notifications.models import Announcement, Notification, ReadReceipt, WebhookEndpoint
from wenming.org.demo import COURT
from wenming.org.models import Department, Unit, User

WHOLE_UNIT = "关于全面开展2021年度文明庭室评选活动的通知"
SOME_DEPARTMENTS = "关于报送上半年创建工作信息和活动照片的通知"

NOTES = {
    "office": [("campaigns.mentioned", "张联络 在任务留言中提到了您", "收到，本周内补齐。", "/campaigns/tasks/"),
               ("notifications.reminder_due", "任务还有 3 天到期：报送本庭本月创建工作信息和活动照片", "", "/campaigns/tasks/")],
    "liaison_a": [("notifications.reminder_overdue", "任务已逾期 2 天：汇编家事审判以案释法典型案例",
                   "完成时限已过，请尽快提交。", "/campaigns/my/")],
    "leader": [("notifications.reminder_due", "待您审核的任务有 3 项", "请在“我的工作”中审核。", "/campaigns/my/")],
}


def _attachment(title: str) -> SimpleUploadedFile:
    from wenming.evidence.demo import demo_pdf

    return SimpleUploadedFile(f"{title[:20]}.pdf", demo_pdf(title, date.today(), 1, {}), content_type="application/pdf")


def load(*, year=None) -> list:
    court = Unit.objects.filter(name=COURT).first()
    office = User.objects.filter(username="office", unit=court).first() if court else None
    if court is None or office is None:
        return []
    people = {name: User.objects.filter(username=name, unit=court).first() for name in NOTES}
    for name, notes in NOTES.items():
        person = people[name]
        if person is None:
            continue
        for verb, title, body, url in notes:
            if not Notification.objects.filter(recipient=person, title=title).exists():
                services.notify(recipients=[person], verb=verb, title=title, body=body, url=url)

    WebhookEndpoint.objects.get_or_create(unit=court, name="创建办工作群（演示）", defaults={
        "platform": WebhookEndpoint.Platform.DINGTALK, "url": "http://127.0.0.1:9/robot/send?access_token=demo",
        "secret": "SECdemo", "is_active": False, "verbs": ["evidence.returned", "notifications.announcement"]})

    if not Announcement.objects.filter(unit=court, title=WHOLE_UNIT).exists():
        services.announcement_publish(
            actor=office, title=WHOLE_UNIT, files=[_attachment("文明庭室评选实施方案")],
            body="各部门：\n为深入推进市级文明单位创建工作，院创建办决定开展2021年度文明庭室评选活动。"
                 "请各部门对照评选标准（见附件）认真开展自评，于6月30日前将自评表报送创建办。\n\n院创建办")
    if not Announcement.objects.filter(unit=court, title=SOME_DEPARTMENTS).exists():
        departments = list(Department.objects.filter(unit=court, members__username__in=["liaison_a", "liaison_b"])
                           .distinct()) or list(Department.objects.filter(unit=court)[:2])
        extra = Department.objects.filter(unit=court).exclude(pk__in=[d.pk for d in departments]).order_by("order")
        departments += list(extra[:1])
        item = services.announcement_publish(
            actor=office, title=SOME_DEPARTMENTS, departments=departments,
            body="相关部门：\n请于7月10日前通过平台报送上半年创建工作信息和活动照片，照片须体现单位名称和活动主题。\n\n院创建办")
        audience = list(services.announcement_audience(item).order_by("id"))
        readers = audience[: max(1, len(audience) // 2)]
        now = timezone.now()
        for index, person in enumerate(readers):
            receipt = ReadReceipt.objects.create(announcement=item, user=person)
            ReadReceipt.objects.filter(pk=receipt.pk).update(read_at=now - timedelta(hours=index + 1))
    return []
