"""notify(): in-app rows now, email and group robots only after commit, through the worker, with retries."""

import base64
import hashlib
import hmac
import urllib.parse
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from wenming.notifications import channels, services
from wenming.notifications.models import Delivery, Notification, Preference, WebhookEndpoint
from wenming.notifications.services import notify

pytestmark = pytest.mark.django_db


def endpoint(cast, robot, platform, secret="", **extra):
    return WebhookEndpoint.objects.create(unit=cast.unit, name=f"{platform}群", platform=platform,
                                          url=f"{robot.url}/robot/{platform}?key=abc", secret=secret, **extra)


def test_notify_skips_the_actor_dedupes_and_writes_in_app_rows(cast):
    rows = notify(recipients=[cast["staff_a"], cast["staff_a"].pk, cast["office"], None], verb="campaigns.mentioned",
                  title="创建办 在任务留言中提到了您", body="请补充照片", url="/campaigns/tasks/1/", actor=cast["office"])
    assert [row.recipient for row in rows] == [cast["staff_a"]]
    assert Notification.objects.get().read_at is None


def test_email_waits_for_commit_and_the_weekly_digest_is_the_default(with_email, django_capture_on_commit_callbacks):
    cast = with_email
    Preference.objects.create(user=cast["liaison_a"], email_frequency=Preference.Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[cast["liaison_a"], cast["staff_a"]], verb="evidence.returned", title="材料被退回：道德讲堂",
               body="退回原因：缺签到表", url="/evidence/1/", actor=cast["office"])
    assert mail.outbox == []  # nothing before commit
    assert Delivery.objects.get().target == cast["liaison_a"].email  # staff_a is on the weekly digest
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "【文明创建】材料被退回：道德讲堂"
    assert "缺签到表" in message.body and "/evidence/1/" in message.body
    assert Delivery.objects.get().status == Delivery.Status.SENT


def test_rolled_back_action_sends_nothing(with_email, django_capture_on_commit_callbacks):
    cast = with_email
    Preference.objects.create(user=cast["staff_a"], email_frequency=Preference.Frequency.IMMEDIATE)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        from django.db import transaction

        try:
            with transaction.atomic():
                notify(recipients=[cast["staff_a"]], verb="x", title="不会发出", actor=cast["office"])
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and Notification.objects.count() == 0


def test_each_platform_gets_its_documented_payload_and_a_valid_signature(cast, robot,
                                                                          django_capture_on_commit_callbacks):
    endpoint(cast, robot, "wecom")
    endpoint(cast, robot, "dingtalk", secret="SECdingtalk")
    endpoint(cast, robot, "feishu", secret="feishu-secret")
    robot.replies = [(200, {"errcode": 0, "errmsg": "ok"}), (200, {"errcode": 0, "errmsg": "ok"}),
                     (200, {"code": 0, "msg": "success"})]
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast["staff_a"], cast["liaison_a"]], verb="notifications.announcement",
               title="通知公告：关于开展文明庭室评选的通知", body="请各部门于5月10日前报送。", url="/notifications/announcements/1/",
               actor=cast["office"])
    assert Delivery.objects.filter(channel="webhook", status="sent").count() == 3  # one per robot, not per person
    by_platform = {r["path"].split("/")[2].split("?")[0]: r for r in robot.requests}

    wecom = by_platform["wecom"]["json"]
    assert wecom["msgtype"] == "markdown" and "关于开展文明庭室评选的通知" in wecom["markdown"]["content"]

    ding = by_platform["dingtalk"]
    assert ding["json"]["msgtype"] == "markdown"
    assert ding["json"]["markdown"]["title"].startswith("通知公告")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(ding["path"]).query)
    assert query["key"] == ["abc"]
    timestamp = query["timestamp"][0]
    assert abs(int(timestamp) - timezone.now().timestamp() * 1000) < 60_000
    expected = base64.b64encode(hmac.new(b"SECdingtalk", f"{timestamp}\nSECdingtalk".encode(),
                                         hashlib.sha256).digest()).decode()
    assert query["sign"] == [expected]  # parse_qs decoded the URL-encoding

    feishu = by_platform["feishu"]["json"]
    assert feishu["msg_type"] == "text" and "5月10日" in feishu["content"]["text"]
    expected = base64.b64encode(hmac.new(f"{feishu['timestamp']}\nfeishu-secret".encode(), b"",
                                         hashlib.sha256).digest()).decode()
    assert feishu["sign"] == expected
    assert abs(int(feishu["timestamp"]) - timezone.now().timestamp()) < 60


def test_webhook_subscribed_to_other_verbs_or_inactive_gets_nothing(cast, robot, django_capture_on_commit_callbacks):
    endpoint(cast, robot, "wecom", verbs=["evidence.returned"])
    WebhookEndpoint.objects.create(unit=cast.unit, name="停用", platform="wecom", url=robot.url, is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast["staff_a"]], verb="campaigns.task_assigned", title="任务", actor=cast["office"])
    assert robot.requests == [] and not Delivery.objects.exists()


def test_a_refusal_is_retried_with_backoff_then_succeeds_and_the_log_shows_it(cast, robot,
                                                                               django_capture_on_commit_callbacks):
    endpoint(cast, robot, "dingtalk", secret="s")
    robot.replies = [(200, {"errcode": 310000, "errmsg": "sign not match"}), (500, {"errcode": -1})]
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast["staff_a"]], verb="evidence.returned", title="材料被退回", actor=cast["office"])
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "310000" in delivery.last_error and "sign not match" in delivery.last_error
    first_wait = delivery.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_wait <= timedelta(seconds=60)

    assert services.deliveries_send() == (0, 0)  # not due yet
    later = delivery.next_attempt_at + timedelta(seconds=1)
    assert services.deliveries_send(now=later) == (0, 1)  # HTTP 500
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and "HTTP 500" in delivery.last_error
    assert delivery.next_attempt_at - later == timedelta(seconds=120)  # doubled

    call_command("send_notifications", "--retry", stdout=open("/dev/null", "w"))  # noqa: SIM115
    delivery.refresh_from_db()
    assert delivery.attempts == 2  # the command respects the wait
    assert services.deliveries_send(now=delivery.next_attempt_at) == (1, 0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("sent", 3, "")
    assert len(robot.requests) == 3


def test_gives_up_after_the_last_attempt(cast):
    hook = WebhookEndpoint.objects.create(unit=cast.unit, name="不可达", platform="wecom",
                                          url="http://127.0.0.1:9/robot")  # discard port: connection refused
    delivery = Delivery.objects.create(unit=cast.unit, channel="webhook", endpoint=hook, target="x", subject="t")
    for _ in range(services.MAX_ATTEMPTS):
        services.delivery_send(delivery)
    assert delivery.status == "failed" and delivery.next_attempt_at is None
    assert "无法连接" in delivery.last_error


def test_the_office_can_send_a_given_up_delivery_again(cast, client_for, robot, django_capture_on_commit_callbacks):
    hook = endpoint(cast, robot, "wecom")
    delivery = Delivery.objects.create(unit=cast.unit, channel="webhook", endpoint=hook, target="x", subject="补发",
                                       status="failed", attempts=5, last_error="超时")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast["office"]).post(f"/notifications/deliveries/{delivery.pk}/retry/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 6) and len(robot.requests) == 1


def test_the_signature_helpers_follow_the_vendor_algorithms():
    # 钉钉: key = secret, message = "timestamp\nsecret", base64 then URL-encoded; 飞书: key = "timestamp\nsecret", empty message.
    digest = hmac.new(b"SEC000", b"1577262236757\nSEC000", hashlib.sha256).digest()
    assert channels.dingtalk_sign("SEC000", 1577262236757) == urllib.parse.quote_plus(base64.b64encode(digest).decode())
    digest = hmac.new(b"1599360473\ndemo", b"", hashlib.sha256).digest()
    assert channels.feishu_sign("demo", 1599360473) == base64.b64encode(digest).decode()


def test_the_worker_enqueues_a_failed_delivery_again_for_its_retry_time(cast, settings):
    """With a backend that can defer (the database worker can), a failure is re-enqueued to run at its retry time."""
    from django_tasks import default_task_backend

    from wenming.notifications.tasks import send_deliveries

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    hook = WebhookEndpoint.objects.create(unit=cast.unit, name="不可达", platform="wecom", url="http://127.0.0.1:9/")
    delivery = Delivery.objects.create(unit=cast.unit, channel="webhook", endpoint=hook, target="x", subject="t")
    assert send_deliveries.call([delivery.pk]) == [delivery.pk]
    delivery.refresh_from_db()
    [again] = default_task_backend.results
    assert again.args == [[delivery.pk]] and again.task.run_after == delivery.next_attempt_at
