"""What every notifications URL answers to each persona.

A notification is its recipient's alone (others: 404). Group robots, reminder settings and the delivery log belong
to the unit's 创建办 and 系统管理员 (the outsider, 创建办 and 管理员 of another unit, manages its own unit and finds
none of ours: 404). Announcements are read by whom they were sent to — here 民一庭 — and by the 创建办 and leaders;
only the 创建办 posts, follows receipts and deletes.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from wenming.evidence.tests import files
from wenming.notifications import services
from wenming.notifications.models import Delivery, WebhookEndpoint
from wenming.testing.matrix import SIGNED_IN, Expect, each

MANAGERS = ("office", "admin", "outsider")


def everyone(status=200, *, anonymous=302) -> dict[str, int]:
    return {**each(SIGNED_IN, status), "anonymous": anonymous}


def managers(status=200, *, anonymous=302, outsider=None) -> dict[str, int]:
    result = {**each(SIGNED_IN, 403), **each(MANAGERS, status), "anonymous": anonymous}
    if outsider is not None:
        result["outsider"] = outsider
    return result


def mine(status, *, anonymous=302) -> dict[str, int]:
    return {**each(SIGNED_IN, 404), "staff_a": status, "anonymous": anonymous}


def a_notification(cast):
    return {"pk": services.notify(recipients=[cast["staff_a"]], verb="x", title="材料被退回", url="/notifications/",
                                  actor=cast["office"])[0].pk}


def an_endpoint(cast):
    return {"pk": WebhookEndpoint.objects.create(unit=cast.unit, name="创建办工作群", platform="wecom",
                                                 url="http://127.0.0.1:9/robot", is_active=False).pk}


def a_failed_delivery(cast):
    hook = WebhookEndpoint.objects.create(unit=cast.unit, name="不可达", platform="wecom", url="http://127.0.0.1:9/")
    return {"pk": Delivery.objects.create(unit=cast.unit, channel="webhook", endpoint=hook, target="x", subject="t",
                                          status="failed", attempts=5).pk}


def to_dept_a(cast):
    item = services.announcement_publish(actor=cast["office"], title="关于开展文明庭室评选的通知", body="请报送。",
                                         departments=[cast.dept_a],
                                         files=[SimpleUploadedFile("评分表.jpg", files.jpeg())])
    return item


def announcement(cast):
    return {"pk": to_dept_a(cast).pk}


def attachment(cast):
    return {"pk": to_dept_a(cast).attachments.get().pk}


def webhook_data(cast):
    return {"name": "钉钉群", "platform": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=x",
            "secret": "SECabc", "verbs": ["evidence.returned"], "is_active": "on"}


def announcement_data(cast):
    return {"title": "关于报送创建材料的通知", "body": "请于本周五前报送。"}


# 民一庭 and the unit's 创建办 / leaders read it; everyone else finds nothing.
READERS = {**each(SIGNED_IN, 404), "office": 200, "leader": 200, "liaison_a": 200, "staff_a": 200}
RECEIPTS = {**each(SIGNED_IN, 403), "office": 200, "outsider": 404}

MATRIX = [
    Expect("notifications:list", everyone()),
    Expect("notifications:bell", everyone(anonymous=204), note="a signed-out page gets nothing to swap in"),
    Expect("notifications:read_all", everyone(302), method="post"),
    Expect("notifications:open", mine(302), kwargs=a_notification),
    Expect("notifications:preferences", everyone()),
    Expect("notifications:preferences", everyone(302), method="post",
           data=lambda cast: {"email_frequency": "immediate"}),
    Expect("notifications:settings", managers()),
    Expect("notifications:settings", managers(302), method="post", data=lambda cast: {"reminder_days": 5}),
    Expect("notifications:webhook_create", managers()),
    Expect("notifications:webhook_create", managers(302), method="post", data=webhook_data),
    Expect("notifications:webhook_edit", managers(outsider=404), kwargs=an_endpoint),
    Expect("notifications:webhook_delete", managers(302, outsider=404), method="post", kwargs=an_endpoint),
    Expect("notifications:webhook_test", managers(302, outsider=404), method="post", kwargs=an_endpoint),
    Expect("notifications:deliveries", managers()),
    Expect("notifications:delivery_retry", managers(302, outsider=404), method="post", kwargs=a_failed_delivery),
    Expect("notifications:announcements", everyone()),
    Expect("notifications:announcement_create", {**each(SIGNED_IN, 403), "office": 200, "outsider": 200,
                                                 "anonymous": 302}),
    Expect("notifications:announcement_create", {**each(SIGNED_IN, 403), "office": 302, "outsider": 302,
                                                 "anonymous": 302}, method="post", data=announcement_data),
    Expect("notifications:announcement_detail", {**READERS, "anonymous": 302}, kwargs=announcement),
    Expect("notifications:announcement_receipts", {**RECEIPTS, "anonymous": 302}, kwargs=announcement),
    Expect("notifications:announcement_delete", {**RECEIPTS, "office": 302, "anonymous": 302}, method="post",
           kwargs=announcement),
    Expect("notifications:announcement_edit", {**RECEIPTS, "anonymous": 302}, kwargs=announcement),
    Expect("notifications:announcement_edit", {**RECEIPTS, "office": 302, "anonymous": 302}, method="post",
           kwargs=announcement, data=lambda cast: {"title": "关于开展文明庭室评选的通知（更正）", "body": "请于周五前报送。",
                                                   "version": 1}),
    Expect("notifications:attachment", {**READERS, "anonymous": 302}, kwargs=attachment),
    # API: DRF answers 403 to anonymous callers.
    Expect("notification-list", everyone(anonymous=403)),
    Expect("notification-detail", mine(200, anonymous=403), kwargs=a_notification),
    Expect("notification-read", mine(200, anonymous=403), method="post", kwargs=a_notification),
    Expect("notification-read-all", everyone(anonymous=403), method="post"),
    Expect("announcement-list", everyone(anonymous=403)),
    Expect("announcement-list", {**each(SIGNED_IN, 403), "office": 201, "outsider": 201, "anonymous": 403},
           method="post", data=announcement_data),
    Expect("announcement-detail", {**READERS, "anonymous": 403}, kwargs=announcement),
    Expect("announcement-receipts", {**READERS, "office": 200, "leader": 403, "liaison_a": 403, "staff_a": 403,
                                     "anonymous": 403}, kwargs=announcement),
]
