"""The screens and endpoints: my notifications, the bell, the robots' settings, the log; query counts pinned."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wenming.notifications import services
from wenming.notifications.models import Delivery, Notification, Preference, UnitSettings, WebhookEndpoint

pytestmark = pytest.mark.django_db


def queries(client, url, **params) -> tuple[int, object]:
    client.get(url, params)  # warm up: the first request of a session checks the second factor once
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params, **({"HTTP_HX_REQUEST": "true"} if params.pop("htmx", False) else {}))
    assert response.status_code == 200, response.status_code
    return len(captured), response


def fill(cast, n):
    for i in range(n):
        services.notify(recipients=[cast["staff_a"]], verb="campaigns.task_assigned", title=f"分派给您的任务：第{i}项",
                        url=f"/campaigns/tasks/{i}/", actor=cast["office"])


# Each request costs 6 for session, user, the data revision (roles and the header's campaign are kept until the data
# changes: wenming.core.memo) and the session's idle-timeout save (3 with its savepoint).
LIST_QUERIES = 9  # + total count, unread count, the rows
BELL_QUERIES = 4  # an htmx request skips the shell (no roles): session, user, the one count; the bell never saves the session


def test_list_shows_unread_first_and_its_queries_do_not_grow(cast, client_for):
    client = client_for(cast["staff_a"])
    fill(cast, 2)
    Notification.objects.filter(title__endswith="第0项").update(read_at="2021-01-01T00:00:00Z", title="已读的那条")
    small, response = queries(client, reverse("notifications:list"))
    page = response.content.decode()
    assert page.index("第1项") < page.index("已读的那条")
    fill(cast, 10)
    large, _response = queries(client, reverse("notifications:list"))
    assert small == large == LIST_QUERIES
    only_unread, response = queries(client, reverse("notifications:list"), show="unread")
    assert "已读的那条" not in response.content.decode()


def test_the_bell_counts_unread_in_one_query_and_clicking_marks_read(cast, client_for):
    client = client_for(cast["staff_a"])
    fill(cast, 3)
    count, response = queries(client, reverse("notifications:bell"), htmx=True)
    assert count == BELL_QUERIES and 'data-unread="3"' in response.content.decode()
    note = Notification.objects.filter(recipient=cast["staff_a"]).first()
    opened = client.get(reverse("notifications:open", args=[note.pk]))
    assert opened.status_code == 302 and opened.url == note.url
    assert 'data-unread="2"' in client.get(reverse("notifications:bell")).content.decode()
    client.post(reverse("notifications:read_all"))
    assert client.get(reverse("notifications:bell")).content.decode().strip() == ""


def test_open_never_redirects_off_site(cast, client_for):
    note = services.notify(recipients=[cast["staff_a"]], verb="x", title="t", url="https://evil.example/")[0]
    assert client_for(cast["staff_a"]).get(reverse("notifications:open", args=[note.pk])).url == "/notifications/"


def test_preferences_default_to_the_weekly_digest_and_can_change(cast, client_for):
    client = client_for(cast["staff_a"])
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert re.search(r'value="weekly"[^>]*checked', page)
    client.post(reverse("notifications:preferences"), {"email_frequency": "off"})
    assert Preference.objects.get(user=cast["staff_a"]).email_frequency == "off"


def test_office_configures_a_robot_sends_a_test_and_reads_the_log(cast, client_for, robot,
                                                                   django_capture_on_commit_callbacks):
    client = client_for(cast["office"])
    response = client.post(reverse("notifications:webhook_create"), {
        "name": "创建办工作群", "platform": "feishu", "url": f"{robot.url}/hook/abc", "secret": "s3",
        "verbs": ["evidence.returned", "notifications.announcement"], "is_active": "on"})
    assert response.status_code == 302
    hook = WebhookEndpoint.objects.get()
    assert hook.verbs == ["evidence.returned", "notifications.announcement"] and hook.unit == cast.unit
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:webhook_test", args=[hook.pk]))
    assert robot.requests[0]["json"]["content"]["text"].startswith("测试消息")
    small, response = queries(client, reverse("notifications:deliveries"))
    assert "已发送" in response.content.decode()
    Delivery.objects.bulk_create([Delivery(unit=cast.unit, channel="email", recipient=cast["staff_a"], target="a@b",
                                           subject=f"s{i}", last_error="超时") for i in range(10)])
    large, _response = queries(client, reverse("notifications:deliveries"))
    assert small == large

    edit = client.post(reverse("notifications:webhook_edit", args=[hook.pk]), {
        "name": "创建办工作群", "platform": "feishu", "url": "ftp://x", "version": hook.version})
    assert "Webhook 地址" in edit.content.decode() and edit.status_code == 200
    stale = client.post(reverse("notifications:webhook_edit", args=[hook.pk]), {
        "name": "改名", "platform": "feishu", "url": f"{robot.url}/hook/abc", "version": hook.version - 1})
    assert "已被他人修改" in stale.content.decode()
    form = client.get(reverse("notifications:webhook_edit", args=[hook.pk])).content.decode()
    assert 'value="s3"' not in form and "留空表示不修改" in form  # the secret never goes back to the browser
    client.post(reverse("notifications:webhook_edit", args=[hook.pk]), {
        "name": "创建办工作群", "platform": "feishu", "url": f"{robot.url}/hook/abc", "secret": "",
        "is_active": "on", "version": hook.version})
    hook.refresh_from_db()
    assert hook.secret == "s3" and hook.verbs == []  # blank secret kept; no events ticked means all
    client.post(reverse("notifications:settings"), {"reminder_days": 7})
    assert UnitSettings.objects.get(unit=cast.unit).reminder_days == 7


def test_announcement_list_queries_do_not_grow(cast, client_for):
    client = client_for(cast["staff_a"])
    services.announcement_publish(actor=cast["office"], title="通知一", body="正文")
    small, _response = queries(client, reverse("notifications:announcements"))
    for i in range(8):
        services.announcement_publish(actor=cast["office"], title=f"通知{i}", body="正文", departments=[cast.dept_a])
    large, response = queries(client, reverse("notifications:announcements"))
    assert small == large
    assert response.content.decode().count("未读") >= 9


def test_api_lists_mine_and_marks_read(cast, client_for):
    fill(cast, 3)
    client = client_for(cast["staff_a"])
    small, response = queries(client, "/api/v1/notifications/")
    assert response.json()["count"] == 3
    fill(cast, 10)
    large, _response = queries(client, "/api/v1/notifications/", unread="true")
    assert small == large
    first = response.json()["results"][0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read/").json()["is_read"] is True
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 12}


def test_api_publishes_and_reports_receipts(cast, client_for):
    office = client_for(cast["office"])
    created = office.post("/api/v1/announcements/", {"title": "关于报送材料的通知", "body": "本周五前。",
                                                     "departments": [cast.dept_b.pk]}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert client_for(cast["liaison_b"]).get(f"/api/v1/announcements/{pk}/").json()["is_read"] is True
    receipts = office.get(f"/api/v1/announcements/{pk}/receipts/").json()
    assert (receipts["read"], receipts["unread"]) == (1, 0)
    bad = office.post("/api/v1/announcements/", {"title": "x", "body": "y", "departments": [cast.other_dept.pk]},
                      content_type="application/json")
    assert bad.status_code == 404 and "departments" in bad.json()  # a department outside the unit: not found, named
    small, _response = queries(office, "/api/v1/announcements/")
    for i in range(5):
        services.announcement_publish(actor=cast["office"], title=f"通知{i}", body="正文")
    large, _response = queries(office, "/api/v1/announcements/")
    assert small == large


def test_publishing_with_a_disguised_file_names_it_and_saves_nothing(cast, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from wenming.evidence.tests import files
    from wenming.notifications.models import Announcement

    response = client_for(cast["office"]).post(reverse("notifications:announcement_create"), {
        "title": "关于评选的通知", "body": "正文", "files": [SimpleUploadedFile("评选方案.pdf", files.EXE)]})
    assert response.status_code == 200 and "评选方案.pdf" in response.content.decode()
    assert not Announcement.objects.exists()


def test_receipts_page_queries_do_not_grow_with_the_audience(cast, client_for):
    from wenming.testing import make_user

    item = services.announcement_publish(actor=cast["office"], title="通知", body="正文",
                                         departments=[cast.dept_a, cast.dept_b])
    client = client_for(cast["office"])
    small, _response = queries(client, reverse("notifications:announcement_receipts", args=[item.pk]))
    for i in range(6):
        make_user(f"extra{i}", cast.unit, cast.dept_b, ["staff"], f"干警{i}")
    large, response = queries(client, reverse("notifications:announcement_receipts", args=[item.pk]))
    assert small == large and "干警5" in response.content.decode()
